/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* config: configuration text to settings, and exact FILE:LINE errors. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "helpers.h"
#include "report.h"
#include "suites.h"

static void parse_ok(const char *text, bool operator, struct config *config)
{
	char error[512] = "";

	ck_assert_msg(config_parse_text(text, strlen(text), "test.conf",
					operator, config, error,
					sizeof error) == 0,
		      "%s", error);
}

/* Text that must be refused with exactly `message`; the config is empty. */
static void assert_refused(const char *text, size_t size, bool operator,
                           const char *message)
{
	struct config config;
	char error[512] = "";

	ck_assert_int_eq(config_parse_text(text, size, "test.conf", operator,
					   &config, error, sizeof error), -1);
	ck_assert_str_eq(error, message);
	ck_assert_ptr_null(config.path);
	ck_assert_uint_eq(config.promise_count, 0);
	ck_assert_uint_eq(config.warning_count, 0);
}

#define ASSERT_REFUSED(text, operator, message) \
	assert_refused(text, strlen(text), operator, message)

START_TEST(test_config_reads_the_keys_of_run)
{
	struct config config;
	const struct setting_value *run = config.run.values;

	parse_ok("[run]\ntimeout = 5\nkill-after = 2\njobs = 3\n"
		 "clean-env = yes\nstate = no\nmode = anomaly\n"
		 "periodicity = 60\nnagios-levels = on\n", false, &config);
	ck_assert_str_eq(config.path, "test.conf");
	ck_assert(!config.operator);
	ck_assert(run[SETTING_TIMEOUT].seconds == 5);
	ck_assert_int_eq(run[SETTING_TIMEOUT].source, SOURCE_CONFIG);
	ck_assert(run[SETTING_KILL_AFTER].seconds == 2);
	ck_assert_uint_eq(run[SETTING_JOBS].count, 3);
	ck_assert(run[SETTING_CLEAN_ENV].given && run[SETTING_CLEAN_ENV].flag);
	ck_assert(run[SETTING_STATE].given && !run[SETTING_STATE].flag);
	ck_assert_int_eq(run[SETTING_MODE].choice, MODE_ANOMALY);
	ck_assert(run[SETTING_PERIODICITY].seconds == 60);
	ck_assert(run[SETTING_NAGIOS_LEVELS].flag);
	ck_assert(!run[SETTING_FORMAT].given);
	ck_assert_uint_eq(config.promise_count, 0);
	ck_assert_uint_eq(config.warning_count, 0);
	config_release(&config);
	ck_assert_ptr_null(config.path);
}
END_TEST

START_TEST(test_config_reads_promise_sections)
{
	struct config config;
	const struct promise_config *a, *b;

	parse_ok("; comment\n[promise:a.sh]\ntimeout = 3\nskip = yes\n\n"
		 "# another\n[promise:b.sh]\nperiodicity=10\n", false, &config);
	ck_assert_uint_eq(config.promise_count, 2);
	a = config_find_promise(&config, "a.sh");
	b = config_find_promise(&config, "b.sh");
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_str_eq(a->name, "a.sh");
	ck_assert_int_eq(a->line, 3);
	ck_assert(a->values.values[SETTING_TIMEOUT].seconds == 3);
	ck_assert(a->values.values[SETTING_SKIP].flag);
	ck_assert_int_eq(b->line, 8);
	ck_assert(b->values.values[SETTING_PERIODICITY].seconds == 10);
	ck_assert(!b->values.values[SETTING_TIMEOUT].given);
	ck_assert_ptr_null(config_find_promise(&config, "c.sh"));
	ck_assert_ptr_null(config_find_promise(&config, "a"));
	ck_assert(!config.run.values[SETTING_TIMEOUT].given);
	config_release(&config);
}
END_TEST

START_TEST(test_config_a_section_given_twice_is_one)
{
	struct config config;
	const struct promise_config *a;

	parse_ok("[promise:a.sh]\ntimeout = 1\n[run]\ntimeout = 4\n"
		 "[promise:a.sh]\nskip = yes\ntimeout = 2\n", true, &config);
	ck_assert_uint_eq(config.promise_count, 1);
	a = config_find_promise(&config, "a.sh");
	ck_assert(a->values.values[SETTING_TIMEOUT].seconds == 2);
	ck_assert(a->values.values[SETTING_SKIP].flag);
	ck_assert_int_eq(a->line, 2);
	ck_assert(config.run.values[SETTING_TIMEOUT].seconds == 4);
	config_release(&config);
}
END_TEST

