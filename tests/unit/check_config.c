/* config: every key, every bad value, and the errors' file and line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "settings.h"
#include "suites.h"

static struct config config;
static char error[256];

static int parse(const char *text)
{
	error[0] = '\0';
	return config_parse_text(text, "test.conf", &config, error,
				 sizeof error);
}

static void teardown(void)
{
	config_free(&config);
}

START_TEST(test_config_reads_every_key)
{
	ck_assert_int_eq(parse("; comment\n"
			       "[run]\n"
			       "timeout = 2.5\n"
			       "kill-after = 0\n"
			       "jobs = 3\n"
			       "format = junit\n"
			       "clean-env = yes\n"
			       "state = no\n"
			       "\n"
			       "[promise:check.sh]\n"
			       "timeout = 7\n"
			       "[promise:old]\n"
			       "skip = true\n"), 0);
	ck_assert(config.has_timeout && config.timeout == 2.5);
	ck_assert(config.has_kill_after && config.kill_after == 0);
	ck_assert(config.has_jobs && config.jobs == 3);
	ck_assert(config.has_format && config.format == REPORT_JUNIT);
	ck_assert(config.has_clean_env && config.clean_env);
	ck_assert(config.has_state && !config.state);
	ck_assert_uint_eq(config.promise_count, 2);
	const struct promise_config *check = config_find_promise(&config, "check.sh");

	ck_assert_ptr_nonnull(check);
	ck_assert(check->has_timeout && check->timeout == 7 && !check->skip);
	ck_assert_int_eq(check->line, 11);
	ck_assert(config_find_promise(&config, "old")->skip);
	ck_assert_ptr_null(config_find_promise(&config, "other"));
}
END_TEST

START_TEST(test_config_empty_sets_nothing)
{
	ck_assert_int_eq(parse(""), 0);
	ck_assert(!config.has_timeout && !config.has_jobs && !config.has_state);
	ck_assert_uint_eq(config.promise_count, 0);
}
END_TEST

START_TEST(test_config_booleans)
{
	ck_assert_int_eq(parse("[run]\nstate = ON\nclean-env = 0\n"), 0);
	ck_assert(config.state && !config.clean_env);
	config_free(&config);
	ck_assert_int_eq(parse("[run]\nstate = maybe\n"), -1);
	ck_assert_str_eq(error, "test.conf:2: bad value 'maybe' for 'state': expected yes or no");
}
END_TEST

START_TEST(test_config_bad_values_name_file_line_and_key)
{
	ck_assert_int_eq(parse("[run]\n\ntimeout = soon\n"), -1);
	ck_assert_str_eq(error, "test.conf:3: bad value 'soon' for 'timeout': expected a number of seconds above 0");
	ck_assert_int_eq(parse("[run]\ntimeout = 0\n"), -1);
	ck_assert_str_eq(error, "test.conf:2: bad value '0' for 'timeout': expected a number of seconds above 0");
	ck_assert_int_eq(parse("[run]\nkill-after = -1\n"), -1);
	ck_assert_str_eq(error, "test.conf:2: bad value '-1' for 'kill-after': expected a number of seconds");
	ck_assert_int_eq(parse("[run]\njobs = 0\n"), -1);
	ck_assert_str_eq(error, "test.conf:2: bad value '0' for 'jobs': expected a whole number from 1 to 4096");
	ck_assert_int_eq(parse("[run]\nformat = xml\n"), -1);
	ck_assert_str_eq(error, "test.conf:2: bad value 'xml' for 'format': expected text, json, tap, junit or prometheus");
	ck_assert_int_eq(parse("[promise:a]\nskip = perhaps\n"), -1);
	ck_assert_str_eq(error, "test.conf:2: bad value 'perhaps' for 'skip': expected yes or no");
	ck_assert_int_eq(parse("[promise:a]\ntimeout = 1e9\n"), -1);
	ck_assert_str_eq(error, "test.conf:2: bad value '1e9' for 'timeout': expected a number of seconds above 0");
}
END_TEST

START_TEST(test_config_unknown_sections_and_keys)
{
	ck_assert_int_eq(parse("[run]\ntimout = 3\n"), -1);
	ck_assert_str_eq(error, "test.conf:2: unknown key 'timout' in [run] (expected timeout, kill-after, jobs, format, clean-env or state)");
	ck_assert_int_eq(parse("[promise:a]\njobs = 3\n"), -1);
	ck_assert_str_eq(error, "test.conf:2: unknown key 'jobs' in [promise:a] (expected timeout or skip)");
	ck_assert_int_eq(parse("[runner]\njobs = 3\n"), -1);
	ck_assert_str_eq(error, "test.conf:2: unknown section [runner] (expected [run] or [promise:NAME])");
	ck_assert_int_eq(parse("jobs = 3\n"), -1);
	ck_assert_str_eq(error, "test.conf:1: key 'jobs' outside any section (expected [run] or [promise:NAME] first)");
	ck_assert_int_eq(parse("[promise:]\nskip = yes\n"), -1);
	ck_assert_str_eq(error, "test.conf:2: bad section [promise:]: expected [promise:FILE NAME]");
}
END_TEST

START_TEST(test_config_syntax_errors_name_their_line)
{
	ck_assert_int_eq(parse("[run]\ntimeout = 3\nthis is not a setting\n"), -1);
	ck_assert_str_eq(error, "test.conf:3: syntax error (expected [section], key = value or a ; comment)");
	ck_assert_int_eq(parse("[run\n"), -1);
	ck_assert_str_eq(error, "test.conf:1: syntax error (expected [section], key = value or a ; comment)");
}
END_TEST

START_TEST(test_config_first_error_wins)
{
	ck_assert_int_eq(parse("[run]\nbad line\ntimeout = x\n"), -1);
	ck_assert_str_eq(error, "test.conf:2: syntax error (expected [section], key = value or a ; comment)");
	ck_assert_int_eq(parse("[run]\ntimeout = x\nbad line\n"), -1);
	ck_assert_str_eq(error, "test.conf:2: bad value 'x' for 'timeout': expected a number of seconds above 0");
}
END_TEST

START_TEST(test_config_counts_long_lines_once)
{
	char text[1024];

	snprintf(text, sizeof text, "[run]\n; %0500d\ntimeout = x\n", 0);
	ck_assert_int_eq(parse(text), -1);
	ck_assert_str_eq(error, "test.conf:3: bad value 'x' for 'timeout': expected a number of seconds above 0");
}
END_TEST

START_TEST(test_config_file_errors)
{
	char path[] = "/tmp/promise-run-config-XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "[run]\njobs = 2\n", 15), 15);
	close(fd);
	ck_assert_int_eq(config_load_file(path, &config, error, sizeof error), 0);
	ck_assert_uint_eq(config.jobs, 2);
	ck_assert_str_eq(config.path, path);
	config_free(&config);
	unlink(path);
	ck_assert_int_eq(config_load_file(path, &config, error, sizeof error), -1);
	ck_assert_ptr_nonnull(strstr(error, "No such file or directory"));
}
END_TEST

Suite *config_suite(void)
{
	Suite *suite = suite_create("config");
	TCase *cases = tcase_create("file");

	tcase_add_checked_fixture(cases, NULL, teardown);
	tcase_add_test(cases, test_config_reads_every_key);
	tcase_add_test(cases, test_config_empty_sets_nothing);
	tcase_add_test(cases, test_config_booleans);
	tcase_add_test(cases, test_config_bad_values_name_file_line_and_key);
	tcase_add_test(cases, test_config_unknown_sections_and_keys);
	tcase_add_test(cases, test_config_syntax_errors_name_their_line);
	tcase_add_test(cases, test_config_first_error_wins);
	tcase_add_test(cases, test_config_counts_long_lines_once);
	tcase_add_test(cases, test_config_file_errors);
	suite_add_tcase(suite, cases);
	return suite;
}

/* The options as cli_parse leaves them with no option given. */
static struct cli_options no_options(void)
{
	return (struct cli_options){ .timeout = 20, .kill_after = 1, .jobs = 4,
				     .state = true };
}

