/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* home: one instance home's phases, events and hand-offs. */
#include "home.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deadline.h"
#include "env.h"
#include "failure.h"
#include "fdio.h"
#include "monotime.h"
#include "runner.h"
#include "value.h"

void home_init(struct home *home, size_t index, struct home_report *report,
               const struct home_context *context)
{
	*home = (struct home){
		.report = report,
		.context = context,
		.index = index,
		.files.home_fd = -1,
	};
	state_init(&home->store.state);
}

/* Records why the home cannot be checked; the step ends it. */
static void record_error(struct home *home, char *reason)
{
	free(home->report->error);
	home->report->error = reason ? reason : strdup("out of memory");
}

void home_fail(struct home *home, const char *format, ...)
{
	va_list arguments;
	char *reason;

	va_start(arguments, format);
	if (vasprintf(&reason, format, arguments) < 0)
		reason = NULL;
	va_end(arguments);
	record_error(home, reason);
	home->broken = true;
}

int home_fail_for(struct home *home, const struct failure *failure)
{
	char reason[PATH_MAX + 200];

	failure_describe(failure, reason, sizeof reason);
	home_fail(home, "%s", reason);
	return -1;
}

void home_say(struct home *home, const char *format, ...)
{
	const struct home_context *context = home->context;
	va_list arguments;
	char *message;

	va_start(arguments, format);
	if (vasprintf(&message, format, arguments) < 0)
		message = NULL;
	va_end(arguments);
	context->ops->say(context->sinks, message ? message : "out of memory");
	free(message);
}

bool home_not_started(const struct home *home)
{
	return home->phase == HOME_NEW || home->phase == HOME_WAITING;
}

bool home_has_queue(const struct home *home)
{
	return home->phase == HOME_RUNNING && !home->stopping &&
	       home->next < home->report->list.count;
}

bool home_wants_slot(const struct home *home)
{
	return home_has_queue(home) && home->running < home->files.cap;
}

/* Frees what only the home's run needed: not its report. */
static void release_run(struct home *home)
{
	struct home_store *store = &home->store;

	for (size_t p = 0; store->history && p < home->report->list.count; p++)
		free(store->history[p].previous_message);
	free(store->history);
	free(store->unwritten);
	free(store->next_run_after);
	store->next_run_after = NULL;
	store->history = NULL;
	store->unwritten = NULL;
	env_free(home->files.envp);
	home->files.envp = NULL;
}

/*
 * The end of a home, its report summed up: its state closed and its lock
 * released, its report handed to the sinks, which own it from now on.
 */
static void hand_over(struct home *home)
{
	const struct home_context *context = home->context;
	struct home_report *report = home->report;

	context->ops->close(home);
	clock_gettime(CLOCK_REALTIME, &report->finished);
	release_run(home);
	home->phase = HOME_DONE;
	context->ops->done(context->sinks, home);
	home->report = NULL;
}

/* A home that cannot be checked: why is said, and it is handed over. */
static void end_failed(struct home *home)
{
	home->context->ops->say(home->context->sinks, home->report->error);
	report_home_sum_up(home->report);
	hand_over(home);
}

/* A home not started when the run is stopped: reported so, quietly. */
static void end_stopped(struct home *home)
{
	record_error(home,
		     strdup("promise-run was stopped before it could be checked"));
	report_home_sum_up(home->report);
	hand_over(home);
}

/* Tells the sinks that results come, and those the plan made known. */
static void tell_planned(struct home *home)
{
	const struct home_context *context = home->context;

	context->ops->running(context->sinks, home);
	for (size_t i = 0; i < home->report->list.count; i++)
		if (home->report->results[i].known)
			context->ops->judged(context->sinks, home, i);
}

/*
 * Once every result is in, the sinks are told, and its state is written
 * or it is handed over.
 */
static void complete_if_over(struct home *home)
{
	const struct home_context *context = home->context;

	if (home->phase != HOME_RUNNING || home->waiting ||
	    (home->next < home->report->list.count && !home->stopping))
		return;
	report_home_sum_up(home->report);
	context->ops->complete(context->sinks, home);
	if (home->store.stateful)
		home->phase = HOME_COMMITTING;
	else
		hand_over(home);
}

/* Locked: the home gets its plan and runs. */
static void begin_running(struct home *home)
{
	if (home->context->ops->plan(home) < 0) {
		end_failed(home);
		return;
	}
	home->phase = HOME_RUNNING;
	tell_planned(home);
	complete_if_over(home);
}