START_TEST(test_config_unknown_key_lists_the_keys_allowed)
{
	ASSERT_REFUSED("[run]\ntimeout = 1\nbogus = 1\n", false,
		       "test.conf:3: unknown key 'bogus' in [run] (expected timeout, kill-after, jobs, clean-env, state, mode, periodicity or nagios-levels)");
	ASSERT_REFUSED("[run]\nskip = yes\n", true,
		       "test.conf:2: unknown key 'skip' in [run] (expected timeout, kill-after, jobs, format, clean-env, state, mode, periodicity, deadline, max-timeout, nagios-levels, containment, wait-timeout, plugins, plugin-python or plugin-runner)");
	ASSERT_REFUSED("[promise:a.sh]\njobs = 2\n", true,
		       "test.conf:2: unknown key 'jobs' in [promise:a.sh] (expected timeout, periodicity, skip or nagios-levels)");
}
END_TEST

START_TEST(test_config_bad_value_says_what_is_expected)
{
	ASSERT_REFUSED("[run]\ntimeout = soon\n", false,
		       "test.conf:2: bad value 'soon' for 'timeout': expected a number of seconds above 0");
	ASSERT_REFUSED("[run]\n\n\nstate = perhaps\n", false,
		       "test.conf:4: bad value 'perhaps' for 'state': expected yes or no");
	ASSERT_REFUSED("[run]\nformat = xml\n", true,
		       "test.conf:2: bad value 'xml' for 'format': expected text, json, json-seq, tap, junit, prometheus or nagios");
	ASSERT_REFUSED("[promise:a.sh]\ntimeout =\n", false,
		       "test.conf:2: bad value '' for 'timeout': expected a number of seconds above 0");
}
END_TEST

START_TEST(test_config_key_outside_any_section)
{
	ASSERT_REFUSED("timeout = 1\n[run]\n", false,
		       "test.conf:1: key 'timeout' outside any section (expected [run] or [promise:NAME] first)");
}
END_TEST

START_TEST(test_config_unknown_section)
{
	ASSERT_REFUSED("[run]\n[runs]\ntimeout = 1\n", false,
		       "test.conf:3: unknown section [runs] (expected [run] or [promise:NAME])");
}
END_TEST

START_TEST(test_config_bad_promise_section)
{
	ASSERT_REFUSED("[promise:]\nskip = yes\n", false,
		       "test.conf:2: bad section [promise:]: expected [promise:FILE NAME]");
	ASSERT_REFUSED("[promise:../a.sh]\nskip = yes\n", false,
		       "test.conf:2: bad section [promise:../a.sh]: expected [promise:FILE NAME]");
}
END_TEST

START_TEST(test_config_syntax_error_names_its_line)
{
	ASSERT_REFUSED("[run]\ntimeout\n", false,
		       "test.conf:2: syntax error (expected [section], key = value or a ; comment)");
	ASSERT_REFUSED("[run]\ntimeout = 1\n[promise:a.sh\n", false,
		       "test.conf:3: syntax error (expected [section], key = value or a ; comment)");
}
END_TEST

START_TEST(test_config_first_error_wins)
{
	ASSERT_REFUSED("[run]\nbogus = 1\nnot a line\n[x]\ny = 1\n", false,
		       "test.conf:2: unknown key 'bogus' in [run] (expected timeout, kill-after, jobs, clean-env, state, mode, periodicity or nagios-levels)");
	ASSERT_REFUSED("[run]\nnot a line\nbogus = 1\n", false,
		       "test.conf:2: syntax error (expected [section], key = value or a ; comment)");
}
END_TEST

/* "[run]\n" then a line of `length` characters (';' then 'x's) and '\n'. */
static char *run_with_long_line(size_t length, const char *tail)
{
	size_t tail_length = strlen(tail);
	char *text = malloc(6 + length + tail_length + 2);

	ck_assert_ptr_nonnull(text);
	memcpy(text, "[run]\n;", 7);
	memset(text + 7, 'x', length - 1);
	memcpy(text + 6 + length, tail, tail_length);
	memcpy(text + 6 + length + tail_length, "\n", 2);
	return text;
}

START_TEST(test_config_a_line_of_197_characters_is_read)
{
	char *text = run_with_long_line(197, "");
	struct config config;

	parse_ok(text, false, &config);
	config_release(&config);
	free(text);
}
END_TEST

