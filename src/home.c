/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* home: one instance home, from its configuration to its state. */
#include "home.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "complain.h"
#include "env.h"
#include "fdio.h"
#include "failure.h"
#include "fsat.h"
#include "identity.h"
#include "monotime.h"
#include "value.h"

static bool is_root(void)
{
	return geteuid() == 0;
}

void home_fail(struct home *home, const char *format, ...)
{
	struct home_report *report = home->report;
	va_list arguments;
	char *reason;

	va_start(arguments, format);
	if (vasprintf(&reason, format, arguments) < 0)
		reason = NULL;
	va_end(arguments);
	complain("%s", reason ? reason : "out of memory");
	free(report->error);
	report->error = reason ? reason : strdup("out of memory");
	home->phase = HOME_DONE;
	home->broken = true;
	state_unwatch_lock(&home->state);
}

void home_stopped(struct home *home)
{
	free(home->report->error);
	home->report->error =
		strdup("promise-run was stopped before it could be checked");
	home->phase = HOME_DONE;
	state_unwatch_lock(&home->state);
}

/*
 * Takes the filesystem identity of the home's user, for work in its home:
 * true, or false after failing the home, whose work is then not done
 * (never as root instead).
 */
static bool become_user(struct home *home)
{
	if (identity_become(&home->user) == 0)
		return true;
	home_fail(home, "cannot take the identity of '%s' for '%s': %s",
		   home->user.user, home->report->home, strerror(errno));
	return false;
}

/* The promise folder of a home, absolute; malloc'd. */
static char *promise_dir_of(const char *home, const char *option)
{
	char *dir;

	if (option && option[0] == '/')
		return strdup(option);
	if (asprintf(&dir, "%s/%s", home, option ? option : "etc/promise") < 0)
		return NULL;
	return dir;
}

/* Opens the promise folder as the user: -1 with ENOENT means none. */
static int open_promise_dir(const struct home *home)
{
	const char *dir = home->context->cli->promise_dir
				  ? home->context->cli->promise_dir
				  : "etc/promise";

	if (dir[0] == '/')
		return open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fsat_open(home->home_fd, dir, O_RDONLY | O_DIRECTORY, 0);
}

/* Warns of promises whose title a later one takes (its files go). */
static void warn_same_titles(const struct home_report *report)
{
	const struct promise_list *list = &report->list;

	for (size_t i = 0; i < list->count; i++) {
		if (!list->promises[i].title_taken_later)
			continue;
		for (size_t j = i + 1; j < list->count; j++)
			if (strcmp(list->promises[j].title,
				   list->promises[i].title) == 0) {
				complain("warning: '%s' and '%s' have the same title '%s': the result file and log are those of '%s'",
					 list->promises[i].name,
					 list->promises[j].name,
					 list->promises[i].title,
					 list->promises[j].name);
				break;
			}
	}
}

/*
 * Warns of each [promise:NAME] section of a home's own file that names no
 * promise of the home (the operator's file serves every home: the
 * scheduler warns of its sections that name none in any).
 */
static void warn_unknown_sections(const struct config *config,
                                  const struct home_report *report)
{
	for (size_t i = 0; config && !config->operator &&
			   i < config->promise_count; i++) {
		const struct promise_config *section = &config->promises[i];

		if (!scan_has_promise(&report->list, section->name))
			complain("warning: %s:%d: [promise:%s] names no promise in '%s'",
				 config->path, section->line, section->name,
				 report->promise_dir);
	}
}

/*
 * Reads the home's own configuration, as its user: 0 (none, or read),
 * or -1 after saying why the home cannot be checked.
 */
static int read_own_config(struct home *home)
{
	const char *home_path = home->report->home;
	char *path, *text, error[512];
	size_t size;
	int status;

	if (asprintf(&path, "%s/etc/promise-run.conf", home_path) < 0) {
		home_fail(home, "out of memory");
		return -1;
	}
	status = fsat_read_file(home->home_fd, "etc/promise-run.conf",
				CONFIG_MAX_SIZE, &text, &size);
	if (status < 0 && errno != ENOENT) {
		home_fail(home, "cannot read '%s': %s", path,
			   failure_reason(errno));
		free(path);
		return -1;
	}
	if (status == 0) {
		status = config_parse_text(text, size, path, false,
					   &home->own_config, error,
					   sizeof error);
		free(text);
		if (status < 0) {
			home_fail(home, "%s", error);
			free(path);
			return -1;
		}
		home->has_own_config = true;
		home->config = &home->own_config;
		for (size_t i = 0; i < home->own_config.warning_count; i++)
			complain("warning: %s", home->own_config.warnings[i]);
	}
	free(path);
	return 0;
}

