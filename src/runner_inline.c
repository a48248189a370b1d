/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* runner_inline: declared checks as tasks of the pool, no process each. */
#include "runner_inline.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture.h"
#include "check_helper.h"
#include "fdio.h"
#include "monotime.h"
#include "runner.h"
#include "signals.h"

/* A helper's own timeout: none (stopped when its home is over). */
#define HELPER_TIMEOUT (365 * 24 * 3600.0)

/* Why a helper's checks ended without their results. */
#define HELPER_GONE "promise-run's check helper for this home ended before the check did"
#define HELPER_BROKEN "promise-run's check helper for this home answered what is not a result: it was stopped"

int runner_inline_init(struct runner_inline *tasks, unsigned slots)
{
	inline_checks_init(&tasks->checks);
	tasks->slot_count = slots;
	/* Homes side by side, and those whose helper is still ending. */
	tasks->helper_count = 2 * slots;
	tasks->helper_polls = 0;
	tasks->next_request = 1;
	tasks->tasks = calloc(slots, sizeof *tasks->tasks);
	tasks->helpers = calloc(tasks->helper_count, sizeof *tasks->helpers);
	tasks->polled = calloc(2 * (size_t)tasks->helper_count,
			       sizeof *tasks->polled);
	for (unsigned i = 0; tasks->helpers && i < tasks->helper_count; i++) {
		tasks->helpers[i].group = (struct cgroup_group){
			.dir_fd = -1, .events_fd = -1, .stat_fd = -1,
			.peak_fd = -1 };
		tasks->helpers[i].request_fd = -1;
	}
	return tasks->tasks && tasks->helpers && tasks->polled ? 0 : -1;
}

/* Where a helper's output goes: its results, parsed after each read. */
static int take_output(void *context, const void *bytes, size_t size)
{
	struct runner_helper *helper = context;

	/* What follows a broken record is not read, only drained. */
	if (helper->broken)
		return 0;
	if (check_wire_append(&helper->results, bytes, size) < 0)
		helper->output_lost = true;
	return 0;
}

/* The live helper of `home`, not yet told to end; NULL when none. */
static struct runner_helper *helper_of(struct runner_inline *tasks,
                                       size_t home)
{
	for (unsigned i = 0; i < tasks->helper_count; i++) {
		struct runner_helper *helper = &tasks->helpers[i];

		/* Not one that has exited, even before it is reaped. */
		if (helper->used && helper->home == home &&
		    helper->request_fd >= 0 && !helper->broken &&
		    helper->slot.job.state == JOB_RUNNING &&
		    !helper->slot.job.exited)
			return helper;
	}
	return NULL;
}

/*
 * Starts a helper for `task`'s home, as its user, in the home, with the
 * promises' environment: promise-run again, through the same spawn as a
 * promise.  NULL when none can be had now.
 */
static struct runner_helper *start_helper(struct runner *runner,
                                          const struct runner_task *task)
{
	struct runner_inline *tasks = &runner->inline_tasks;
	struct runner_helper *helper = NULL;
	char *argv[] = { "promise-run", CHECK_HELPER_COMMAND, NULL };
	struct cgroup_group *contained;
	struct spawn_child child;
	int requests[2];

	for (unsigned i = 0; i < tasks->helper_count && !helper; i++)
		if (!tasks->helpers[i].used)
			helper = &tasks->helpers[i];
	if (!helper || pipe2(requests, O_CLOEXEC) < 0)
		return NULL;
	struct spawn_request request = {
		/* The user runs this very binary, wherever its folder is. */
		.path = "/proc/self/exe",
		.argv = argv,
		.workdir = task->workdir,
		.envp = task->envp,
		.stdin_fd = requests[0],
		.self_fd = runner->self_fd,
		.ignored = runner->signals->ignored,
		.credentials = task->credentials,
	};
	struct runner_task as_task = {
		.timeout = HELPER_TIMEOUT,
		.kill_after = task->kill_after,
		.home = task->home,
	};
	struct timespec now = monotime_now();

	if (fcntl(requests[1], F_SETFL, O_NONBLOCK) < 0 ||
	    runner_start_child(runner, &request, &helper->group, &contained,
			       &child) < 0) {
		fdio_close_quietly(requests[0]);
		fdio_close_quietly(requests[1]);
		return NULL;
	}
	fdio_close_quietly(requests[0]);
	slot_start(&helper->slot, &child, contained, &as_task, now);
	helper->slot.output_to = take_output;
	helper->slot.output_context = helper;
	helper->used = true;
	helper->home = task->home;
	helper->request_fd = requests[1];
	helper->cancels = 0;
	helper->broken = helper->output_lost = false;
	runner->processes++;
	return helper;
}

