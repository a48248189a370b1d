/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * reaper: the descendants of promises that escape their process group
 * (setsid, double fork).  promise-run is a child subreaper, so such a
 * process is re-parented to it when its parent dies; the reaper finds
 * those children, and their descendants, and kills them all.
 *
 * It freezes before it kills: every process found is stopped (SIGSTOP),
 * the children of those stopped are listed again until no new one
 * appears, then all are killed.  A stopped process cannot fork, so a fork
 * bomb cannot outrun the list.  Where cgroups contain the promises this
 * is the second line; without them, the only one.
 */
#ifndef PROMISE_RUN_REAPER_H
#define PROMISE_RUN_REAPER_H

/* Makes this process the reaper of its orphaned descendants; 0 or -1. */
int reaper_become_subreaper(void);

/*
 * Freezes and kills every descendant of this process and returns how
 * many there were, or -1 with errno when they cannot be listed.  Only
 * for moments when no promise is running: every child is then an orphan.
 * The caller reaps its children after.
 */
int reaper_kill_descendants(void);

#endif
