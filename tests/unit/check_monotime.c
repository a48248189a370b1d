/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* monotime: points on the monotonic clock, added, compared, subtracted. */
#include "helpers.h"
#include "monotime.h"
#include "suites.h"

#define ASSERT_TIME(actual, seconds, nanoseconds) do { \
	struct timespec actual_ = (actual); \
	ck_assert_int_eq(actual_.tv_sec, seconds); \
	ck_assert_int_eq(actual_.tv_nsec, nanoseconds); \
} while (0)

START_TEST(test_monotime_add_carries_into_the_seconds)
{
	ASSERT_TIME(monotime_add(helper_time(10, 900000000), 0.2), 11, 100000000);
	ASSERT_TIME(monotime_add(helper_time(10, 0), 1.5), 11, 500000000);
	ASSERT_TIME(monotime_add(helper_time(10, 999999999), 0), 10, 999999999);
	ASSERT_TIME(monotime_add(helper_time(0, 0), 0.1), 0, 100000000);
	ASSERT_TIME(monotime_add(helper_time(5, 500000000), 2678400), 2678405, 500000000);
	/* Rounded to the nearest nanosecond. */
	ASSERT_TIME(monotime_add(helper_time(0, 999999999), 0.0000000006), 1, 0);
}
END_TEST

START_TEST(test_monotime_before_is_strict)
{
	ck_assert(monotime_before(helper_time(1, 5), helper_time(1, 6)));
	ck_assert(monotime_before(helper_time(1, 999999999), helper_time(2, 0)));
	ck_assert(!monotime_before(helper_time(1, 5), helper_time(1, 5)));
	ck_assert(!monotime_before(helper_time(2, 0), helper_time(1, 999999999)));
}
END_TEST

START_TEST(test_monotime_seconds_between_two_points)
{
	ck_assert(monotime_seconds(helper_time(1, 500000000),
				   helper_time(3, 250000000)) == 1.75);
	ck_assert(monotime_seconds(helper_time(3, 250000000),
				   helper_time(1, 500000000)) == -1.75);
	ck_assert(monotime_seconds(helper_time(7, 0), helper_time(7, 0)) == 0);
}
END_TEST

START_TEST(test_monotime_until_is_never_negative)
{
	ASSERT_TIME(monotime_until(helper_time(1, 800000000),
				   helper_time(3, 100000000)), 1, 300000000);
	ASSERT_TIME(monotime_until(helper_time(3, 0), helper_time(3, 0)), 0, 0);
	ASSERT_TIME(monotime_until(helper_time(4, 0), helper_time(3, 0)), 0, 0);
}
END_TEST

START_TEST(test_monotime_sub_borrows_and_stops_at_zero)
{
	ASSERT_TIME(monotime_sub(helper_time(5, 200000000), 1.5), 3, 700000000);
	ASSERT_TIME(monotime_sub(helper_time(5, 0), 0), 5, 0);
	ASSERT_TIME(monotime_sub(helper_time(1, 0), 2.25), 0, 0);
}
END_TEST

START_TEST(test_monotime_now_never_goes_back)
{
	struct timespec first = monotime_now(), second = monotime_now();

	ck_assert(!monotime_before(second, first));
	ck_assert_int_ge(first.tv_nsec, 0);
	ck_assert_int_lt(first.tv_nsec, 1000000000);
}
END_TEST

Suite *monotime_suite(void)
{
	Suite *suite = suite_create("monotime");
	TCase *tc = tcase_create("monotime");

	tcase_add_test(tc, test_monotime_add_carries_into_the_seconds);
	tcase_add_test(tc, test_monotime_before_is_strict);
	tcase_add_test(tc, test_monotime_seconds_between_two_points);
	tcase_add_test(tc, test_monotime_until_is_never_negative);
	tcase_add_test(tc, test_monotime_sub_borrows_and_stops_at_zero);
	tcase_add_test(tc, test_monotime_now_never_goes_back);
	suite_add_tcase(suite, tc);
	return suite;
}
