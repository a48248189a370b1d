/*
 * promise-run: runs the promises of SlapOS-style instances and tells
 * whether they work.  Glue only: parse, scan, run, report, exit status.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "env.h"
#include "report_text.h"
#include "result.h"
#include "runner.h"
#include "scan.h"

#define PROMISE_RUN_VERSION "0.1.0"

/* Exit statuses, compatible with slapgrid's. */
enum {
	EXIT_WORKING = 0,
	EXIT_BROKEN = 1,        /* promise-run could not do its job */
	EXIT_NOT_WORKING = 2,
	EXIT_SIGNAL_BASE = 128,
};

extern char **environ;

static void complain(const char *format, ...)
{
	va_list arguments;

	fputs("promise-run: ", stderr);
	va_start(arguments, format);
	vfprintf(stderr, format, arguments);
	va_end(arguments);
	fputc('\n', stderr);
}

/*
 * Opens /dev/null on any of 0, 1, 2 that is closed, so that no pipe or
 * file promise-run opens later lands there by accident.
 */
static int ensure_standard_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		int opened = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);

		if (opened < 0)
			return -1;
		if (opened != fd) {
			/* Lower fds are open, so open() returns the lowest free. */
			close(opened);
			errno = EBADF;
			return -1;
		}
	}
	return 0;
}

/* The run over every instance, and what the exit status will be. */
struct session {
	const struct cli_options *options;
	struct runner *runner;
	bool color;
	bool broken;                /* some error: exit 1 */
	int interrupt_signal;
	size_t instances, not_working_instances;
};

/* Streams results in promise order as they complete in any order. */
struct stream {
	struct text_report report;
	const struct promise_list *list;
	const struct promise_result *results;
	size_t next_to_print;
};

static void on_promise_done(void *context, size_t index)
{
	struct stream *stream = context;

	(void)index;
	while (stream->next_to_print < stream->list->count &&
	       stream->results[stream->next_to_print].done) {
		text_report_promise(&stream->report,
				    &stream->list->promises[stream->next_to_print],
				    &stream->results[stream->next_to_print]);
		stream->next_to_print++;
	}
	fflush(stream->report.out);
}

/* The promise folder of `home`, malloc'd. */
static char *promise_dir_of(const char *home, const char *option)
{
	char *dir;

	if (option && option[0] == '/')
		return strdup(option);
	if (asprintf(&dir, "%s/%s", home, option ? option : "etc/promise") < 0)
		return NULL;
	return dir;
}

static void warn_same_titles(const struct promise_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		if (list->promises[i].same_title_as != SCAN_TITLE_UNIQUE)
			complain("warning: '%s' and '%s' have the same title '%s'",
				 list->promises[list->promises[i].same_title_as].name,
				 list->promises[i].name, list->promises[i].title);
}

/* Runs and reports the promises of one instance home. */
static void check_instance(struct session *session, const char *home,
                           const char *dir, const struct promise_list *list)
{
	const struct cli_options *options = session->options;
	struct runner_settings settings = {
		.timeout = options->timeout,
		.kill_after = options->kill_after,
		.jobs = options->jobs,
	};
	struct promise_result *results = calloc(list->count ? list->count : 1,
						sizeof *results);
	char **envp = env_with_home(environ, home);
	struct stream stream = { .list = list, .results = results };
	int status;

	if (!results || !envp) {
		complain("out of memory");
		session->broken = true;
		goto out;
	}
	struct runner_instance instance = {
		.home = home,
		.promise_dir = dir,
		.envp = envp,
		.promises = list,
		.results = results,
	};
	text_report_begin(&stream.report, stdout, session->color,
			  options->verbosity, home);
	status = runner_run(session->runner, &settings, &instance,
			    on_promise_done, &stream);
	/* Interrupted promises leave gaps: print what finished after them. */
	for (size_t i = stream.next_to_print; i < list->count; i++)
		if (results[i].done)
			text_report_promise(&stream.report, &list->promises[i],
					    &results[i]);
	if (status < 0) {
		complain("cannot run the promises of '%s': %s", home,
			 strerror(errno));
		session->broken = true;
	} else if (status > 0) {
		session->interrupt_signal = status;
	}
	text_report_skipped(&stream.report, list);
	if (status == 0) {
		text_report_end(&stream.report);
		session->instances++;
		if (stream.report.not_working)
			session->not_working_instances++;
	} else if (stream.report.not_working) {
		session->not_working_instances++;
	}
out:
	for (size_t i = 0; results && i < list->count; i++)
		result_free(&results[i]);
	free(results);
	env_free(envp);
}

