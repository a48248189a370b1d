/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* home_store: a home's lock, stored state and commit. */
#include "home_store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "failure.h"
#include "home_files.h"
#include "identity.h"
#include "last_success.h"
#include "slapgrid.h"

/*
 * Opens the state of a home, creating it when its files are written.  A
 * state that cannot be written does not keep the promises from running:
 * they run, and the failure is said.  0, or -1 after failing the home
 * (its user's identity could not be taken).
 */
int home_store_open(struct home *home)
{
	struct home_store *store = &home->store;
	const struct home_files *files = &home->files;
	const char *path = home->report->home;
	struct failure failure = { 0 };
	/* Listing writes nothing: no owner to check files against. */
	uid_t owner = files->user.change && store->stateful ? files->user.uid
							     : geteuid();
	int status;

	if (!home_become_user(home))
		return -1;
	status = state_open(&store->state, files->home_fd, path,
			    home->context->cli->log_folder, owner,
			    store->stateful, &failure);
	identity_restore();
	if (status < 0 && store->stateful) {
		home_say(home, "cannot write the state of '%s': '%s': %s", path,
			 failure.path ? failure.path : path,
			 failure_reason(failure.error));
		home->broken = true;
		store->stateful = false;
	}
	failure_release(&failure);
	if (store->stateful) {
		home->report->result_folder =
			state_folder_path(&store->state, STATE_RESULT);
		home->report->log_folder =
			state_folder_path(&store->state, STATE_LOG);
	}
	return 0;
}

int home_store_try_lock(struct home *home)
{
	struct state *state = &home->store.state;
	struct failure failure = { 0 };
	int status = 0;

	if (state_try_lock(state, &failure) == 0)
		state_unwatch_lock(state);
	else if (failure.error == EWOULDBLOCK)
		status = 1;
	else
		status = home_fail_for(home, &failure);
	failure_release(&failure);
	return status;
}

int home_store_watch_lock(struct home *home)
{
	struct failure failure = { 0 };
	int status = 0;

	if (state_watch_lock(&home->store.state, home->context->inotify_fd,
			     &failure) < 0)
		status = home_fail_for(home, &failure);
	failure_release(&failure);
	return status;
}

/*
 * What the stored state says of each promise the plan re-reports (its
 * previous result) and, in anomaly mode, of each it runs (that result and
 * its last runs in the log).
 */
static void read_history(struct home *home)
{
	struct home_report *report = home->report;
	const struct promise_list *list = &report->list;
	const struct state *state = &home->store.state;

	for (size_t i = 0; i < list->count; i++) {
		const char *title = list->promises[i].title;
		struct result_history *history = &home->store.history[i];
		enum plan_disposition disposition =
			report->plan.entries[i].disposition;
		struct slapgrid_previous previous;
		bool runs[RESULT_ANOMALY_RUNS - 1];
		size_t found;

		/* slapos.core judges the plugins. */
		if (list->promises[i].plugin ||
		    (disposition != PLAN_CACHED &&
		     (disposition != PLAN_RUN || report->plan.mode != MODE_ANOMALY)))
			continue;
		if (state_read_previous(state, title, &previous) == 0) {
			char *message = previous.message;

			history->has_previous = true;
			history->previous_failed = previous.failed;
			history->previous_anomaly_type = previous.anomaly_type;
			history->previous_says_error =
				message && strcasestr(message, "error:");
			history->previous_date = previous.date;
			if (disposition == PLAN_CACHED)
				history->previous_message = message;
			else
				free(message);
		}
		if (disposition == PLAN_RUN &&
		    state_read_runs(state, title, runs, RESULT_ANOMALY_RUNS - 1,
				    &found) == 0)
			while (history->failed_in_a_row < found &&
			       runs[history->failed_in_a_row])
				history->failed_in_a_row++;
	}
}

/* When each promise last worked, as the state says (0: unknown), into its result. */
static void read_successes(struct home *home)
{
	const struct promise_list *list = &home->report->list;
	struct last_success *entries = NULL;
	size_t count = 0;

	/* An unreadable file only loses these times: it is rewritten. */
	(void)state_read_successes(&home->store.state, &entries, &count);
	for (size_t i = 0; i < list->count; i++)
		home->report->results[i].last_success = last_success_of(
			entries, count, list->promises[i].title);
	last_success_free(entries, count);
}

