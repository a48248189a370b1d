/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* slapgrid: slapos.core's result, log and cache files, both ways. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helpers.h"
#include "slapgrid.h"
#include "suites.h"

/* 2026-11-24T21:54:46Z */
#define WHEN ((time_t)1795557286)

START_TEST(test_slapgrid_transaction_id_ends_in_three_digits_from_100)
{
	char id[SLAPGRID_TRANSACTION_SIZE];

	/* A number from 100 to 999 is used as it is... */
	slapgrid_transaction_id(WHEN, 100, id, sizeof id);
	ck_assert_str_eq(id, "1795557286-100");
	slapgrid_transaction_id(WHEN, 899, id, sizeof id);
	ck_assert_str_eq(id, "1795557286-899");
	slapgrid_transaction_id(WHEN, 999, id, sizeof id);
	ck_assert_str_eq(id, "1795557286-999");
	/* ... any other is brought into that range. */
	slapgrid_transaction_id(WHEN, 0, id, sizeof id);
	ck_assert_str_eq(id, "1795557286-100");
	slapgrid_transaction_id(WHEN, 1000, id, sizeof id);
	ck_assert_str_eq(id, "1795557286-200");
	slapgrid_transaction_id(0, 12345, id, sizeof id);
	ck_assert_str_eq(id, "0-745");
}
END_TEST

START_TEST(test_slapgrid_result_date_is_utc)
{
	char date[64];

	setenv("TZ", "<+05>-5", 1);
	tzset();
	slapgrid_result_date(WHEN, date, sizeof date);
	ck_assert_str_eq(date, "2026-11-24T21:54:46+0000");
	slapgrid_result_date(0, date, sizeof date);
	ck_assert_str_eq(date, "1970-01-01T00:00:00+0000");
}
END_TEST

START_TEST(test_slapgrid_format_result_writes_slapos_cores_json)
{
	struct slapgrid_result result = {
		.title = "check-db", .name = "check-db.sh",
		.path = "/srv/slapgrid/slappart0/etc/promise/check-db.sh",
		.execution_time = 0.015, .anomaly_type = false, .failed = true,
		.date = WHEN, .message = "database \"main\" is down\nretry",
	};
	struct helper_output output;
	char *text;

	helper_output_open(&output);
	ck_assert_int_eq(slapgrid_format_result(output.out, &result), 0);
	text = helper_output_close(&output);
	ck_assert_str_eq(text,
		"{\"title\": \"check-db\", \"name\": \"check-db.sh\", \"path\": \"/srv/slapgrid/slappart0/etc/promise/check-db.sh\", \"execution-time\": 0.015000, \"result\": {\"type\": \"Test Result\", \"failed\": true, \"date\": \"2026-11-24T21:54:46+0000\", \"message\": \"database \\\"main\\\" is down\\nretry\"}}\n");
	free(text);

	result.anomaly_type = true;
	result.failed = false;
	result.message = "";
	helper_output_open(&output);
	ck_assert_int_eq(slapgrid_format_result(output.out, &result), 0);
	text = helper_output_close(&output);
	ck_assert_ptr_nonnull(strstr(text, "\"result\": {\"type\": \"Anomaly Result\", \"failed\": false, \"date\": \"2026-11-24T21:54:46+0000\", \"message\": \"\"}}\n"));
	free(text);
}
END_TEST

START_TEST(test_slapgrid_format_log_record_in_local_time)
{
	struct helper_output output;
	char *text;

	setenv("TZ", "UTC", 1);
	tzset();
	helper_output_open(&output);
	ck_assert_int_eq(slapgrid_format_log_record(output.out, WHEN, "ERROR",
						    "1795557286-123",
						    "boom\nsecond line"), 0);
	text = helper_output_close(&output);
	ck_assert_str_eq(text, "2026-11-24 21:54:46 - ERROR - 1795557286-123 - boom\nsecond line\n");
	free(text);

	setenv("TZ", "<+02>-2", 1);
	tzset();
	helper_output_open(&output);
	ck_assert_int_eq(slapgrid_format_log_record(output.out, WHEN, "INFO",
						    "1-100", ""), 0);
	text = helper_output_close(&output);
	ck_assert_str_eq(text, "2026-11-24 23:54:46 - INFO - 1-100 - \n");
	free(text);
}
END_TEST

