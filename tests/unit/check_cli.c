/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* cli: argv to options, and one-line errors. */
#include <string.h>

#include "cli.h"
#include "report.h"
#include "suites.h"

/* argv and argc of a command line after "promise-run". */
#define ARGV(...) \
	char *argv[] = { "promise-run", __VA_ARGS__, NULL }; \
	int argc = (int)(sizeof argv / sizeof *argv) - 1

/* Parses a command line that must be accepted (the homes point into argv). */
static void parse_ok(char **argv, struct cli_options *options)
{
	char error[256] = "";
	int argc = 0;

	while (argv[argc])
		argc++;
	ck_assert_msg(cli_parse(argc, argv, options, error, sizeof error) == 0,
		      "%s", error);
}

/* Parses a command line that must be accepted; no homes read after. */
#define PARSE_OK(options, ...) do { \
	ARGV(__VA_ARGS__); \
	char error_[256] = ""; \
	ck_assert_msg(cli_parse(argc, argv, options, error_, sizeof error_) == 0, \
		      "%s", error_); \
} while (0)

/* A command line that must be refused with exactly `message`. */
#define ASSERT_REFUSED(message, ...) do { \
	ARGV(__VA_ARGS__); \
	struct cli_options options_; \
	char error_[256] = ""; \
	ck_assert_int_eq(cli_parse(argc, argv, &options_, error_, sizeof error_), -1); \
	ck_assert_str_eq(error_, message); \
	ck_assert_ptr_null(options_.only.words); \
	ck_assert_ptr_null(options_.keep_env.words); \
} while (0)

START_TEST(test_cli_defaults_without_options)
{
	char *argv[] = { "promise-run", NULL };
	struct cli_options options;
	char error[256];

	ck_assert_int_eq(cli_parse(1, argv, &options, error, sizeof error), 0);
	ck_assert_int_eq(options.action, CLI_RUN);
	ck_assert_int_eq(options.verbosity, CLI_NORMAL);
	ck_assert_int_eq(options.color, CLI_COLOR_AUTO);
	ck_assert_ptr_null(options.output);
	ck_assert_ptr_null(options.promise_dir);
	ck_assert_ptr_null(options.log_folder);
	ck_assert_ptr_null(options.config);
	ck_assert_ptr_null(options.user);
	ck_assert(!options.wait && !options.force && !options.no_config);
	ck_assert_uint_eq(options.only.count, 0);
	ck_assert_uint_eq(options.keep_env.count, 0);
	ck_assert_uint_eq(options.home_count, 0);
	for (int id = 0; id < SETTING_COUNT; id++)
		ck_assert(!options.settings.values[id].given);
	cli_release(&options);
}
END_TEST

START_TEST(test_cli_setting_options_take_their_values)
{
	struct cli_options options;
	const struct setting_value *values = options.settings.values;

	PARSE_OK(&options, "-t", "0.5", "--kill-after=3", "-j", "4",
		 "--format", "json", "--deadline=60", "--max-timeout", "100",
		 "--nagios-levels", "-k", "2");
	ck_assert(values[SETTING_TIMEOUT].given);
	ck_assert_int_eq(values[SETTING_TIMEOUT].source, SOURCE_COMMAND_LINE);
	ck_assert(values[SETTING_TIMEOUT].seconds == 0.5);
	/* The last of a repeated setting wins. */
	ck_assert(values[SETTING_KILL_AFTER].seconds == 2);
	ck_assert_uint_eq(values[SETTING_JOBS].count, 4);
	ck_assert_int_eq(values[SETTING_FORMAT].choice, REPORT_JSON);
	ck_assert(values[SETTING_DEADLINE].seconds == 60);
	ck_assert(values[SETTING_MAX_TIMEOUT].seconds == 100);
	ck_assert(values[SETTING_NAGIOS_LEVELS].flag);
	ck_assert(!values[SETTING_STATE].given);
	ck_assert(!values[SETTING_MODE].given);
	cli_release(&options);
}
END_TEST

