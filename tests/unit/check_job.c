/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* job: the state machine of one promise process, on a fake clock. */
#include <signal.h>
#include <string.h>

#include "helpers.h"
#include "job.h"
#include "suites.h"

/* The fake operations: the signals sent to the group, in order. */
struct sent {
	int signals[16];
	size_t count;
	bool populated;         /* the group still holds a process */
};

static void record_signal(void *context, int signo)
{
	struct sent *sent = context;

	ck_assert_uint_lt(sent->count, 16);
	sent->signals[sent->count++] = signo;
}

static bool report_empty(void *context)
{
	const struct sent *sent = context;

	return !sent->populated;
}

static const struct job_ops fake_ops = { .signal = record_signal,
					 .empty = report_empty };

#define ASSERT_TIME(actual, seconds, nanoseconds) do { \
	ck_assert_int_eq((actual).tv_sec, seconds); \
	ck_assert_int_eq((actual).tv_nsec, nanoseconds); \
} while (0)

/* The signals sent so far, e.g. {SIGTERM, SIGCONT}. */
static void assert_sent(const struct sent *sent, const int *expected,
                        size_t count)
{
	ck_assert_uint_eq(sent->count, count);
	for (size_t i = 0; i < count; i++)
		ck_assert_int_eq(sent->signals[i], expected[i]);
}

#define ASSERT_SENT(sent, ...) do { \
	const int expected_[] = { __VA_ARGS__ }; \
	assert_sent(sent, expected_, sizeof expected_ / sizeof *expected_); \
} while (0)

#define NO_STOP helper_time(0, 0)

/* A job started at t=100 with a 2 s timeout and a 1 s kill-after. */
static void start(struct job *job)
{
	job_start(job, helper_time(100, 0), 2, 1, NO_STOP);
}

static void handle(struct job *job, enum job_event event, time_t seconds,
                   long nanoseconds, struct sent *sent)
{
	job_handle(job, event, helper_time(seconds, nanoseconds), &fake_ops,
		   sent);
}

START_TEST(test_job_start_runs_until_its_timeout)
{
	struct job job;

	memset(&job, 0xff, sizeof job);
	start(&job);
	ck_assert_int_eq(job.state, JOB_RUNNING);
	ASSERT_TIME(job.deadline, 102, 0);
	ASSERT_TIME(job.timeout_at, 102, 0);
	ck_assert(job.kill_after == 1);
	ck_assert(job.output_open);
	ck_assert(!job.exited && !job.timed_out && !job.cut_by_deadline &&
		  !job.interrupted && !job.abandoned);
}
END_TEST

START_TEST(test_job_deadline_sends_sigterm_then_sigcont)
{
	struct sent sent = { 0 };
	struct job job;

	start(&job);
	handle(&job, JOB_DEADLINE, 102, 0, &sent);
	ck_assert_int_eq(job.state, JOB_TERMINATING);
	ASSERT_SENT(&sent, SIGTERM, SIGCONT);
	ASSERT_TIME(job.deadline, 103, 0);
	ck_assert(job.timed_out);
	ck_assert(!job.cut_by_deadline);
	ck_assert(!job.interrupted);
}
END_TEST

START_TEST(test_job_kill_after_sends_sigkill)
{
	struct sent sent = { 0 };
	struct job job;

	start(&job);
	handle(&job, JOB_DEADLINE, 102, 0, &sent);
	handle(&job, JOB_DEADLINE, 103, 0, &sent);
	ck_assert_int_eq(job.state, JOB_KILLED);
	ASSERT_SENT(&sent, SIGTERM, SIGCONT, SIGKILL);
	ASSERT_TIME(job.deadline, 103, 100000000);
	ck_assert(!job.abandoned);
}
END_TEST

