/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * inline_checks: declared checks run inside an event loop, without a
 * process: URL and certificate checks as transfers of one libcurl multi
 * handle, port checks as port_probes, file checks at once.  Everything
 * they wait on is a descriptor the caller adds to its own ppoll, with
 * the nearest of their deadlines; each check keeps its own timeout.  The
 * verdicts and messages are those of the commands: the same halves
 * (check_transfer, port_probe, check_file) make both.
 *
 * Lifecycle: inline_checks_init; inline_checks_start for each check;
 * then, in the caller's loop: inline_checks_polls into its pollfds and
 * inline_checks_deadline into its timeout, ppoll, inline_checks_handle
 * with what came, inline_checks_next for each check that ended;
 * inline_checks_release (what still runs is dropped).
 */
#ifndef PROMISE_RUN_INLINE_CHECKS_H
#define PROMISE_RUN_INLINE_CHECKS_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "declared.h"

struct inline_check;

/* A socket libcurl asked to be told about. */
struct inline_socket {
	int fd;
	short events;
};

struct inline_checks {
	void *multi;                        /* CURLM, at the first transfer */
	struct inline_check *running;       /* a list */
	struct inline_check *ended;         /* a queue, oldest first */
	struct inline_check **ended_tail;
	struct inline_socket *sockets;      /* libcurl's */
	size_t socket_count, socket_capacity;
	bool timer_set;                     /* libcurl's timer: */
	struct timespec timer;              /* ... when it fires */
	size_t count;                       /* checks running */
	size_t unopened;                    /* transfers yet to open a socket */
	bool out_of_memory;
};

/* What one check found. */
struct inline_result {
	size_t id;                          /* the caller's */
	enum check_status status;
	char *message;                      /* malloc'd; "" when it works */
	double duration;                    /* seconds */
};

void inline_checks_init(struct inline_checks *checks);

/*
 * Starts `check` (declared_parse's, taken: released at its end) for the
 * caller's `id` at `now`.  0, or -1 with errno (ENOMEM), `check` then
 * released too.  A check that ends at once (a file, a bad port) is
 * queued at once.
 */
int inline_checks_start(struct inline_checks *checks,
                        struct declared_check *check, size_t id,
                        struct timespec now);

/* How many descriptors inline_checks_polls fills at most now. */
size_t inline_checks_poll_count(const struct inline_checks *checks);

/* Fills `polls` (inline_checks_poll_count of them); how many it filled. */
size_t inline_checks_polls(const struct inline_checks *checks,
                           struct pollfd *polls);

/* The nearest moment something is due; false when nothing runs. */
bool inline_checks_deadline(const struct inline_checks *checks,
                            struct timespec *when);

/* Handles what `polls` (as filled, with their revents) and `now` bring. */
void inline_checks_handle(struct inline_checks *checks,
                          const struct pollfd *polls, size_t count,
                          struct timespec now);

/* Takes the next ended check's result; false when none. */
bool inline_checks_next(struct inline_checks *checks,
                        struct inline_result *result);

/*
 * Whether one more check can start: two descriptors can be had (dups of
 * `fd`) beyond one for each transfer whose socket libcurl has yet to open
 * (it opens them at its next turn, not at the start: given that turn
 * first).  False with errno (EMFILE) when not: the caller waits.
 */
bool inline_checks_room(struct inline_checks *checks, int fd);

/* Frees what `result` holds. */
void inline_result_release(struct inline_result *result);

/*
 * Drops the check of `id` (timed out, stopped), running or ended and not
 * collected yet.
 */
void inline_checks_cancel(struct inline_checks *checks, size_t id);

/* Drops every check, ended or not, and the multi handle. */
void inline_checks_release(struct inline_checks *checks);

#endif
