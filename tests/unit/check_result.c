/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* result: outcomes worded, wait statuses read, results judged. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "plan.h"
#include "result.h"
#include "runner.h"
#include "spawn.h"
#include "suites.h"

/* A real wait status: a child that exits with `code`, or dies by `signo`. */
static int wait_status_of(int code, int signo)
{
	int status;
	pid_t child = fork();

	ck_assert_int_ge(child, 0);
	if (child == 0) {
		if (signo) {
			signal(signo, SIG_DFL);
			raise(signo);
		}
		_exit(code);
	}
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	return status;
}

/* Each test has one entry at a time: its timing can be this one. */
static struct plan_timing timing;

static struct plan_entry entry_with_timeout(double seconds)
{
	timing = (struct plan_timing){ .timeout = { .seconds = seconds } };
	return (struct plan_entry){ .disposition = PLAN_RUN, .timing = &timing };
}

/* An outcome of a promise that ran and exited with `wait_status`. */
static struct runner_outcome exited_with(int wait_status, const char *output)
{
	struct runner_outcome outcome = {
		.started = true, .exited = true, .wait_status = wait_status,
		.duration = 0.25, .ended = helper_time(1700000000, 5),
		.output = strdup(output),
	};

	ck_assert_ptr_nonnull(outcome.output);
	return outcome;
}

/* The message of a timed-out promise whose timeout is `seconds`. */
static void assert_timeout_message(double seconds, const char *message)
{
	struct runner_outcome outcome = { .started = true, .timed_out = true,
					  .output = strdup("partial") };
	struct plan_entry entry = entry_with_timeout(seconds);
	struct promise_result result;

	ck_assert_int_eq(result_from_outcome(&outcome, &entry, NULL, &result), 0);
	ck_assert_str_eq(result.message, message);
	result_release(&result);
}

START_TEST(test_result_timeout_names_the_timeout_in_seconds)
{
	struct runner_outcome outcome = { .started = true, .timed_out = true,
					  .duration = 0.51,
					  .ended = helper_time(1700000000, 0) };
	struct plan_entry entry = entry_with_timeout(0.5);
	struct promise_result result;
	char *output = strdup("half done");

	outcome.output = output;
	ck_assert_int_eq(result_from_outcome(&outcome, &entry, NULL, &result), 0);
	ck_assert(result.known);
	ck_assert_int_eq(result.status, PROMISE_TIMEOUT);
	ck_assert_str_eq(result.message, "Error: Promise timed out after 0.5 seconds");
	/* The output is kept apart, taken from the outcome. */
	ck_assert_ptr_eq(result.output, output);
	ck_assert_ptr_null(outcome.output);
	ck_assert_int_eq(result.exit_code, RESULT_NO_EXIT_CODE);
	ck_assert_int_eq(result.signal, 0);
	ck_assert(result.execution_time == 0.51);
	ck_assert_int_eq(result.ended, 1700000000);
	result_release(&result);
	ck_assert_ptr_null(result.message);
	ck_assert_ptr_null(result.output);
}
END_TEST

START_TEST(test_result_timeout_is_written_as_the_shortest_decimal)
{
	assert_timeout_message(20, "Error: Promise timed out after 20 seconds");
	assert_timeout_message(0.2, "Error: Promise timed out after 0.2 seconds");
	assert_timeout_message(0.001, "Error: Promise timed out after 0.001 seconds");
	assert_timeout_message(1.25, "Error: Promise timed out after 1.25 seconds");
	assert_timeout_message(600, "Error: Promise timed out after 600 seconds");
}
END_TEST