/*
 * Whether the folder open as `fd` (`path` in messages) is root's alone: 0,
 * or -1 after refusing the home.
 */
static int check_root_folder(struct home *home, int fd, const char *path)
{
	char why[300];
	struct stat status;
	struct file_mode folder;

	if (fstat(fd, &status) < 0) {
		home_fail(home, "cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	folder = (struct file_mode){ .mode = status.st_mode,
				     .owner = status.st_uid,
				     .group = status.st_gid };
	if (credentials_check_root_folder(&folder, why, sizeof why) == 0)
		return 0;
	home_fail(home,
		   "refused instance home '%s': its promises would run as root, but '%s' is %s",
		   home->report->home, path, why);
	return -1;
}

/*
 * Promises run as root only from folders that root alone may change: the
 * home and each folder down to its promise folder (only that folder when
 * it is an absolute --promise-dir).  Otherwise the user could put any
 * program there, root's own included, for root to run.  Each folder is
 * opened beneath the one checked before it, following no link, so what is
 * checked is what is listed.  0, or -1 after refusing the home.
 */
static int check_root_layout(struct home *home)
{
	const char *home_path = home->report->home;
	const char *dir = home->context->cli->promise_dir
				  ? home->context->cli->promise_dir
				  : "etc/promise";
	int fd = home->home_fd, status = 0;

	if (dir[0] == '/') {
		fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return 0;   /* said when the promises are listed */
		status = check_root_folder(home, fd, dir);
		fdio_close_quietly(fd);
		return status;
	}
	if (check_root_folder(home, fd, home_path) < 0)
		return -1;
	for (const char *name = dir; status == 0 && *name;) {
		size_t length = strcspn(name, "/");
		char *component = strndup(name, length), *path = NULL;
		int next = -1;

		if (!component ||
		    asprintf(&path, "%s/%.*s", home_path,
			     (int)(name + length - dir), dir) < 0) {
			free(component);
			home_fail(home, "out of memory");
			status = -1;
			break;
		}
		if (length > 0) {
			next = fsat_open(fd, component, O_PATH | O_DIRECTORY, 0);
			/* A missing folder holds no promise: nothing to check. */
			if (next < 0 && errno != ENOENT) {
				home_fail(home, "cannot read '%s': %s", path,
					   failure_reason(errno));
				status = -1;
			} else if (next >= 0) {
				status = check_root_folder(home, next, path);
			}
		}
		free(component);
		free(path);
		if (length > 0) {
			if (fd != home->home_fd)
				fdio_close_quietly(fd);
			fd = next;
			if (fd < 0)
				break;
		}
		name += length + (name[length] == '/');
	}
	if (fd >= 0 && fd != home->home_fd)
		fdio_close_quietly(fd);
	return status;
}

/*
 * What can be known of a home before it runs: its user, its
 * configuration, its promises.  All of it read as the home's user.
 */
void home_prepare(struct home *home)
{
	struct home_report *report = home->report;
	char error[512];
	int dir_fd = -1;

	if (home->refusal) {
		home_fail(home, "%s", home->refusal);
		return;
	}
	home->home_fd = open(report->home, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (home->home_fd < 0) {
		home_fail(home, "cannot use instance home '%s': %s",
			   report->home, strerror(errno));
		return;
	}
	report->promise_dir = promise_dir_of(report->home,
					     home->context->cli->promise_dir);
	if (!report->promise_dir) {
		home_fail(home, "out of memory");
		return;
	}
	if (credentials_for_instance(home->home_fd, report->home,
				     home->context->cli->user, &home->user,
				     error, sizeof error) < 0) {
		home_fail(home, "%s", error);
		return;
	}
	if (is_root() && !home->user.change && check_root_layout(home) < 0)
		return;
	if (!become_user(home))
		return;
	home->config = home->context->operator_config;
	if (!home->context->operator_config && !home->context->cli->no_config &&
	    read_own_config(home) < 0)
		goto out;
	dir_fd = open_promise_dir(home);
	if (dir_fd < 0 && errno != ENOENT) {
		home_fail(home, "cannot read '%s': %s", report->promise_dir,
			   failure_reason(errno));
		goto out;
	}
	if (dir_fd >= 0 &&
	    scan_dir(dir_fd, home->user.change ? &home->user : NULL,
		     &report->list) < 0) {
		home_fail(home, "cannot read '%s': %s", report->promise_dir,
			   strerror(errno));
		goto out;
	}
	fdio_close_quietly(dir_fd);
	dir_fd = fsat_open(home->home_fd, "etc/plugin", O_RDONLY | O_DIRECTORY, 0);
	if (dir_fd >= 0 && scan_plugins(dir_fd, &report->list) < 0) {
		home_fail(home, "cannot read '%s/etc/plugin': %s",
			   report->home, strerror(errno));
		goto out;
	}
out:
	fdio_close_quietly(dir_fd);
	identity_restore();
	if (home->phase == HOME_DONE)
		return;
	warn_same_titles(report);
	warn_unknown_sections(home->config, report);
	settings_resolve(&home->context->cli->settings,
			 home->config ? &home->config->run : NULL, NULL,
			 home->config && !home->config->operator,
			 &home->settings);
	/* A home's own `jobs` caps it within the pool of -j. */
	home->cap = home->context->run->values[SETTING_JOBS].count;
	if (home->config && !home->config->operator &&
	    home->config->run.values[SETTING_JOBS].given &&
	    home->config->run.values[SETTING_JOBS].count < home->cap)
		home->cap = home->config->run.values[SETTING_JOBS].count;
	home->stateful = home->settings.values[SETTING_STATE].flag &&
			 home->context->cli->action == CLI_RUN;
	struct env_spec spec = {
		.base = home->context->environment,
		.kind = home->settings.values[SETTING_CLEAN_ENV].flag ? ENV_CLEAN
		       : is_root() ? ENV_RESET
				   : ENV_INHERITED,
		.keep = home->context->cli->keep_env.words,
		.keep_count = home->context->cli->keep_env.count,
		.home = report->home,
		.self = home->context->self,
		.user = &home->user,
	};
	home->envp = env_build(&spec);
	if (!home->envp)
		home_fail(home, "out of memory");
	else
		home->phase = HOME_PENDING;
}

/* Whether a home has not started yet (its lock not taken). */
bool home_not_started(const struct home *home)
{
	return home->phase == HOME_UNPREPARED || home->phase == HOME_PENDING ||
	       home->phase == HOME_WAITING;
}

/* A new slapgrid transaction number: any of 100 to 999, as slapgrid's. */
static unsigned short new_transaction(void)
{
	return (unsigned short)(100 + random() % 900);
}

/* Anomaly mode: when each promise is due, from its cache (0: now). */
static void read_caches(struct home *home, double *next_run_after)
{
	const struct promise_list *list = &home->report->list;

	for (size_t i = 0; i < list->count; i++)
		if (state_read_cache(&home->state, list->promises[i].title,
				     &next_run_after[i]) < 0)
			next_run_after[i] = 0;
}

/*
 * Anomaly mode: what the stored state says of each promise the plan runs
 * or re-reports: the previous result, and its last runs in the log.
 */
static void read_history(struct home *home)
{
	struct home_report *report = home->report;
	const struct promise_list *list = &report->list;

	for (size_t i = 0; i < list->count; i++) {
		const char *title = list->promises[i].title;
		struct result_history *history = &home->history[i];
		enum plan_disposition disposition =
			report->plan.entries[i].disposition;
		struct slapgrid_previous previous;
		bool runs[RESULT_ANOMALY_RUNS - 1];
		size_t found;

		if (disposition != PLAN_RUN && disposition != PLAN_CACHED)
			continue;
		if (state_read_previous(&home->state, title, &previous) == 0) {
			char *message = previous.message;

			history->has_previous = true;
			history->previous_failed = previous.failed;
			history->previous_says_error =
				message && strcasestr(message, "error:");
			history->previous_date.tv_sec = previous.date;
			if (disposition == PLAN_CACHED)
				history->previous_message = message;
			else
				free(message);
		}
		if (disposition == PLAN_RUN &&
		    state_read_runs(&home->state, title, runs,
				    RESULT_ANOMALY_RUNS - 1, &found) == 0)
			while (history->failed_in_a_row < found &&
			       runs[history->failed_in_a_row])
				history->failed_in_a_row++;
	}
}

/*
 * When each promise last worked, as the state says (0: unknown): 0, or -1
 * after failing the home.
 */
static int read_successes(struct home *home)
{
	const struct promise_list *list = &home->report->list;
	struct state_success *entries = NULL;
	size_t count = 0;

	home->last_success = calloc(list->count ? list->count : 1,
				    sizeof *home->last_success);
	if (!home->last_success) {
		home_fail(home, "out of memory");
		return -1;
	}
	if (!state_is_open(&home->state))
		return 0;
	if (!become_user(home))
		return -1;
	/* An unreadable file only loses these times: it is rewritten. */
	(void)state_read_successes(&home->state, &entries, &count);
	identity_restore();
	for (size_t i = 0; i < list->count; i++)
		home->last_success[i] = state_success_of(
			entries, count, list->promises[i].title);
	state_successes_free(entries, count);
	return 0;
}

/* Writes when each promise last worked, for the next runs' metrics. */
static void write_successes(struct home *home)
{
	struct home_report *report = home->report;
	char *content = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&content, &size);
	int status = out ? 0 : -1;

	for (size_t i = 0; out && i < report->list.count; i++) {
		const struct promise *promise = &report->list.promises[i];
		long long when = report->results[i].known
					 ? report->results[i].last_success
					 : home->last_success[i];

		/* One line per title; a name with a newline cannot be one. */
		if (when > 0 && !report->plan.entries[i].shadowed &&
		    !strchr(promise->title, '\n'))
			fprintf(out, "%lld %s\n", when, promise->title);
	}
	if (out && fclose(out) == EOF)
		status = -1;
	if (status == 0)
		status = state_write_successes(&home->state, content, size);
	if (status < 0) {
		complain("cannot write the state of '%s': '%s/promise-run.last-success': %s",
			 report->home, home->state.base_path,
			 failure_reason(errno));
		home->broken = true;
	}
	free(content);
}

/*
 * The plan of a home, from its scan, settings and stored state: 0, or -1
 * after failing the home.
 */
static int plan_home(struct home *home)
{
	struct home_report *report = home->report;
	size_t count = report->list.count ? report->list.count : 1;
	bool anomaly = home->settings.values[SETTING_MODE].choice == MODE_ANOMALY;
	double *next_run_after = NULL;
	struct timespec now;
	int status = 0;

	clock_gettime(CLOCK_REALTIME, &now);
	report->results = calloc(count, sizeof *report->results);
	home->unwritten = calloc(count, sizeof *home->unwritten);
	/* The stored state is read in anomaly mode only. */
	if (anomaly) {
		home->history = calloc(count, sizeof *home->history);
		next_run_after = calloc(count, sizeof *next_run_after);
	}
	if (!report->results || !home->unwritten ||
	    (anomaly && (!home->history || !next_run_after))) {
		free(next_run_after);
		goto out_of_memory;
	}
	if (state_is_open(&home->state) && anomaly &&
	    !home->context->cli->force) {
		if (!become_user(home)) {
			free(next_run_after);
			return -1;
		}
		read_caches(home, next_run_after);
		identity_restore();
	}
	struct plan_input input = {
		.list = &report->list,
		.home_settings = &home->settings,
		.command_line = &home->context->cli->settings,
		.config = home->config,
		.user = &home->user,
		.check_files = is_root(),
		.only = home->context->cli->only.words,
		.only_count = home->context->cli->only.count,
		.force = home->context->cli->force,
		.next_run_after = next_run_after,
		.now = (double)now.tv_sec,
	};
	status = plan_make(&input, &report->plan);
	free(next_run_after);
	if (status < 0)
		goto out_of_memory;
	if (state_is_open(&home->state) && anomaly) {
		if (!become_user(home))
			return -1;
		read_history(home);
		identity_restore();
	}
	if (read_successes(home) < 0)
		return -1;
	for (size_t i = 0; i < report->list.count; i++) {
		if (result_from_plan(&report->plan.entries[i],
				     home->history ? &home->history[i] : NULL,
				     now, &report->results[i]) < 0)
			goto out_of_memory;
		report->results[i].last_success = home->last_success[i];
		if (report->plan.entries[i].disposition == PLAN_REFUSED) {
			result_judge(&report->results[i], report->plan.mode,
				     NULL);
			report->results[i].transaction = new_transaction();
		}
	}
	return 0;
out_of_memory:
	home_fail(home, "out of memory");
	return -1;
}

/* Where a home's state files are, for the documents. */
static void note_state_folders(struct home *home)
{
	struct home_report *report = home->report;

	report->result_folder = state_folder_path(&home->state, STATE_RESULT);
	report->log_folder = state_folder_path(&home->state, STATE_LOG);
}

/* Tries the lock of a waiting home again: true when it is ours now. */
static bool lock_now(struct home *home)
{
	if (state_try_lock(&home->state) == 0) {
		state_unwatch_lock(&home->state);
		return true;
	}
	if (errno != EWOULDBLOCK)
		home_fail(home, "cannot lock '%s/promise-run.lock': %s",
			   home->state.base_path, strerror(errno));
	return false;
}

/* The home, locked, gets its plan and runs. */
static void begin_running(struct home *home)
{
	if (plan_home(home) == 0)
		home->phase = HOME_RUNNING;
}

/*
 * The home waits for its lock, which its user may hold for good: at most
 * --wait-timeout, or, not given, until the run's deadline or, without
 * one, its default.
 */
static void start_waiting(struct home *home)
{
	const struct setting_values *run = home->context->run;
	const struct setting_value *bound = &run->values[SETTING_WAIT_TIMEOUT];

	home->phase = HOME_WAITING;
	home->wait_bounded = bound->source != SOURCE_DEFAULT ||
			     run->values[SETTING_DEADLINE].seconds <= 0;
	if (home->wait_bounded)
		home->wait_end = monotime_add(monotime_now(), bound->seconds);
}

/*
 * Opens the state of a home (creating it when its files are written)
 * and takes its lock.  A state that cannot be written does not keep the
 * promises from running: they run, and the failure is said.
 */
void home_start(struct home *home)
{
	struct home_report *report = home->report;
	char *failed_path = NULL;
	uid_t owner = home->user.change ? home->user.uid : geteuid();
	int status;

	if (!become_user(home))
		return;
	status = state_open(&home->state, home->home_fd, report->home,
			    home->context->cli->log_folder, owner, home->stateful,
			    &failed_path);
	identity_restore();
	if (status < 0 && home->stateful) {
		complain("cannot write the state of '%s': '%s': %s",
			 report->home, failed_path ? failed_path : report->home,
			 failure_reason(errno));
		home->broken = true;
		home->stateful = false;
	}
	free(failed_path);
	if (home->stateful)
		note_state_folders(home);
	if (!home->stateful || lock_now(home)) {
		begin_running(home);
		return;
	}
	if (home->phase == HOME_DONE)
		return;
	if (!home->context->cli->wait) {
		home_fail(home,
			   "'%s' is locked by another run: '%s/promise-run.lock' is held (use --wait to wait)",
			   report->home, home->state.base_path);
		return;
	}
	if (state_watch_lock(&home->state, home->context->inotify_fd) < 0) {
		home_fail(home, "cannot wait for '%s/promise-run.lock': %s",
			   home->state.base_path, strerror(errno));
		return;
	}
	/* It may have been released between the try and the watch. */
	if (lock_now(home))
		begin_running(home);
	else if (home->phase != HOME_DONE)
		start_waiting(home);
}

/* Records the result of a promise that ran. */
void home_record(struct home *home, size_t promise,
                 struct promise_result *result)
{
	struct home_report *report = home->report;

	result_judge(result, report->plan.mode,
		     home->history ? &home->history[promise] : NULL);
	result->last_success = result->status == PROMISE_OK
				       ? (long long)result->ended.tv_sec
				       : home->last_success[promise];
	result->transaction = new_transaction();
	result_release(&report->results[promise]);
	report->results[promise] = *result;
}

/*
 * The first line of a promise file whose exec failed with ENOENT, read
 * as its user, to name a missing interpreter.  Links are followed, as
 * exec followed them; a FIFO or device is not read.
 */
char *home_first_line(struct home *home, size_t promise)
{
	struct home_report *report = home->report;
	char *line = calloc(1, 256);
	ssize_t got = -1;
	struct stat status;
	int dir_fd, fd = -1;

	/* Only a hint for the report: without the user's identity, none. */
	if (!line || identity_become(&home->user) < 0) {
		free(line);
		return NULL;
	}
	dir_fd = open_promise_dir(home);
	if (dir_fd >= 0)
		fd = openat(dir_fd, report->list.promises[promise].name,
			    O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, &status) == 0 && S_ISREG(status.st_mode))
		got = fdio_read(fd, line, 255);
	fdio_close_quietly(fd);
	fdio_close_quietly(dir_fd);
	identity_restore();
	if (got <= 0) {
		free(line);
		return NULL;
	}
	line[strcspn(line, "\n")] = '\0';
	return line;
}

