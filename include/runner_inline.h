/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * runner_inline: the runner's tasks that are declared checks run without
 * a process (see inline_checks).  Such a task takes a place in the pool
 * as a process does (-j counts both), waits under the runner's one ppoll,
 * and ends as an outcome like a process's: exit status and message as the
 * check's command would give them, the promise's timeout, the run's
 * deadline and a stop as for a process.  Internal to the runner.
 *
 * Lifecycle: runner_inline_init with the runner; runner_inline_start for
 * a task whose `declared` is set; each wait: runner_inline_polls, then
 * runner_inline_handle; runner_inline_stop; runner_inline_release.
 */
#ifndef PROMISE_RUN_RUNNER_INLINE_H
#define PROMISE_RUN_RUNNER_INLINE_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "inline_checks.h"

struct runner;
struct runner_outcome;
struct runner_task;

struct runner_inline_task {
	bool used;
	size_t home, promise;
	struct timespec started;
	struct timespec timeout_at;     /* the promise's timeout */
	struct timespec stop_at;        /* the run's deadline, or {0, 0} */
};

struct runner_inline {
	struct inline_checks checks;
	struct runner_inline_task *tasks;       /* one per slot */
	unsigned slot_count;
};

int runner_inline_init(struct runner_inline *tasks, unsigned slots);

/* Starts `task` (its `declared` taken); 0, or -1 with errno. */
int runner_inline_start(struct runner *runner, const struct runner_task *task);

/* How many descriptors runner_inline_polls fills at most. */
size_t runner_inline_poll_count(const struct runner_inline *tasks);
size_t runner_inline_polls(const struct runner_inline *tasks,
                           struct pollfd *polls);

/* The nearest moment something is due; false when nothing runs. */
bool runner_inline_deadline(const struct runner_inline *tasks,
                            struct timespec *when);

/* Handles what came and queues the outcomes of the tasks that ended. */
void runner_inline_handle(struct runner *runner, const struct pollfd *polls,
                          size_t count, struct timespec now);

/* Ends every task at once, as a stopped promise ends. */
void runner_inline_stop(struct runner *runner);

/* The task running the longest; false when none. */
const struct runner_inline_task *
runner_inline_oldest(const struct runner_inline *tasks);

void runner_inline_release(struct runner_inline *tasks);

/* In runner.c: a new outcome, last in the queue; NULL out of memory. */
struct runner_outcome *runner_queue_outcome(struct runner *runner);

/* In runner.c: a task's place in the pool given back. */
void runner_task_ended(struct runner *runner);

#endif