START_TEST(test_config_a_longer_line_is_an_error_never_split)
{
	/* inih alone would cut it after 199 bytes and read a timeout. */
	char *text = run_with_long_line(199, "timeout = 0.001");

	ck_assert_uint_eq(strlen(text), 6 + 199 + 15 + 1);
	ASSERT_REFUSED(text, false, "test.conf:2: line longer than 197 characters");
	free(text);
	text = run_with_long_line(198, "");
	ASSERT_REFUSED(text, false, "test.conf:2: line longer than 197 characters");
	/* The line's end is not counted: the last line, without one, neither. */
	text[6 + 198] = '\0';
	ASSERT_REFUSED(text, false, "test.conf:2: line longer than 197 characters");
	free(text);
}
END_TEST

START_TEST(test_config_a_line_of_197_characters_ended_by_crlf_is_read)
{
	char *text = run_with_long_line(197, "\r");
	struct config config;

	parse_ok(text, false, &config);
	config_release(&config);
	free(text);
}
END_TEST

START_TEST(test_config_a_nul_byte_is_an_error)
{
	static const char text[] = "[run]\ntimeout = 1\ntime\0out = 2\n";

	assert_refused(text, sizeof text - 1, false,
		       "test.conf:3: a NUL byte, which a configuration file cannot hold");
}
END_TEST

START_TEST(test_config_run_wide_keys_of_a_home_file_are_ignored_with_warnings)
{
	struct config config;

	parse_ok("[run]\nformat = json\ntimeout = 3\ndeadline = 10\n"
		 "max-timeout = 5\n", false, &config);
	ck_assert_uint_eq(config.warning_count, 3);
	ck_assert_str_eq(config.warnings[0],
			 "test.conf:2: 'format' is a setting of the whole run: give it on the command line or in --config (ignored here)");
	ck_assert_str_eq(config.warnings[1],
			 "test.conf:4: 'deadline' is a setting of the whole run: give it on the command line or in --config (ignored here)");
	ck_assert_str_eq(config.warnings[2],
			 "test.conf:5: 'max-timeout' is a setting of the whole run: give it on the command line or in --config (ignored here)");
	ck_assert(!config.run.values[SETTING_FORMAT].given);
	ck_assert(!config.run.values[SETTING_DEADLINE].given);
	ck_assert(!config.run.values[SETTING_MAX_TIMEOUT].given);
	ck_assert(config.run.values[SETTING_TIMEOUT].seconds == 3);
	config_release(&config);
	ck_assert_ptr_null(config.warnings);
}
END_TEST

START_TEST(test_config_run_wide_keys_of_the_operators_file_are_taken)
{
	struct config config;

	parse_ok("[run]\nformat = json\ndeadline = 10\nmax-timeout = 5\n", true,
		 &config);
	ck_assert(config.operator);
	ck_assert_uint_eq(config.warning_count, 0);
	ck_assert_int_eq(config.run.values[SETTING_FORMAT].choice, REPORT_JSON);
	ck_assert(config.run.values[SETTING_DEADLINE].seconds == 10);
	ck_assert(config.run.values[SETTING_MAX_TIMEOUT].seconds == 5);
	config_release(&config);
}
END_TEST

/* The line number in "test.conf:N: ...", and the rest in *rest. */
static int error_line(const char *error, const char **rest)
{
	const char *prefix = "test.conf:";
	char *end;
	long line;

	ck_assert_int_eq(strncmp(error, prefix, strlen(prefix)), 0);
	line = strtol(error + strlen(prefix), &end, 10);
	*rest = end;
	return (int)line;
}

/* `text` with "; inserted\n" before its line `before` (0-based). */
static char *insert_comment(const char *text, int before)
{
	const char *at = text;
	char *result;

	for (int i = 0; i < before && *at; i++)
		at = strchr(at, '\n') + 1;
	ck_assert_int_ge(asprintf(&result, "%.*s; inserted\n%s",
				  (int)(at - text), text, at), 0);
	return result;
}

static void assert_same_settings(const struct config *a,
                                 const struct config *b)
{
	ck_assert_uint_eq(a->promise_count, b->promise_count);
	for (int id = 0; id < SETTING_COUNT; id++) {
		ck_assert_int_eq(a->run.values[id].given, b->run.values[id].given);
		ck_assert(a->run.values[id].seconds == b->run.values[id].seconds);
	}
	for (size_t p = 0; p < a->promise_count; p++) {
		ck_assert_str_eq(a->promises[p].name, b->promises[p].name);
		for (int id = 0; id < SETTING_COUNT; id++) {
			const struct setting_value *x = &a->promises[p].values.values[id];
			const struct setting_value *y = &b->promises[p].values.values[id];

			ck_assert_int_eq(x->given, y->given);
			ck_assert(x->seconds == y->seconds);
		}
	}
}