/* A promise the run's deadline kept from starting. */
void home_not_run(struct home *home, size_t promise)
{
	struct promise_result *result = &home->report->results[promise];
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	result_release(result);
	if (result_not_run(now, result) < 0) {
		complain("out of memory");
		home->broken = true;
	}
}

/*
 * A file of a promise's state could not be written (errno says why): the
 * first such failure of a home is said, naming the file; the rest are
 * counted, and said at the end (home_close).
 */
static void state_failed(struct home *home, size_t promise,
                         enum state_folder folder)
{
	const struct promise *file = &home->report->list.promises[promise];
	int error = errno;
	char *path;

	home->broken = true;
	if (home->commit_failures++ > 0)
		return;
	path = state_path(&home->state, folder, file->title);
	complain("cannot write the state of '%s' for '%s' ('%s'): %s",
		 home->report->home, file->name, path ? path : "",
		 failure_reason(error));
	free(path);
}

/* Promise `promise` of a home is committed: log, result and cache. */
static void commit_promise(struct home *home, size_t promise)
{
	struct home_report *report = home->report;
	const struct promise *file = &report->list.promises[promise];
	const struct promise_result *result = &report->results[promise];
	char *records = NULL, transaction[SLAPGRID_TRANSACTION_SIZE];
	size_t size = 0;
	FILE *out = open_memstream(&records, &size);
	enum state_folder failed = STATE_LOG;
	int status = -1;

	result_transaction_id(result, transaction, sizeof transaction);
	if (out) {
		status = 0;
		if (result->status == PROMISE_TIMEOUT)
			status = slapgrid_format_terminating(
				out, result->ended.tv_sec, transaction,
				file->name);
		if (status == 0)
			status = slapgrid_format_log_record(
				out, result->ended.tv_sec,
				result_works(result) && !result->tolerated &&
						result->status == PROMISE_OK
					? "INFO"
					: "ERROR",
				transaction,
				result->status == PROMISE_TIMEOUT
					? (result->output ? result->output : "")
					: result->message);
		if (fclose(out) == EOF)
			status = -1;
	}
	if (status == 0)
		status = state_commit(&home->state, file->title, records, size,
				      true, &failed);
	if (status < 0)
		state_failed(home, promise, failed);
	free(records);
}