START_TEST(test_result_cut_by_the_runs_deadline_says_so)
{
	struct runner_outcome outcome = { .started = true, .timed_out = true,
					  .cut_by_deadline = true,
					  .duration = 3.04 };
	struct plan_entry entry = entry_with_timeout(20);
	struct promise_result result;

	ck_assert_int_eq(result_from_outcome(&outcome, &entry, NULL, &result), 0);
	ck_assert_int_eq(result.status, PROMISE_TIMEOUT);
	ck_assert_str_eq(result.message, "Error: Promise stopped after 3.0 seconds: the run's deadline came before its timeout of 20 seconds");
	ck_assert_ptr_null(result.output);
	result_release(&result);
}
END_TEST

START_TEST(test_result_timeout_after_the_exit_keeps_its_signal)
{
	struct runner_outcome outcome = exited_with(wait_status_of(0, SIGTERM), "");
	struct plan_entry entry = entry_with_timeout(1);
	struct promise_result result;

	outcome.timed_out = true;
	ck_assert_int_eq(result_from_outcome(&outcome, &entry, NULL, &result), 0);
	ck_assert_int_eq(result.status, PROMISE_TIMEOUT);
	ck_assert_int_eq(result.signal, SIGTERM);
	ck_assert_int_eq(result.exit_code, RESULT_NO_EXIT_CODE);
	result_release(&result);
}
END_TEST

START_TEST(test_result_exit_code_from_a_wait_status)
{
	struct runner_outcome outcome = exited_with(wait_status_of(3, 0), "boom");
	struct plan_entry entry = entry_with_timeout(20);
	struct promise_result result;
	char *output = outcome.output;

	ck_assert_int_eq(result_from_outcome(&outcome, &entry, NULL, &result), 0);
	ck_assert_int_eq(result.status, PROMISE_FAILED);
	ck_assert_int_eq(result.exit_code, 3);
	ck_assert_int_eq(result.signal, 0);
	ck_assert_ptr_eq(result.message, output);
	ck_assert_ptr_null(outcome.output);
	ck_assert_ptr_null(result.output);
	ck_assert(result.execution_time == 0.25);
	ck_assert_int_eq(result.ended, 1700000000);
	result_release(&result);

	outcome = exited_with(wait_status_of(0, 0), "fine");
	ck_assert_int_eq(result_from_outcome(&outcome, &entry, NULL, &result), 0);
	ck_assert_int_eq(result.status, PROMISE_OK);
	ck_assert_int_eq(result.exit_code, 0);
	ck_assert_str_eq(result.message, "fine");
	result_release(&result);

	outcome = exited_with(wait_status_of(255, 0), "");
	ck_assert_int_eq(result_from_outcome(&outcome, &entry, NULL, &result), 0);
	ck_assert_int_eq(result.exit_code, 255);
	result_release(&result);
}
END_TEST

START_TEST(test_result_signal_from_a_wait_status)
{
	struct runner_outcome outcome = exited_with(wait_status_of(0, SIGKILL), "");
	struct plan_entry entry = entry_with_timeout(20);
	struct promise_result result;

	ck_assert_int_eq(result_from_outcome(&outcome, &entry, NULL, &result), 0);
	ck_assert_int_eq(result.status, PROMISE_FAILED);
	ck_assert_int_eq(result.signal, SIGKILL);
	ck_assert_int_eq(result.exit_code, RESULT_NO_EXIT_CODE);
	ck_assert_str_eq(result.message, "");
	result_release(&result);
}
END_TEST

START_TEST(test_result_no_process_at_all_says_cannot_start)
{
	struct runner_outcome outcome = { .started = false,
					  .start_error = EMFILE };
	struct plan_entry entry = entry_with_timeout(20);
	struct promise_result result;

	ck_assert_int_eq(result_from_outcome(&outcome, &entry, NULL, &result), 0);
	ck_assert_int_eq(result.status, PROMISE_ERROR);
	ck_assert_str_eq(result.message, "cannot start: Too many open files");
	ck_assert_int_eq(result.exit_code, RESULT_NO_EXIT_CODE);
	result_release(&result);
}
END_TEST