/*
 * Reads, as the home's user, what `read` reads of its open state: 0, or
 * -1 after failing the home.
 */
static int read_state_as_user(struct home *home, void (*read)(struct home *))
{
	if (!state_is_open(&home->store.state))
		return 0;
	if (!home_become_user(home))
		return -1;
	read(home);
	identity_restore();
	return 0;
}

/* When each promise is due, from its cache (0: now). */
static void read_caches(struct home *home)
{
	const struct promise_list *list = &home->report->list;

	for (size_t i = 0; i < list->count; i++)
		if (state_read_cache(&home->store.state, list->promises[i].title,
				     &home->store.next_run_after[i]) < 0)
			home->store.next_run_after[i] = 0;
}

/* --accept-writable: a warning for each file run that root would refuse. */
static void warn_accepted(struct home *home)
{
	const struct home_report *report = home->report;

	for (size_t i = 0; i < report->plan.count; i++)
		if (report->plan.entries[i].disposition == PLAN_RUN &&
		    report->plan.entries[i].refusal)
			home_say(home, "warning: '%s/%s' is %s: run all the same (--accept-writable)",
				 report->promise_dir,
				 report->list.promises[i].name,
				 report->plan.entries[i].refusal);
}

/* The plan, from the scan, the settings and the caches: 0, or -1. */
static int make_plan(struct home *home, double now)
{
	const struct cli_options *cli = home->context->cli;
	struct plan_input input = {
		.list = &home->report->list,
		.command_line = &cli->settings,
		.home_settings = &home->files.settings,
		.config = home->files.config,
		.user = &home->files.user,
		.check_files = geteuid() == 0,
		.accept_writable = cli->accept_writable,
		.only = cli->only.words,
		.only_count = cli->only.count,
		.force = cli->force,
		.next_run_after = home->store.next_run_after,
		.now = now,
		.plugin_problem = home->report->plugin_problem,
	};

	return plan_make(&input, &home->report->plan);
}

/* Each promise's first result: what the plan says of those not run. */
static int first_results(struct home *home, struct timespec now)
{
	struct home_report *report = home->report;

	for (size_t i = 0; i < report->list.count; i++) {
		struct promise_result *result = &report->results[i];

		if (result_from_plan(&report->plan.entries[i],
				     home->store.history ? &home->store.history[i]
							 : NULL,
				     now, result) < 0)
			return -1;
		if (report->plan.entries[i].disposition == PLAN_REFUSED) {
			result_judge(result, report->plan.mode, NULL);
			result->transaction = result_new_transaction();
		}
	}
	return 0;
}

/*
 * The plan of a home, from its scan, settings and stored state (read as
 * its user), and each promise's first result: 0, or -1 after failing
 * the home.
 */
int home_store_plan(struct home *home)
{
	struct home_store *store = &home->store;
	struct home_report *report = home->report;
	size_t count = report->list.count ? report->list.count : 1;
	bool anomaly = home->files.settings.values[SETTING_MODE].choice ==
		       MODE_ANOMALY;
	/*
	 * The caches tell when promises are due, in both modes, as
	 * slapos.core's launcher: not when forced.
	 */
	bool due = !home->context->cli->force;
	struct timespec now;
	int status;

	clock_gettime(CLOCK_REALTIME, &now);
	report->results = calloc(count, sizeof *report->results);
	store->unwritten = calloc(count, sizeof *store->unwritten);
	/* The stored state: for anomaly mode, or for promises not due. */
	if (anomaly || due)
		store->history = calloc(count, sizeof *store->history);
	if (due)
		store->next_run_after = calloc(count,
					       sizeof *store->next_run_after);
	if (!report->results || !store->unwritten ||
	    ((anomaly || due) && !store->history) ||
	    (due && !store->next_run_after)) {
		home_fail(home, "out of memory");
		return -1;
	}
	if (due && read_state_as_user(home, read_caches) < 0)
		return -1;
	status = make_plan(home, (double)now.tv_sec);
	free(store->next_run_after);
	store->next_run_after = NULL;
	if (status < 0) {
		home_fail(home, "out of memory");
		return -1;
	}
	warn_accepted(home);
	if ((anomaly || due) && read_state_as_user(home, read_history) < 0)
		return -1;
	if (first_results(home, now) < 0) {
		home_fail(home, "out of memory");
		return -1;
	}
	/* Into the results made: kept across runs, whatever this one does. */
	return read_state_as_user(home, read_successes);
}