/* Writes the spares (result and cache) of one promise. */
static bool write_spares(struct home *home, size_t promise)
{
	struct home_report *report = home->report;
	const struct promise *file = &report->list.promises[promise];
	const struct promise_result *result = &report->results[promise];
	char *content = NULL, *path = report_promise_path(report, promise);
	size_t size = 0;
	FILE *out = path ? open_memstream(&content, &size) : NULL;
	struct slapgrid_result stored = {
		.title = file->title,
		.name = file->name,
		.path = path,
		.execution_time = result->execution_time,
		.anomaly_type = result->anomaly_type,
		.failed = result->failed,
		.date = result->ended.tv_sec,
		.message = result->message,
	};
	enum state_folder folder = STATE_RESULT;
	int status = out ? slapgrid_format_result(out, &stored) : -1;

	if (out && fclose(out) == EOF)
		status = -1;
	if (status == 0)
		status = state_write_spare(&home->state, STATE_RESULT,
					   file->title, content, size);
	if (status == 0) {
		struct slapgrid_cache cache = {
			.periodicity = report->plan.entries[promise].periodicity,
			.timestamp = (double)result->ended.tv_sec -
				     result->execution_time,
			.module_file = path,
			.module_file_mtime = (double)file->file.mtime,
		};

		free(content);
		content = NULL;
		folder = STATE_CACHE;
		out = open_memstream(&content, &size);
		status = out ? slapgrid_format_cache(out, &cache) : -1;
		if (out && fclose(out) == EOF)
			status = -1;
		if (status == 0)
			status = state_write_spare(&home->state, STATE_CACHE,
						   file->title, content, size);
	}
	if (status < 0)
		state_failed(home, promise, folder);
	free(content);
	free(path);
	return status == 0;
}

