/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * deadline: the arithmetic of a run's times, pure functions of numbers
 * and monotonic times, so that unit tests check them without a clock.
 *
 *   --deadline D    promises end by started + D - reserve, the reserve
 *                   (at most DEADLINE_RESERVE, at most D/2) kept for the
 *                   state files and the report; a promise is stopped by
 *                   the end minus its kill-after and the drain of its
 *                   output, so that even its SIGKILL lands before it.
 *   --wait          a home waits for its lock at most --wait-timeout,
 *                   or, not given, until the deadline, or without one
 *                   the timeout's default; events that give no lock back
 *                   off, doubling from DEADLINE_BACKOFF_FIRST to
 *                   DEADLINE_LOCK_RETRY.
 */
#ifndef PROMISE_RUN_DEADLINE_H
#define PROMISE_RUN_DEADLINE_H

#include <stdbool.h>
#include <time.h>

/* What --deadline keeps for the state files and the report, at most. */
#define DEADLINE_RESERVE 0.2
/*
 * How often a waiting home tries its lock even without an event: a
 * holder that unlocks without closing the file (flock LOCK_UN) makes none.
 * Also the longest back-off.
 */
#define DEADLINE_LOCK_RETRY 1.0
/*
 * After an event that did not give a lock, the events are not read again
 * for this long, doubled at each such event up to DEADLINE_LOCK_RETRY: a
 * user who opens and closes their lock file in a loop would otherwise
 * wake the run at every close.
 */
#define DEADLINE_BACKOFF_FIRST 0.01

/* The reserve of a --deadline of `deadline` seconds. */
double deadline_reserve(double deadline);

/* When promises must have ended, for a run started at `started`. */
struct timespec deadline_end(struct timespec started, double deadline);

/*
 * Whether a deadline leaves time to run a promise that takes
 * `kill_after` seconds to stop: more than its reserve, its kill-after and
 * the drain of its output.
 */
bool deadline_leaves_time(double deadline, double kill_after);

/*
 * When a promise of that kill-after must be asked to stop, for the run's
 * `end`; never {0, 0}, which means "no stop" to the runner.
 */
struct timespec deadline_stop_time(struct timespec end, double kill_after);

/*
 * Whether a wait for a lock is bounded by --wait-timeout: it was given,
 * or there is no --deadline to bound it.
 */
bool deadline_wait_bounded(bool wait_timeout_given, double deadline);

/*
 * The next back-off after the lock events were read: `woken` by events
 * while homes still wait doubles it (from DEADLINE_BACKOFF_FIRST up to
 * DEADLINE_LOCK_RETRY); otherwise it ends (0).
 */
double deadline_lock_backoff(double backoff, bool woken, bool waiting);

/* How long until the lock is tried again, for that back-off. */
double deadline_lock_retry(double backoff);

#endif