/*
 * A file of a promise's state could not be written (`failure` says which
 * and why; formatting it in memory failed: the file of `folder`, errno):
 * the first such failure of a home is said, naming the file; the rest are
 * counted, and said at the end (home_store_close).
 */
static void state_failed(struct home *home, size_t promise,
                         enum state_folder folder,
                         const struct failure *failure)
{
	const struct promise *file = &home->report->list.promises[promise];
	int error = failure->error ? failure->error : errno;
	char *path;

	home->broken = true;
	if (home->store.failures++ > 0)
		return;
	path = failure->path ? strdup(failure->path)
			     : state_path(&home->store.state, folder,
					  file->title);
	home_say(home, "cannot write the state of '%s' for '%s' ('%s'): %s",
		 home->report->home, file->name, path ? path : "",
		 failure_reason(error));
	free(path);
}

/* slapgrid's log records of one result, malloc'd into *records. */
static int format_records(const struct promise *file,
                          const struct promise_result *result, char **records,
                          size_t *size)
{
	char transaction[SLAPGRID_TRANSACTION_SIZE];
	FILE *out = open_memstream(records, size);
	bool timeout = result->status == PROMISE_TIMEOUT;
	bool info = result_works(result) && !result->tolerated &&
		    result->status == PROMISE_OK;
	int status = 0;

	if (!out)
		return -1;
	result_transaction_id(result, transaction, sizeof transaction);
	if (timeout)
		status = slapgrid_format_terminating(out, result->ended,
						     transaction, file->name);
	if (status == 0)
		status = slapgrid_format_log_record(
			out, result->ended, info ? "INFO" : "ERROR",
			transaction,
			timeout ? (result->output ? result->output : "")
				: result->message);
	if (fclose(out) == EOF)
		status = -1;
	return status;
}

/* Promise `promise` of a home is committed: log, result and cache. */
static void commit_promise(struct home *home, size_t promise)
{
	struct home_report *report = home->report;
	const struct promise *file = &report->list.promises[promise];
	char *records = NULL;
	size_t size = 0;
	struct failure failure = { 0 };
	int status = format_records(file, &report->results[promise], &records,
				    &size);

	if (status == 0)
		status = state_commit(&home->store.state, file->title, records,
				      size, true, &failure);
	if (status < 0)
		state_failed(home, promise, STATE_LOG, &failure);
	failure_release(&failure);
	free(records);
}

/* Formats with `format` into a malloc'd *content: 0, or -1. */
static int format_spare(int (*format)(FILE *, const void *), const void *what,
                        char **content, size_t *size)
{
	FILE *out = open_memstream(content, size);
	int status;

	if (!out)
		return -1;
	status = format(out, what);
	if (fclose(out) == EOF)
		status = -1;
	return status;
}

static int format_result(FILE *out, const void *result)
{
	return slapgrid_format_result(out, result);
}

static int format_cache(FILE *out, const void *cache)
{
	return slapgrid_format_cache(out, cache);
}