/* Whether a promise's files are written: it ran, and its title is its. */
static bool writes_state(const struct home *home, size_t promise)
{
	return result_ran(&home->report->results[promise]) &&
	       !home->report->plan.entries[promise].shadowed &&
	       !home->unwritten[promise];
}

/* Frees what anomaly mode read of each promise's history. */
static void free_history(struct home *home)
{
	for (size_t p = 0; home->history && p < home->report->list.count; p++)
		free(home->history[p].previous_message);
	free(home->history);
	home->history = NULL;
}

/*
 * A home done and written in the text report needs its details no more:
 * the run's memory stays that of the homes running, however many.
 */
static void release_if_told(struct home *home)
{
	if (!home->context->text || !home->printed || home->phase != HOME_DONE ||
	    home->report->released)
		return;
	free_history(home);
	free(home->last_success);
	home->last_success = NULL;
	free(home->unwritten);
	home->unwritten = NULL;
	env_free(home->envp);
	home->envp = NULL;
	report_home_summarize(home->report);
}

/* The end of a home: its state is closed, its lock released. */
void home_close(struct home *home)
{
	if (home->commit_failures > 1)
		complain("... and %zu more files of '%s' could not be written",
			 home->commit_failures - 1, home->report->home);
	state_close(&home->state);
	clock_gettime(CLOCK_REALTIME, &home->report->finished);
	home->phase = HOME_DONE;
	release_if_told(home);
}