START_TEST(test_result_failed_exec_is_described_with_the_first_line)
{
	struct runner_outcome outcome = {
		.started = true,
		.exited = true,
		.wait_status = 127 << 8,
		.exec_failed = true,
		.failure = { .stage = SPAWN_STAGE_EXEC, .error = ENOENT },
	};
	struct plan_entry entry = entry_with_timeout(20);
	struct promise_result result;

	ck_assert_int_eq(result_from_outcome(&outcome, &entry, "#!/usr/bin/python4\nprint()\n",
					     &result), 0);
	ck_assert_int_eq(result.status, PROMISE_ERROR);
	ck_assert_str_eq(result.message, "cannot execute: bad interpreter '/usr/bin/python4': No such file or directory");
	result_release(&result);
}
END_TEST

/* The message for a failure at `stage` with `error`. */
static void assert_failure(enum spawn_stage stage, int error,
                           const char *first_line, const char *message)
{
	struct spawn_failure failure = { .stage = stage, .error = error };
	char *described = result_describe_failure(&failure, first_line);

	ck_assert_ptr_nonnull(described);
	ck_assert_str_eq(described, message);
	free(described);
}

START_TEST(test_result_describe_failure_of_exec)
{
	assert_failure(SPAWN_STAGE_EXEC, ENOEXEC, "binary",
		       "cannot execute: Exec format error");
	assert_failure(SPAWN_STAGE_EXEC, EACCES, "#!/bin/sh\n",
		       "cannot execute: Permission denied");
	assert_failure(SPAWN_STAGE_EXEC, ENOENT, NULL,
		       "cannot execute: No such file or directory");
	assert_failure(SPAWN_STAGE_EXEC, ENOENT, "echo hi\n",
		       "cannot execute: No such file or directory");
	assert_failure(SPAWN_STAGE_EXEC, ENOENT, "#!\n",
		       "cannot execute: No such file or directory");
}
END_TEST

START_TEST(test_result_describe_failure_names_a_bad_interpreter)
{
	assert_failure(SPAWN_STAGE_EXEC, ENOENT, "#!/usr/bin/nothing -x\necho\n",
		       "cannot execute: bad interpreter '/usr/bin/nothing': No such file or directory");
	assert_failure(SPAWN_STAGE_EXEC, ENOENT, "#! \t/bin/zsh",
		       "cannot execute: bad interpreter '/bin/zsh': No such file or directory");
}
END_TEST

START_TEST(test_result_describe_failure_of_a_crlf_shebang_names_the_carriage_return)
{
	assert_failure(SPAWN_STAGE_EXEC, ENOENT, "#!/bin/sh\r\necho hi\r\n",
		       "cannot execute: the interpreter line ends with a carriage return ('/bin/sh\\r'): save the file with Unix line ends");
}
END_TEST

START_TEST(test_result_describe_failure_of_the_other_stages)
{
	assert_failure(SPAWN_STAGE_CREDENTIALS, EPERM, NULL,
		       "cannot become the promise's user: Operation not permitted");
	assert_failure(SPAWN_STAGE_WORKDIR, EACCES, NULL,
		       "cannot enter the instance home: Permission denied");
	assert_failure(SPAWN_STAGE_DESCRIPTORS, EBADF, NULL,
		       "cannot set up the promise: Bad file descriptor");
	assert_failure(SPAWN_STAGE_SESSION, EPERM, "#!/bin/sh\r\n",
		       "cannot set up the promise: Operation not permitted");
}
END_TEST

/* A result of status `status`, judged in `mode` after `history`. */
static struct promise_result judged(enum promise_status status,
                                    enum setting_mode mode,
                                    const struct result_history *history)
{
	struct promise_result result = { .known = true, .status = status };

	result_judge(&result, mode, history);
	return result;
}