START_TEST(test_cli_promise_timeout_is_an_alias_of_timeout)
{
	struct cli_options options;

	PARSE_OK(&options, "--promise-timeout=7");
	ck_assert(options.settings.values[SETTING_TIMEOUT].seconds == 7);
	cli_release(&options);
}
END_TEST

START_TEST(test_cli_flags_set_their_settings)
{
	struct cli_options options;
	const struct setting_value *values = options.settings.values;

	PARSE_OK(&options, "--no-state", "--check-anomaly", "--clean-env");
	ck_assert(values[SETTING_STATE].given);
	ck_assert(!values[SETTING_STATE].flag);
	ck_assert(values[SETTING_MODE].given);
	ck_assert_int_eq(values[SETTING_MODE].choice, MODE_ANOMALY);
	ck_assert(values[SETTING_CLEAN_ENV].given);
	ck_assert(values[SETTING_CLEAN_ENV].flag);
	cli_release(&options);
}
END_TEST

START_TEST(test_cli_own_options_take_their_values)
{
	struct cli_options options;

	PARSE_OK(&options, "-d", "promises", "-o", "report.json", "--wait",
		 "-c", "run.conf", "--no-config", "--user=slapuser0", "--force",
		 "--log-folder", "/var/log/p", "-l", "-q", "--color=never");
	ck_assert_str_eq(options.promise_dir, "promises");
	ck_assert_str_eq(options.output, "report.json");
	ck_assert(options.wait);
	ck_assert_str_eq(options.config, "run.conf");
	ck_assert(options.no_config);
	ck_assert_str_eq(options.user, "slapuser0");
	ck_assert(options.force);
	ck_assert_str_eq(options.log_folder, "/var/log/p");
	ck_assert_int_eq(options.action, CLI_LIST);
	ck_assert_int_eq(options.verbosity, CLI_QUIET);
	ck_assert_int_eq(options.color, CLI_COLOR_NEVER);
	cli_release(&options);

	PARSE_OK(&options, "-q", "--verbose", "--color");
	ck_assert_int_eq(options.verbosity, CLI_VERBOSE);
	ck_assert_int_eq(options.color, CLI_COLOR_ALWAYS);
	cli_release(&options);
}
END_TEST

START_TEST(test_cli_output_dash_means_standard_output)
{
	struct cli_options options;

	PARSE_OK(&options, "-o", "-");
	ck_assert_ptr_null(options.output);
	cli_release(&options);
	PARSE_OK(&options, "--output=report.txt", "--output=-");
	ck_assert_ptr_null(options.output);
	cli_release(&options);
}
END_TEST

START_TEST(test_cli_only_and_keep_env_repeat)
{
	struct cli_options options;

	PARSE_OK(&options, "--only", "a.sh", "--keep-env=FOO", "--only=b.sh",
		 "--keep-env", "BAR", "--only", "a.sh");
	ck_assert_uint_eq(options.only.count, 3);
	ck_assert_str_eq(options.only.words[0], "a.sh");
	ck_assert_str_eq(options.only.words[1], "b.sh");
	ck_assert_str_eq(options.only.words[2], "a.sh");
	ck_assert_uint_eq(options.keep_env.count, 2);
	ck_assert_str_eq(options.keep_env.words[0], "FOO");
	ck_assert_str_eq(options.keep_env.words[1], "BAR");
	cli_release(&options);
	ck_assert_ptr_null(options.only.words);
	ck_assert_uint_eq(options.only.count, 0);
	ck_assert_ptr_null(options.keep_env.words);
}
END_TEST

START_TEST(test_cli_help_and_version_stop_the_parse)
{
	struct cli_options options;

	PARSE_OK(&options, "-h", "--no-such-option");
	ck_assert_int_eq(options.action, CLI_HELP);
	cli_release(&options);
	PARSE_OK(&options, "--help");
	ck_assert_int_eq(options.action, CLI_HELP);
	cli_release(&options);
	PARSE_OK(&options, "-l", "-V");
	ck_assert_int_eq(options.action, CLI_VERSION);
	cli_release(&options);
	PARSE_OK(&options, "--version");
	ck_assert_int_eq(options.action, CLI_VERSION);
	cli_release(&options);
}
END_TEST

