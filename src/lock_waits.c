/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* lock_waits: homes waiting for their lock, events and retries. */
#include "lock_waits.h"

#include <sys/inotify.h>

#include "deadline.h"
#include "fdio.h"
#include "monotime.h"

int lock_waits_init(struct lock_waits *waits)
{
	*waits = (struct lock_waits){ 0 };
	waits->inotify_fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	return waits->inotify_fd < 0 ? -1 : 0;
}

static bool any_waiting(const struct home *homes, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (homes[i].phase == HOME_WAITING)
			return true;
	return false;
}

/* The end of the first bounded wait for a lock, if any home waits so. */
static bool first_wait_end(const struct home *homes, size_t count,
                           struct timespec *end)
{
	bool found = false;

	for (size_t i = 0; i < count; i++) {
		const struct home *home = &homes[i];

		if (home->phase == HOME_WAITING && home->wait_bounded &&
		    (!found || monotime_before(home->wait_end, *end))) {
			*end = home->wait_end;
			found = true;
		}
	}
	return found;
}

bool lock_waits_poll(struct lock_waits *waits, const struct home *homes,
                     size_t count, struct pollfd *poll,
                     struct timespec *wake)
{
	struct timespec wait_end;

	waits->waiting = any_waiting(homes, count);
	waits->bounded = first_wait_end(homes, count, &wait_end);
	/* Backing off, the events wait for the next try. */
	waits->polled = waits->waiting && waits->backoff == 0;
	if (!waits->waiting)
		return false;
	*poll = (struct pollfd){ .fd = waits->inotify_fd, .events = POLLIN };
	*wake = waits->next_try;
	if (waits->bounded && monotime_before(wait_end, *wake))
		*wake = wait_end;
	return true;
}

/*
 * Waiting homes whose lock may be free (an event, or the time to retry
 * came): try them again.  Events that gave no lock start or double the
 * back-off; a try without events ends it.
 */
static void try_again(struct lock_waits *waits, struct home *homes,
                      size_t count)
{
	char events[4096];
	bool woken = false;

	while (fdio_read(waits->inotify_fd, events, sizeof events) > 0)
		woken = true;
	for (size_t i = 0; i < count; i++)
		home_tell(&homes[i], HOME_LOCK_FREED);
	waits->backoff = deadline_lock_backoff(waits->backoff, woken,
					       any_waiting(homes, count));
	waits->next_try = monotime_add(monotime_now(),
				       deadline_lock_retry(waits->backoff));
}

/* Waiting homes whose wait is over: a last try, else reported locked. */
static void end_waits(struct home *homes, size_t count)
{
	struct timespec now = monotime_now();

	for (size_t i = 0; i < count; i++) {
		struct home *home = &homes[i];

		if (home->phase == HOME_WAITING && home->wait_bounded &&
		    !monotime_before(now, home->wait_end))
			home_tell(home, HOME_WAIT_OVER);
	}
}

void lock_waits_handle(struct lock_waits *waits, struct home *homes,
                       size_t count, short events)
{
	if ((waits->polled && events) ||
	    (waits->waiting &&
	     !monotime_before(monotime_now(), waits->next_try)))
		try_again(waits, homes, count);
	if (waits->bounded)
		end_waits(homes, count);
}

void lock_waits_release(struct lock_waits *waits)
{
	fdio_close_quietly(waits->inotify_fd);
	waits->inotify_fd = -1;
}