START_TEST(test_result_judge_in_test_mode_fails_what_did_not_work)
{
	struct result_history history = { .failed_in_a_row = 1 };
	struct promise_result result;

	result = judged(PROMISE_FAILED, MODE_TEST, &history);
	ck_assert(result.failed && !result.tolerated);
	ck_assert_uint_eq(result.failed_runs, 2);
	result = judged(PROMISE_TIMEOUT, MODE_TEST, NULL);
	ck_assert(result.failed && !result.tolerated);
	ck_assert(!result.anomaly_type);
	ck_assert_uint_eq(result.failed_runs, 1);
	result = judged(PROMISE_ERROR, MODE_TEST, NULL);
	ck_assert(result.failed);
	result = judged(PROMISE_OK, MODE_TEST, &history);
	ck_assert(!result.failed && !result.tolerated);
	ck_assert_uint_eq(result.failed_runs, 0);
}
END_TEST

START_TEST(test_result_judge_in_anomaly_mode_fails_at_the_third_failed_run)
{
	struct result_history history = { .has_previous = true,
					  .previous_failed = true };
	struct promise_result result;

	history.failed_in_a_row = 0;
	result = judged(PROMISE_FAILED, MODE_ANOMALY, &history);
	ck_assert(!result.failed && result.tolerated);
	ck_assert_uint_eq(result.failed_runs, 1);
	history.failed_in_a_row = 1;
	result = judged(PROMISE_FAILED, MODE_ANOMALY, &history);
	ck_assert(!result.failed && result.tolerated);
	ck_assert_uint_eq(result.failed_runs, 2);
	history.failed_in_a_row = 2;
	result = judged(PROMISE_ERROR, MODE_ANOMALY, &history);
	ck_assert(result.failed && !result.tolerated);
	ck_assert_uint_eq(result.failed_runs, 3);
	/* The count never goes above 3. */
	history.failed_in_a_row = 7;
	result = judged(PROMISE_FAILED, MODE_ANOMALY, &history);
	ck_assert(result.failed);
	ck_assert_uint_eq(result.failed_runs, 3);
	/* Without history, a first failure. */
	result = judged(PROMISE_FAILED, MODE_ANOMALY, NULL);
	ck_assert(!result.failed && result.tolerated);
	ck_assert_uint_eq(result.failed_runs, 1);
}
END_TEST

START_TEST(test_result_judge_in_anomaly_mode_tolerates_a_first_timeout)
{
	struct result_history history = { .has_previous = true,
					  .failed_in_a_row = 2 };
	struct promise_result result;

	result = judged(PROMISE_TIMEOUT, MODE_ANOMALY, &history);
	ck_assert(!result.failed && result.tolerated);
	ck_assert(result.anomaly_type);
	ck_assert_uint_eq(result.failed_runs, 3);
	result = judged(PROMISE_TIMEOUT, MODE_ANOMALY, NULL);
	ck_assert(!result.failed && result.tolerated);
	ck_assert(result.anomaly_type);
}
END_TEST

START_TEST(test_result_judge_in_anomaly_mode_fails_a_timeout_after_a_failure_or_an_error)
{
	struct result_history failed = { .has_previous = true,
					 .previous_failed = true };
	struct result_history says_error = { .has_previous = true,
					     .previous_says_error = true };
	struct promise_result result;

	result = judged(PROMISE_TIMEOUT, MODE_ANOMALY, &failed);
	ck_assert(result.failed && !result.tolerated);
	ck_assert(result.anomaly_type);
	ck_assert_uint_eq(result.failed_runs, 1);
	result = judged(PROMISE_TIMEOUT, MODE_ANOMALY, &says_error);
	ck_assert(result.failed && !result.tolerated);
}
END_TEST

START_TEST(test_result_judge_in_anomaly_mode_a_working_run_resets)
{
	struct result_history history = { .has_previous = true,
					  .previous_failed = true,
					  .failed_in_a_row = 2 };
	struct promise_result result = judged(PROMISE_OK, MODE_ANOMALY, &history);

	ck_assert(!result.failed && !result.tolerated);
	ck_assert_uint_eq(result.failed_runs, 0);
}
END_TEST