START_TEST(test_job_killed_job_is_abandoned_after_the_drain)
{
	struct sent sent = { 0 };
	struct job job;

	start(&job);
	handle(&job, JOB_DEADLINE, 102, 0, &sent);
	handle(&job, JOB_DEADLINE, 103, 0, &sent);
	handle(&job, JOB_DEADLINE, 103, 100000000, &sent);
	ck_assert_int_eq(job.state, JOB_DONE);
	ck_assert(job.abandoned);
	ck_assert(job.timed_out);
	ASSERT_SENT(&sent, SIGTERM, SIGCONT, SIGKILL, SIGKILL);
}
END_TEST

START_TEST(test_job_exit_then_eof_finishes_with_a_final_sigkill)
{
	struct sent sent = { 0 };
	struct job job;

	start(&job);
	handle(&job, JOB_EXITED, 101, 0, &sent);
	ck_assert_int_eq(job.state, JOB_DRAINING);
	ck_assert(job.exited);
	ASSERT_TIME(job.deadline, 101, 100000000);
	ck_assert_uint_eq(sent.count, 0);
	handle(&job, JOB_EOF, 101, 50000000, &sent);
	ck_assert_int_eq(job.state, JOB_DONE);
	ASSERT_SENT(&sent, SIGKILL);
	ck_assert(!job.timed_out && !job.abandoned && !job.interrupted);
}
END_TEST

START_TEST(test_job_eof_then_exit_finishes_at_once)
{
	struct sent sent = { 0 };
	struct job job;

	start(&job);
	handle(&job, JOB_EOF, 100, 500, &sent);
	ck_assert_int_eq(job.state, JOB_RUNNING);
	ck_assert(!job.output_open);
	ck_assert_uint_eq(sent.count, 0);
	handle(&job, JOB_EXITED, 101, 0, &sent);
	ck_assert_int_eq(job.state, JOB_DONE);
	ck_assert(job.exited);
	ASSERT_SENT(&sent, SIGKILL);
}
END_TEST

START_TEST(test_job_exit_without_eof_drains_until_the_drain_deadline)
{
	struct sent sent = { 0 };
	struct job job;

	start(&job);
	handle(&job, JOB_EXITED, 101, 0, &sent);
	handle(&job, JOB_DEADLINE, 101, 100000000, &sent);
	ck_assert_int_eq(job.state, JOB_DONE);
	ASSERT_SENT(&sent, SIGKILL);
	/* Something held the pipe, but the promise itself exited. */
	ck_assert(!job.abandoned);
	ck_assert(!job.timed_out);
}
END_TEST

START_TEST(test_job_exit_after_sigterm_drains_and_stays_timed_out)
{
	struct sent sent = { 0 };
	struct job job;

	start(&job);
	handle(&job, JOB_DEADLINE, 102, 0, &sent);
	handle(&job, JOB_EXITED, 102, 300000000, &sent);
	ck_assert_int_eq(job.state, JOB_DRAINING);
	ASSERT_TIME(job.deadline, 102, 400000000);
	handle(&job, JOB_EOF, 102, 310000000, &sent);
	ck_assert_int_eq(job.state, JOB_DONE);
	ck_assert(job.timed_out);
	ASSERT_SENT(&sent, SIGTERM, SIGCONT, SIGKILL);
}
END_TEST

START_TEST(test_job_stop_terminates_a_running_job_and_marks_it_interrupted)
{
	struct sent sent = { 0 };
	struct job job;

	start(&job);
	handle(&job, JOB_STOP, 100, 500000000, &sent);
	ck_assert_int_eq(job.state, JOB_TERMINATING);
	ASSERT_SENT(&sent, SIGTERM, SIGCONT);
	ASSERT_TIME(job.deadline, 101, 500000000);
	ck_assert(job.interrupted);
	ck_assert(!job.timed_out);
	/* A second STOP while it terminates sends nothing more. */
	handle(&job, JOB_STOP, 100, 600000000, &sent);
	ck_assert_int_eq(job.state, JOB_TERMINATING);
	ck_assert_uint_eq(sent.count, 2);
}
END_TEST

