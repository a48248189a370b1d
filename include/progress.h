/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * progress: a live line on a terminal while a long run goes on, for the
 * person watching it:
 *
 *   promise-run: 12/40 homes, 16 running, slowest slappart7/check-db 4.2s
 *
 * Only when standard error is a terminal (never in a pipe, a file or cron
 * mail) and not --quiet; rewritten at most five times a second, only when
 * the terminal takes it without blocking (POLLOUT), and erased when the
 * run ends or before a message is written on standard error.
 *
 * Lifecycle: progress_init; progress_set as things change; in the loop,
 * progress_poll and progress_write_ready after POLLOUT; progress_clear.
 */
#ifndef PROMISE_RUN_PROGRESS_H
#define PROMISE_RUN_PROGRESS_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct progress {
	bool enabled;
	int fd;
	bool shown;                 /* a line is on the terminal */
	bool dirty;                 /* the line changed since written */
	struct timespec next;       /* no write before */
	char line[200];
};

void progress_init(struct progress *progress, int fd, bool wanted);

/* The state of the run. */
void progress_set(struct progress *progress, size_t homes_done,
                  size_t homes, unsigned running, const char *slowest_home,
                  const char *slowest, double slowest_seconds);

/*
 * Whether a write is due; *entry gets the poll entry, *wake_at the time
 * it will be due when it is not yet.
 */
bool progress_poll(struct progress *progress, struct pollfd *entry,
                   struct timespec *wake_at);

void progress_write_ready(struct progress *progress);

/* Erases the line, if one is shown. */
void progress_clear(struct progress *progress);

#endif