/*
 * One step of a home's commit: the spares of each promise, one syncfs,
 * then each promise's log record and result together, then the folders.
 * Steps are small, so that the loop can do them between deadlines.
 */
void home_commit_step(struct home *home)
{
	struct home_report *report = home->report;
	size_t count = report->list.count;
	size_t step = home->commit_step++;

	if (identity_become(&home->user) < 0) {
		/* The results stand; only the state is not written. */
		complain("cannot write the state of '%s': cannot take the identity of '%s': %s",
			 report->home, home->user.user, strerror(errno));
		home->broken = true;
		home_close(home);
		return;
	}
	if (step < count) {
		/* A spare that could not be written is not committed. */
		if (writes_state(home, step) && !write_spares(home, step))
			home->unwritten[step] = true;
	} else if (step == count) {
		if (state_sync(&home->state) < 0) {
			complain("cannot write the state of '%s': syncfs: %s",
				 report->home, strerror(errno));
			home->broken = true;
		}
	} else if (step <= 2 * count) {
		if (writes_state(home, step - count - 1))
			commit_promise(home, step - count - 1);
	} else {
		write_successes(home);
		if (state_finish(&home->state) < 0) {
			complain("cannot write the state of '%s': fsync: %s",
				 report->home, strerror(errno));
			home->broken = true;
		}
		identity_restore();
		home_close(home);
		return;
	}
	identity_restore();
}