START_TEST(test_config_a_comment_line_anywhere_shifts_errors_by_one_and_changes_no_setting)
{
	static const char *const texts[] = {
		"[run]\ntimeout = 5\n[promise:a.sh]\nskip = yes\ntimeout = 2\n",
		"[run]\ntimeout = 5\n\n[promise:a.sh]\nbogus = 1\n",
		"[run]\nperiodicity = 9\nstate = perhaps\n",
		"[run]\ntimeout = 1\nnot a line\n",
		"[run]\n[nope]\nkey = 1\n",
		"key = 1\n",
		"[run]\ntimeout = 3\n[promise:a/b]\nskip = no\n",
	};

	for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
		const char *text = texts[t];
		struct config base, shifted;
		char base_error[512] = "", error[512] = "";
		int lines = 0, status;

		for (const char *c = text; *c; c++)
			lines += *c == '\n';
		status = config_parse_text(text, strlen(text), "test.conf", false,
					   &base, base_error, sizeof base_error);
		for (int before = 0; before <= lines; before++) {
			char *changed = insert_comment(text, before);
			int changed_status = config_parse_text(
				changed, strlen(changed), "test.conf", false,
				&shifted, error, sizeof error);

			ck_assert_int_eq(changed_status, status);
			if (status == 0) {
				assert_same_settings(&base, &shifted);
				config_release(&shifted);
			} else {
				const char *base_rest, *rest;
				int base_line = error_line(base_error, &base_rest);
				int line = error_line(error, &rest);

				ck_assert_msg(line == (before < base_line ? base_line + 1
									  : base_line),
					      "text %zu, comment before line %d: %s",
					      t, before + 1, error);
				ck_assert_str_eq(rest, base_rest);
			}
			free(changed);
		}
		if (status == 0)
			config_release(&base);
	}
}
END_TEST

START_TEST(test_config_load_file_reads_the_operators_file)
{
	char *folder = helper_temp_folder();
	int dir_fd = helper_open_folder(folder);
	char *path, *missing, error[512] = "";
	struct config config;

	helper_write_file(dir_fd, "run.conf", "[run]\nformat = tap\n", 0644);
	ck_assert_int_ge(asprintf(&path, "%s/run.conf", folder), 0);
	ck_assert_int_ge(asprintf(&missing, "%s/none.conf", folder), 0);
	ck_assert_int_eq(config_load_file(path, &config, error, sizeof error), 0);
	ck_assert(config.operator);
	ck_assert_str_eq(config.path, path);
	ck_assert_int_eq(config.run.values[SETTING_FORMAT].choice, REPORT_TAP);
	config_release(&config);

	ck_assert_int_eq(config_load_file(missing, &config, error, sizeof error), -1);
	{
		char *expected;

		ck_assert_int_ge(asprintf(&expected, "cannot read '%s': No such file or directory",
					  missing), 0);
		ck_assert_str_eq(error, expected);
		free(expected);
	}
	free(path);
	free(missing);
	close(dir_fd);
	helper_remove_tree(folder);
}
END_TEST

Suite *config_suite(void)
{
	Suite *suite = suite_create("config");
	TCase *tc = tcase_create("config");

	tcase_add_test(tc, test_config_reads_the_keys_of_run);
	tcase_add_test(tc, test_config_reads_promise_sections);
	tcase_add_test(tc, test_config_a_section_given_twice_is_one);
	tcase_add_test(tc, test_config_unknown_key_lists_the_keys_allowed);
	tcase_add_test(tc, test_config_bad_value_says_what_is_expected);
	tcase_add_test(tc, test_config_key_outside_any_section);
	tcase_add_test(tc, test_config_unknown_section);
	tcase_add_test(tc, test_config_bad_promise_section);
	tcase_add_test(tc, test_config_syntax_error_names_its_line);
	tcase_add_test(tc, test_config_first_error_wins);
	tcase_add_test(tc, test_config_a_line_of_197_characters_is_read);
	tcase_add_test(tc, test_config_a_longer_line_is_an_error_never_split);
	tcase_add_test(tc, test_config_a_line_of_197_characters_ended_by_crlf_is_read);
	tcase_add_test(tc, test_config_a_nul_byte_is_an_error);
	tcase_add_test(tc, test_config_run_wide_keys_of_a_home_file_are_ignored_with_warnings);
	tcase_add_test(tc, test_config_run_wide_keys_of_the_operators_file_are_taken);
	tcase_add_test(tc, test_config_a_comment_line_anywhere_shifts_errors_by_one_and_changes_no_setting);
	tcase_add_test(tc, test_config_load_file_reads_the_operators_file);
	suite_add_tcase(suite, tc);
	return suite;
}
