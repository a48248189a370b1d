/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * home_files: what is known of a home before anything runs (its user,
 * its configuration, its promises, its promises' environment), all of it
 * read as the home's user, through descriptors (see fsat).  The home's
 * `prepare` and `first_line` operations.
 */
#include "home_files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_declared.h"
#include "cli.h"
#include "env.h"
#include "failure.h"
#include "fdio.h"
#include "fsat.h"
#include "home_plugins.h"
#include "identity.h"

static bool is_root(void)
{
	return geteuid() == 0;
}

bool home_become_user(struct home *home)
{
	if (identity_become(&home->files.user) == 0)
		return true;
	home_fail(home, "cannot take the identity of '%s' for '%s': %s",
		  home->files.user.user, home->report->home,
		  failure_reason(errno));
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

/* The promise folder as given: absolute, or relative to the home. */
static const char *promise_dir_option(const struct home *home)
{
	const char *dir = home->context->cli->promise_dir;

	return dir ? dir : "etc/promise";
}

/* Opens the promise folder as the user: -1 with ENOENT means none. */
static int open_promise_dir(const struct home *home)
{
	const char *dir = promise_dir_option(home);

	if (dir[0] == '/')
		return open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fsat_open(home->files.home_fd, dir, O_RDONLY | O_DIRECTORY, 0);
}

/* Warns of promises whose title a later one takes (its files go). */
static void warn_same_titles(struct home *home)
{
	const struct promise_list *list = &home->report->list;

	for (size_t i = 0; i < list->count; i++) {
		if (!list->promises[i].title_taken_later)
			continue;
		for (size_t j = i + 1; j < list->count; j++)
			if (strcmp(list->promises[j].title,
				   list->promises[i].title) == 0) {
				home_say(home, "warning: '%s' and '%s' have the same title '%s': the result file and log are those of '%s'",
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
static int warn_unknown_sections(struct home *home)
{
	const struct config *config = home->files.config;
	bool *named;

	if (!config || config->operator || !config->promise_count)
		return 0;
	named = calloc(config->promise_count, sizeof *named);
	if (!named) {
		home_fail(home, "out of memory");
		return -1;
	}
	plan_sections_named(config, &home->report->list, named);
	for (size_t i = 0; i < config->promise_count; i++) {
		const struct promise_config *section = &config->promises[i];

		if (!named[i])
			home_say(home, "warning: %s:%d: [promise:%s] names no promise in '%s'",
				 config->path, section->line, section->name,
				 home->report->promise_dir);
	}
	free(named);
	return 0;
}

/*
 * Reads the home's own configuration, as its user: 0 (none, or read),
 * or -1 after failing the home.
 */
static int read_own_config(struct home *home)
{
	struct home_files *files = &home->files;
	char *path, *text, error[512];
	size_t size;
	int status;

	if (asprintf(&path, "%s/etc/promise-run.conf", home->report->home) < 0) {
		home_fail(home, "out of memory");
		return -1;
	}
	status = fsat_read_file(files->home_fd, "etc/promise-run.conf",
				CONFIG_MAX_SIZE, &text, &size);
	if (status < 0 && errno != ENOENT) {
		home_fail(home, "cannot read '%s': %s", path,
			  failure_reason(errno));
		free(path);
		return -1;
	}
	if (status == 0) {
		status = config_parse_text(text, size, path, false,
					   &files->own_config, error,
					   sizeof error);
		free(text);
		if (status < 0) {
			home_fail(home, "%s", error);
			free(path);
			return -1;
		}
		files->has_own_config = true;
		files->config = &files->own_config;
		for (size_t i = 0; i < files->own_config.warning_count; i++)
			home_say(home, "warning: %s",
				 files->own_config.warnings[i]);
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
		home_fail(home, "cannot read '%s': %s", path,
			  failure_reason(errno));
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
 * Checks the folder `length` bytes into the promise folder's relative
 * path, beneath `*fd`, which it replaces (closing it unless it is the
 * home's); 0, 1 when it does not exist, or -1 after refusing the home.
 */
static int check_root_component(struct home *home, int *fd, const char *dir,
                                const char *name, size_t length)
{
	char *component = strndup(name, length), *path = NULL;
	int next = -1, status = 0;

	if (!component || asprintf(&path, "%s/%.*s", home->report->home,
				   (int)(name + length - dir), dir) < 0) {
		free(component);
		home_fail(home, "out of memory");
		return -1;
	}
	next = fsat_open(*fd, component, O_PATH | O_DIRECTORY, 0);
	/* A missing folder holds no promise: nothing to check. */
	if (next < 0 && errno != ENOENT) {
		home_fail(home, "cannot read '%s': %s", path,
			  failure_reason(errno));
		status = -1;
	} else if (next >= 0) {
		status = check_root_folder(home, next, path);
	} else {
		status = 1;
	}
	free(component);
	free(path);
	if (*fd != home->files.home_fd)
		fdio_close_quietly(*fd);
	*fd = next;
	return status;
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
	const char *dir = promise_dir_option(home);
	int fd = home->files.home_fd, status = 0;

	if (dir[0] == '/') {
		fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return 0;   /* said when the promises are listed */
		status = check_root_folder(home, fd, dir);
		fdio_close_quietly(fd);
		return status;
	}
	if (check_root_folder(home, fd, home->report->home) < 0)
		return -1;
	for (const char *name = dir; status == 0 && *name;) {
		size_t length = strcspn(name, "/");

		if (length > 0)
			status = check_root_component(home, &fd, dir, name,
						      length);
		name += length + (name[length] == '/');
	}
	if (fd >= 0 && fd != home->files.home_fd)
		fdio_close_quietly(fd);
	return status < 0 ? -1 : 0;
}

/* Lists the promises and the plugins, as the user: 0, or -1 (failed). */
static int list_promises(struct home *home)
{
	struct home_report *report = home->report;
	int dir_fd = open_promise_dir(home);
	int status = 0;

	if (dir_fd < 0 && errno != ENOENT) {
		home_fail(home, "cannot read '%s': %s", report->promise_dir,
			  failure_reason(errno));
		return -1;
	}
	if (dir_fd >= 0 &&
	    scan_dir(dir_fd, home->files.user.change ? &home->files.user : NULL,
		     &report->list) < 0) {
		home_fail(home, "cannot read '%s': %s", report->promise_dir,
			  failure_reason(errno));
		status = -1;
	}
	fdio_close_quietly(dir_fd);
	if (status < 0)
		return -1;
	dir_fd = fsat_open(home->files.home_fd, "etc/plugin",
			   O_RDONLY | O_DIRECTORY, 0);
	if (dir_fd >= 0 &&
	    scan_plugins(dir_fd, home_plugins_wanted(home->context),
			 &report->list) < 0) {
		home_fail(home, "cannot read '%s/etc/plugin': %s", report->home,
			  failure_reason(errno));
		status = -1;
	}
	fdio_close_quietly(dir_fd);
	return status;
}

/* Its configuration and promises, read as its user: 0, or -1 (failed). */
static int read_as_user(struct home *home)
{
	const struct home_context *context = home->context;
	int status = 0;

	if (!home_become_user(home))
		return -1;
	home->files.config = context->operator_config;
	if (!context->operator_config && !context->cli->no_config)
		status = read_own_config(home);
	if (status == 0)
		status = list_promises(home);
	identity_restore();
	return status;
}

/*
 * Its settings, merged once: the command line, its configuration, the
 * defaults; its own `jobs` caps it within the pool of -j (see settings).
 */
static void merge_settings(struct home *home)
{
	const struct config *config = home->files.config;

	settings_resolve(&home->context->cli->settings,
			 config ? &config->run : NULL, NULL,
			 config && !config->operator, &home->files.settings);
	home->files.cap = home->files.settings.values[SETTING_JOBS].count;
}

/* Its promises' environment: 0, or -1 (failed). */
static int build_environment(struct home *home)
{
	const struct home_context *context = home->context;
	struct env_spec spec = {
		.base = context->environment,
		.kind = home->files.settings.values[SETTING_CLEAN_ENV].flag
				? ENV_CLEAN
			: is_root() && !context->cli->inherit_env
				? ENV_RESET
				: ENV_INHERITED,
		.keep = context->cli->keep_env.words,
		.keep_count = context->cli->keep_env.count,
		.home = home->report->home,
		.self = context->self,
		.user = &home->files.user,
	};

	home->files.envp = env_build(&spec);
	if (home->files.envp)
		return 0;
	home_fail(home, "out of memory");
	return -1;
}

int home_files_prepare(struct home *home)
{
	struct home_files *files = &home->files;
	struct home_report *report = home->report;
	const struct cli_options *cli = home->context->cli;
	char error[512];

	if (home->refusal) {
		home_fail(home, "%s", home->refusal);
		return -1;
	}
	files->home_fd = open(report->home, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (files->home_fd < 0) {
		home_fail(home, "cannot use instance home '%s': %s",
			  report->home, failure_reason(errno));
		return -1;
	}
	report->promise_dir = promise_dir_of(report->home, cli->promise_dir);
	if (!report->promise_dir) {
		home_fail(home, "out of memory");
		return -1;
	}
	if (credentials_for_instance(files->home_fd, report->home, cli->user,
				     &files->user, error, sizeof error) < 0) {
		home_fail(home, "%s", error);
		return -1;
	}
	if (is_root() && !files->user.change && check_root_layout(home) < 0)
		return -1;
	if (read_as_user(home) < 0)
		return -1;
	warn_same_titles(home);
	if (warn_unknown_sections(home) < 0)
		return -1;
	merge_settings(home);
	home->store.stateful = files->settings.values[SETTING_STATE].flag &&
			       cli->action == CLI_RUN;
	if (home_plugins_find(home) < 0)
		return -1;
	return build_environment(home);
}

/*
 * Reads the first bytes of promise `promise`'s file as its user into
 * `head` (NUL-terminated): how many, or -1.  Links are followed, as exec
 * follows them; a FIFO or device is not read.
 */
static ssize_t read_head(struct home *home, size_t promise, char *head,
                         size_t size)
{
	ssize_t got = -1;
	struct stat status;
	int dir_fd, fd = -1;

	if (identity_become(&home->files.user) < 0)
		return -1;
	dir_fd = open_promise_dir(home);
	if (dir_fd >= 0)
		fd = openat(dir_fd, home->report->list.promises[promise].name,
			    O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, &status) == 0 && S_ISREG(status.st_mode))
		got = fdio_read(fd, head, size - 1);
	fdio_close_quietly(fd);
	fdio_close_quietly(dir_fd);
	identity_restore();
	head[got > 0 ? got : 0] = '\0';
	return got;
}

/*
 * The first line of a promise file whose exec failed with ENOENT, read
 * as its user, to name a missing interpreter.
 */
char *home_files_first_line(struct home *home, size_t promise)
{
	char *line = malloc(DECLARED_MAX_FIRST_LINE + 1);

	/* Only a hint for the report: without the user's identity, none. */
	if (!line || read_head(home, promise, line,
			       DECLARED_MAX_FIRST_LINE + 1) <= 0) {
		free(line);
		return NULL;
	}
	line[strcspn(line, "\n")] = '\0';
	return line;
}

enum home_check_place home_files_check_place(struct home *home,
                                             size_t promise, const char *path,
                                             struct declared_check *declared)
{
	char head[DECLARED_MAX_FIRST_LINE + 2];

	/* A plugin has no path: slapos.core's runner runs it. */
	if (!path || home->context->cli->no_inline)
		return HOME_CHECK_PROCESS;
	if (home->files.user.change)
		return read_head(home, promise, head, sizeof head) > 0 &&
				       check_declared_is_ours(head)
			       ? HOME_CHECK_HELPER
			       : HOME_CHECK_PROCESS;
	if (check_declared_load(path, declared) < 0)
		return HOME_CHECK_PROCESS;
	if (declared->kind == DECLARED_FILE) {
		declared_release(declared);
		return HOME_CHECK_PROCESS;
	}
	return HOME_CHECK_INSIDE;
}

void home_files_mark_in_process(struct home *home)
{
	struct home_report *report = home->report;
	struct declared_check declared;
	enum home_check_place place;

	report->in_process = calloc(report->list.count ? report->list.count : 1,
				    sizeof *report->in_process);
	for (size_t i = 0; report->in_process && i < report->list.count; i++) {
		char *path;

		/* A plugin is slapos.core's runner's, whatever its text. */
		if (report->plan.entries[i].disposition != PLAN_RUN ||
		    report->plan.entries[i].plugin ||
		    !(path = report_promise_path(report, i)))
			continue;
		place = home_files_check_place(home, i, path, &declared);
		report->in_process[i] = place != HOME_CHECK_PROCESS;
		if (place == HOME_CHECK_INSIDE)
			declared_release(&declared);
		free(path);
	}
}