/* Scans one instance home, then lists or runs its promises. */
static void visit_instance(struct session *session, const char *home)
{
	char *dir = promise_dir_of(home, session->options->promise_dir);
	struct promise_list list;

	if (!dir) {
		complain("out of memory");
		session->broken = true;
		return;
	}
	if (scan_dir(dir, &list) < 0) {
		complain("cannot read '%s': %s", dir, strerror(errno));
		session->broken = true;
		free(dir);
		return;
	}
	warn_same_titles(&list);
	if (session->options->action == CLI_LIST)
		text_report_list(stdout, home, &list, session->options->timeout);
	else
		check_instance(session, home, dir, &list);
	scan_free(&list);
	free(dir);
}

/*
 * Resolves every instance home to its real path, once each: the same home
 * given twice (or through a link) is checked once.  NULL on error.
 */
static char **resolve_homes(const struct cli_options *options, size_t *count)
{
	static char *current[] = { "." };
	char **given = options->home_count ? options->homes : current;
	size_t given_count = options->home_count ? options->home_count : 1;
	char **homes = calloc(given_count, sizeof *homes);

	*count = 0;
	if (!homes) {
		complain("out of memory");
		return NULL;
	}
	for (size_t i = 0; i < given_count; i++) {
		char *real = realpath(given[i], NULL);
		bool seen = false;

		if (!real) {
			complain("cannot use instance home '%s': %s", given[i],
				 strerror(errno));
			for (size_t j = 0; j < *count; j++)
				free(homes[j]);
			free(homes);
			return NULL;
		}
		for (size_t j = 0; j < *count && !seen; j++)
			seen = strcmp(homes[j], real) == 0;
		if (seen)
			free(real);
		else
			homes[(*count)++] = real;
	}
	return homes;
}

static bool use_color(enum cli_color mode)
{
	const char *no_color = getenv("NO_COLOR");

	if (no_color && *no_color)
		return false;
	if (mode == CLI_COLOR_AUTO)
		return isatty(STDOUT_FILENO);
	return mode == CLI_COLOR_ALWAYS;
}

/* Flushes stdout; a report that could not be written is a failure. */
static int finish_output(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		complain("cannot write the report: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int exit_status(const struct session *session)
{
	if (session->interrupt_signal)
		return EXIT_SIGNAL_BASE + session->interrupt_signal;
	if (session->broken)
		return EXIT_BROKEN;
	return session->not_working_instances ? EXIT_NOT_WORKING : EXIT_WORKING;
}

int main(int argc, char **argv)
{
	struct cli_options options;
	struct session session = { .options = &options };
	char error[256];
	char **homes;
	size_t home_count;

	if (ensure_standard_fds() < 0)
		return EXIT_BROKEN;
	if (cli_parse(argc, argv, &options, error, sizeof error) < 0) {
		complain("%s (see --help)", error);
		return EXIT_BROKEN;
	}
	if (options.action == CLI_HELP) {
		fputs(cli_usage(), stdout);
		return finish_output() < 0 ? EXIT_BROKEN : EXIT_WORKING;
	}
	if (options.action == CLI_VERSION) {
		puts("promise-run " PROMISE_RUN_VERSION);
		return finish_output() < 0 ? EXIT_BROKEN : EXIT_WORKING;
	}
	homes = resolve_homes(&options, &home_count);
	if (!homes)
		return EXIT_BROKEN;
	session.color = use_color(options.color);
	session.runner = runner_create();
	if (!session.runner) {
		complain("cannot prepare to run promises: %s", strerror(errno));
		session.broken = true;
	}
	for (size_t i = 0; session.runner && i < home_count; i++) {
		visit_instance(&session, homes[i]);
		if (session.interrupt_signal) {
			complain("interrupted by SIG%s: promises stopped",
				 sigabbrev_np(session.interrupt_signal));
			break;
		}
	}
	if (options.action == CLI_RUN && home_count > 1 &&
	    !session.interrupt_signal && !session.broken)
		text_report_verdict(stdout, session.color, options.verbosity,
				    session.instances,
				    session.not_working_instances);
	if (finish_output() < 0)
		session.broken = true;
	runner_destroy(session.runner);
	for (size_t i = 0; i < home_count; i++)
		free(homes[i]);
	free(homes);
	return exit_status(&session);
}
