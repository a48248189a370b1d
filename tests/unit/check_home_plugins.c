/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* home_plugins: the runner's timeout and each plugin's result from its file. */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "home_plugins.h"
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
	ck_assert_int_eq(result.ended.tv_sec, 1800000000);
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

Suite *home_plugins_suite(void)
{
	Suite *suite = suite_create("home_plugins");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_plugins_timeout_is_slapgrids_count_times_whole_seconds_plus_10);
	tcase_add_test(tc, test_plugins_result_of_a_fresh_file_is_the_runners_verdict);
	tcase_add_test(tc, test_plugins_old_file_is_cached_in_anomaly_mode_else_not_run);
	suite_add_tcase(suite, tc);
	return suite;
}
