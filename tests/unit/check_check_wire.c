/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* check_wire: requests and results between root and a check helper. */
#include <stdlib.h>
#include <string.h>

#include "check_wire.h"
#include "suites.h"

static struct check_wire_buffer buffer;

static void teardown(void)
{
	check_wire_release(&buffer);
}

/* Appends `size` bytes of `bytes` as received. */
static void receive(const void *bytes, size_t size)
{
	ck_assert_int_eq(check_wire_append(&buffer, bytes, size), 0);
}

START_TEST(test_wire_requests_round_trip_with_any_byte_in_a_path)
{
	struct check_wire_request request = {
		.id = 18446744073709551615u, .path = "/h/etc/promise/a b\nc" };
	struct check_wire_request got;

	ck_assert_int_eq(check_wire_put_request(&buffer, &request), 0);
	request = (struct check_wire_request){ .cancel = true, .id = 7 };
	ck_assert_int_eq(check_wire_put_request(&buffer, &request), 0);
	ck_assert_mem_eq(buffer.bytes,
			 "s18446744073709551615 /h/etc/promise/a b\nc\0c7\0",
			 buffer.length);
	ck_assert_int_eq(check_wire_next_request(&buffer, &got), 1);
	ck_assert(!got.cancel);
	ck_assert(got.id == 18446744073709551615u);
	ck_assert_str_eq(got.path, "/h/etc/promise/a b\nc");
	ck_assert_int_eq(check_wire_next_request(&buffer, &got), 1);
	ck_assert(got.cancel);
	ck_assert(got.id == 7);
	ck_assert_ptr_null(got.path);
	ck_assert_int_eq(check_wire_next_request(&buffer, &got), 0);
	ck_assert_uint_eq(buffer.length, 0);
}
END_TEST

START_TEST(test_wire_a_request_arrives_in_pieces)
{
	struct check_wire_request got;

	receive("s12 /h/etc/pro", 14);
	ck_assert_int_eq(check_wire_next_request(&buffer, &got), 0);
	receive("mise/web\0s1", 11);
	ck_assert_int_eq(check_wire_next_request(&buffer, &got), 1);
	ck_assert(got.id == 12);
	ck_assert_str_eq(got.path, "/h/etc/promise/web");
	ck_assert_int_eq(check_wire_next_request(&buffer, &got), 0);
	ck_assert_mem_eq(buffer.bytes, "s1", buffer.length);
}
END_TEST

START_TEST(test_wire_bad_requests_are_refused)
{
	static const char *const bad[] = {
		"x1 /p", "s /p", "s1", "s1 ", "s1/p", "c", "c1 /p", "c 1",
		"s-1 /p", "s18446744073709551616 /p", "s000000000000000000001 /p",
	};
	struct check_wire_request got;

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		check_wire_release(&buffer);
		receive(bad[i], strlen(bad[i]) + 1);
		ck_assert_msg(check_wire_next_request(&buffer, &got) == -1,
			      "accepted: %s", bad[i]);
	}
}
END_TEST

START_TEST(test_wire_a_request_too_long_to_end_is_refused)
{
	char *path = malloc(CHECK_WIRE_MAX_REQUEST + 2);
	struct check_wire_request got;

	memset(path, 'a', CHECK_WIRE_MAX_REQUEST + 1);
	path[0] = 's';
	receive(path, CHECK_WIRE_MAX_REQUEST);
	ck_assert_int_eq(check_wire_next_request(&buffer, &got), 0);
	receive(path, 1);
	ck_assert_int_eq(check_wire_next_request(&buffer, &got), -1);
	free(path);
}
END_TEST

START_TEST(test_wire_results_round_trip_with_line_feeds_in_a_message)
{
	struct check_wire_result result = {
		.id = 3, .status = 2, .duration = 0.0371234,
		.message = "not available\nsecond line", .message_length = 25 };
	struct check_wire_result got;

	ck_assert_int_eq(check_wire_put_result(&buffer, &result), 0);
	result = (struct check_wire_result){ .id = 4, .message = "" };
	ck_assert_int_eq(check_wire_put_result(&buffer, &result), 0);
	ck_assert_mem_eq(buffer.bytes,
			 "3 2 37123 25\nnot available\nsecond line4 0 0 0\n",
			 buffer.length);
	ck_assert_int_eq(check_wire_next_result(&buffer, &got), 1);
	ck_assert(got.id == 3);
	ck_assert_int_eq(got.status, 2);
	ck_assert_double_eq_tol(got.duration, 0.037123, 1e-9);
	ck_assert_uint_eq(got.message_length, 25);
	ck_assert_mem_eq(got.message, "not available\nsecond line", 25);
	ck_assert_int_eq(check_wire_next_result(&buffer, &got), 1);
	ck_assert(got.id == 4);
	ck_assert_uint_eq(got.message_length, 0);
	ck_assert_int_eq(check_wire_next_result(&buffer, &got), 0);
}
END_TEST

