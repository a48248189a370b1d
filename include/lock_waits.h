/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * lock_waits: the homes that wait for their lock (--wait).  One inotify
 * descriptor watches every waited lock file (see state_watch_lock); a
 * waiting home tries its lock again at each event and at least every
 * DEADLINE_LOCK_RETRY (a holder may unlock without closing), and events
 * that give no lock back off (see deadline); a wait that is bounded ends
 * at its home's wait_end.
 *
 * Lifecycle: lock_waits_init; in the loop, lock_waits_poll before the
 * wait and lock_waits_handle after it; lock_waits_release.
 */
#ifndef PROMISE_RUN_LOCK_WAITS_H
#define PROMISE_RUN_LOCK_WAITS_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "home.h"

struct lock_waits {
	int inotify_fd;                 /* for every home's state_watch_lock */
	double backoff;                 /* 0, or the events are not read */
	struct timespec next_try;       /* for homes waiting for a lock */
	/* Set by lock_waits_poll for lock_waits_handle. */
	bool waiting, bounded, polled;
};

/* 0, or -1 with errno. */
int lock_waits_init(struct lock_waits *waits);

/*
 * Before the wait: whether a home waits; if so, the poll entry for the
 * events (*poll, unless backing off: *polled) and the earliest time the
 * wait must end for the waits (*wake).
 */
bool lock_waits_poll(struct lock_waits *waits, const struct home *homes,
                     size_t count, struct pollfd *poll,
                     struct timespec *wake);

/*
 * After the wait: `events` (the poll entry's revents, 0 when not polled)
 * or the time to retry make each waiting home try its lock; homes whose
 * wait is over are told so.
 */
void lock_waits_handle(struct lock_waits *waits, struct home *homes,
                       size_t count, short events);

void lock_waits_release(struct lock_waits *waits);

#endif
