/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* value: the spellings of seconds and job counts. */
#include "suites.h"
#include "value.h"

START_TEST(test_value_seconds_takes_whole_and_decimal_numbers)
{
	static const struct { const char *text; double seconds; } good[] = {
		{ "20", 20 }, { "0.5", 0.5 }, { ".25", 0.25 }, { "0", 0 },
		{ "5.", 5 }, { "007", 7 }, { "2678400", 2678400 },
	};

	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		double seconds = -1;

		ck_assert_msg(value_parse_seconds(good[i].text, &seconds) == 0,
			      "'%s'", good[i].text);
		ck_assert_msg(seconds == good[i].seconds, "'%s' gave %g",
			      good[i].text, seconds);
	}
}
END_TEST

START_TEST(test_value_seconds_refuses_signs_blanks_words_and_exponents)
{
	static const char *const bad[] = {
		"", "-1", "+1", " 1", "1 ", "nan", "inf", "0x10", "1e3", ".",
		"1.2.3", "2678400.5", "1,5", "20s",
	};

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		double seconds = 42;

		ck_assert_msg(value_parse_seconds(bad[i], &seconds) == -1,
			      "'%s'", bad[i]);
		ck_assert(seconds == 42);
	}
}
END_TEST

START_TEST(test_value_jobs_from_1_to_4096)
{
	static const char *const bad[] = {
		"", "0", "4097", "-1", "+1", "1.5", "12a", " 1",
		"99999999999999999999999",
	};
	unsigned jobs = 0;

	ck_assert_int_eq(value_parse_jobs("1", &jobs), 0);
	ck_assert_uint_eq(jobs, 1);
	ck_assert_int_eq(value_parse_jobs("4096", &jobs), 0);
	ck_assert_uint_eq(jobs, 4096);
	ck_assert_int_eq(value_parse_jobs("0016", &jobs), 0);
	ck_assert_uint_eq(jobs, 16);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		jobs = 7;
		ck_assert_msg(value_parse_jobs(bad[i], &jobs) == -1, "'%s'",
			      bad[i]);
		ck_assert_uint_eq(jobs, 7);
	}
}
END_TEST

Suite *value_suite(void)
{
	Suite *suite = suite_create("value");
	TCase *tc = tcase_create("value");

	tcase_add_test(tc, test_value_seconds_takes_whole_and_decimal_numbers);
	tcase_add_test(tc, test_value_seconds_refuses_signs_blanks_words_and_exponents);
	tcase_add_test(tc, test_value_jobs_from_1_to_4096);
	suite_add_tcase(suite, tc);
	return suite;
}
