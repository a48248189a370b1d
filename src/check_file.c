/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* check_file: does a file exist, and is it fresh?  One stat(2). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "checks.h"
#include "option_error.h"

/* "1d 2h 3m 4s", the zero parts left out ("2h 5s"; "0s"). */
static void format_age(double seconds, char *text, size_t size)
{
	static const struct { long seconds; char unit; } parts[] = {
		{ 86400, 'd' }, { 3600, 'h' }, { 60, 'm' }, { 1, 's' },
	};
	long long left = (long long)seconds;
	size_t used = 0;

	text[0] = '\0';
	for (size_t i = 0; i < sizeof parts / sizeof *parts && used < size;
	     i++) {
		long long count = left / parts[i].seconds;

		left %= parts[i].seconds;
		if (count == 0 && !(parts[i].unit == 's' && used == 0))
			continue;
		used += (size_t)snprintf(text + used, size - used, "%s%lld%c",
					 used ? " " : "", count, parts[i].unit);
	}
}

enum check_status check_file(const struct check_file_options *options,
                             char *message, size_t message_size)
{
	struct timespec now;
	struct stat status;
	double age;
	char age_text[64], max_text[64];

	message[0] = '\0';
	/* Followed as `test -e` follows: the promise's user sees it so. */
	if (stat(options->path, &status) < 0) {
		if (errno == ENOENT)
			snprintf(message, message_size, "%s does not exist",
				 options->path);
		else
			snprintf(message, message_size,
				 "%s cannot be checked (%s)", options->path,
				 strerror(errno));
		return CHECK_UNREACHABLE;
	}
	if (options->max_age <= 0)
		return CHECK_WORKS;
	if (clock_gettime(CLOCK_REALTIME, &now) < 0) {
		snprintf(message, message_size, "cannot read the clock (%s)",
			 strerror(errno));
		return CHECK_UNREACHABLE;
	}
	age = (double)(now.tv_sec - status.st_mtim.tv_sec) +
	      (double)(now.tv_nsec - status.st_mtim.tv_nsec) / 1e9;
	/* A time in the future (a clock set back) is no age at all. */
	if (age <= options->max_age)
		return CHECK_WORKS;
	format_age(age, age_text, sizeof age_text);
	format_age(options->max_age, max_text, sizeof max_text);
	snprintf(message, message_size,
		 "%s is too old: modified %s ago (max-age %s)", options->path,
		 age_text, max_text);
	return CHECK_UNEXPECTED;
}

static const char check_file_usage[] =
	"Usage: promise-run check-file FILE [--max-age=AGE]\n"
	"Works (exit 0, silent) when FILE exists (symbolic links followed)\n"
	"and, with --max-age, was modified at most AGE ago: seconds, or a\n"
	"number with m, h or d (minutes, hours, days): 90, 15m, 26h, 7d.\n"
	"Exit status: 0 works, 1 missing or unreadable, 2 too old, 3 usage\n"
	"error.\n";

enum {
	CHECK_MAX_AGE = 256,
	CHECK_HELP,
};

static const struct option check_file_options_table[] = {
	{ "max-age", required_argument, NULL, CHECK_MAX_AGE },
	{ "help",    no_argument,       NULL, CHECK_HELP },
	{ NULL, 0, NULL, 0 },
};

int check_file_parse(int argc, char **argv, struct check_file_options *options,
                     bool *help, char *error, size_t error_size)
{
	int option;

	*options = (struct check_file_options){ 0 };
	*help = false;
	optind = 0;
	opterr = 0;
	while ((option = getopt_long(argc, argv, ":", check_file_options_table,
				     NULL)) != -1) {
		switch (option) {
		case CHECK_MAX_AGE:
			if (checks_parse_age(optarg, &options->max_age) < 0)
				return option_fail(error, error_size,
					    "option '--max-age' expects an age above 0 such as 90, 15m, 26h or 7d, not '%s'",
					    optarg);
			break;
		case CHECK_HELP:
			*help = true;
			return 0;
		default:
			return checks_option_error(option, argv, error,
						   error_size);
		}
	}
	if (argc - optind != 1 || !*argv[optind])
		return option_fail(error, error_size, "one FILE expected");
	options->path = argv[optind];
	return 0;
}

int check_file_main(int argc, char **argv)
{
	struct check_file_options options;
	char message[2048];
	bool help;

	if (check_file_parse(argc, argv, &options, &help, message,
			     sizeof message) < 0)
		return checks_say(argv[0], CHECK_USAGE, message);
	if (help)
		return checks_help(check_file_usage);
	return checks_say(argv[0],
			  check_file(&options, message, sizeof message), message);
}
