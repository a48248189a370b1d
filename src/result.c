/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* result: the outcome of one promise, worded and judged. */
#include "result.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>

#include "plan.h"
#include "runner.h"
#include "slapgrid.h"
#include "spawn.h"
#include "value.h"

const char *result_status_name(enum promise_status status)
{
	switch (status) {
	case PROMISE_OK:
		return "ok";
	case PROMISE_FAILED:
		return "failed";
	case PROMISE_TIMEOUT:
		return "timeout";
	case PROMISE_ERROR:
		return "error";
	case PROMISE_DISABLED:
		return "disabled";
	case PROMISE_NOT_RUN:
		return "not-run";
	case PROMISE_CACHED:
		return "cached";
	}
	return "unknown";
}

/* The interpreter of a "#!" line, into `name`; its length, or 0. */
static size_t interpreter_of(const char *first_line, char *name, size_t size)
{
	const char *start;
	size_t length;

	if (!first_line || strncmp(first_line, "#!", 2) != 0)
		return 0;
	start = first_line + 2 + strspn(first_line + 2, " \t");
	length = strcspn(start, " \t\n");
	if (length == 0 || length >= size)
		return 0;
	memcpy(name, start, length);
	name[length] = '\0';
	return length;
}

char *result_describe_failure(const struct spawn_failure *failure,
                              const char *first_line)
{
	const char *reason = strerror(failure->error);
	char interpreter[256];
	size_t length;
	char *message;
	int written;

	switch (failure->stage) {
	case SPAWN_STAGE_EXEC:
		length = failure->error == ENOENT
				 ? interpreter_of(first_line, interpreter,
						  sizeof interpreter)
				 : 0;
		if (length > 1 && interpreter[length - 1] == '\r') {
			/* A script saved with Windows line ends. */
			interpreter[length - 1] = '\0';
			written = asprintf(&message,
					   "cannot execute: the interpreter line ends with a carriage return ('%s\\r'): save the file with Unix line ends",
					   interpreter);
		} else if (length) {
			written = asprintf(&message,
					   "cannot execute: bad interpreter '%s': %s",
					   interpreter, reason);
		} else {
			written = asprintf(&message, "cannot execute: %s",
					   reason);
		}
		break;
	case SPAWN_STAGE_CREDENTIALS:
		written = asprintf(&message,
				   "cannot become the promise's user: %s", reason);
		break;
	case SPAWN_STAGE_WORKDIR:
		written = asprintf(&message,
				   "cannot enter the instance home: %s", reason);
		break;
	default:
		written = asprintf(&message, "cannot set up the promise: %s",
				   reason);
		break;
	}
	if (written < 0) {
		errno = ENOMEM;
		return NULL;
	}
	return message;
}

/* Sets exit_code and signal from a wait status (see waitpid(2)). */
static void set_wait_status(struct promise_result *result, int wait_status)
{
	if (WIFEXITED(wait_status))
		result->exit_code = WEXITSTATUS(wait_status);
	else if (WIFSIGNALED(wait_status))
		result->signal = WTERMSIG(wait_status);
}

/*
 * The message of a promise that printed nothing: one for every such
 * result, never freed (10 000 silent promises would otherwise hold 10 000
 * empty allocations).
 */
static char no_output[] = "";

void result_start(struct promise_result *result, struct timespec ended)
{
	*result = (struct promise_result){
		.known = true,
		.exit_code = RESULT_NO_EXIT_CODE,
		.cpu_seconds = -1,
		.memory_peak = -1,
		.ended = ended.tv_sec,
	};
}

int result_from_outcome(struct runner_outcome *outcome,
                        const struct plan_entry *entry, const char *first_line,
                        struct promise_result *result)
{
	int written = 0;

