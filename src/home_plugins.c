/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* home_plugins: a home's plugins through slapos.core's own runner. */
#include "home_plugins.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "failure.h"
#include "fdio.h"
#include "fsat.h"
#include "home_files.h"
#include "identity.h"
#include "plugin_text.h"
#include "runner.h"
#include "spawn.h"
#include "value.h"

/* The start of a bin/buildout, or of a plugin: enough for their heads. */
#define HEAD_SIZE 8192
#define PLUGIN_MAX_SIZE (1024 * 1024)

/* slapgrid's runner is given nothing for the legacy promises: this path
 * cannot exist (nobody may create a file in /proc/self), and a missing
 * folder is an empty one to slapos.core. */
#define NO_LEGACY_FOLDER "/proc/self/promise-run-runs-the-legacy-promises"

bool home_plugins_wanted(const struct home_context *context)
{
	const struct setting_value *given =
		&context->cli->settings.values[SETTING_PLUGINS];
	const struct config *operator = context->operator_config;

	/* Read before the home's settings are merged: its listing needs it. */
	if (given->given)
		return given->flag;
	if (operator && operator->run.values[SETTING_PLUGINS].given)
		return operator->run.values[SETTING_PLUGINS].flag;
	return true;
}

/* Reads the head of the regular file `path` (as the caller's identity). */
static int read_head(const char *path, char *head, size_t size)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat status = { 0 };
	ssize_t got;

	if (fd < 0)
		return -1;
	errno = EINVAL;     /* not a regular file: the file names no python */
	if (fstat(fd, &status) < 0 || !S_ISREG(status.st_mode)) {
		int error = errno;

		fdio_close_quietly(fd);
		errno = S_ISDIR(status.st_mode) ? EISDIR : error;
		return -1;
	}
	got = fdio_read(fd, head, size - 1);
	fdio_close_quietly(fd);
	if (got < 0)
		return -1;
	head[got] = '\0';
	return 0;
}

/* Whether `path` is a file the user may execute (as the user). */
static int check_executable(const char *path)
{
	struct stat status;

	if (stat(path, &status) < 0)
		return -1;
	if (!S_ISREG(status.st_mode)) {
		errno = S_ISDIR(status.st_mode) ? EISDIR : EACCES;
		return -1;
	}
	return faccessat(AT_FDCWD, path, X_OK, AT_EACCESS);
}