START_TEST(test_cli_homes_follow_the_options_in_order)
{
	char *argv[] = { "promise-run", "/srv/a", "-q", "/srv/b", NULL };
	struct cli_options options;

	parse_ok(argv, &options);
	ck_assert_uint_eq(options.home_count, 2);
	ck_assert_str_eq(options.homes[0], "/srv/a");
	ck_assert_str_eq(options.homes[1], "/srv/b");
	ck_assert_int_eq(options.verbosity, CLI_QUIET);
	cli_release(&options);
}
END_TEST

START_TEST(test_cli_double_dash_ends_the_options)
{
	char *argv[] = { "promise-run", "-q", "--", "-t", "--home", NULL };
	struct cli_options options;

	parse_ok(argv, &options);
	ck_assert_uint_eq(options.home_count, 2);
	ck_assert_str_eq(options.homes[0], "-t");
	ck_assert_str_eq(options.homes[1], "--home");
	ck_assert(!options.settings.values[SETTING_TIMEOUT].given);
	cli_release(&options);
}
END_TEST

START_TEST(test_cli_parses_afresh_each_time)
{
	char *first[] = { "promise-run", "-t", "3", "/srv/a", NULL };
	char *second[] = { "promise-run", "-j", "2", "/srv/b", NULL };
	struct cli_options options;

	parse_ok(first, &options);
	cli_release(&options);
	parse_ok(second, &options);
	ck_assert(!options.settings.values[SETTING_TIMEOUT].given);
	ck_assert_uint_eq(options.settings.values[SETTING_JOBS].count, 2);
	ck_assert_uint_eq(options.home_count, 1);
	ck_assert_str_eq(options.homes[0], "/srv/b");
	cli_release(&options);
}
END_TEST

START_TEST(test_cli_refuses_a_bad_setting_value_in_one_line)
{
	ASSERT_REFUSED("option '-t' expects a number of seconds above 0, not '0'",
		       "-t", "0");
	ASSERT_REFUSED("option '--jobs' expects a whole number from 1 to 4096, not '0'",
		       "--jobs=0");
	ASSERT_REFUSED("option '--format' expects text, json, json-seq, tap, junit, prometheus or nagios, not 'xml'",
		       "--format", "xml");
	ASSERT_REFUSED("option '--promise-timeout' expects a number of seconds above 0, not '1e3'",
		       "--promise-timeout=1e3");
	ASSERT_REFUSED("option '--timeout' expects a number of seconds above 0, not ''",
		       "--timeout=");
	ASSERT_REFUSED("option '--kill-after' expects a number of seconds, not '-1'",
		       "--kill-after", "-1");
}
END_TEST

START_TEST(test_cli_refuses_an_option_without_its_value)
{
	ASSERT_REFUSED("option '--timeout' requires a value", "--timeout");
	ASSERT_REFUSED("option '-t' requires a value", "-t");
	ASSERT_REFUSED("option '-o' requires a value", "-q", "-o");
	ASSERT_REFUSED("option '--only' requires a value", "--only");
}
END_TEST

START_TEST(test_cli_refuses_empty_values_of_its_own_options)
{
	ASSERT_REFUSED("option '-d' expects a folder", "-d", "");
	ASSERT_REFUSED("option '--output' expects a file", "--output=");
	ASSERT_REFUSED("option '--config' expects a file", "--config", "");
	ASSERT_REFUSED("option '--log-folder' expects a folder", "--log-folder=");
	ASSERT_REFUSED("option '--user' expects a user name", "--user=");
}
END_TEST

START_TEST(test_cli_only_takes_a_file_name_and_keep_env_a_variable_name)
{
	ASSERT_REFUSED("option '--only' expects a promise's file name, not 'a/b.sh'",
		       "--only=a/b.sh");
	ASSERT_REFUSED("option '--only' expects a promise's file name, not ''",
		       "--only", "");
	/* The words given before the refusal are freed. */
	ASSERT_REFUSED("option '--keep-env' expects a variable name, not 'A=B'",
		       "--keep-env=FOO", "--only=a.sh", "--keep-env", "A=B");
}
END_TEST