START_TEST(test_settings_file_over_defaults)
{
	struct cli_options options = no_options();
	struct instance_settings settings;

	ck_assert_int_eq(parse("[run]\ntimeout = 5\nkill-after = 0.5\njobs = 2\n"
			       "clean-env = yes\nstate = no\n"), 0);
	settings_for_instance(&options, &config, &settings);
	ck_assert_double_eq(settings.timeout, 5);
	ck_assert_double_eq(settings.kill_after, 0.5);
	ck_assert_uint_eq(settings.jobs, 2);
	ck_assert(settings.clean_env && !settings.state);
	settings_for_instance(&options, NULL, &settings);
	ck_assert_double_eq(settings.timeout, 20);
	ck_assert(!settings.clean_env && settings.state);
}
END_TEST

START_TEST(test_settings_command_line_over_file)
{
	struct cli_options options = no_options();
	struct instance_settings settings;

	options.timeout = 9;
	options.timeout_given = true;
	options.jobs = 7;
	options.jobs_given = true;
	options.state = false;
	options.state_given = true;
	ck_assert_int_eq(parse("[run]\ntimeout = 5\njobs = 2\nstate = yes\n"), 0);
	settings_for_instance(&options, &config, &settings);
	ck_assert_double_eq(settings.timeout, 9);
	ck_assert_uint_eq(settings.jobs, 7);
	ck_assert(!settings.state);
}
END_TEST

START_TEST(test_settings_promise_timeout_precedence)
{
	struct cli_options options = no_options();
	enum setting_source source;

	ck_assert_int_eq(parse("[run]\ntimeout = 5\n[promise:slow]\ntimeout = 60\n"
			       "[promise:off]\nskip = yes\n"), 0);
	ck_assert_double_eq(settings_promise_timeout(&options, &config, "slow", &source), 60);
	ck_assert_int_eq(source, SOURCE_CONFIG);
	ck_assert_double_eq(settings_promise_timeout(&options, &config, "other", &source), 5);
	ck_assert_int_eq(source, SOURCE_CONFIG);
	ck_assert_double_eq(settings_promise_timeout(&options, NULL, "slow", &source), 20);
	ck_assert_int_eq(source, SOURCE_DEFAULT);
	ck_assert_str_eq(settings_source_name(source), "default");
	options.timeout = 3;
	options.timeout_given = true;
	ck_assert_double_eq(settings_promise_timeout(&options, &config, "slow", &source), 3);
	ck_assert_str_eq(settings_source_name(source), "command line");
	ck_assert(settings_promise_disabled(&config, "off"));
	ck_assert(!settings_promise_disabled(&config, "slow"));
	ck_assert(!settings_promise_disabled(NULL, "off"));
}
END_TEST

Suite *settings_suite(void)
{
	Suite *suite = suite_create("settings");
	TCase *cases = tcase_create("precedence");

	tcase_add_checked_fixture(cases, NULL, teardown);
	tcase_add_test(cases, test_settings_file_over_defaults);
	tcase_add_test(cases, test_settings_command_line_over_file);
	tcase_add_test(cases, test_settings_promise_timeout_precedence);
	suite_add_tcase(suite, cases);
	return suite;
}
