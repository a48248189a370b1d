/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* checks: the values the built-in checks share, and a certificate's days. */
#include <string.h>

#include "checks.h"
#include "suites.h"

START_TEST(test_checks_status_codes_and_classes)
{
	static const struct { const char *text; long status; } good[] = {
		{ "100", 100 }, { "200", 200 }, { "599", 599 }, { "1xx", 1 },
		{ "2xx", 2 }, { "5XX", 5 },
	};
	static const char *const bad[] = {
		"", "99", "600", "0xx", "6xx", "2x", "2xxx", " 200", "+200",
		"200 ", "2e2", "xx", "99999999999999999999",
	};
	long status;

	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		ck_assert_msg(checks_parse_status(good[i].text, &status) == 0,
			      "'%s'", good[i].text);
		ck_assert_int_eq(status, good[i].status);
	}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ck_assert_msg(checks_parse_status(bad[i], &status) == -1,
			      "'%s'", bad[i]);
}
END_TEST

START_TEST(test_checks_ages_and_days)
{
	static const char *const bad_ages[] = {
		"", "0", "0d", "h", "-1", "1w", "1 h", "1e3", "36501d",
		"1.5.2m", "9999999999999999999999999999999",
	};
	static const char *const bad_days[] = { "", "-1", "36501", "1.5", "x", " 1" };
	double seconds;
	int days;

	ck_assert_int_eq(checks_parse_age("36500d", &seconds), 0);
	ck_assert(seconds == 36500 * 86400.0);
	ck_assert_int_eq(checks_parse_age("0.5s", &seconds), 0);
	ck_assert(seconds == 0.5);
	for (size_t i = 0; i < sizeof bad_ages / sizeof *bad_ages; i++)
		ck_assert_msg(checks_parse_age(bad_ages[i], &seconds) == -1,
			      "'%s'", bad_ages[i]);
	ck_assert_int_eq(checks_parse_days("0", &days), 0);
	ck_assert_int_eq(days, 0);
	ck_assert_int_eq(checks_parse_days("36500", &days), 0);
	ck_assert_int_eq(days, 36500);
	for (size_t i = 0; i < sizeof bad_days / sizeof *bad_days; i++)
		ck_assert_msg(checks_parse_days(bad_days[i], &days) == -1,
			      "'%s'", bad_days[i]);
}
END_TEST

START_TEST(test_checks_expire_dates_as_libcurl_writes_them)
{
	time_t when;

	/* 2026-12-04 13:30:57 UTC */
	ck_assert_int_eq(checks_parse_expire_date("Dec  4 13:30:57 2026 GMT", &when), 0);
	ck_assert_int_eq(when, 1796391057);
	ck_assert_int_eq(checks_parse_expire_date("2026-12-04 13:30:57 GMT", &when), 0);
	ck_assert_int_eq(when, 1796391057);
	ck_assert_int_eq(checks_parse_expire_date("Jan  1 00:00:00 2030 GMT", &when), 0);
	ck_assert_int_eq(when, 1893456000);
	ck_assert_int_eq(checks_parse_expire_date("Dex  4 13:30:57 2026 GMT", &when), -1);
	ck_assert_int_eq(checks_parse_expire_date("ecJ  4 13:30:57 2026 GMT", &when), -1);
	ck_assert_int_eq(checks_parse_expire_date("Dec  4 13:30:57 2026 CET", &when), -1);
	ck_assert_int_eq(checks_parse_expire_date("Dec  4 13:30:57 2026 GMT x", &when), -1);
	ck_assert_int_eq(checks_parse_expire_date("2026-13-04 13:30:57 GMT", &when), -1);
	ck_assert_int_eq(checks_parse_expire_date("", &when), -1);
}
END_TEST

START_TEST(test_checks_certificate_days_left)
{
	const char *end = "Dec  4 13:30:57 2026 GMT";
	time_t at = 1796391057;
	char message[256];

	ck_assert_int_eq(checks_judge_certificate("x", end, at - 15 * 86400, 15,
						  message, sizeof message),
			 CHECK_WORKS);
	ck_assert_int_eq(checks_judge_certificate("x", end, at - 15 * 86400 + 1,
						  15, message, sizeof message),
			 CHECK_UNEXPECTED);
	ck_assert_str_eq(message, "the certificate of x expires in 14 days, on 2026-12-04 13:30:57 UTC (expected at least 15 days left).");
	checks_judge_certificate("localhost on 443", end, at - 86400, 2,
				 message, sizeof message);
	ck_assert_str_eq(message, "the certificate of localhost on 443 expires in 1 day, on 2026-12-04 13:30:57 UTC (expected at least 2 days left).");
	checks_judge_certificate("x", end, at - 10, 1, message, sizeof message);
	ck_assert_str_eq(message, "the certificate of x expires in less than a day, on 2026-12-04 13:30:57 UTC (expected at least 1 day left).");
	ck_assert_int_eq(checks_judge_certificate("x", end, at, 0, message,
						  sizeof message),
			 CHECK_WORKS);
	checks_judge_certificate("x", end, at + 1, 0, message, sizeof message);
	ck_assert_str_eq(message, "the certificate of x expired less than a day ago, on 2026-12-04 13:30:57 UTC (expected at least 0 days left).");
	checks_judge_certificate("x", end, at + 3 * 86400, 0, message, sizeof message);
	ck_assert_str_eq(message, "the certificate of x expired 3 days ago, on 2026-12-04 13:30:57 UTC (expected at least 0 days left).");
	ck_assert_int_eq(checks_judge_certificate("x", NULL, at, 0, message,
						  sizeof message),
			 CHECK_UNEXPECTED);
	ck_assert_str_eq(message, "the certificate of x cannot be read (its end of validity is missing)");
}
END_TEST

Suite *checks_suite(void)
{
	Suite *suite = suite_create("checks");
	TCase *tc = tcase_create("checks");

	tcase_add_test(tc, test_checks_status_codes_and_classes);
	tcase_add_test(tc, test_checks_ages_and_days);
	tcase_add_test(tc, test_checks_expire_dates_as_libcurl_writes_them);
	tcase_add_test(tc, test_checks_certificate_days_left);
	suite_add_tcase(suite, tc);
	return suite;
}