/*
 * The home waits for its lock, which its user may hold for good: at most
 * --wait-timeout, or, not given, until the run's deadline or, without
 * one, the timeout's default.
 */
static void start_waiting(struct home *home, struct timespec now)
{
	const struct setting_values *run = home->context->run;
	const struct setting_value *bound = &run->values[SETTING_WAIT_TIMEOUT];

	home->phase = HOME_WAITING;
	home->wait_bounded = deadline_wait_bounded(
		bound->source != SOURCE_DEFAULT,
		run->values[SETTING_DEADLINE].seconds);
	if (home->wait_bounded)
		home->wait_end = monotime_add(now, bound->seconds);
}

/* The lock, tried once more: taken, still held (1), or failed (-1). */
static int try_lock(struct home *home)
{
	int status = home->context->ops->try_lock(home);

	if (status == 0)
		begin_running(home);
	else if (status < 0)
		end_failed(home);
	return status;
}

/*
 * Its turn came: prepared, its state opened, its lock taken (or waited
 * for), its plan made.
 */
static void open_home(struct home *home, struct timespec now)
{
	const struct home_context *context = home->context;
	const struct home_ops *ops = context->ops;

	if (ops->prepare(home) < 0) {
		end_failed(home);
		return;
	}
	if (ops->open_state(home) < 0) {
		end_failed(home);
		return;
	}
	if (!home->store.stateful) {
		begin_running(home);
		return;
	}
	if (try_lock(home) != 1)
		return;
	if (!context->cli->wait) {
		home_fail(home,
			  "'%s' is locked by another run: '%s/promise-run.lock' is held (use --wait to wait)",
			  home->report->home, home->store.state.base_path);
		end_failed(home);
		return;
	}
	if (ops->watch_lock(home) < 0) {
		end_failed(home);
		return;
	}
	/* It may have been released between the try and the watch. */
	if (try_lock(home) == 1)
		start_waiting(home, now);
}

/* --list: the plan as it would be now; nothing written, no lock. */
static void list_home(struct home *home)
{
	const struct home_ops *ops = home->context->ops;

	if (ops->prepare(home) < 0) {
		end_failed(home);
		return;
	}
	if (ops->open_state(home) < 0 || ops->plan(home) < 0) {
		end_failed(home);
		return;
	}
	if (ops->mark_in_process)
		ops->mark_in_process(home);
	report_home_sum_up(home->report);
	hand_over(home);
}

/* Its wait is over: a last try, or it is reported locked. */
static void wait_over(struct home *home)
{
	char waited[32];

	if (try_lock(home) != 1)
		return;
	value_format_seconds(
		home->context->run->values[SETTING_WAIT_TIMEOUT].seconds,
		waited, sizeof waited);
	home_fail(home,
		  "'%s' is locked by another run: '%s/promise-run.lock' was still held after a wait of %ss (--wait-timeout)",
		  home->report->home, home->store.state.base_path, waited);
	end_failed(home);
}

/* A promise the run's deadline kept from starting. */
static void not_run(struct home *home, size_t promise)
{
	struct promise_result *result = &home->report->results[promise];
	long long last_success = result->last_success;
	struct timespec wall;

	clock_gettime(CLOCK_REALTIME, &wall);
	result_release(result);
	if (result_not_run(wall, result) < 0) {
		home_say(home, "out of memory");
		home->broken = true;
	}
	result->last_success = last_success;
	home->context->ops->judged(home->context->sinks, home, promise);
}

/*
 * A free slot: the next promise to run starts, the entries it does not
 * run passed over, those the deadline keeps from starting not run.  One
 * promise a slot, so that the slots go round the homes.
 */
static void give_out(struct home *home, struct timespec now)
{
	const struct home_context *context = home->context;
	const struct plan *plan = &home->report->plan;

	while (home_wants_slot(home)) {
		size_t promise = home->next;
		const struct plan_entry *entry = &plan->entries[promise];
		struct timespec stop = { 0, 0 };
		int status;

		if (entry->disposition != PLAN_RUN) {
			home->next++;
			continue;
		}
		if (context->has_deadline) {
			stop = deadline_stop_time(context->end, entry->timing->kill_after);
			if (!monotime_before(now, stop)) {
				not_run(home, home->next++);
				continue;
			}
		}
		status = context->ops->spawn(context->pool, home, promise, stop);
		if (status < 0)
			break;      /* no slot took it: it is given again */
		/* The plugins (first in the list) go out as one runner. */
		home->next = entry->plugin ? home->report->list.plugin_count
					   : home->next + 1;
		home->waiting++;
		home->running += status == 0;
		break;
	}
	complete_if_over(home);
}