START_TEST(test_result_from_plan_of_promises_that_do_not_run)
{
	struct plan_entry disabled = { .disposition = PLAN_DISABLED };
	struct plan_entry refused = { .disposition = PLAN_REFUSED,
				      .refusal = "writable by every user" };
	struct plan_entry run = { .disposition = PLAN_RUN };
	struct plan_entry unselected = { .disposition = PLAN_UNSELECTED };
	struct timespec now = helper_time(1700000000, 7);
	struct promise_result result;

	ck_assert_int_eq(result_from_plan(&disabled, NULL, now, &result), 0);
	ck_assert(result.known);
	ck_assert_int_eq(result.status, PROMISE_DISABLED);
	ck_assert(!result.failed);
	ck_assert_str_eq(result.message, "disabled in config");
	ck_assert_int_eq(result.exit_code, RESULT_NO_EXIT_CODE);
	ck_assert_int_eq(result.ended, 1700000000);
	result_release(&result);

	ck_assert_int_eq(result_from_plan(&refused, NULL, now, &result), 0);
	ck_assert_int_eq(result.status, PROMISE_ERROR);
	ck_assert(result.failed);
	ck_assert_str_eq(result.message, "refused: writable by every user");
	ck_assert_ptr_ne(result.message, refused.refusal);
	result_release(&result);

	ck_assert_int_eq(result_from_plan(&run, NULL, now, &result), 0);
	ck_assert(!result.known);
	ck_assert_ptr_null(result.message);
	ck_assert_int_eq(result_from_plan(&unselected, NULL, now, &result), 0);
	ck_assert(!result.known);
}
END_TEST

START_TEST(test_result_from_plan_of_a_cached_promise_repeats_the_stored_result)
{
	struct plan_entry cached = { .disposition = PLAN_CACHED };
	struct result_history history = {
		.has_previous = true, .previous_failed = true,
		.previous_message = "disk full",
		.previous_date = 1600000000,
	};
	struct timespec now = helper_time(1700000000, 0);
	struct promise_result result;

	ck_assert_int_eq(result_from_plan(&cached, &history, now, &result), 0);
	ck_assert_int_eq(result.status, PROMISE_CACHED);
	ck_assert(result.failed);
	ck_assert_str_eq(result.message, "disk full");
	ck_assert_int_eq(result.ended, 1600000000);
	ck_assert(!result.anomaly_type);
	ck_assert(!result.nothing_stored);
	result_release(&result);

	/* Its type is the stored one. */
	history.previous_anomaly_type = true;
	ck_assert_int_eq(result_from_plan(&cached, &history, now, &result), 0);
	ck_assert(result.anomaly_type);
	result_release(&result);

	/* Nothing stored: said so, working, with an empty message. */
	ck_assert_int_eq(result_from_plan(&cached, NULL, now, &result), 0);
	ck_assert_int_eq(result.status, PROMISE_CACHED);
	ck_assert(!result.failed);
	ck_assert(result.nothing_stored);
	ck_assert_str_eq(result.message, "");
	ck_assert_int_eq(result.ended, 1700000000);
	result_release(&result);
}
END_TEST

START_TEST(test_result_not_run_fails_with_the_deadline_message)
{
	struct promise_result result;

	ck_assert_int_eq(result_not_run(helper_time(5, 0), &result), 0);
	ck_assert(result.known && result.failed);
	ck_assert_int_eq(result.status, PROMISE_NOT_RUN);
	ck_assert_str_eq(result.message, "not run: the run's deadline came first");
	result_release(&result);
}
END_TEST

