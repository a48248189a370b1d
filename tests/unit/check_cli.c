/* cli and value: the command line and its values. */
#include <stdarg.h>
#include <string.h>

#include "cli.h"
#include "suites.h"
#include "value.h"

static struct cli_options options;
static char error[256];

/* Parses a NULL-terminated list of words after "promise-run". */
static int parse(const char *first, ...)
{
	static char *argv[32] = { "promise-run" };
	int argc = 1;
	va_list words;

	va_start(words, first);
	for (const char *word = first; word; word = va_arg(words, const char *))
		argv[argc++] = (char *)word;
	va_end(words);
	argv[argc] = NULL;
	error[0] = '\0';
	return cli_parse(argc, argv, &options, error, sizeof error);
}

START_TEST(test_cli_defaults)
{
	ck_assert_int_eq(parse(NULL), 0);
	ck_assert_int_eq(options.action, CLI_RUN);
	ck_assert_double_eq(options.timeout, 20.0);
	ck_assert_double_eq(options.kill_after, 1.0);
	ck_assert_uint_ge(options.jobs, 4);
	ck_assert_ptr_null(options.promise_dir);
	ck_assert_int_eq(options.verbosity, CLI_NORMAL);
	ck_assert_int_eq(options.color, CLI_COLOR_AUTO);
	ck_assert_uint_eq(options.home_count, 0);
}
END_TEST

START_TEST(test_cli_reads_every_option_long_and_short)
{
	ck_assert_int_eq(parse("-t", "0.5", "-k0.2", "-j", "3", "-d", "p", "-q",
			       "home1", "home2", NULL), 0);
	ck_assert_double_eq(options.timeout, 0.5);
	ck_assert_double_eq(options.kill_after, 0.2);
	ck_assert_uint_eq(options.jobs, 3);
	ck_assert_str_eq(options.promise_dir, "p");
	ck_assert_int_eq(options.verbosity, CLI_QUIET);
	ck_assert_uint_eq(options.home_count, 2);
	ck_assert_str_eq(options.homes[1], "home2");
	ck_assert_int_eq(parse("--promise-timeout=7", "--kill-after", "0",
			       "--jobs=1", "--promise-dir", "/x", "--verbose",
			       "--list", "--color=never", NULL), 0);
	ck_assert_double_eq(options.timeout, 7);
	ck_assert_double_eq(options.kill_after, 0);
	ck_assert_uint_eq(options.jobs, 1);
	ck_assert_int_eq(options.verbosity, CLI_VERBOSE);
	ck_assert_int_eq(options.action, CLI_LIST);
	ck_assert_int_eq(options.color, CLI_COLOR_NEVER);
	ck_assert_int_eq(parse("--timeout", "3", "--color", NULL), 0);
	ck_assert_double_eq(options.timeout, 3);
	ck_assert_int_eq(options.color, CLI_COLOR_ALWAYS);
}
END_TEST

START_TEST(test_cli_options_may_follow_homes)
{
	ck_assert_int_eq(parse("home", "-j", "2", NULL), 0);
	ck_assert_uint_eq(options.jobs, 2);
	ck_assert_uint_eq(options.home_count, 1);
	ck_assert_str_eq(options.homes[0], "home");
	ck_assert_int_eq(parse("--", "-j", NULL), 0);
	ck_assert_str_eq(options.homes[0], "-j");
}
END_TEST

START_TEST(test_cli_help_and_version)
{
	ck_assert_int_eq(parse("--help", NULL), 0);
	ck_assert_int_eq(options.action, CLI_HELP);
	ck_assert_int_eq(parse("-V", NULL), 0);
	ck_assert_int_eq(options.action, CLI_VERSION);
	ck_assert_ptr_nonnull(strstr(cli_usage(), "--kill-after"));
}
END_TEST

START_TEST(test_cli_bad_values_are_named_in_one_line)
{
	ck_assert_int_eq(parse("--timeout", "abc", NULL), -1);
	ck_assert_str_eq(error,
			 "option '--timeout' expects a number of seconds above 0, not 'abc'");
	ck_assert_int_eq(parse("-t", "0", NULL), -1);
	ck_assert_str_eq(error,
			 "option '-t' expects a number of seconds above 0, not '0'");
	ck_assert_int_eq(parse("--kill-after=-1", NULL), -1);
	ck_assert_str_eq(error,
			 "option '--kill-after' expects a number of seconds, not '-1'");
	ck_assert_int_eq(parse("-j", "0", NULL), -1);
	ck_assert_str_eq(error,
			 "option '-j' expects a whole number from 1 to 4096, not '0'");
	ck_assert_int_eq(parse("--color=blue", NULL), -1);
	ck_assert_str_eq(error,
			 "option '--color' expects auto, always or never, not 'blue'");
	ck_assert_int_eq(parse("-d", "", NULL), -1);
	ck_assert_ptr_null(strchr(error, '\n'));
}
END_TEST

