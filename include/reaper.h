/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * reaper: the descendants of promises that escape their process group
 * (setsid, double fork).  promise-run is a child subreaper, so such a
 * process is re-parented to it when its parent dies; the reaper finds
 * those children and kills them.
 */
#ifndef PROMISE_RUN_REAPER_H
#define PROMISE_RUN_REAPER_H

/* Makes this process the reaper of its orphaned descendants; 0 or -1. */
int reaper_become_subreaper(void);

/*
 * Sends `signo` to every child of this process and returns how many
 * children there are (killed or not), or -1 with errno when they cannot
 * be listed.  Only for moments when no promise is running: every child is
 * then an orphan.
 */
int reaper_signal_children(int signo);

#endif
