/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * failure: the one way a module says what it could not do.  A function
 * that fails fills a struct failure (what it was doing, to which path,
 * and the error number) and returns -1; it prints nothing.  Only the top
 * level (main, the scheduler and its sinks) words a failure, with
 * failure_describe; every error number, the kernel's and fsat's own
 * refusals alike, is worded by failure_reason alone.
 *
 * Lifecycle: a zeroed struct failure, failure_set by the module that
 * failed, failure_release by whoever read it.
 */
#ifndef PROMISE_RUN_FAILURE_H
#define PROMISE_RUN_FAILURE_H

#include <stddef.h>

struct failure {
	const char *doing;      /* "read", "write", "lock": static text */
	char *path;             /* what it was done to, malloc'd; or NULL */
	int error;              /* errno, or one of fsat's FSAT_ refusals */
};

/*
 * Records what failed (replacing what was recorded); returns -1, for
 * `return failure_set(...)`.  Out of memory, the path is left out.
 */
int failure_set(struct failure *failure, const char *doing, const char *path,
                int error);

/* "cannot DOING 'PATH': REASON" (no path: "cannot DOING: REASON"). */
void failure_describe(const struct failure *failure, char *buffer,
                      size_t size);

/* The words of an error number: strerror(3), and fsat's refusals. */
const char *failure_reason(int error);

void failure_release(struct failure *failure);

#endif