	result_start(result, outcome->ended);
	result->execution_time = outcome->duration;
	if (outcome->started) {
		result->cpu_seconds = outcome->cpu_seconds;
		result->memory_peak = outcome->memory_peak;
	}
	if (!outcome->started) {
		result->status = PROMISE_ERROR;
		written = asprintf(&result->message, "cannot start: %s",
				   strerror(outcome->start_error));
	} else if (outcome->exec_failed) {
		result->status = PROMISE_ERROR;
		result->message = result_describe_failure(&outcome->failure,
							  first_line);
	} else if (outcome->timed_out) {
		char timeout[64], elapsed[64];

		value_format_seconds(entry->timing->timeout.seconds, timeout,
				     sizeof timeout);
		snprintf(elapsed, sizeof elapsed, "%.1f", outcome->duration);
		result->status = PROMISE_TIMEOUT;
		if (outcome->exited)
			set_wait_status(result, outcome->wait_status);
		if (outcome->cut_by_deadline)
			written = asprintf(&result->message,
					   "Error: Promise stopped after %s seconds: the run's deadline came before its timeout of %s seconds",
					   elapsed, timeout);
		else
			written = asprintf(&result->message,
					   "Error: Promise timed out after %s seconds",
					   timeout);
		result->output = outcome->output;
		outcome->output = NULL;
	} else {
		set_wait_status(result, outcome->wait_status);
		result->status = result->exit_code == 0 ? PROMISE_OK
							: PROMISE_FAILED;
		result->message = outcome->output;
		outcome->output = NULL;
		if (result->message && !*result->message) {
			free(result->message);
			result->message = no_output;
		}
	}
	if (written < 0)
		result->message = NULL;
	if (!result->message) {
		result_release(result);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

int result_from_plan(const struct plan_entry *entry,
                     const struct result_history *history,
                     struct timespec now, struct promise_result *result)
{
	result_start(result, now);
	switch (entry->disposition) {
	case PLAN_DISABLED:
		result->status = PROMISE_DISABLED;
		result->message = strdup(plan_reason(entry));
		break;
	case PLAN_REFUSED:
		result->status = PROMISE_ERROR;
		result->failed = true;
		if (asprintf(&result->message, "refused: %s",
			     entry->refusal) < 0)
			result->message = NULL;
		break;
	case PLAN_NO_RUNNER:
		result->status = PROMISE_ERROR;
		result->failed = true;
		result->message = strdup(entry->refusal);
		break;
	case PLAN_CACHED:
		result->status = PROMISE_CACHED;
		result->failed = history && history->previous_failed;
		result->anomaly_type = history && history->previous_anomaly_type;
		/* Not due, never judged (a cache without its result file). */
		result->nothing_stored = !(history && history->has_previous);
		if (!result->nothing_stored)
			result->ended = history->previous_date;
		result->message = strdup(history && history->previous_message
						 ? history->previous_message
						 : "");
		break;
	case PLAN_RUN:
	case PLAN_UNSELECTED:
		result->known = false;
		return 0;
	}
	if (!result->message) {
		result_release(result);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

int result_not_run(struct timespec now, struct promise_result *result)
{
	result_start(result, now);
	result->status = PROMISE_NOT_RUN;
	result->failed = true;
	result->message = strdup("not run: the run's deadline came first");
	if (!result->message) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void result_judge(struct promise_result *result, enum setting_mode mode,
                  const struct result_history *history)
{
	bool worked = result->status == PROMISE_OK;
	unsigned before = history ? history->failed_in_a_row : 0;

	result->failed_runs = worked ? 0 : before + 1;
	if (result->failed_runs > RESULT_ANOMALY_RUNS)
		result->failed_runs = RESULT_ANOMALY_RUNS;
	if (mode == MODE_TEST || worked) {
		result->failed = !worked;
		result->tolerated = false;
		return;
	}
	if (result->status == PROMISE_TIMEOUT) {
		/* slapgrid: a second timeout, or one after a failure, fails. */
		result->anomaly_type = true;
		result->failed = history && (history->previous_failed ||
					     history->previous_says_error);
	} else {
		result->failed = result->failed_runs >= RESULT_ANOMALY_RUNS;
	}
	result->tolerated = !result->failed;
}

unsigned short result_new_transaction(void)
{
	return (unsigned short)(100 + random() % 900);
}

void result_transaction_id(const struct promise_result *result, char *id,
                           size_t size)
{
	slapgrid_transaction_id(result->ended, result->transaction, id,
				size);
}

bool result_works(const struct promise_result *result)
{
	return !result->known || !result->failed;
}

bool result_ran(const struct promise_result *result)
{
	return result->known && result->status <= PROMISE_ERROR;
}

void result_release(struct promise_result *result)
{
	if (result->message != no_output)
		free(result->message);
	free(result->output);
	result->message = result->output = NULL;
}