START_TEST(test_slapgrid_format_terminating_quotes_the_name_as_python)
{
	struct helper_output output;
	char *text;

	setenv("TZ", "UTC", 1);
	tzset();
	helper_output_open(&output);
	ck_assert_int_eq(slapgrid_format_terminating(output.out, WHEN, "1-100",
						     "slow.sh"), 0);
	ck_assert_int_eq(slapgrid_format_terminating(output.out, WHEN, "1-100",
						     "it's.sh"), 0);
	text = helper_output_close(&output);
	ck_assert_str_eq(text,
		"2026-11-24 21:54:46 - INFO - 1-100 - Terminating promise process 'slow.sh'\n"
		"2026-11-24 21:54:46 - INFO - 1-100 - Terminating promise process \"it's.sh\"\n");
	free(text);
}
END_TEST

/* The runs read from `text`, newest first, as "FOF" (F failed, O ok). */
static void assert_runs(const char *text, bool whole, size_t wanted,
                        const char *expected)
{
	bool failed[8];
	char got[9] = "";
	size_t found = slapgrid_parse_log(text, strlen(text), whole, failed,
					  wanted);

	ck_assert_uint_le(found, wanted);
	for (size_t i = 0; i < found; i++)
		got[i] = failed[i] ? 'F' : 'O';
	got[found] = '\0';
	ck_assert_str_eq(got, expected);
}

static const char three_runs[] =
	"2024-01-01 10:00:00 - INFO - 1704103200-111 - checking\n"
	"2024-01-01 10:00:00 - ERROR - 1704103200-111 - boom\n"
	"2024-01-01 10:01:00 - INFO - 1704103260-222 - fine\n"
	"2024-01-01 10:02:00 - INFO - 1704103320-333 - checking\n"
	"2024-01-01 10:02:01 - CRITICAL - 1704103320-333 - bad\n";

START_TEST(test_slapgrid_parse_log_groups_records_by_transaction_newest_first)
{
	assert_runs(three_runs, true, 8, "FOF");
	assert_runs(three_runs, true, 2, "FO");
	assert_runs(three_runs, true, 1, "F");
	assert_runs("", true, 8, "");
}
END_TEST

START_TEST(test_slapgrid_parse_log_warning_is_no_failure)
{
	assert_runs("2024-01-01 10:00:00 - WARNING - 1-111 - slow\n"
		    "2024-01-01 10:00:00 - DEBUG - 1-111 - x\n", true, 8, "O");
	assert_runs("2024-01-01 10:00:00 - error - 1-111 - lower case\n",
		    true, 8, "O");
}
END_TEST

START_TEST(test_slapgrid_parse_log_skips_continuation_and_blank_lines)
{
	assert_runs("2024-01-01 10:00:00 - ERROR - 1-111 - Traceback:\n"
		    "  File \"x\", line 1\n"
		    "ERROR - 2-222 - not a record\n"
		    "\n"
		    "\n"
		    "2024-01-01 10:01:00 - INFO - 2-222 - ok\n"
		    "continued\n"
		    "\n", true, 8, "OF");
}
END_TEST

START_TEST(test_slapgrid_parse_log_does_not_read_a_cut_first_line)
{
	static const char text[] =
		"2024-01-01 10:00:00 - ERROR - 1-111 - boom\n"
		"2024-01-01 10:01:00 - INFO - 2-222 - ok\n";

	assert_runs(text, true, 8, "OF");
	/* The first line looks whole, but a read from the middle may have cut it. */
	assert_runs(text, false, 8, "O");
	assert_runs(text + 43, false, 8, "");
}
END_TEST