START_TEST(test_job_stop_again_kills_at_once)
{
	struct sent sent = { 0 };
	struct job job;

	start(&job);
	handle(&job, JOB_STOP, 100, 0, &sent);
	handle(&job, JOB_STOP_AGAIN, 100, 200000000, &sent);
	ck_assert_int_eq(job.state, JOB_KILLED);
	ASSERT_SENT(&sent, SIGTERM, SIGCONT, SIGKILL);
	ASSERT_TIME(job.deadline, 100, 300000000);
	/* Once killed, another STOP_AGAIN sends no second SIGKILL. */
	handle(&job, JOB_STOP_AGAIN, 100, 250000000, &sent);
	ck_assert_uint_eq(sent.count, 3);

	memset(&sent, 0, sizeof sent);
	start(&job);
	handle(&job, JOB_STOP_AGAIN, 100, 0, &sent);
	ck_assert_int_eq(job.state, JOB_KILLED);
	ck_assert(job.interrupted);
	ASSERT_SENT(&sent, SIGKILL);
}
END_TEST

START_TEST(test_job_stop_keeps_the_timeout_of_a_job_already_ending_on_it)
{
	struct sent sent = { 0 };
	struct job job;

	start(&job);
	handle(&job, JOB_DEADLINE, 102, 0, &sent);
	ck_assert_int_eq(job.state, JOB_TERMINATING);
	handle(&job, JOB_STOP, 102, 100000000, &sent);
	ck_assert_int_eq(job.state, JOB_TERMINATING);
	ck_assert_uint_eq(sent.count, 2);
	handle(&job, JOB_STOP_AGAIN, 102, 200000000, &sent);
	ck_assert_int_eq(job.state, JOB_KILLED);
	ASSERT_SENT(&sent, SIGTERM, SIGCONT, SIGKILL);
	ck_assert(job.timed_out);
	ck_assert(!job.interrupted);
}
END_TEST

START_TEST(test_job_stop_during_draining_is_ignored)
{
	struct sent sent = { 0 };
	struct job job;

	start(&job);
	handle(&job, JOB_EXITED, 101, 0, &sent);
	handle(&job, JOB_STOP, 101, 10, &sent);
	handle(&job, JOB_STOP_AGAIN, 101, 20, &sent);
	ck_assert_int_eq(job.state, JOB_DRAINING);
	ASSERT_TIME(job.deadline, 101, 100000000);
	ck_assert(!job.interrupted);
	ck_assert_uint_eq(sent.count, 0);
}
END_TEST

START_TEST(test_job_run_deadline_before_the_timeout_cuts_the_job)
{
	struct sent sent = { 0 };
	struct job job;

	job_start(&job, helper_time(100, 0), 2, 1, helper_time(101, 250000000));
	ASSERT_TIME(job.deadline, 101, 250000000);
	ASSERT_TIME(job.timeout_at, 102, 0);
	handle(&job, JOB_DEADLINE, 101, 250000000, &sent);
	ck_assert_int_eq(job.state, JOB_TERMINATING);
	ck_assert(job.timed_out);
	ck_assert(job.cut_by_deadline);
	ASSERT_SENT(&sent, SIGTERM, SIGCONT);
}
END_TEST

START_TEST(test_job_run_deadline_after_the_timeout_changes_nothing)
{
	struct sent sent = { 0 };
	struct job job;

	job_start(&job, helper_time(100, 0), 2, 1, helper_time(500, 0));
	ASSERT_TIME(job.deadline, 102, 0);
	handle(&job, JOB_DEADLINE, 102, 0, &sent);
	ck_assert(job.timed_out);
	ck_assert(!job.cut_by_deadline);
}
END_TEST

