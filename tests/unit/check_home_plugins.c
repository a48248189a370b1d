/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* home_plugins: the runner's timeout and each plugin's result from its file. */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "home_plugins.h"
#include "plugin_text.h"
#include "suites.h"

START_TEST(test_plugins_timeout_is_slapgrids_count_times_whole_seconds_plus_10)
{
	ck_assert_int_eq(home_plugins_promise_timeout(20), 20);
	/* runpromises.py takes whole seconds: rounded up, at least 1. */
	ck_assert_int_eq(home_plugins_promise_timeout(0.2), 1);
	ck_assert_int_eq(home_plugins_promise_timeout(2.5), 3);
	ck_assert(home_plugins_timeout(3, 20, 600) == 70);
	ck_assert(home_plugins_timeout(3, 0.2, 600) == 13);
	/* Within max-timeout. */
	ck_assert(home_plugins_timeout(40, 20, 600) == 600);
}
END_TEST

START_TEST(test_plugins_result_of_a_fresh_file_is_the_runners_verdict)
{
	struct slapgrid_previous file = { .failed = true,
					  .message = "frontend is down",
					  .execution_time = 0.15 };
	struct timespec written = helper_time(1800000000, 0);
	struct promise_result result;

	ck_assert_int_eq(home_plugins_result_of_file(PLUGIN_FILE_FRESH, &file,
						     written, false,
						     helper_time(1800000001, 0),
						     &result), 0);
	ck_assert_int_eq(result.status, PROMISE_FAILED);
	ck_assert(result.failed && result.known);
	ck_assert_str_eq(result.message, "frontend is down");
	ck_assert(result.execution_time == 0.15);
	ck_assert_int_eq(result.ended, 1800000000);
	ck_assert_int_eq(result.exit_code, RESULT_NO_EXIT_CODE);
	result_release(&result);
	file.message = "Error: Promise timed out after 20 seconds";
	home_plugins_result_of_file(PLUGIN_FILE_FRESH, &file, written, false,
				    written, &result);
	ck_assert_int_eq(result.status, PROMISE_TIMEOUT);
	result_release(&result);
	/* A message may be null for a plugin: an empty one. */
	file = (struct slapgrid_previous){ .failed = false };
	home_plugins_result_of_file(PLUGIN_FILE_FRESH, &file, written, false,
				    written, &result);
	ck_assert_int_eq(result.status, PROMISE_OK);
	ck_assert(!result.failed);
	ck_assert_str_eq(result.message, "");
	result_release(&result);
}
END_TEST

START_TEST(test_plugins_old_file_is_cached_in_anomaly_mode_else_not_run)
{
	struct slapgrid_previous file = { .failed = true, .message = "down" };
	struct timespec when = helper_time(1800000000, 0);
	struct promise_result result;

	home_plugins_result_of_file(PLUGIN_FILE_OLD, &file, when, true, when,
				    &result);
	ck_assert_int_eq(result.status, PROMISE_CACHED);
	ck_assert(result.failed);
	ck_assert_str_eq(result.message, "down");
	result_release(&result);
	home_plugins_result_of_file(PLUGIN_FILE_OLD, &file, when, false, when,
				    &result);
	ck_assert_int_eq(result.status, PROMISE_NOT_RUN);
	ck_assert(result.failed);
	ck_assert_str_eq(result.message, "not run: slapos.core's runner did not run it (its result file is older than this run)");
	result_release(&result);
	home_plugins_result_of_file(PLUGIN_FILE_NONE, NULL, when, true, when,
				    &result);
	ck_assert_int_eq(result.status, PROMISE_NOT_RUN);
	ck_assert_str_eq(result.message, "not run: slapos.core's runner wrote no result for it");
	result_release(&result);
}
END_TEST

/* plugin_text_buildout_python of `head`, or "(none)". */
static void assert_python(const char *head, const char *expected)
{
	char *python = plugin_text_buildout_python(head);

	ck_assert_str_eq(python ? python : "(none)", expected);
	free(python);
}

START_TEST(test_plugins_python_of_a_buildout_as_slapgrid_reads_it)
{
	assert_python("#!/opt/slapgrid/abc/bin/python3.9 -S\nimport sys\n",
		      "/opt/slapgrid/abc/bin/python3.9");
	assert_python("#! /usr/bin/python3\n", "/usr/bin/python3");
	assert_python("#!/bin/sh\n\"exec\" '/opt/py 3/bin/python' \"$0\" \"$@\"\n",
		      "/opt/py 3/bin/python");
	assert_python("#!/bin/sh\nexec /opt/bin/python3 \"$0\"\n",
		      "/opt/bin/python3");
	/* slapgrid's rule: a /bin/sh without an exec line is /bin/sh. */
	assert_python("#!/bin/sh\necho hi\n", "/bin/sh");
	assert_python("#!/bin/sh", "/bin/sh");
	assert_python("import sys\n", "(none)");
	assert_python("#!\n", "(none)");
	assert_python("", "(none)");
}
END_TEST

START_TEST(test_plugins_sys_path_list_as_the_runner_reads_it)
{
	const char *text = "import sys\nsys.path[0:0] = [\n  '/a/eggs/x',\n  \"/a/eggs/sl\\\"apos\",\n  ]\nmore = 1\n";
	const char *at;
	char folder[64];

	ck_assert_int_eq(plugin_text_path_list(text, &at), 0);
	ck_assert_int_eq(plugin_text_next_string(&at, folder, sizeof folder), 1);
	ck_assert_str_eq(folder, "/a/eggs/x");
	ck_assert_int_eq(plugin_text_next_string(&at, folder, sizeof folder), 1);
	ck_assert_str_eq(folder, "/a/eggs/sl\"apos");
	ck_assert_int_eq(plugin_text_next_string(&at, folder, sizeof folder), 0);
	/* A tuple too; a name that does not fit is no list. */
	ck_assert_int_eq(plugin_text_path_list("sys.path[0:0]=('/b',)", &at), 0);
	ck_assert_int_eq(plugin_text_next_string(&at, folder, 2), -1);
	ck_assert_int_eq(plugin_text_path_list("sys.path.insert(0, '/b')", &at), -1);
	ck_assert_int_eq(plugin_text_path_list("sys.path[0:0] = paths", &at), -1);
	ck_assert_int_eq(plugin_text_path_list("sys.path[0:0] = [x]", &at), 0);
	ck_assert_int_eq(plugin_text_next_string(&at, folder, sizeof folder), -1);
}
END_TEST

Suite *home_plugins_suite(void)
{
	Suite *suite = suite_create("home_plugins");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_plugins_timeout_is_slapgrids_count_times_whole_seconds_plus_10);
	tcase_add_test(tc, test_plugins_result_of_a_fresh_file_is_the_runners_verdict);
	tcase_add_test(tc, test_plugins_old_file_is_cached_in_anomaly_mode_else_not_run);
	tcase_add_test(tc, test_plugins_python_of_a_buildout_as_slapgrid_reads_it);
	tcase_add_test(tc, test_plugins_sys_path_list_as_the_runner_reads_it);
	suite_add_tcase(suite, tc);
	return suite;
}
