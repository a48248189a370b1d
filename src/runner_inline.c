/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* runner_inline: declared checks as tasks of the pool, no process each. */
#include "runner_inline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "capture.h"
#include "monotime.h"
#include "runner.h"

int runner_inline_init(struct runner_inline *tasks, unsigned slots)
{
	inline_checks_init(&tasks->checks);
	tasks->slot_count = slots;
	tasks->tasks = calloc(slots, sizeof *tasks->tasks);
	return tasks->tasks ? 0 : -1;
}

int runner_inline_start(struct runner *runner, const struct runner_task *task)
{
	struct runner_inline *tasks = &runner->inline_tasks;
	struct runner_inline_task *free_task = NULL;
	struct timespec now = monotime_now();

	for (unsigned i = 0; i < tasks->slot_count && !free_task; i++)
		if (!tasks->tasks[i].used)
			free_task = &tasks->tasks[i];
	if (!free_task) {
		declared_release(task->declared);
		errno = EAGAIN;
		return -1;
	}
	if (inline_checks_start(&tasks->checks, task->declared,
				(size_t)(free_task - tasks->tasks), now) < 0)
		return -1;
	*free_task = (struct runner_inline_task){
		.used = true,
		.home = task->home,
		.promise = task->promise,
		.started = now,
		.timeout_at = monotime_add(now, task->timeout),
		.stop_at = task->stop_at,
	};
	return 0;
}

size_t runner_inline_poll_count(const struct runner_inline *tasks)
{
	return inline_checks_poll_count(&tasks->checks);
}

size_t runner_inline_polls(const struct runner_inline *tasks,
                           struct pollfd *polls)
{
	return inline_checks_polls(&tasks->checks, polls);
}

/* When `task` is cut short: its timeout or the run's deadline. */
static struct timespec cut_at(const struct runner_inline_task *task,
                              bool *by_deadline)
{
	bool deadline = (task->stop_at.tv_sec || task->stop_at.tv_nsec) &&
			monotime_before(task->stop_at, task->timeout_at);

	if (by_deadline)
		*by_deadline = deadline;
	return deadline ? task->stop_at : task->timeout_at;
}

bool runner_inline_deadline(const struct runner_inline *tasks,
                            struct timespec *when)
{
	bool any = inline_checks_deadline(&tasks->checks, when);

	for (unsigned i = 0; i < tasks->slot_count; i++) {
		struct timespec cut;

		if (!tasks->tasks[i].used)
			continue;
		cut = cut_at(&tasks->tasks[i], NULL);
		if (!any || monotime_before(cut, *when))
			*when = cut;
		any = true;
	}
	return any;
}

/*
 * An outcome for `task`, its place freed; the message `message` (NULL:
 * none).  The outcome, or NULL out of memory.
 */
static struct runner_outcome *ended(struct runner *runner,
                                    struct runner_inline_task *task,
                                    struct timespec now, const char *message)
{
	struct runner_outcome *outcome = runner_queue_outcome(runner);

	task->used = false;
	runner_task_ended(runner);
	if (!outcome)
		return NULL;
	outcome->home = task->home;
	outcome->promise = task->promise;
	outcome->started = true;
	outcome->duration = monotime_seconds(task->started, now);
	outcome->cpu_seconds = outcome->memory_peak = -1;
	if (message) {
		/* As a process's output becomes its message (see capture). */
		struct capture capture;

		capture_init(&capture);
		if (capture_append(&capture, message, strlen(message)) < 0 ||
		    capture_append(&capture, "\n", 1) < 0)
			capture_release(&capture);
		else
			outcome->output = capture_finish(&capture);
	}
	return outcome;
}

void runner_inline_handle(struct runner *runner, const struct pollfd *polls,
                          size_t count, struct timespec now)
{
	struct runner_inline *tasks = &runner->inline_tasks;
	struct inline_result result;

	inline_checks_handle(&tasks->checks, polls, count, now);
	while (inline_checks_next(&tasks->checks, &result)) {
		struct runner_inline_task *task = &tasks->tasks[result.id];
		struct runner_outcome *outcome;

		outcome = ended(runner, task, now, result.message);
		if (outcome) {
			/* The check's own time, not when the loop saw it. */
			outcome->duration = result.duration;
			outcome->exited = true;
			outcome->wait_status = W_EXITCODE(result.status, 0);
		}
		inline_result_release(&result);
	}
	for (unsigned i = 0; i < tasks->slot_count; i++) {
		struct runner_inline_task *task = &tasks->tasks[i];
		struct runner_outcome *outcome;
		bool by_deadline;

		if (!task->used ||
		    monotime_before(now, cut_at(task, &by_deadline)))
			continue;
		inline_checks_cancel(&tasks->checks, i);
		outcome = ended(runner, task, now, NULL);
		if (outcome) {
			outcome->timed_out = true;
			outcome->cut_by_deadline = by_deadline;
		}
	}
}

void runner_inline_stop(struct runner *runner)
{
	struct runner_inline *tasks = &runner->inline_tasks;
	struct timespec now = monotime_now();

	for (unsigned i = 0; i < tasks->slot_count; i++) {
		struct runner_inline_task *task = &tasks->tasks[i];
		struct runner_outcome *outcome;

		if (!task->used)
			continue;
		inline_checks_cancel(&tasks->checks, i);
		outcome = ended(runner, task, now, NULL);
		/* Cut short by the stop: not recorded, as a process would be. */
		if (outcome)
			outcome->interrupted = true;
	}
}

const struct runner_inline_task *
runner_inline_oldest(const struct runner_inline *tasks)
{
	const struct runner_inline_task *oldest = NULL;

	for (unsigned i = 0; i < tasks->slot_count; i++)
		if (tasks->tasks[i].used &&
		    (!oldest || monotime_before(tasks->tasks[i].started,
						oldest->started)))
			oldest = &tasks->tasks[i];
	return oldest;
}

void runner_inline_release(struct runner_inline *tasks)
{
	inline_checks_release(&tasks->checks);
	free(tasks->tasks);
	tasks->tasks = NULL;
	tasks->slot_count = 0;
}