START_TEST(test_result_status_names)
{
	ck_assert_str_eq(result_status_name(PROMISE_OK), "ok");
	ck_assert_str_eq(result_status_name(PROMISE_FAILED), "failed");
	ck_assert_str_eq(result_status_name(PROMISE_TIMEOUT), "timeout");
	ck_assert_str_eq(result_status_name(PROMISE_ERROR), "error");
	ck_assert_str_eq(result_status_name(PROMISE_DISABLED), "disabled");
	ck_assert_str_eq(result_status_name(PROMISE_NOT_RUN), "not-run");
	ck_assert_str_eq(result_status_name(PROMISE_CACHED), "cached");
}
END_TEST

START_TEST(test_result_works_and_ran)
{
	struct promise_result unknown = { .known = false, .failed = true };
	struct promise_result failed = { .known = true, .failed = true,
					 .status = PROMISE_ERROR };
	struct promise_result cached = { .known = true,
					 .status = PROMISE_CACHED };

	ck_assert(result_works(&unknown));
	ck_assert(!result_works(&failed));
	ck_assert(result_works(&cached));
	ck_assert(!result_ran(&unknown));
	ck_assert(result_ran(&failed));
	ck_assert(!result_ran(&cached));
	for (int status = PROMISE_OK; status <= PROMISE_CACHED; status++) {
		struct promise_result result = { .known = true,
						 .status = (enum promise_status)status };

		ck_assert_int_eq(result_ran(&result), status <= PROMISE_ERROR);
	}
}
END_TEST

START_TEST(test_result_timeout_of_many_digits_is_written_in_full)
{
	assert_timeout_message(1234567, "Error: Promise timed out after 1234567 seconds");
	assert_timeout_message(2678400, "Error: Promise timed out after 2678400 seconds");
	assert_timeout_message(0.1234567, "Error: Promise timed out after 0.1234567 seconds");
}
END_TEST

Suite *result_suite(void)
{
	Suite *suite = suite_create("result");
	TCase *tc = tcase_create("result");

	tcase_add_test(tc, test_result_timeout_names_the_timeout_in_seconds);
	tcase_add_test(tc, test_result_timeout_is_written_as_the_shortest_decimal);
	tcase_add_test(tc, test_result_cut_by_the_runs_deadline_says_so);
	tcase_add_test(tc, test_result_timeout_after_the_exit_keeps_its_signal);
	tcase_add_test(tc, test_result_exit_code_from_a_wait_status);
	tcase_add_test(tc, test_result_signal_from_a_wait_status);
	tcase_add_test(tc, test_result_no_process_at_all_says_cannot_start);
	tcase_add_test(tc, test_result_failed_exec_is_described_with_the_first_line);
	tcase_add_test(tc, test_result_describe_failure_of_exec);
	tcase_add_test(tc, test_result_describe_failure_names_a_bad_interpreter);
	tcase_add_test(tc, test_result_describe_failure_of_a_crlf_shebang_names_the_carriage_return);
	tcase_add_test(tc, test_result_describe_failure_of_the_other_stages);
	tcase_add_test(tc, test_result_judge_in_test_mode_fails_what_did_not_work);
	tcase_add_test(tc, test_result_judge_in_anomaly_mode_fails_at_the_third_failed_run);
	tcase_add_test(tc, test_result_judge_in_anomaly_mode_tolerates_a_first_timeout);
	tcase_add_test(tc, test_result_judge_in_anomaly_mode_fails_a_timeout_after_a_failure_or_an_error);
	tcase_add_test(tc, test_result_judge_in_anomaly_mode_a_working_run_resets);
	tcase_add_test(tc, test_result_from_plan_of_promises_that_do_not_run);
	tcase_add_test(tc, test_result_from_plan_of_a_cached_promise_repeats_the_stored_result);
	tcase_add_test(tc, test_result_not_run_fails_with_the_deadline_message);
	tcase_add_test(tc, test_result_status_names);
	tcase_add_test(tc, test_result_works_and_ran);
	tcase_add_test(tc, test_result_timeout_of_many_digits_is_written_in_full);
	suite_add_tcase(suite, tc);
	return suite;
}