/* The result of a promise that ran, judged by the mode, told. */
static void record(struct home *home, struct runner_outcome *outcome)
{
	const struct home_context *context = home->context;
	struct home_report *report = home->report;
	size_t promise = outcome->promise;
	struct promise_result result, *slot = &report->results[promise];
	char *first_line = NULL;

	if (outcome->exec_failed && outcome->failure.stage == SPAWN_STAGE_EXEC &&
	    outcome->failure.error == ENOENT)
		first_line = context->ops->first_line(home, promise);
	if (result_from_outcome(outcome, &report->plan.entries[promise],
				first_line, &result) < 0) {
		free(first_line);
		home_say(home, "out of memory");
		home->broken = true;
		return;
	}
	free(first_line);
	result_judge(&result, report->plan.mode,
		     home->store.history ? &home->store.history[promise] : NULL);
	result.last_success = result.status == PROMISE_OK
				      ? (long long)result.ended
				      : slot->last_success;
	result.transaction = result_new_transaction();
	result_release(slot);
	*slot = result;
	context->ops->judged(context->sinks, home, promise);
}

/*
 * slapos.core's runner of the plugins ended: each plugin it was to run
 * has its result (judged by slapos.core), told.
 */
static void record_plugins(struct home *home, struct runner_outcome *outcome)
{
	const struct home_context *context = home->context;
	const struct home_report *report = home->report;

	if (context->ops->plugin_results(home, outcome) < 0) {
		home_say(home, "out of memory");
		home->broken = true;
	}
	for (size_t i = 0; i < report->list.plugin_count; i++)
		if (report->plan.entries[i].disposition == PLAN_RUN &&
		    report->results[i].known)
			context->ops->judged(context->sinks, home, i);
}

/* A promise's outcome came back from the pool. */
static void finished(struct home *home, struct runner_outcome *outcome)
{
	home->waiting--;
	if (outcome->started)
		home->running--;
	if (!outcome->interrupted) {
		if (home->report->plan.entries[outcome->promise].plugin)
			record_plugins(home, outcome);
		else
			record(home, outcome);
	}
	runner_outcome_release(outcome);
	complete_if_over(home);
}

/* The run's deadline: nothing more of the home starts. */
static void deadline_came(struct home *home)
{
	if (home_not_started(home)) {
		bool waiting = home->phase == HOME_WAITING;

		home_fail(home,
			  "'%s' was not checked: the run's deadline came first%s",
			  home->report->home,
			  waiting ? " (it was locked by another run)" : "");
		end_failed(home);
		return;
	}
	if (home->phase != HOME_RUNNING)
		return;
	for (; home->next < home->report->list.count; home->next++)
		if (home->report->plan.entries[home->next].disposition ==
		    PLAN_RUN)
			not_run(home, home->next);
	complete_if_over(home);
}

/* One step of its state written; the last one hands it over. */
static void write_step(struct home *home)
{
	if (!home->context->ops->write(home, home->write_step++))
		hand_over(home);
}

void home_step(struct home *home, const struct home_event *event,
               struct timespec now)
{
	switch (event->kind) {
	case HOME_OPEN:
		if (home->phase == HOME_NEW)
			open_home(home, now);
		return;
	case HOME_LIST:
		if (home->phase == HOME_NEW)
			list_home(home);
		return;
	case HOME_LOCK_FREED:
		if (home->phase == HOME_WAITING)
			(void)try_lock(home);
		return;
	case HOME_WAIT_OVER:
		if (home->phase == HOME_WAITING)
			wait_over(home);
		return;
	case HOME_SLOT_FREE:
		give_out(home, now);
		return;
	case HOME_FINISHED:
		finished(home, event->outcome);
		return;
	case HOME_WRITE:
		if (home->phase == HOME_COMMITTING)
			write_step(home);
		return;
	case HOME_DEADLINE:
		deadline_came(home);
		return;
	case HOME_STOP:
		home->stopping = true;
		if (home_not_started(home))
			end_stopped(home);
		else
			complete_if_over(home);
		return;
	}
}

void home_tell(struct home *home, enum home_event_kind kind)
{
	struct home_event event = { .kind = kind };

	home_step(home, &event, monotime_now());
}

void home_release(struct home *home)
{
	if (home->report)
		release_run(home);
	state_close(&home->store.state);
	fdio_close_quietly(home->files.home_fd);
	credentials_release(&home->files.user);
	if (home->files.has_own_config)
		config_release(&home->files.own_config);
}