START_TEST(test_cli_color_takes_auto_always_or_never)
{
	struct cli_options options;

	PARSE_OK(&options, "--color=always", "--color=auto");
	ck_assert_int_eq(options.color, CLI_COLOR_AUTO);
	cli_release(&options);
	ASSERT_REFUSED("option '--color' expects auto, always or never, not 'sometimes'",
		       "--color=sometimes");
}
END_TEST

START_TEST(test_cli_refuses_unknown_options)
{
	ASSERT_REFUSED("unknown option '--bogus'", "--bogus");
	ASSERT_REFUSED("unknown option '--bogus=1'", "/srv/a", "--bogus=1");
	ASSERT_REFUSED("unknown option '-x'", "-x");
	ASSERT_REFUSED("unknown option '-Z'", "-qZ");
}
END_TEST

/* --help, written from the table: each option in order, with its default. */
START_TEST(test_cli_usage_lists_every_option_of_the_table_in_order)
{
	const char *usage = cli_usage(), *at = usage;

	ck_assert_ptr_nonnull(strstr(usage, "Usage: promise-run [OPTION]... [INSTANCE_HOME]...\n"));
	for (size_t i = 0; i < OPTION_COUNT; i++) {
		const struct setting_spec *spec = &settings_table[i];
		char option[64], fallback[64];
		const char *line, *next;

		if (!spec->option) {
			ck_assert_ptr_nonnull(spec->key);
			continue;
		}
		snprintf(option, sizeof option, " --%s%s%s%s%s", spec->option,
			 spec->optional ? "[" : "", spec->argument ? "=" : "",
			 spec->argument ? spec->argument : "",
			 spec->optional ? "]" : "");
		line = strstr(at, option);
		ck_assert_msg(line != NULL, "%s, in the table's order", option);
		at = line + 1;
		if (spec->alias) {
			snprintf(option, sizeof option, "alias --%s", spec->alias);
			ck_assert_msg(strstr(usage, option), "%s", option);
		}
		/* Its default, in its own lines. */
		next = strstr(line, "\n  -");
		if (!next)
			next = line + strlen(line);
		if (spec->argument && spec->default_value) {
			snprintf(fallback, sizeof fallback, "(default %s",
				 spec->default_value);
			ck_assert_msg(strstr(line, fallback) &&
				      strstr(line, fallback) < next,
				      "%s: %s", option, fallback);
		}
	}
	ck_assert_ptr_nonnull(strstr(usage, "1 promise-run could not do its job, 128+N stopped by signal N.\n"
				  "Documentation: man promise-run, and doc/ in its sources.\n"));
}
END_TEST

/* Lines of at most 77 columns, and the words of each option in full. */
START_TEST(test_cli_usage_wraps_its_lines)
{
	const char *usage = cli_usage();

	for (const char *line = usage; *line;) {
		const char *end = strchr(line, '\n');

		ck_assert_ptr_nonnull(end);
		ck_assert_msg(end - line <= 77, "%.*s", (int)(end - line), line);
		ck_assert_msg(end == line || end[-1] != ' ', "blank at the end: %.*s",
			      (int)(end - line), line);
		line = end + 1;
	}
	ck_assert_ptr_nonnull(strstr(usage, "\n  -k, --kill-after=SECONDS SIGKILL a promise SECONDS after SIGTERM\n"
				  "                           (default 1)\n"));
	ck_assert_ptr_nonnull(strstr(usage, "\n      --max-timeout=SECONDS  the longest timeout"));
	ck_assert_ptr_nonnull(strstr(usage, "(default: 8 per processor, 16 to 64)"));
	ck_assert_ptr_nonnull(strstr(usage, "the report's format: text, json, json-seq, tap,\n"
				  "                           junit, prometheus or nagios (default text)\n"));
	ck_assert_ptr_nonnull(strstr(usage, "\n      --only=NAME          run only the promise file NAME (repeatable)\n"));
	ck_assert_ptr_nonnull(strstr(usage, "--color alone: always)"));
}
END_TEST