START_TEST(test_slapgrid_parse_log_follows_slapos_cores_pattern)
{
	/* The dashes around the level are optional, the blanks are not. */
	assert_runs("2024-01-01 10:00:00 ERROR - 1-111 - x\n", true, 8, "F");
	assert_runs("2024-01-01  10:00:00\t-\tERROR\t-\t1-111\t-\tx\n", true, 8, "F");
	assert_runs("2024-01-01 10:00:00 - ERROR  1-111 x\n", true, 8, "F");
	/* One blank and no dash between the level and the id: no record. */
	assert_runs("2024-01-01 10:00:00 - ERROR 1-111 - x\n", true, 8, "");
	assert_runs("2024-01-01 10:00:00 - ERROR -1-111 - x\n", true, 8, "");
	/* The id: digits, a dash, exactly three digits, then a blank. */
	assert_runs("2024-01-01 10:00:00 - ERROR - 1-11 - x\n", true, 8, "");
	assert_runs("2024-01-01 10:00:00 - ERROR - 1-1111 - x\n", true, 8, "");
	assert_runs("2024-01-01 10:00:00 - ERROR - -111 - x\n", true, 8, "");
	/* The date and time in full. */
	assert_runs("2024-01-01 10:00 - ERROR - 1-111 - x\n", true, 8, "");
	assert_runs("24-01-01 10:00:00 - ERROR - 1-111 - x\n", true, 8, "");
	assert_runs("2024-01-0110:00:00 - ERROR - 1-111 - x\n", true, 8, "");
}
END_TEST

START_TEST(test_slapgrid_parse_result_reads_failed_message_and_date)
{
	static const char text[] =
		"{\"title\": \"a\", \"result\": {\"type\": \"Test Result\", \"failed\": true, \"date\": \"2026-11-24T21:54:46+0000\", \"message\": \"Error: disk\\nfull\"}}";
	struct slapgrid_previous previous;

	ck_assert_int_eq(slapgrid_parse_result(text, sizeof text - 1, &previous), 0);
	ck_assert(previous.failed);
	ck_assert(!previous.anomaly_type);
	ck_assert_str_eq(previous.message, "Error: disk\nfull");
	ck_assert_int_eq(previous.date, WHEN);
	free(previous.message);
}
END_TEST

START_TEST(test_slapgrid_parse_result_reads_an_anomaly_results_type)
{
	static const char text[] =
		"{\"result\": {\"type\": \"Anomaly Result\", \"failed\": false, \"message\": \"Error: Promise timed out after 20 seconds\"}}";
	struct slapgrid_previous previous;

	ck_assert_int_eq(slapgrid_parse_result(text, sizeof text - 1, &previous), 0);
	ck_assert(previous.anomaly_type);
	ck_assert(!previous.failed);
	free(previous.message);
}
END_TEST

START_TEST(test_slapgrid_parse_result_of_its_own_format)
{
	struct slapgrid_result written = {
		.title = "t", .name = "t.sh", .path = "/p/t.sh",
		.failed = false, .date = WHEN, .message = "ok \u00e9",
	};
	struct slapgrid_previous previous;
	struct helper_output output;
	char *text;

	helper_output_open(&output);
	ck_assert_int_eq(slapgrid_format_result(output.out, &written), 0);
	text = helper_output_close(&output);
	ck_assert_int_eq(slapgrid_parse_result(text, strlen(text), &previous), 0);
	ck_assert(!previous.failed);
	ck_assert_str_eq(previous.message, "ok \u00e9");
	ck_assert_int_eq(previous.date, WHEN);
	free(previous.message);
	free(text);
}
END_TEST

START_TEST(test_slapgrid_parse_result_without_message_or_with_a_bad_date)
{
	static const char text[] =
		"{\"result\": {\"failed\": false, \"date\": \"yesterday\"}}";
	struct slapgrid_previous previous;

	ck_assert_int_eq(slapgrid_parse_result(text, sizeof text - 1, &previous), 0);
	ck_assert(!previous.failed);
	ck_assert_ptr_null(previous.message);
	ck_assert_int_eq(previous.date, 0);
}
END_TEST

START_TEST(test_slapgrid_parse_result_refuses_what_is_not_one)
{
	static const char *const bad[] = {
		"", "{}", "{\"result\": {}}", "{\"failed\": true}",
		"{\"result\": {\"failed\": \"yes\"}}",
		"{\"result\": {\"failed\": 1}}",
		"{\"result\": {\"failed\": true}} trailing",
	};
	struct slapgrid_previous previous;

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ck_assert_msg(slapgrid_parse_result(bad[i], strlen(bad[i]),
						    &previous) == -1,
			      "%s", bad[i]);
}
END_TEST