void home_init(struct home *home, struct home_report *report,
               const struct home_context *context)
{
	*home = (struct home){ .report = report, .context = context,
			       .home_fd = -1 };
	state_init(&home->state);
}

void home_lock_freed(struct home *home)
{
	if (home->phase == HOME_WAITING && lock_now(home))
		begin_running(home);
}

void home_wait_over(struct home *home)
{
	char waited[32];

	if (home->phase != HOME_WAITING)
		return;
	if (lock_now(home)) {
		begin_running(home);
		return;
	}
	if (home->phase == HOME_DONE)           /* the lock failed otherwise */
		return;
	value_format_seconds(
		home->context->run->values[SETTING_WAIT_TIMEOUT].seconds,
		waited, sizeof waited);
	home_fail(home,
		   "'%s' is locked by another run: '%s/promise-run.lock' was still held after a wait of %ss (--wait-timeout)",
		   home->report->home, home->state.base_path, waited);
}

void home_plan_for_list(struct home *home)
{
	char *failed_path = NULL;

	if (!become_user(home))
		return;
	/* Without it, the plan is made without the stored state. */
	(void)state_open(&home->state, home->home_fd, home->report->home,
			 home->context->cli->log_folder, geteuid(), false,
			 &failed_path);
	identity_restore();
	free(failed_path);
	(void)plan_home(home);
	home_close(home);
}

void home_told(struct home *home)
{
	home->printed = true;
	release_if_told(home);
}

void home_release(struct home *home)
{
	free_history(home);
	free(home->last_success);
	free(home->unwritten);
	state_close(&home->state);
	fdio_close_quietly(home->home_fd);
	credentials_release(&home->user);
	if (home->has_own_config)
		config_release(&home->own_config);
	env_free(home->envp);
}