START_TEST(test_wire_a_result_waits_for_its_whole_message)
{
	struct check_wire_result got;

	receive("9 1 5 6\nshor", 12);
	ck_assert_int_eq(check_wire_next_result(&buffer, &got), 0);
	receive("t!", 2);
	ck_assert_int_eq(check_wire_next_result(&buffer, &got), 1);
	ck_assert_mem_eq(got.message, "short!", 6);
}
END_TEST

START_TEST(test_wire_bad_results_are_refused)
{
	static const char *const bad[] = {
		"1 4 0 0\n",            /* no exit status of a check's */
		"1 0 0 16385\n",        /* a message longer than any check's */
		"1 0 0\n", "1 0 0 0 0\n", "1  0 0 0\n", " 1 0 0 0\n",
		"a 0 0 0\n", "1 0 -1 0\n", "1 0 0 0x\n",
		"18446744073709551616 0 0 0\n",
	};
	struct check_wire_result got;

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		check_wire_release(&buffer);
		receive(bad[i], strlen(bad[i]));
		ck_assert_msg(check_wire_next_result(&buffer, &got) == -1,
			      "accepted: %s", bad[i]);
	}
}
END_TEST

START_TEST(test_wire_a_header_that_never_ends_is_refused)
{
	char header[100];
	struct check_wire_result got;

	memset(header, '1', sizeof header);
	receive(header, 80);
	ck_assert_int_eq(check_wire_next_result(&buffer, &got), 0);
	receive(header, 1);
	ck_assert_int_eq(check_wire_next_result(&buffer, &got), -1);
}
END_TEST

START_TEST(test_wire_a_message_is_cut_at_the_longest_a_result_carries)
{
	char *message = malloc(CHECK_WIRE_MAX_MESSAGE + 10);
	struct check_wire_result result = {
		.id = 1, .message = message,
		.message_length = CHECK_WIRE_MAX_MESSAGE + 10 };
	struct check_wire_result got;

	memset(message, 'm', CHECK_WIRE_MAX_MESSAGE + 10);
	ck_assert_int_eq(check_wire_put_result(&buffer, &result), 0);
	ck_assert_int_eq(check_wire_next_result(&buffer, &got), 1);
	ck_assert_uint_eq(got.message_length, CHECK_WIRE_MAX_MESSAGE);
	free(message);
}
END_TEST

START_TEST(test_wire_consume_drops_what_was_written)
{
	receive("abcdef", 6);
	check_wire_consume(&buffer, 4);
	ck_assert_mem_eq(buffer.bytes, "ef", buffer.length);
	check_wire_consume(&buffer, 2);
	ck_assert_uint_eq(buffer.length, 0);
}
END_TEST

Suite *check_wire_suite(void)
{
	Suite *suite = suite_create("check_wire");
	TCase *tc = tcase_create("check_wire");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_wire_requests_round_trip_with_any_byte_in_a_path);
	tcase_add_test(tc, test_wire_a_request_arrives_in_pieces);
	tcase_add_test(tc, test_wire_bad_requests_are_refused);
	tcase_add_test(tc, test_wire_a_request_too_long_to_end_is_refused);
	tcase_add_test(tc, test_wire_results_round_trip_with_line_feeds_in_a_message);
	tcase_add_test(tc, test_wire_a_result_waits_for_its_whole_message);
	tcase_add_test(tc, test_wire_bad_results_are_refused);
	tcase_add_test(tc, test_wire_a_header_that_never_ends_is_refused);
	tcase_add_test(tc, test_wire_a_message_is_cut_at_the_longest_a_result_carries);
	tcase_add_test(tc, test_wire_consume_drops_what_was_written);
	suite_add_tcase(suite, tc);
	return suite;
}