/* Records why the plugins cannot run; 0, or -1 (ENOMEM). */
static int say_problem(struct home *home, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

static int say_problem(struct home *home, const char *format, ...)
{
	va_list arguments;
	int written;

	va_start(arguments, format);
	written = vasprintf(&home->report->plugin_problem, format, arguments);
	va_end(arguments);
	if (written < 0) {
		home->report->plugin_problem = NULL;
		return -1;
	}
	return 0;
}

/* The software python, into the report, or the problem said. */
static int find_python(struct home *home, const char *override)
{
	struct home_report *report = home->report;
	char target[PATH_MAX], buildout[PATH_MAX + 32], head[HEAD_SIZE];
	ssize_t length;

	if (override) {
		/* Run from the home: only an absolute path is the same. */
		if (override[0] != '/')
			return say_problem(home, "no python for the plugins: '%s' (--plugin-python) is not an absolute path",
					   override);
		if (check_executable(override) < 0)
			return say_problem(home, "no python for the plugins: '%s' (--plugin-python): %s",
					   override, failure_reason(errno));
		report->plugin_python = strdup(override);
		return report->plugin_python ? 0 : -1;
	}
	length = readlinkat(home->files.home_fd, "software_release", target,
			    sizeof target - 1);
	if (length < 0)
		return say_problem(home, "no python for the plugins: '%s/software_release'%s%s (--plugin-python names one)",
				   report->home,
				   errno == EINVAL ? " " : ": ",
				   errno == EINVAL ? "is not a symbolic link"
						   : failure_reason(errno));
	if ((size_t)length == sizeof target - 1)
		return say_problem(home, "no python for the plugins: the software_release link of '%s' is too long",
				   report->home);
	target[length] = '\0';
	/* A relative link is taken in the home, as the kernel would. */
	if (snprintf(buildout, sizeof buildout, "%s%s%s/bin/buildout",
		     target[0] == '/' ? "" : report->home,
		     target[0] == '/' ? "" : "/", target) >=
	    (int)sizeof buildout)
		return say_problem(home, "no python for the plugins: the software_release link of '%s' is too long",
				   report->home);
	if (read_head(buildout, head, sizeof head) < 0)
		return say_problem(home, "no python for the plugins: cannot read '%s': %s",
				   buildout, failure_reason(errno));
	report->plugin_python = plugin_text_buildout_python(head);
	if (!report->plugin_python || report->plugin_python[0] != '/') {
		free(report->plugin_python);
		report->plugin_python = NULL;
		return say_problem(home, "no python for the plugins: '%s' names none on its first lines (an absolute path)",
				   buildout);
	}
	if (check_executable(report->plugin_python) < 0) {
		int error = errno;
		char *python = report->plugin_python;

		report->plugin_python = NULL;
		length = say_problem(home, "no python for the plugins: '%s' (named by '%s'): %s",
				     python, buildout, failure_reason(error));
		free(python);
		return (int)length;
	}
	return 0;
}

/*
 * In the sys.path list of a plugin's `text`, the first folder holding
 * runpromises.py, into `runner`: 1, 0 when none, -1 when no list.
 */
static int runner_in_path(const char *text, char *runner, size_t size)
{
	const char *at;
	char folder[PATH_MAX];
	int status;

	if (plugin_text_path_list(text, &at) < 0)
		return -1;
	while ((status = plugin_text_next_string(&at, folder,
						 sizeof folder)) == 1) {
		struct stat file;

		/* Python takes a relative one in the home: not looked at. */
		if (folder[0] == '/' &&
		    (size_t)snprintf(runner, size, "%s/%s", folder,
				     HOME_PLUGINS_RUNNER_PATH) < size &&
		    stat(runner, &file) == 0 && S_ISREG(file.st_mode))
			return 1;
	}
	return status;
}

/* slapos.core's runner, into the report, or the problem said. */
static int find_runner(struct home *home, const char *override)
{
	struct home_report *report = home->report;
	const char *plugin = report->list.promises[0].name;
	char path[PATH_MAX + 64], *text;
	size_t size;
	int status;

	if (override) {
		struct stat file;

		if (override[0] != '/')
			return say_problem(home, "no plugin runner: '%s' (--plugin-runner) is not an absolute path",
					   override);
		if (stat(override, &file) < 0)
			return say_problem(home, "no plugin runner: '%s' (--plugin-runner): %s",
					   override, failure_reason(errno));
		if (!S_ISREG(file.st_mode))
			return say_problem(home, "no plugin runner: '%s' (--plugin-runner) is not a file",
					   override);
		report->plugin_runner = strdup(override);
		return report->plugin_runner ? 0 : -1;
	}
	snprintf(path, sizeof path, "etc/plugin/%s", plugin);
	if (fsat_read_file(home->files.home_fd, path, PLUGIN_MAX_SIZE, &text,
			   &size) < 0)
		return say_problem(home, "no plugin runner: cannot read '%s/%s': %s",
				   report->home, path, failure_reason(errno));
	status = runner_in_path(text, path, sizeof path);
	free(text);
	if (status < 0)
		return say_problem(home, "no plugin runner: '%s/etc/plugin/%s' has no sys.path[0:0] = [...] list (--plugin-runner names one)",
				   report->home, plugin);
	if (status == 0)
		return say_problem(home, "no plugin runner: no folder of the sys.path list of '%s/etc/plugin/%s' holds " HOME_PLUGINS_RUNNER_PATH " (--plugin-runner names one)",
				   report->home, plugin);
	report->plugin_runner = strdup(path);
	return report->plugin_runner ? 0 : -1;
}

int home_plugins_find(struct home *home)
{
	const struct setting_values *settings = &home->files.settings;
	struct home_report *report = home->report;
	int status;

	if (report->list.plugin_count == 0)
		return 0;
	/*
	 * The runner would run the plugins' code, and a python found through
	 * the home, as root: only the promise folder's layout is checked for
	 * root (see home_files), so root runs no plugin.
	 */
	if (geteuid() == 0 && !home->files.user.change) {
		if (say_problem(home, "the plugins are not run as root: '%s' belongs to root (--user names who runs them)",
				report->home) < 0) {
			home_fail(home, "out of memory");
			return -1;
		}
		return 0;
	}
	if (!home_become_user(home))
		return -1;
	status = find_python(home,
			     settings->values[SETTING_PLUGIN_PYTHON].text);
	if (status == 0 && !report->plugin_problem)
		status = find_runner(
			home, settings->values[SETTING_PLUGIN_RUNNER].text);
	identity_restore();
	if (status < 0) {
		home_fail(home, "out of memory");
		return -1;
	}
	return 0;
}

char **home_plugins_environment(char *const *envp)
{
	size_t count = 0, at = 0;
	char **copy;

	while (envp[count])
		count++;
	copy = calloc(count + 2, sizeof *copy);
	if (!copy)
		return NULL;
	for (size_t i = 0; i < count; i++)
		if (strncmp(envp[i], "PYTHON", 6) != 0)
			copy[at++] = envp[i];
	copy[at] = "PYTHONNOUSERSITE=true";
	return copy;
}

long home_plugins_promise_timeout(double timeout)
{
	/* Rounded up by hand: no libm for one rounding.  At most 31 days. */
	long whole;

	if (!(timeout > 1))
		return 1;
	if (timeout > 31 * 86400.0)
		return 31 * 86400L;
	whole = (long)timeout;
	return whole + ((double)whole < timeout);
}

double home_plugins_timeout(size_t plugins, double promise_timeout,
                            double max)
{
	double timeout = (double)plugins *
				 (double)home_plugins_promise_timeout(
					 promise_timeout) + 10;

	return timeout < max ? timeout : max;
}

double home_plugins_runner_timeout(const struct home *home)
{
	return home_plugins_timeout(
		home->report->list.plugin_count,
		home->files.settings.values[SETTING_TIMEOUT].seconds,
		home->context->run->values[SETTING_MAX_TIMEOUT].seconds);
}

char **home_plugins_command(const struct home *home)
{
	const struct home_report *report = home->report;
	const struct home_files *files = &home->files;
	bool anomaly = report->plan.mode == MODE_ANOMALY;
	/*
	 * Periodicity holds in both modes unless --force, as for the legacy
	 * promises (slapgrid gives --force in test mode).
	 */
	bool force = home->context->cli->force;
	const char *log_folder = home->context->cli->log_folder;
	char timeout[32], plugin_folder[PATH_MAX], logs[PATH_MAX];
	char *block, **argv, *text;
	size_t size, at = 0;

	/* Absolute, as slapgrid gives them: the result files name the path. */
	if (!log_folder)
		log_folder = ".slapgrid/promise/log";
	if ((size_t)snprintf(plugin_folder, sizeof plugin_folder,
			     "%s/etc/plugin", report->home) >=
		    sizeof plugin_folder ||
	    (size_t)snprintf(logs, sizeof logs, "%s%s%s",
			     log_folder[0] == '/' ? "" : report->home,
			     log_folder[0] == '/' ? "" : "/", log_folder) >=
		    sizeof logs) {
		errno = ENAMETOOLONG;
		return NULL;
	}

	snprintf(timeout, sizeof timeout, "%ld",
		 home_plugins_promise_timeout(
			 files->settings.values[SETTING_TIMEOUT].seconds));
	const char *words[] = {
		report->plugin_python, report->plugin_runner,
		"--promise-folder", plugin_folder,
		"--legacy-promise-folder", NO_LEGACY_FOLDER,
		"--promise-timeout", timeout,
		"--partition-folder", report->home,
		"--log-folder", logs,
		force ? "--force" : NULL,
		anomaly ? "--check-anomaly" : NULL,
	};
	size_t count = sizeof words / sizeof *words;

	size = (count + 1) * sizeof *argv;
	for (size_t i = 0; i < count; i++)
		if (words[i])
			size += strlen(words[i]) + 1;
	block = malloc(size);
	if (!block)
		return NULL;
	argv = (char **)(void *)block;
	text = block + (count + 1) * sizeof *argv;
	for (size_t i = 0; i < count; i++) {
		if (!words[i])
			continue;
		argv[at++] = strcpy(text, words[i]);
		text += strlen(words[i]) + 1;
	}
	argv[at] = NULL;
	return argv;
}

int home_plugins_result_of_file(enum home_plugins_file kind,
                                const struct slapgrid_previous *file,
                                struct timespec written, bool cached_allowed,
                                struct timespec now,
                                struct promise_result *result)
{
	result_start(result, now);
	if (kind == PLUGIN_FILE_NONE ||
	    (kind == PLUGIN_FILE_OLD && !cached_allowed)) {
		result->status = PROMISE_NOT_RUN;
		result->failed = true;
		result->message = strdup(
			kind == PLUGIN_FILE_NONE
				? "not run: slapos.core's runner wrote no result for it"
				: "not run: slapos.core's runner did not run it (its result file is older than this run)");
	} else {
		const char *message = file->message ? file->message : "";

		result->failed = file->failed;
		result->anomaly_type = file->anomaly_type;
		result->ended = written.tv_sec;
		result->execution_time = file->execution_time;
		if (kind == PLUGIN_FILE_OLD)
			result->status = PROMISE_CACHED;
		else if (!file->failed)
			result->status = PROMISE_OK;
		else if (strncmp(message, "Error: Promise timed out after ",
				 31) == 0)
			result->status = PROMISE_TIMEOUT;
		else
			result->status = PROMISE_FAILED;
		result->message = strdup(message);
	}
	if (!result->message) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* Why the runner did not end well, or NULL when it did (exit 0 or 2). */
static char *runner_trouble(const struct home *home,
                            const struct runner_outcome *outcome,
                            double timeout)
{
	const char *output = outcome->output ? outcome->output : "";
	const char *last = strrchr(output, '\n');
	char seconds[64], *why = NULL;
	int written = 0;

	last = last ? last + 1 : output;
	if (!outcome->started)
		written = asprintf(&why, "slapos.core's plugin runner could not start: %s",
				   failure_reason(outcome->start_error));
	else if (outcome->exec_failed)
		written = asprintf(&why, "slapos.core's plugin runner could not be executed: '%s': %s",
				   home->report->plugin_python,
				   failure_reason(outcome->failure.error));
	else if (outcome->cut_by_deadline)
		written = asprintf(&why, "slapos.core's plugin runner was stopped: the run's deadline came");
	else if (outcome->timed_out) {
		value_format_seconds(timeout, seconds, sizeof seconds);
		written = asprintf(&why, "slapos.core's plugin runner timed out after %s seconds",
				   seconds);
	} else if (WIFSIGNALED(outcome->wait_status))
		written = asprintf(&why, "slapos.core's plugin runner was killed by signal %d",
				   WTERMSIG(outcome->wait_status));
	else if (WEXITSTATUS(outcome->wait_status) != 0 &&
		 WEXITSTATUS(outcome->wait_status) != 2)
		written = asprintf(&why, "slapos.core's plugin runner exited with status %d%s%s",
				   WEXITSTATUS(outcome->wait_status),
				   *last ? ": " : "", last);
	else
		return NULL;
	return written < 0 ? strdup("out of memory") : why;
}

/* A plugin's result file, read as the user: what became of it. */
static enum home_plugins_file read_result(int folder_fd, const char *title,
                                          struct timespec started,
                                          struct slapgrid_previous *file,
                                          struct timespec *written)
{
	char name[NAME_MAX + 1], *text;
	struct stat status;
	size_t size;
	int fd;

	if ((size_t)snprintf(name, sizeof name, "%s" SLAPGRID_RESULT_SUFFIX,
			     title) >= sizeof name ||
	    (fd = fsat_open_readable(folder_fd, name)) < 0)
		return PLUGIN_FILE_NONE;
	if (fstat(fd, &status) < 0) {
		fdio_close_quietly(fd);
		return PLUGIN_FILE_NONE;
	}
	if (fsat_read_fd(fd, 256 * 1024, &text, &size) < 0)
		return PLUGIN_FILE_NONE;
	if (slapgrid_parse_result(text, size, file) < 0) {
		free(text);
		return PLUGIN_FILE_NONE;
	}
	free(text);
	*written = status.st_mtim;
	return status.st_mtim.tv_sec > started.tv_sec ||
			       (status.st_mtim.tv_sec == started.tv_sec &&
				status.st_mtim.tv_nsec >= started.tv_nsec)
		       ? PLUGIN_FILE_FRESH
		       : PLUGIN_FILE_OLD;
}

int home_plugins_results(struct home *home,
                         const struct runner_outcome *outcome)
{
	struct home_report *report = home->report;
	const struct plan *plan = &report->plan;
	bool cached_allowed = !home->context->cli->force;
	char *trouble = runner_trouble(home, outcome,
				       home_plugins_runner_timeout(home));
	struct timespec now, started = outcome->ended;
	int folder_fd = -1, status = 0;
	bool as_user = false;

	clock_gettime(CLOCK_REALTIME, &now);
	started.tv_sec -= (time_t)outcome->duration;
	started.tv_nsec -= (long)((outcome->duration -
				   (double)(time_t)outcome->duration) * 1e9);
	if (started.tv_nsec < 0) {
		started.tv_sec--;
		started.tv_nsec += 1000000000L;
	}
	if (!trouble) {
		as_user = identity_become(&home->files.user) == 0;
		if (as_user)
			folder_fd = fsat_open(home->files.home_fd,
					      ".slapgrid/promise/result",
					      O_RDONLY | O_DIRECTORY, 0);
		else if (asprintf(&trouble, "cannot read the plugins' results: cannot take the identity of '%s': %s",
				  home->files.user.user,
				  failure_reason(errno)) < 0)
			trouble = NULL;
	}
	for (size_t i = 0; i < report->list.plugin_count; i++) {
		struct promise_result *result = &report->results[i];
		struct slapgrid_previous file = { 0 };
		struct timespec written = now;
		enum home_plugins_file kind = PLUGIN_FILE_NONE;

		if (plan->entries[i].disposition != PLAN_RUN)
			continue;
		long long last_success = result->last_success;

		result_release(result);
		if (trouble) {
			result_start(result, now);
			result->status = PROMISE_ERROR;
			result->failed = true;
			result->message = strdup(trouble);
			if (!result->message)
				status = -1;
		} else {
			if (folder_fd >= 0)
				kind = read_result(
					folder_fd, report->list.promises[i].title,
					started, &file, &written);
			if (home_plugins_result_of_file(kind, &file, written,
							cached_allowed, now,
							result) < 0)
				status = -1;
			free(file.message);
		}
		if (status < 0) {
			*result = (struct promise_result){ 0 };
			break;
		}
		result->last_success = result->status == PROMISE_OK
					       ? (long long)result->ended
					       : last_success;
	}
	fdio_close_quietly(folder_fd);
	if (as_user)
		identity_restore();
	free(trouble);
	return status;
}