/* Writes what the helper has not been sent yet, as far as its pipe takes. */
static void send_requests(struct runner_helper *helper)
{
	while (helper->requests.length && helper->request_fd >= 0) {
		ssize_t sent = fdio_write(helper->request_fd,
					  helper->requests.bytes,
					  helper->requests.length);

		if (sent < 0 && errno == EAGAIN)
			return;
		if (sent <= 0) {
			/* It is gone: its end is seen on its slot. */
			check_wire_consume(&helper->requests,
					   helper->requests.length);
			return;
		}
		check_wire_consume(&helper->requests, (size_t)sent);
	}
}

/* Queues `request` for `helper` and sends what its pipe takes; 0 or -1. */
static int tell(struct runner_helper *helper,
                const struct check_wire_request *request)
{
	if (check_wire_put_request(&helper->requests, request) < 0)
		return -1;
	send_requests(helper);
	return 0;
}

/* Sends `task`'s check to its home's helper, started if need be; 0 or 1. */
static int start_in_helper(struct runner *runner,
                           const struct runner_task *task,
                           struct runner_inline_task *place)
{
	struct runner_inline *tasks = &runner->inline_tasks;
	struct runner_helper *helper = helper_of(tasks, task->home);
	struct check_wire_request request = {
		.id = tasks->next_request,
		.path = task->path,
	};

	if (!helper && !(helper = start_helper(runner, task)))
		return 1;
	if (tell(helper, &request) < 0)
		return -1;
	tasks->next_request++;
	place->helper = helper;
	place->request = request.id;
	return 0;
}

int runner_inline_start(struct runner *runner, const struct runner_task *task)
{
	struct runner_inline *tasks = &runner->inline_tasks;
	struct runner_inline_task *free_task = NULL;
	struct timespec now = monotime_now();
	int status;

	for (unsigned i = 0; i < tasks->slot_count && !free_task; i++)
		if (!tasks->tasks[i].used)
			free_task = &tasks->tasks[i];
	if (!free_task) {
		if (task->declared)
			declared_release(task->declared);
		errno = EAGAIN;
		return -1;
	}
	free_task->helper = NULL;
	if (task->declared)
		status = inline_checks_start(&tasks->checks, task->declared,
					     (size_t)(free_task - tasks->tasks),
					     now);
	else
		status = start_in_helper(runner, task, free_task);
	if (status != 0)
		return status;
	free_task->used = true;
	free_task->home = task->home;
	free_task->promise = task->promise;
	free_task->started = now;
	free_task->timeout_at = monotime_add(now, task->timeout);
	free_task->stop_at = task->stop_at;
	return 0;
}

size_t runner_inline_poll_count(const struct runner_inline *tasks)
{
	return inline_checks_poll_count(&tasks->checks) +
	       2 * (size_t)tasks->helper_count;
}

size_t runner_inline_polls(struct runner_inline *tasks, struct pollfd *polls)
{
	size_t count = 0;

	for (unsigned i = 0; i < tasks->helper_count; i++) {
		struct runner_helper *helper = &tasks->helpers[i];

		if (!helper->used)
			continue;
		if (slot_poll(&helper->slot, &polls[count]))
			tasks->polled[count++] = (struct runner_inline_polled){
				.helper = helper };
		if (helper->requests.length && helper->request_fd >= 0) {
			polls[count] = (struct pollfd){
				.fd = helper->request_fd, .events = POLLOUT };
			tasks->polled[count++] = (struct runner_inline_polled){
				.helper = helper, .requests = true };
		}
	}
	tasks->helper_polls = count;
	return count + inline_checks_polls(&tasks->checks, polls + count);
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

/* *when becomes `moment` if that is sooner (or *when is not set). */
static void earliest(struct timespec *when, bool *any, struct timespec moment)
{
	if (!*any || monotime_before(moment, *when))
		*when = moment;
	*any = true;
}

bool runner_inline_deadline(const struct runner_inline *tasks,
                            struct timespec *when)
{
	bool any = inline_checks_deadline(&tasks->checks, when);

	for (unsigned i = 0; i < tasks->slot_count; i++)
		if (tasks->tasks[i].used)
			earliest(when, &any, cut_at(&tasks->tasks[i], NULL));
	for (unsigned i = 0; i < tasks->helper_count; i++)
		if (tasks->helpers[i].used)
			earliest(when, &any,
				 tasks->helpers[i].slot.job.deadline);
	return any;
}

/*
 * An outcome for `task`, its place freed; the message `message` (NULL:
 * none), `length` bytes.  The outcome, or NULL out of memory.
 */
static struct runner_outcome *ended(struct runner *runner,
                                    struct runner_inline_task *task,
                                    struct timespec now, const char *message,
                                    size_t length)
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
		if (capture_append(&capture, message, length) < 0 ||
		    capture_append(&capture, "\n", 1) < 0)
			capture_release(&capture);
		else
			outcome->output = capture_finish(&capture);
		/* As for a process's output: the run cannot go on unsaid. */
		if (!outcome->output)
			runner->out_of_memory = true;
	}
	return outcome;
}

