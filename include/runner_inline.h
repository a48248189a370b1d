/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * runner_inline: the runner's tasks that are declared checks run without
 * a process of their own (see inline_checks).  Such a task takes a place
 * in the pool as a process does (-j counts both), waits under the
 * runner's one ppoll, and ends as an outcome like a process's: exit
 * status and message as the check's command would give them, the
 * promise's timeout, the run's deadline and a stop as for a process.
 * Internal to the runner.
 *
 * A check of promise-run's own user runs in this process.  A check that
 * runs as another user (root over a user's home) runs in that home's
 * check helper (see check_helper): one process a home, started as its
 * user at the home's first check, contained, stopped and reaped as a
 * promise is (it lives in a slot of its own, outside the pool), told to
 * end when the home is over.  Root keeps each check's timeout and the
 * deadline, and tells the helper what to drop; a helper that ends early
 * or says what is not a result ends its checks with that.  When no helper
 * can be had (its place, a descriptor), the check runs as a process.
 *
 * Lifecycle: runner_inline_init with the runner; runner_inline_start for
 * a task whose `declared` or `in_helper` is set; each wait:
 * runner_inline_polls, then runner_inline_handle; runner_inline_home_done
 * when a home is over; runner_inline_stop; runner_inline_release.
 */
#ifndef PROMISE_RUN_RUNNER_INLINE_H
#define PROMISE_RUN_RUNNER_INLINE_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "cgroup.h"
#include "check_wire.h"
#include "inline_checks.h"
#include "slot.h"

struct runner;
struct runner_outcome;
struct runner_task;
struct spawn_request;

/* One home's check helper, as root sees it. */
struct runner_helper {
	bool used;
	size_t home;
	struct slot slot;                   /* its process */
	struct cgroup_group group;          /* its cgroup, kept for the next */
	int request_fd;                     /* its standard input, or -1 */
	struct check_wire_buffer requests;  /* not yet written */
	struct check_wire_buffer results;   /* read, not yet whole */
	unsigned cancels;                   /* drops sent, each may be answered */
	bool broken;                        /* said what is not a result */
	bool output_lost;                   /* out of memory reading it */
};

struct runner_inline_task {
	bool used;
	size_t home, promise;
	struct timespec started;
	struct timespec timeout_at;     /* the promise's timeout */
	struct timespec stop_at;        /* the run's deadline, or {0, 0} */
	struct runner_helper *helper;   /* its helper, or NULL: here */
	uint64_t request;               /* its id there */
};

/* What one polled descriptor belongs to. */
struct runner_inline_polled {
	struct runner_helper *helper;
	bool requests;                  /* its standard input, not its slot's */
};

struct runner_inline {
	struct inline_checks checks;
	struct runner_inline_task *tasks;       /* one per slot */
	unsigned slot_count;
	struct runner_helper *helpers;          /* helper_count of them */
	unsigned helper_count;
	struct runner_inline_polled *polled;    /* two per helper */
	size_t helper_polls;                    /* filled by the last polls */
	uint64_t next_request;
};

int runner_inline_init(struct runner_inline *tasks, unsigned slots);

/*
 * Starts `task` (its `declared` taken): 0; 1 when no helper could take
 * it (it is to run as a process); -1 with errno.
 */
int runner_inline_start(struct runner *runner, const struct runner_task *task);

/* How many descriptors runner_inline_polls fills at most. */
size_t runner_inline_poll_count(const struct runner_inline *tasks);
size_t runner_inline_polls(struct runner_inline *tasks, struct pollfd *polls);

/* The nearest moment something is due; false when nothing runs. */
bool runner_inline_deadline(const struct runner_inline *tasks,
                            struct timespec *when);

/* Handles what came and queues the outcomes of the tasks that ended. */
void runner_inline_handle(struct runner *runner, const struct pollfd *polls,
                          size_t count, struct timespec now);

/* Notes the helpers that exited (after a SIGCHLD), leaving them unreaped. */
void runner_inline_notice_exits(struct runner_inline *tasks);

/* Whether `pid` is a helper's, which only its slot may reap. */
bool runner_inline_owns(const struct runner_inline *tasks, pid_t pid);

/* The home `home` is over: its helper, if any, is told to end. */
void runner_inline_home_done(struct runner_inline *tasks, size_t home);

/*
 * Ends every task at once, as a stopped promise ends, and stops the
 * helpers: the first time politely, then hard.
 */
void runner_inline_stop(struct runner *runner, bool again);

/* The task running the longest; false when none. */
const struct runner_inline_task *
runner_inline_oldest(const struct runner_inline *tasks);

/* Kills what is left of the helpers (not reaped: the runner sweeps). */
void runner_inline_release(struct runner *runner);

/* In runner.c: a new outcome, last in the queue; NULL out of memory. */
struct runner_outcome *runner_queue_outcome(struct runner *runner);

/* In runner.c: a task's place in the pool given back. */
void runner_task_ended(struct runner *runner);

/*
 * In runner.c: starts a child as a promise starts, in `group` when the
 * run has cgroups (*contained then set to it, else NULL).
 */
int runner_start_child(struct runner *runner, struct spawn_request *request,
                       struct cgroup_group *group,
                       struct cgroup_group **contained,
                       struct spawn_child *child);

#endif