START_TEST(test_cli_unknown_and_incomplete_options)
{
	ck_assert_int_eq(parse("--frobnicate", NULL), -1);
	ck_assert_str_eq(error, "unknown option '--frobnicate'");
	ck_assert_int_eq(parse("-x", NULL), -1);
	ck_assert_str_eq(error, "unknown option '-x'");
	ck_assert_int_eq(parse("--timeout", NULL), -1);
	ck_assert_str_eq(error, "option '--timeout' requires a value");
	ck_assert_int_eq(parse("-j", NULL), -1);
	ck_assert_str_eq(error, "option '-j' requires a value");
}
END_TEST

START_TEST(test_value_seconds_accepts_decimals_only)
{
	double seconds;

	ck_assert_int_eq(value_parse_seconds("0.5", &seconds), 0);
	ck_assert_double_eq(seconds, 0.5);
	ck_assert_int_eq(value_parse_seconds("20", &seconds), 0);
	ck_assert_int_eq(value_parse_seconds(".25", &seconds), 0);
	ck_assert_double_eq(seconds, 0.25);
	ck_assert_int_eq(value_parse_seconds("2678400", &seconds), 0);
	ck_assert_int_eq(value_parse_seconds("2678401", &seconds), -1);
	ck_assert_int_eq(value_parse_seconds("", &seconds), -1);
	ck_assert_int_eq(value_parse_seconds(" 1", &seconds), -1);
	ck_assert_int_eq(value_parse_seconds("1s", &seconds), -1);
	ck_assert_int_eq(value_parse_seconds("nan", &seconds), -1);
	ck_assert_int_eq(value_parse_seconds("inf", &seconds), -1);
	ck_assert_int_eq(value_parse_seconds("1e3", &seconds), -1);
	ck_assert_int_eq(value_parse_seconds("0x10", &seconds), -1);
	ck_assert_int_eq(value_parse_seconds("1.2.3", &seconds), -1);
	ck_assert_int_eq(value_parse_seconds(".", &seconds), -1);
}
END_TEST

START_TEST(test_value_jobs_is_a_whole_number_in_range)
{
	unsigned jobs;

	ck_assert_int_eq(value_parse_jobs("1", &jobs), 0);
	ck_assert_uint_eq(jobs, 1);
	ck_assert_int_eq(value_parse_jobs("4096", &jobs), 0);
	ck_assert_int_eq(value_parse_jobs("4097", &jobs), -1);
	ck_assert_int_eq(value_parse_jobs("99999999999999999999", &jobs), -1);
	ck_assert_int_eq(value_parse_jobs("0", &jobs), -1);
	ck_assert_int_eq(value_parse_jobs("-1", &jobs), -1);
	ck_assert_int_eq(value_parse_jobs("2.5", &jobs), -1);
	ck_assert_int_eq(value_parse_jobs("", &jobs), -1);
}
END_TEST

Suite *cli_suite(void)
{
	Suite *suite = suite_create("cli");
	TCase *cases = tcase_create("options");

	tcase_add_test(cases, test_cli_defaults);
	tcase_add_test(cases, test_cli_reads_every_option_long_and_short);
	tcase_add_test(cases, test_cli_options_may_follow_homes);
	tcase_add_test(cases, test_cli_help_and_version);
	tcase_add_test(cases, test_cli_bad_values_are_named_in_one_line);
	tcase_add_test(cases, test_cli_unknown_and_incomplete_options);
	suite_add_tcase(suite, cases);
	return suite;
}

Suite *value_suite(void)
{
	Suite *suite = suite_create("value");
	TCase *cases = tcase_create("parse");

	tcase_add_test(cases, test_value_seconds_accepts_decimals_only);
	tcase_add_test(cases, test_value_jobs_is_a_whole_number_in_range);
	suite_add_tcase(suite, cases);
	return suite;
}