/* Writes the spares (result and cache) of one promise: 0, or -1. */
static int write_spares(struct home *home, size_t promise)
{
	struct home_report *report = home->report;
	const struct promise *file = &report->list.promises[promise];
	const struct promise_result *result = &report->results[promise];
	char *content = NULL, *path = report_promise_path(report, promise);
	size_t size = 0;
	struct slapgrid_result stored = {
		.title = file->title,
		.name = file->name,
		.path = path,
		.execution_time = result->execution_time,
		.anomaly_type = result->anomaly_type,
		.failed = result->failed,
		.date = result->ended,
		.message = result->message,
	};
	struct slapgrid_cache cache = {
		.periodicity = report->plan.entries[promise].timing->periodicity,
		.timestamp = (double)result->ended -
			     result->execution_time,
		.module_file = path,
		.module_file_mtime = (double)file->file.mtime,
	};
	enum state_folder folder = STATE_RESULT;
	struct failure failure = { 0 };
	int status = path ? format_spare(format_result, &stored, &content, &size)
			  : -1;

	if (status == 0)
		status = state_write_spare(&home->store.state, STATE_RESULT,
					   file->title, content, size,
					   &failure);
	if (status == 0) {
		free(content);
		content = NULL;
		folder = STATE_CACHE;
		status = format_spare(format_cache, &cache, &content, &size);
		if (status == 0)
			status = state_write_spare(&home->store.state,
						   STATE_CACHE, file->title,
						   content, size, &failure);
	}
	if (status < 0)
		state_failed(home, promise, folder, &failure);
	failure_release(&failure);
	free(content);
	free(path);
	return status;
}

/* Whether a promise's files are written: it ran, and its title is its. */
static bool writes_state(const struct home *home, size_t promise)
{
	/* slapos.core's runner writes the plugins' own. */
	return result_ran(&home->report->results[promise]) &&
	       !home->report->plan.entries[promise].plugin &&
	       !home->report->plan.entries[promise].shadowed &&
	       !home->store.unwritten[promise];
}

/* Writes when each promise last worked, for the next runs' metrics. */
static void write_successes(struct home *home)
{
	struct home_report *report = home->report;
	char *content = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&content, &size);
	struct failure failure = { 0 };
	int status = out ? 0 : -1;

	for (size_t i = 0; out && i < report->list.count; i++) {
		long long when = report->results[i].last_success;

		/* The title a later promise takes is that one's. */
		if (!report->plan.entries[i].shadowed &&
		    last_success_format(out, report->list.promises[i].title,
					when) < 0)
			status = -1;
	}
	if (out && fclose(out) == EOF)
		status = -1;
	if (status < 0)
		failure.error = errno;
	else
		status = state_write_successes(&home->store.state, content,
					       size, &failure);
	if (status < 0) {
		home_say(home, "cannot write the state of '%s': '%s/promise-run.last-success': %s",
			 report->home, home->store.state.base_path,
			 failure_reason(failure.error));
		home->broken = true;
	}
	failure_release(&failure);
	free(content);
}

/*
 * One step of a home's commit: the spares of each promise, one syncfs,
 * then each promise's log record and result together, then the folders.
 * Steps are small, so that the loop can do them between deadlines.
 */
bool home_store_write(struct home *home, size_t step)
{
	struct home_report *report = home->report;
	size_t count = report->list.count;
	struct failure failure = { 0 };
	bool more = true;

	if (identity_become(&home->files.user) < 0) {
		/* The results stand; only the state is not written. */
		home_say(home, "cannot write the state of '%s': cannot take the identity of '%s': %s",
			 report->home, home->files.user.user,
			 failure_reason(errno));
		home->broken = true;
		return false;
	}
	if (step < count) {
		/* A spare that could not be written is not committed. */
		if (writes_state(home, step) && write_spares(home, step) < 0)
			home->store.unwritten[step] = true;
	} else if (step == count) {
		if (state_sync(&home->store.state, &failure) < 0) {
			home_say(home, "cannot write the state of '%s': syncfs: %s",
				 report->home, failure_reason(failure.error));
			home->broken = true;
		}
	} else if (step <= 2 * count) {
		if (writes_state(home, step - count - 1))
			commit_promise(home, step - count - 1);
	} else {
		write_successes(home);
		if (state_finish(&home->store.state, &failure) < 0) {
			home_say(home, "cannot write the state of '%s': fsync: %s",
				 report->home, failure_reason(failure.error));
			home->broken = true;
		}
		more = false;
	}
	identity_restore();
	failure_release(&failure);
	return more;
}

void home_store_close(struct home *home)
{
	if (home->store.failures > 1)
		home_say(home, "... and %zu more files of '%s' could not be written",
			 home->store.failures - 1, home->report->home);
	state_close(&home->store.state);
}