START_TEST(test_slapgrid_format_cache_writes_whole_minutes_as_an_integer)
{
	struct slapgrid_cache cache = {
		.periodicity = 120, .timestamp = 1700000000.5,
		.module_file = "/srv/p/etc/promise/a.sh",
		.module_file_mtime = 1690000000,
	};
	struct helper_output output;
	char *text;

	helper_output_open(&output);
	ck_assert_int_eq(slapgrid_format_cache(output.out, &cache), 0);
	cache.periodicity = 90;
	ck_assert_int_eq(slapgrid_format_cache(output.out, &cache), 0);
	text = helper_output_close(&output);
	ck_assert_str_eq(text,
		"{\"is_tested\": true, \"is_anomaly_detected\": true, \"periodicity\": 2, \"next_run_after\": 1700000120.500000, \"timestamp\": 1700000000.500000, \"module_file\": \"/srv/p/etc/promise/a.sh\", \"module_file_mtime\": 1690000000.000000}\n"
		"{\"is_tested\": true, \"is_anomaly_detected\": true, \"periodicity\": 1.5, \"next_run_after\": 1700000090.500000, \"timestamp\": 1700000000.500000, \"module_file\": \"/srv/p/etc/promise/a.sh\", \"module_file_mtime\": 1690000000.000000}\n");
	free(text);
}
END_TEST

START_TEST(test_slapgrid_parse_cache_reads_next_run_after)
{
	static const char written[] =
		"{\"is_tested\": true, \"periodicity\": 2, \"next_run_after\": 1700000120.5, \"timestamp\": 1700000000.5}";
	double next = 0;

	ck_assert_int_eq(slapgrid_parse_cache(written, sizeof written - 1, &next), 0);
	ck_assert(next == 1700000120.5);
	next = 7;
	static const char *const bad[] = {
		"{\"periodicity\": 2}", "{\"next_run_after\": \"soon\"}",
		"{\"next_run_after\": 1", "[1700000120.5]", "",
	};

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ck_assert_msg(slapgrid_parse_cache(bad[i], strlen(bad[i]), &next) == -1,
			      "%s", bad[i]);
	ck_assert(next == 7);
}
END_TEST

Suite *slapgrid_suite(void)
{
	Suite *suite = suite_create("slapgrid");
	TCase *tc = tcase_create("slapgrid");

	tcase_add_test(tc, test_slapgrid_transaction_id_ends_in_three_digits_from_100);
	tcase_add_test(tc, test_slapgrid_result_date_is_utc);
	tcase_add_test(tc, test_slapgrid_format_result_writes_slapos_cores_json);
	tcase_add_test(tc, test_slapgrid_format_log_record_in_local_time);
	tcase_add_test(tc, test_slapgrid_format_terminating_quotes_the_name_as_python);
	tcase_add_test(tc, test_slapgrid_parse_log_groups_records_by_transaction_newest_first);
	tcase_add_test(tc, test_slapgrid_parse_log_warning_is_no_failure);
	tcase_add_test(tc, test_slapgrid_parse_log_skips_continuation_and_blank_lines);
	tcase_add_test(tc, test_slapgrid_parse_log_does_not_read_a_cut_first_line);
	tcase_add_test(tc, test_slapgrid_parse_log_follows_slapos_cores_pattern);
	tcase_add_test(tc, test_slapgrid_parse_result_reads_failed_message_and_date);
	tcase_add_test(tc, test_slapgrid_parse_result_reads_an_anomaly_results_type);
	tcase_add_test(tc, test_slapgrid_parse_result_of_its_own_format);
	tcase_add_test(tc, test_slapgrid_parse_result_without_message_or_with_a_bad_date);
	tcase_add_test(tc, test_slapgrid_parse_result_refuses_what_is_not_one);
	tcase_add_test(tc, test_slapgrid_format_cache_writes_whole_minutes_as_an_integer);
	tcase_add_test(tc, test_slapgrid_parse_cache_reads_next_run_after);
	suite_add_tcase(suite, tc);
	return suite;
}