START_TEST(test_job_a_group_not_yet_empty_is_cleared_before_done)
{
	struct sent sent = { .populated = true };
	struct job job;

	start(&job);
	handle(&job, JOB_EOF, 100, 0, &sent);
	handle(&job, JOB_EXITED, 100, 500000000, &sent);
	ck_assert_int_eq(job.state, JOB_CLEARING);
	ASSERT_SENT(&sent, SIGKILL);
	ASSERT_TIME(job.deadline, 101, 500000000);
	/* Nothing but its emptiness (or its deadline) ends the clearing. */
	handle(&job, JOB_STOP_AGAIN, 100, 600000000, &sent);
	ck_assert_int_eq(job.state, JOB_CLEARING);
	ASSERT_SENT(&sent, SIGKILL);
	handle(&job, JOB_EMPTY, 100, 700000000, &sent);
	ck_assert_int_eq(job.state, JOB_DONE);
	ck_assert(!job.abandoned);
}
END_TEST

START_TEST(test_job_a_group_that_never_empties_is_left_at_the_clear_deadline)
{
	struct sent sent = { .populated = true };
	struct job job;

	start(&job);
	handle(&job, JOB_EXITED, 100, 0, &sent);
	handle(&job, JOB_EOF, 100, 0, &sent);
	ck_assert_int_eq(job.state, JOB_CLEARING);
	handle(&job, JOB_DEADLINE, 101, 0, &sent);
	ck_assert_int_eq(job.state, JOB_DONE);
	ck_assert(job.exited);
	ck_assert(!job.timed_out);
}
END_TEST

START_TEST(test_job_events_after_done_do_nothing)
{
	static const enum job_event events[] = {
		JOB_DEADLINE, JOB_EXITED, JOB_EOF, JOB_STOP, JOB_STOP_AGAIN,
	};
	struct sent sent = { 0 };
	struct job job, done;

	start(&job);
	handle(&job, JOB_EOF, 100, 0, &sent);
	handle(&job, JOB_EXITED, 100, 1000, &sent);
	ck_assert_int_eq(job.state, JOB_DONE);
	done = job;
	for (size_t i = 0; i < sizeof events / sizeof *events; i++)
		handle(&job, events[i], 200, 0, &sent);
	ck_assert_int_eq(job.state, JOB_DONE);
	ASSERT_TIME(job.deadline, done.deadline.tv_sec, done.deadline.tv_nsec);
	ck_assert(job.exited && !job.output_open);
	ck_assert(!job.timed_out && !job.cut_by_deadline && !job.interrupted &&
		  !job.abandoned);
	ASSERT_SENT(&sent, SIGKILL);
}
END_TEST

Suite *job_suite(void)
{
	Suite *suite = suite_create("job");
	TCase *tc = tcase_create("job");

	tcase_add_test(tc, test_job_start_runs_until_its_timeout);
	tcase_add_test(tc, test_job_deadline_sends_sigterm_then_sigcont);
	tcase_add_test(tc, test_job_kill_after_sends_sigkill);
	tcase_add_test(tc, test_job_killed_job_is_abandoned_after_the_drain);
	tcase_add_test(tc, test_job_exit_then_eof_finishes_with_a_final_sigkill);
	tcase_add_test(tc, test_job_eof_then_exit_finishes_at_once);
	tcase_add_test(tc, test_job_exit_without_eof_drains_until_the_drain_deadline);
	tcase_add_test(tc, test_job_exit_after_sigterm_drains_and_stays_timed_out);
	tcase_add_test(tc, test_job_stop_terminates_a_running_job_and_marks_it_interrupted);
	tcase_add_test(tc, test_job_stop_keeps_the_timeout_of_a_job_already_ending_on_it);
	tcase_add_test(tc, test_job_stop_again_kills_at_once);
	tcase_add_test(tc, test_job_stop_during_draining_is_ignored);
	tcase_add_test(tc, test_job_run_deadline_before_the_timeout_cuts_the_job);
	tcase_add_test(tc, test_job_run_deadline_after_the_timeout_changes_nothing);
	tcase_add_test(tc, test_job_events_after_done_do_nothing);
	tcase_add_test(tc, test_job_a_group_not_yet_empty_is_cleared_before_done);
	tcase_add_test(tc, test_job_a_group_that_never_empties_is_left_at_the_clear_deadline);
	suite_add_tcase(suite, tc);
	return suite;
}