START_TEST(test_cli_finds_subcommands_only_first)
{
	char *url[] = { "promise-run", "check-url", "http://x/", NULL };
	char *port[] = { "promise-run", "check-port", "h", "1", NULL };
	char *home[] = { "promise-run", "./check-url", NULL };
	char *later[] = { "promise-run", "-v", "check-url", NULL };

	ck_assert_int_eq(cli_command(3, url), CLI_COMMAND_CHECK_URL);
	ck_assert_int_eq(cli_command(4, port), CLI_COMMAND_CHECK_PORT);
	ck_assert_int_eq(cli_command(2, home), CLI_COMMAND_RUN);
	ck_assert_int_eq(cli_command(3, later), CLI_COMMAND_RUN);
	ck_assert_int_eq(cli_command(1, url), CLI_COMMAND_RUN);
}
END_TEST

START_TEST(test_cli_check_url_options)
{
	char *argv[] = { "check-url", "--expect", "204", "https://[::1]:8443/",
			 "--expect=301", "--timeout", "2.5", "--accept-unauthorized",
			 "--contains", "ok", "--cacert", "ca", "--cert", "c",
			 "--key", "k", "--insecure", NULL };
	struct check_url_options url;
	bool help;

	ck_assert_int_eq(cli_parse_check_url(17, argv, &url, &help, error,
					     sizeof error), 0);
	ck_assert(!help);
	ck_assert_str_eq(url.url, "https://[::1]:8443/");
	ck_assert_uint_eq(url.expected_count, 2);
	ck_assert_int_eq(url.expected[0], 204);
	ck_assert_int_eq(url.expected[1], 301);
	ck_assert_double_eq(url.timeout, 2.5);
	ck_assert(url.accept_unauthorized && url.insecure);
	ck_assert_str_eq(url.contains, "ok");
	ck_assert_str_eq(url.cacert, "ca");
	ck_assert_str_eq(url.cert, "c");
	ck_assert_str_eq(url.key, "k");
}
END_TEST

START_TEST(test_cli_check_url_defaults_and_errors)
{
	char *plain[] = { "check-url", "http://x/", NULL };
	char *none[] = { "check-url", NULL };
	char *two[] = { "check-url", "http://x/", "http://y/", NULL };
	char *bad[] = { "check-url", "http://x/", "--expect", "abc", NULL };
	char *slow[] = { "check-url", "http://x/", "--timeout", "0", NULL };
	struct check_url_options url;
	bool help;

	ck_assert_int_eq(cli_parse_check_url(2, plain, &url, &help, error,
					     sizeof error), 0);
	ck_assert_uint_eq(url.expected_count, 0);
	ck_assert_double_eq(url.timeout, 20);
	ck_assert(!url.insecure && !url.accept_unauthorized);
	ck_assert_int_eq(cli_parse_check_url(1, none, &url, &help, error,
					     sizeof error), -1);
	ck_assert_str_eq(error, "no URL given");
	ck_assert_int_eq(cli_parse_check_url(3, two, &url, &help, error,
					     sizeof error), -1);
	ck_assert_str_eq(error, "one URL expected, not 2 words");
	ck_assert_int_eq(cli_parse_check_url(4, bad, &url, &help, error,
					     sizeof error), -1);
	ck_assert_str_eq(error, "option '--expect' expects an HTTP status from 100 to 599, not 'abc'");
	ck_assert_int_eq(cli_parse_check_url(4, slow, &url, &help, error,
					     sizeof error), -1);
}
END_TEST

START_TEST(test_cli_check_port_options)
{
	char *argv[] = { "check-port", "::1", "8443", "--timeout=3", NULL };
	char *missing[] = { "check-port", "::1", NULL };
	struct check_port_options port;
	bool help;

	ck_assert_int_eq(cli_parse_check_port(4, argv, &port, &help, error,
					      sizeof error), 0);
	ck_assert_str_eq(port.host, "::1");
	ck_assert_str_eq(port.port, "8443");
	ck_assert_double_eq(port.timeout, 3);
	ck_assert_int_eq(cli_parse_check_port(2, missing, &port, &help, error,
					      sizeof error), -1);
	ck_assert_str_eq(error, "HOST and PORT expected");
}
END_TEST

Suite *checks_cli_suite(void)
{
	Suite *suite = suite_create("checks-cli");
	TCase *cases = tcase_create("options");

	tcase_add_test(cases, test_cli_finds_subcommands_only_first);
	tcase_add_test(cases, test_cli_check_url_options);
	tcase_add_test(cases, test_cli_check_url_defaults_and_errors);
	tcase_add_test(cases, test_cli_check_port_options);
	suite_add_tcase(suite, cases);
	return suite;
}
