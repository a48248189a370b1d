/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * promise-run: runs the promises of SlapOS-style instances and tells
 * whether they work.  Glue only: parse, set up, run, exit status.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_declared.h"
#include "check_helper.h"
#include "checks.h"
#include "cli.h"
#include "complain.h"
#include "config.h"
#include "deadline.h"
#include "homes.h"
#include "identity.h"
#include "scheduler.h"
#include "signals.h"
#include "spawn.h"
#include "value.h"

extern char **environ;

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

/* Writes a text to stdout for --help and --version; the exit status. */
static int print(const char *text)
{
	fputs(text, stdout);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		complain("cannot write: %s", strerror(errno));
		return EXIT_BROKEN;
	}
	return EXIT_WORKING;
}

static int exit_status(const struct scheduler_verdict *verdict)
{
	if (verdict->stop_signal) {
		/* After the clean-up: end by the signal, as it asked. */
		signals_die_by(verdict->stop_signal);
		return EXIT_SIGNAL_BASE + verdict->stop_signal;
	}
	/* The plugin's exit status is its status line's, always. */
	if (verdict->format == REPORT_NAGIOS)
		return verdict->nagios_status;
	if (verdict->broken || verdict->verdict == VERDICT_NOT_CHECKED)
		return EXIT_BROKEN;
	return verdict->verdict == VERDICT_NOT_WORKING ? EXIT_NOT_WORKING
						       : EXIT_WORKING;
}

/* --user: for root only, and a user that exists; -1 after saying why. */
static int check_user_option(const char *name)
{
	struct passwd *user;

	if (geteuid() != 0) {
		complain("option '--user' needs promise-run to run as root");
		return -1;
	}
	errno = 0;
	user = getpwnam(name);
	if (user)
		return 0;
	if (errno == 0 || errno == ENOENT || errno == ESRCH)
		complain("option '--user': no user is named '%s'", name);
	else
		complain("option '--user': cannot look up '%s': %s", name,
			 strerror(errno));
	return -1;
}

/*
 * A deadline too short to start and still stop a promise would run
 * nothing and call every promise "not run": it is refused at once,
 * naming where it was given.
 */
static bool deadline_leaves_no_time(const struct setting_values *run,
                                    const struct config *operator_config)
{
	const struct setting_value *given = &run->values[SETTING_DEADLINE];
	double kill_after = run->values[SETTING_KILL_AFTER].seconds;
	char deadline[32], kept[32], stopping[32];

	if (deadline_leaves_time(given->seconds, kill_after))
		return false;
	value_format_seconds(given->seconds, deadline, sizeof deadline);
	value_format_seconds(deadline_reserve(given->seconds), kept,
			     sizeof kept);
	value_format_seconds(kill_after, stopping, sizeof stopping);
	if (given->source == SOURCE_CONFIG && operator_config)
		complain("%s: deadline %ss leaves no time to run a promise (%ss is kept for the state and the report, and stopping one takes its kill-after, %ss, and 0.1s more)",
			 operator_config->path, deadline, kept, stopping);
	else
		complain("option '--deadline': %ss leaves no time to run a promise (%ss is kept for the state and the report, and stopping one takes its kill-after, %ss, and 0.1s more)",
			 deadline, kept, stopping);
	return true;
}

/*
 * The settings of the whole run: the command line, the operator's file,
 * the defaults, merged once and checked before anything runs; 0, or -1
 * after saying why not.
 */
static int resolve_run(const struct cli_options *options,
                       const struct config *operator_config,
                       struct setting_values *run)
{
	enum report_format format;

	settings_resolve(&options->settings,
			 operator_config ? &operator_config->run : NULL, NULL,
			 false, run);
	format = (enum report_format)run->values[SETTING_FORMAT].choice;
	if (run->values[SETTING_DEADLINE].seconds > 0 &&
	    options->action == CLI_RUN &&
	    deadline_leaves_no_time(run, operator_config))
		return -1;
	if (options->action == CLI_LIST && format != REPORT_TEXT &&
	    format != REPORT_JSON) {
		complain("option '--list' prints text or json, not the other formats");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct cli_options options;
	struct config operator_config;
	struct scheduler_verdict verdict;
	struct setting_values run;
	struct signals signals;
	struct homes homes;
	char error[512], self[PATH_MAX];
	ssize_t self_length;
	int status;

	/* Executed by spawn to become a user: before anything else. */
	if (argc > 1 && strcmp(argv[1], SPAWN_AS_COMMAND) == 0)
		return spawn_as_main(argc, argv);
	if (argc > 1 && strcmp(argv[1], CHECK_HELPER_COMMAND) == 0)
		return check_helper_main(argc, argv);
	if (ensure_standard_fds() < 0)
		return EXIT_BROKEN;
	if (argc > 1 && strcmp(argv[1], "check-url") == 0)
		return check_url_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "check-port") == 0)
		return check_port_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "check-cert") == 0)
		return check_cert_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "check-file") == 0)
		return check_file_main(argc - 1, argv + 1);
	/* What the kernel runs for a declared check's "#!PATH check". */
	if (argc > 1 && strcmp(argv[1], DECLARED_COMMAND) == 0)
		return check_declared_main(argc - 1, argv + 1);
	/* Internal, for the tests of what ships (see cli.h). */
	if (argc == 2 && strcmp(argv[1], CLI_TABLE_COMMAND) == 0)
		return print(cli_options_table());
	if (cli_parse(argc, argv, &options, error, sizeof error) < 0) {
		complain("%s (see --help)", error);
		return EXIT_BROKEN;
	}
	if (options.action == CLI_HELP || options.action == CLI_VERSION) {
		status = print(options.action == CLI_HELP
				       ? cli_usage()
				       : "promise-run " PROMISE_RUN_VERSION "\n");
		cli_release(&options);
		return status;
	}
	if (options.user && check_user_option(options.user) < 0) {
		cli_release(&options);
		return EXIT_BROKEN;
	}
	if (options.config && config_load_file(options.config, &operator_config,
					       error, sizeof error) < 0) {
		complain("%s", error);
		cli_release(&options);
		return EXIT_BROKEN;
	}
	status = resolve_run(&options, options.config ? &operator_config : NULL,
			     &run);
	if (status == 0 &&
	    homes_expand(options.homes, options.home_count, geteuid() == 0,
			 &homes, error, sizeof error) < 0) {
		complain("%s", error);
		status = -1;
	}
	if (status < 0) {
		if (options.config)
			config_release(&operator_config);
		cli_release(&options);
		return EXIT_BROKEN;
	}
	/* PROMISE_RUN: promise-run's own path, for promises to exec. */
	self_length = readlink("/proc/self/exe", self, sizeof self - 1);
	self[self_length > 0 ? self_length : 0] = '\0';
	if (signals_init(&signals) < 0 || identity_init() < 0) {
		complain("cannot prepare to run promises: %s", strerror(errno));
		status = EXIT_BROKEN;
		goto out;
	}
	struct scheduler_input input = {
		.cli = &options,
		.operator_config = options.config ? &operator_config : NULL,
		.run = &run,
		.signals = &signals,
		.self = self_length > 0 ? self : NULL,
		.version = PROMISE_RUN_VERSION,
		.environment = environ,
		.homes = homes.paths,
		.refusals = homes.refusals,
		.home_count = homes.count,
	};
	scheduler_run(&input, &verdict);
	signals_release(&signals);
	status = exit_status(&verdict);
out:
	homes_release(&homes);
	if (options.config)
		config_release(&operator_config);
	cli_release(&options);
	return status;
}