/* A check's result: its task's outcome, as its process would have ended. */
static void check_ended(struct runner *runner, struct runner_inline_task *task,
                        struct timespec now, int status, double duration,
                        const char *message, size_t length)
{
	struct runner_outcome *outcome = ended(runner, task, now, message,
					       length);

	if (!outcome)
		return;
	/*
	 * The check's own time, not when the loop saw it; a helper's word
	 * for it within what root saw.
	 */
	if (duration >= 0 && duration < outcome->duration)
		outcome->duration = duration;
	outcome->exited = true;
	outcome->wait_status = W_EXITCODE(status, 0);
}

/* The task of `helper` waiting for the result `id`; NULL: dropped since. */
static struct runner_inline_task *task_of(struct runner_inline *tasks,
                                          const struct runner_helper *helper,
                                          uint64_t id)
{
	for (unsigned i = 0; i < tasks->slot_count; i++)
		if (tasks->tasks[i].used && tasks->tasks[i].helper == helper &&
		    tasks->tasks[i].request == id)
			return &tasks->tasks[i];
	return NULL;
}

/* Ends each result `helper` has sent whole; a broken record breaks it. */
static void take_results(struct runner *runner, struct runner_helper *helper,
                         struct timespec now)
{
	struct runner_inline *tasks = &runner->inline_tasks;
	struct check_wire_result result;
	int status;

	while ((status = check_wire_next_result(&helper->results,
						&result)) == 1) {
		struct runner_inline_task *task =
			task_of(tasks, helper, result.id);

		if (task) {
			check_ended(runner, task, now, result.status,
				    result.duration, result.message,
				    result.message_length);
			continue;
		}
		/* Only a check dropped may answer unawaited, once. */
		if (helper->cancels == 0) {
			status = -1;
			break;
		}
		helper->cancels--;
	}
	if (status < 0 || helper->output_lost) {
		helper->broken = true;
		check_wire_release(&helper->results);
		slot_stop(&helper->slot, true, now);
	}
}

/* Gives a helper's place back (its cgroup kept, for the next). */
static void free_helper(struct runner *runner, struct runner_helper *helper)
{
	slot_free(&helper->slot);
	fdio_close_quietly(helper->request_fd);
	helper->request_fd = -1;
	check_wire_release(&helper->requests);
	check_wire_release(&helper->results);
	helper->used = false;
	runner->processes--;
}

/* The helper is over: each check it had ends as a process that died. */
static void helper_over(struct runner *runner, struct runner_helper *helper,
                        struct timespec now)
{
	struct runner_inline *tasks = &runner->inline_tasks;
	struct runner_outcome over = { 0 };
	const char *why;

	if (slot_finish(&helper->slot, &over) < 0)
		runner->out_of_memory = true;
	why = over.exec_failed ? NULL
	      : helper->broken ? HELPER_BROKEN
			       : HELPER_GONE;
	for (unsigned i = 0; i < tasks->slot_count; i++) {
		struct runner_inline_task *task = &tasks->tasks[i];
		struct runner_outcome *outcome;

		if (!task->used || task->helper != helper)
			continue;
		outcome = ended(runner, task, now, why, why ? strlen(why) : 0);
		if (!outcome)
			continue;
		/*
		 * Worded as the promise's own process would be: what killed
		 * the helper (its user), or a failure.
		 */
		outcome->exec_failed = over.exec_failed;
		outcome->failure = over.failure;
		outcome->exited = true;
		outcome->wait_status =
			!helper->broken && over.exited &&
					WIFSIGNALED(over.wait_status)
				? over.wait_status
				: W_EXITCODE(1, 0);
	}
	runner_outcome_release(&over);
	free_helper(runner, helper);
}

/* Reads, writes and moves on each helper, as the runner does its slots. */
static void handle_helpers(struct runner *runner, const struct pollfd *polls,
                           struct timespec now)
{
	struct runner_inline *tasks = &runner->inline_tasks;

