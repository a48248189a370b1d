/*
 * promise-run: runs the promises of SlapOS-style instances and tells
 * whether they work.  Glue only: parse, scan, run, report, exit status.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic_file.h"
#include "checks.h"
#include "cli.h"
#include "complain.h"
#include "config.h"
#include "report_text.h"
#include "runner.h"
#include "session.h"

#define PROMISE_RUN_VERSION "0.1.0"

/* Exit statuses, compatible with slapgrid's. */
enum {
	EXIT_WORKING = 0,
	EXIT_BROKEN = 1,        /* promise-run could not do its job */
	EXIT_NOT_WORKING = 2,
	EXIT_SIGNAL_BASE = 128,
};

/*
 * Opens /dev/null on any of 0, 1, 2 that is closed, so that no pipe or
 * file promise-run opens later lands there by accident.
 */
static int ensure_standard_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* Not close-on-exec: it stands for a standard descriptor. */
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

static void free_homes(char **homes, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(homes[i]);
	free(homes);
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

/* promise-run check-url / check-port: parse, check, say, exit. */
static int run_check(enum cli_command command, int argc, char **argv)
{
	char message[2048];
	bool help;
	int parsed, status = CHECK_WORKS;

	if (command == CLI_COMMAND_CHECK_URL) {
		struct check_url_options options;

		parsed = cli_parse_check_url(argc, argv, &options, &help,
					     message, sizeof message);
		if (parsed == 0 && !help)
			status = check_url(&options, message, sizeof message);
	} else {
		struct check_port_options options;

		parsed = cli_parse_check_port(argc, argv, &options, &help,
					      message, sizeof message);
		if (parsed == 0 && !help)
			status = check_port(&options, message, sizeof message);
	}
	if (parsed < 0) {
		fprintf(stderr, "promise-run %s: %s (see --help)\n", argv[0],
			message);
		return CHECK_USAGE;
	}
	if (help) {
		fputs(message, stdout);
		status = CHECK_WORKS;
	} else if (*message) {
		/* A promise's message is its output: one line on stdout. */
		puts(message);
	}
	return finish_output() < 0 && status == CHECK_WORKS ? EXIT_BROKEN
							    : status;
}

int main(int argc, char **argv)
{
	struct cli_options options;
	struct session session = { .options = &options, .out = stdout };
	struct atomic_file output = { 0 };
	struct config *configs;
	bool *loaded;
	char error[256];
	char **homes;
	size_t home_count;

	enum cli_command command;

	if (ensure_standard_fds() < 0)
		return EXIT_BROKEN;
	command = cli_command(argc, argv);
	if (command != CLI_COMMAND_RUN)
		return run_check(command, argc - 1, argv + 1);
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
	/* --list shows and runs nothing: it writes nothing in the instance. */
	if (options.action == CLI_LIST)
		options.state = false;
	homes = resolve_homes(&options, &home_count);
	if (!homes)
		return EXIT_BROKEN;
	configs = session_load_configs(&options, homes, home_count, &loaded);
	if (!configs) {
		free_homes(homes, home_count);
		return EXIT_BROKEN;
	}
	/* An output file that cannot be written fails before anything runs. */
	if (options.output) {
		if (atomic_file_open(&output, options.output) < 0) {
			complain("cannot write '%s': %s", options.output,
				 strerror(errno));
			session.broken = true;
		}
		session.out = output.stream;
	}
	session.color = !options.output && use_color(options.color);
	session.runner = session.broken ? NULL : runner_create();
	if (!session.runner && !session.broken) {
		complain("cannot prepare to run promises: %s", strerror(errno));
		session.broken = true;
	}
	for (size_t i = 0; session.runner && i < home_count; i++) {
		session_visit(&session, homes[i],
			       loaded[i] ? &configs[i] : NULL);
		homes[i] = NULL;        /* the instance report owned it */
		if (session.interrupt_signal) {
			complain("interrupted by SIG%s: promises stopped",
				 sigabbrev_np(session.interrupt_signal));
			break;
		}
	}
	if (options.action == CLI_RUN && options.format == REPORT_TEXT &&
	    home_count > 1 && !session.interrupt_signal && !session.broken)
		text_report_verdict(session.out, session.color,
				    options.verbosity, session.instances,
				    session.not_working_instances);
	if (session.runner && options.format != REPORT_TEXT &&
	    session_render_document(&session) < 0) {
		complain("cannot build the report: %s", strerror(errno));
		session.broken = true;
	}
	if (options.output && output.stream) {
		if (atomic_file_close(&output, true) < 0 ||
		    atomic_file_commit(&output) < 0) {
			complain("cannot write '%s': %s", options.output,
				 strerror(errno));
			session.broken = true;
		}
		atomic_file_discard(&output);
	}
	if (finish_output() < 0)
		session.broken = true;
	runner_destroy(session.runner);
	session_free(&session);
	for (size_t i = 0; i < home_count; i++)
		config_free(&configs[i]);
	free(configs);
	free(loaded);
	free_homes(homes, home_count);
	return exit_status(&session);
}
