/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * signals: promise-run's process-wide set-up, in plain view, called once
 * from main before anything runs:
 *
 *   - SIGCHLD, SIGINT, SIGTERM and SIGHUP are blocked for good and read
 *     from a signalfd, which the event loop polls beside the promises'
 *     pipes: no handler, no lost wake-up;
 *   - a stop signal that promise-run was started ignoring (nohup, `&` in a
 *     script) stays ignored, as for any program;
 *   - an ignored SIGCHLD inherited from a careless parent is reset (the
 *     kernel would reap promises before promise-run saw them exit);
 *   - SIGPIPE is ignored: a closed standard output is an EPIPE that the
 *     run handles (stop the promises, then end by SIGPIPE), not a death
 *     with promises still running; SIGXFSZ likewise (a file over the
 *     size limit is an EFBIG for that file);
 *   - promise-run becomes a child subreaper, so escaped descendants of
 *     promises are re-parented to it.
 *
 * Only this module decodes signalfd records.
 *
 * Lifecycle: signals_init, signals_read after each wake-up of the loop,
 * signals_release; signals_die_by to end the process by a signal.
 */
#ifndef PROMISE_RUN_SIGNALS_H
#define PROMISE_RUN_SIGNALS_H

#include <stdbool.h>
#include <stdint.h>

struct signals {
	int fd;                     /* the signalfd, non-blocking */
	uint64_t ignored;           /* bit N-1: signal N was ignored at start */
};

/* What arrived since the last read. */
struct signals_news {
	bool child;                 /* some child changed state: reap */
	int stop;                   /* the last stop signal, or 0 */
	unsigned stops;             /* how many stop signals */
};

/* 0, or -1 with errno. */
int signals_init(struct signals *signals);

/* Reads every pending record. */
void signals_read(const struct signals *signals, struct signals_news *news);

void signals_release(struct signals *signals);

/*
 * Ends promise-run by `signo` with its default action, as a program
 * stopped by it should (a calling shell then stops too); returns only if
 * the signal did not kill it.
 */
void signals_die_by(int signo);

#endif