	for (size_t i = 0; i < tasks->helper_polls; i++) {
		struct runner_helper *helper = tasks->polled[i].helper;

		if (!polls[i].revents || !helper->used)
			continue;
		if (tasks->polled[i].requests)
			send_requests(helper);
		else if (slot_read(&helper->slot, polls[i].fd, runner->buffer,
				   RUNNER_READ_CHUNK) < 0)
			runner->out_of_memory = true;
	}
	for (unsigned i = 0; i < tasks->helper_count; i++) {
		struct runner_helper *helper = &tasks->helpers[i];

		if (!helper->used)
			continue;
		if (!helper->broken)
			take_results(runner, helper, now);
		slot_tick(&helper->slot, now);
		if (helper->slot.job.state == JOB_DONE)
			helper_over(runner, helper, now);
	}
}

/* Drops `task`'s check wherever it runs. */
static void cancel(struct runner_inline *tasks, struct runner_inline_task *task)
{
	struct check_wire_request drop = { .cancel = true, .id = task->request };

	if (!task->helper)
		inline_checks_cancel(&tasks->checks,
				     (size_t)(task - tasks->tasks));
	else if (tell(task->helper, &drop) == 0)
		task->helper->cancels++;
	else
		/* It cannot be told: it is stopped rather than left running. */
		slot_stop(&task->helper->slot, true, monotime_now());
}

void runner_inline_handle(struct runner *runner, const struct pollfd *polls,
                          size_t count, struct timespec now)
{
	struct runner_inline *tasks = &runner->inline_tasks;
	size_t helper_polls = tasks->helper_polls;
	struct inline_result result;

	handle_helpers(runner, polls, now);
	inline_checks_handle(&tasks->checks, polls + helper_polls,
			     count - helper_polls, now);
	while (inline_checks_next(&tasks->checks, &result)) {
		check_ended(runner, &tasks->tasks[result.id], now,
			    (int)result.status, result.duration, result.message,
			    strlen(result.message));
		inline_result_release(&result);
	}
	for (unsigned i = 0; i < tasks->slot_count; i++) {
		struct runner_inline_task *task = &tasks->tasks[i];
		struct runner_outcome *outcome;
		bool by_deadline;

		if (!task->used ||
		    monotime_before(now, cut_at(task, &by_deadline)))
			continue;
		cancel(tasks, task);
		outcome = ended(runner, task, now, NULL, 0);
		if (outcome) {
			outcome->timed_out = true;
			outcome->cut_by_deadline = by_deadline;
		}
	}
}

void runner_inline_notice_exits(struct runner_inline *tasks)
{
	for (unsigned i = 0; i < tasks->helper_count; i++)
		if (tasks->helpers[i].used)
			slot_notice_exit(&tasks->helpers[i].slot);
}

bool runner_inline_owns(const struct runner_inline *tasks, pid_t pid)
{
	for (unsigned i = 0; i < tasks->helper_count; i++)
		if (tasks->helpers[i].used && tasks->helpers[i].slot.pid == pid)
			return true;
	return false;
}

void runner_inline_home_done(struct runner_inline *tasks, size_t home)
{
	struct runner_helper *helper = helper_of(tasks, home);

	/* No check of it is left; one its user holds must not keep its place. */
	if (helper) {
		check_wire_release(&helper->requests);
		fdio_close_quietly(helper->request_fd);
		helper->request_fd = -1;
		slot_stop(&helper->slot, false, monotime_now());
	}
}

void runner_inline_stop(struct runner *runner, bool again)
{
	struct runner_inline *tasks = &runner->inline_tasks;
	struct timespec now = monotime_now();

	for (unsigned i = 0; i < tasks->helper_count; i++)
		if (tasks->helpers[i].used)
			slot_stop(&tasks->helpers[i].slot, again, now);
	for (unsigned i = 0; i < tasks->slot_count; i++) {
		struct runner_inline_task *task = &tasks->tasks[i];
		struct runner_outcome *outcome;

		if (!task->used)
			continue;
		if (!task->helper)
			inline_checks_cancel(&tasks->checks, i);
		outcome = ended(runner, task, now, NULL, 0);
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

void runner_inline_release(struct runner *runner)
{
	struct runner_inline *tasks = &runner->inline_tasks;

	for (unsigned i = 0; tasks->helpers && i < tasks->helper_count; i++) {
		struct runner_helper *helper = &tasks->helpers[i];

		if (helper->used) {
			slot_kill(&helper->slot);
			free_helper(runner, helper);
		}
		if (helper->group.dir_fd >= 0)
			cgroup_group_close(&runner->cgroups, &helper->group);
	}
	inline_checks_release(&tasks->checks);
	free(tasks->tasks);
	free(tasks->helpers);
	free(tasks->polled);
	*tasks = (struct runner_inline){ 0 };
}