/* The internal options-table: one line per option, eight fields. */
START_TEST(test_cli_options_table_has_a_line_per_option)
{
	const char *table = cli_options_table();
	size_t lines = 0, options = 0;

	for (size_t i = 0; i < OPTION_COUNT; i++)
		options += settings_table[i].option != NULL;
	for (const char *line = table; *line; lines++) {
		const char *end = strchr(line, '\n');
		int tabs = 0;

		ck_assert_ptr_nonnull(end);
		for (const char *c = line; c < end; c++) {
			tabs += *c == '\t';
			ck_assert_msg(*c != '\t' || (c[1] != '\t' && c[1] != '\n'),
				      "an empty field: %.*s", (int)(end - line), line);
		}
		ck_assert_int_eq(tabs, 7);
		line = end + 1;
	}
	ck_assert_uint_eq(lines, options);
	ck_assert_ptr_nonnull(strstr(table, "-t, --timeout=SECONDS\ttimeout\tpromise-timeout\tt\tSECONDS\tseconds\t-\ttimeout\n"));
	ck_assert_ptr_nonnull(strstr(table, "\n--color[=WHEN]\tcolor\t-\t-\tWHEN\tchoice\tauto,always,never\t-\n"));
	ck_assert_ptr_nonnull(strstr(table, "\n--no-state\tno-state\t-\t-\t-\tboolean\t-\tstate\n"));
}
END_TEST

START_TEST(test_cli_refuses_a_value_given_to_an_option_that_takes_none)
{
	ASSERT_REFUSED("option '--no-state' takes no value", "--no-state=yes");
	ASSERT_REFUSED("option '--wait' takes no value", "--wait=1");
	ASSERT_REFUSED("option '--help' takes no value", "--help=3");
	ASSERT_REFUSED("unknown option '--bogus'", "--bogus");
}
END_TEST

Suite *cli_suite(void)
{
	Suite *suite = suite_create("cli");
	TCase *tc = tcase_create("cli");

	tcase_add_test(tc, test_cli_defaults_without_options);
	tcase_add_test(tc, test_cli_setting_options_take_their_values);
	tcase_add_test(tc, test_cli_promise_timeout_is_an_alias_of_timeout);
	tcase_add_test(tc, test_cli_flags_set_their_settings);
	tcase_add_test(tc, test_cli_own_options_take_their_values);
	tcase_add_test(tc, test_cli_output_dash_means_standard_output);
	tcase_add_test(tc, test_cli_only_and_keep_env_repeat);
	tcase_add_test(tc, test_cli_help_and_version_stop_the_parse);
	tcase_add_test(tc, test_cli_homes_follow_the_options_in_order);
	tcase_add_test(tc, test_cli_double_dash_ends_the_options);
	tcase_add_test(tc, test_cli_parses_afresh_each_time);
	tcase_add_test(tc, test_cli_refuses_a_bad_setting_value_in_one_line);
	tcase_add_test(tc, test_cli_refuses_an_option_without_its_value);
	tcase_add_test(tc, test_cli_refuses_empty_values_of_its_own_options);
	tcase_add_test(tc, test_cli_only_takes_a_file_name_and_keep_env_a_variable_name);
	tcase_add_test(tc, test_cli_color_takes_auto_always_or_never);
	tcase_add_test(tc, test_cli_refuses_unknown_options);
	tcase_add_test(tc, test_cli_usage_lists_every_option_of_the_table_in_order);
	tcase_add_test(tc, test_cli_usage_wraps_its_lines);
	tcase_add_test(tc, test_cli_options_table_has_a_line_per_option);
	tcase_add_test(tc, test_cli_refuses_a_value_given_to_an_option_that_takes_none);
	suite_add_tcase(suite, tc);
	return suite;
}
