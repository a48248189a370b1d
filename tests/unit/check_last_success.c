/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* last_success: promise-run.last-success's lines, written and read back. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "last_success.h"
#include "suites.h"

/* The entries of `text`, as "TITLE=WHEN;" each, in the order read. */
static char *parsed(const char *text, size_t size)
{
	struct last_success *entries;
	struct helper_output output;
	size_t count;

	ck_assert_int_eq(last_success_parse(text, size, &entries, &count), 0);
	helper_output_open(&output);
	for (size_t i = 0; i < count; i++)
		fprintf(output.out, "%s=%lld;", entries[i].title, entries[i].when);
	last_success_free(entries, count);
	return helper_output_close(&output);
}

static void assert_parsed(const char *text, const char *expected)
{
	char *got = parsed(text, strlen(text));

	ck_assert_msg(strcmp(got, expected) == 0, "\"%s\": got \"%s\", not \"%s\"",
		      text, got, expected);
	free(got);
}

START_TEST(test_last_success_round_trip)
{
	static const struct { const char *title; long long when; } written[] = {
		{ "zeta", 1700000300 }, { "alpha", 1700000100 },
		{ "with spaces in it", 1700000200 }, { "x", 1 },
	};
	struct last_success *entries;
	struct helper_output output;
	size_t count;
	char *text;

	helper_output_open(&output);
	for (size_t i = 0; i < sizeof written / sizeof *written; i++)
		ck_assert_int_eq(last_success_format(output.out, written[i].title,
						     written[i].when), 0);
	text = helper_output_close(&output);
	ck_assert_str_eq(text, "1700000300 zeta\n1700000100 alpha\n"
			       "1700000200 with spaces in it\n1 x\n");
	ck_assert_int_eq(last_success_parse(text, strlen(text), &entries, &count), 0);
	ck_assert_uint_eq(count, 4);
	for (size_t i = 0; i < sizeof written / sizeof *written; i++)
		ck_assert_int_eq(last_success_of(entries, count, written[i].title),
				 written[i].when);
	ck_assert_int_eq(last_success_of(entries, count, "with"), 0);
	ck_assert_int_eq(last_success_of(entries, count, "beta"), 0);
	last_success_free(entries, count);
	free(text);
}
END_TEST

START_TEST(test_last_success_format_leaves_out_what_cannot_be_a_line)
{
	struct helper_output output;
	char *text;

	helper_output_open(&output);
	ck_assert_int_eq(last_success_format(output.out, "never", 0), 0);
	ck_assert_int_eq(last_success_format(output.out, "before", -5), 0);
	ck_assert_int_eq(last_success_format(output.out, "two\nlines", 7), 0);
	ck_assert_int_eq(last_success_format(output.out, "", 7), 0);
	ck_assert_int_eq(last_success_format(output.out, "kept", 7), 0);
	text = helper_output_close(&output);
	ck_assert_str_eq(text, "7 kept\n");
	free(text);
}
END_TEST

START_TEST(test_last_success_parse_sorts_by_title)
{
	assert_parsed("3 c\n1 a\n2 b\n", "a=1;b=2;c=3;");
	assert_parsed("", "");
}
END_TEST

START_TEST(test_last_success_parse_skips_lines_that_are_not_entries)
{
	/* No number, no title, a number not followed by one space, zero. */
	assert_parsed("title\n\n 12\n12\n12 \n12x t\n12\tt\n0 zero\n"
		      "-4 minus\nNaN n\n5 ok\n", "ok=5;");
	/* strtoll's reading: blanks and a sign before the number. */
	assert_parsed("  7 blank\n+8 plus\n", "blank=7;plus=8;");
	/* The title is all after the first space, spaces included. */
	assert_parsed("9  lead\n9 trail \n", " lead=9;trail =9;");
}
END_TEST

START_TEST(test_last_success_parse_a_huge_number_is_the_largest)
{
	char *expected;

	ck_assert_int_ge(asprintf(&expected, "huge=%lld;", LLONG_MAX), 0);
	assert_parsed("99999999999999999999999999 huge\n", expected);
	free(expected);
}
END_TEST

START_TEST(test_last_success_parse_reads_a_last_line_without_its_newline)
{
	assert_parsed("1 a\n2 b", "a=1;b=2;");
	/* Only `size` bytes are read: the rest is not the file's. */
	{
		static const char text[] = "1 a\n2 bcd";
		char *got = parsed(text, sizeof text - 3);

		ck_assert_str_eq(got, "a=1;b=2;");
		free(got);
	}
}
END_TEST

START_TEST(test_last_success_parse_cuts_a_title_at_a_nul)
{
	static const char text[] = "1 a\0hidden\n2 b\n";
	char *got = parsed(text, sizeof text - 1);

	ck_assert_str_eq(got, "a=1;b=2;");
	free(got);
}
END_TEST

START_TEST(test_last_success_parse_a_title_twice_is_the_later_lines)
{
	assert_parsed("5 t\n3 t\n", "t=3;");
	assert_parsed("3 t\n5 t\n", "t=5;");
	assert_parsed("1 t\n2 u\n3 t\n4 t\n5 u\n", "t=4;u=5;");
}
END_TEST

Suite *last_success_suite(void)
{
	Suite *suite = suite_create("last_success");
	TCase *tc = tcase_create("last_success");

	tcase_add_test(tc, test_last_success_round_trip);
	tcase_add_test(tc, test_last_success_format_leaves_out_what_cannot_be_a_line);
	tcase_add_test(tc, test_last_success_parse_sorts_by_title);
	tcase_add_test(tc, test_last_success_parse_skips_lines_that_are_not_entries);
	tcase_add_test(tc, test_last_success_parse_a_huge_number_is_the_largest);
	tcase_add_test(tc, test_last_success_parse_reads_a_last_line_without_its_newline);
	tcase_add_test(tc, test_last_success_parse_cuts_a_title_at_a_nul);
	tcase_add_test(tc, test_last_success_parse_a_title_twice_is_the_later_lines);
	suite_add_tcase(suite, tc);
	return suite;
}
