/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* capture: a promise's output made into its message, in bounded memory. */
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "suites.h"

/* The message of the output given as `count` pieces. */
static char *message_of(const char *const *pieces, size_t count)
{
	struct capture capture;
	char *message;

	capture_init(&capture);
	for (size_t i = 0; i < count; i++)
		ck_assert_int_eq(capture_append(&capture, pieces[i],
						strlen(pieces[i])), 0);
	message = capture_finish(&capture);
	ck_assert_ptr_nonnull(message);
	ck_assert_ptr_null(capture.text.bytes);
	ck_assert_ptr_null(capture.blanks.bytes);
	return message;
}

#define ASSERT_MESSAGE(expected, ...) do { \
	const char *const pieces_[] = { __VA_ARGS__ }; \
	char *message_ = message_of(pieces_, sizeof pieces_ / sizeof *pieces_); \
	ck_assert_str_eq(message_, expected); \
	free(message_); \
} while (0)

/* `count` copies of `unit`, malloc'd. */
static char *repeat(const char *unit, size_t count)
{
	size_t size = strlen(unit);
	char *text = malloc(size * count + 1);

	ck_assert_ptr_nonnull(text);
	for (size_t i = 0; i < count; i++)
		memcpy(text + i * size, unit, size);
	text[size * count] = '\0';
	return text;
}

START_TEST(test_capture_strips_the_surrounding_white_space)
{
	ASSERT_MESSAGE("hello  world", "  \n\t hello  world \n\n\r\v\f");
	ASSERT_MESSAGE("x", "\n", " ", "x", " ", "\n");
}
END_TEST

START_TEST(test_capture_of_no_output_is_an_empty_message)
{
	ASSERT_MESSAGE("", "");
	ASSERT_MESSAGE("", " \n", "\t\r\n");
}
END_TEST

START_TEST(test_capture_allocates_nothing_until_the_first_text)
{
	struct capture capture;
	char *message;

	capture_init(&capture);
	ck_assert_int_eq(capture_append(&capture, "  \n\n", 4), 0);
	ck_assert_ptr_null(capture.text.bytes);
	ck_assert_ptr_null(capture.blanks.bytes);
	ck_assert_int_eq(capture_append(&capture, "a", 1), 0);
	ck_assert_ptr_nonnull(capture.text.bytes);
	message = capture_finish(&capture);
	ck_assert_str_eq(message, "a");
	free(message);
}
END_TEST

START_TEST(test_capture_keeps_inner_white_space_across_pieces)
{
	ASSERT_MESSAGE("a   \n\tb", "a", "   ", "\n", "\tb", "  \n");
	ASSERT_MESSAGE("line 1\n\nline 3", "line 1\n", "\n", "line 3\n");
}
END_TEST

START_TEST(test_capture_folds_crlf_into_lf)
{
	ASSERT_MESSAGE("a\nb", "a\r\nb\r\n");
	/* A "\r\n" split between two reads is folded too. */
	ASSERT_MESSAGE("a\nb", "a\r", "\nb");
	/* A lone carriage return stays. */
	ASSERT_MESSAGE("a\rb\n\rc", "a\rb\r\n\rc");
}
END_TEST

START_TEST(test_capture_replaces_invalid_utf8_and_nul_bytes)
{
	struct capture capture;
	char *message;

	capture_init(&capture);
	ck_assert_int_eq(capture_append(&capture, "a\xff\0" "b\xc3", 5), 0);
	ck_assert_int_eq(capture_append(&capture, "\xa9", 1), 0);
	message = capture_finish(&capture);
	ck_assert_str_eq(message, "a\xef\xbf\xbd\xef\xbf\xbd" "b\xc3\xa9");
	free(message);
}
END_TEST

START_TEST(test_capture_keeps_the_last_5000_characters)
{
	char *output = repeat("0123456789", 600);
	char *message;
	const char *pieces[] = { output };

	message = message_of(pieces, 1);
	ck_assert_uint_eq(strlen(message), 3 + 5000);
	ck_assert_int_eq(memcmp(message, "...", 3), 0);
	ck_assert_str_eq(message + 3, output + 1000);
	free(message);
	free(output);
}
END_TEST

START_TEST(test_capture_of_exactly_5000_characters_is_not_cut)
{
	char *output = repeat("abcde", 1000);
	const char *pieces[] = { output };
	char *message = message_of(pieces, 1);

	ck_assert_str_eq(message, output);
	free(message);
	free(output);
}
END_TEST

START_TEST(test_capture_counts_characters_not_bytes)
{
	char *exact = repeat("\xc3\xa9", 5000);
	char *over = repeat("\xc3\xa9", 5001);
	const char *exact_pieces[] = { exact }, *over_pieces[] = { over };
	char *message = message_of(exact_pieces, 1);

	ck_assert_str_eq(message, exact);
	free(message);
	message = message_of(over_pieces, 1);
	ck_assert_int_eq(memcmp(message, "...", 3), 0);
	ck_assert_str_eq(message + 3, exact);
	free(message);
	free(exact);
	free(over);
}
END_TEST

START_TEST(test_capture_of_a_huge_output_keeps_its_tail)
{
	char *chunk = repeat("x", 4095);
	struct capture capture;
	char *message, *tail = repeat("y", 5000);

	capture_init(&capture);
	for (int i = 0; i < 256; i++)
		ck_assert_int_eq(capture_append(&capture, chunk, 4095), 0);
	ck_assert_int_eq(capture_append(&capture, tail, 5000), 0);
	ck_assert_int_eq(capture_append(&capture, "\n", 1), 0);
	message = capture_finish(&capture);
	ck_assert_int_eq(memcmp(message, "...", 3), 0);
	ck_assert_str_eq(message + 3, tail);
	free(message);
	free(chunk);
	free(tail);
}
END_TEST

START_TEST(test_capture_of_one_piece_larger_than_the_tail_keeps_its_end)
{
	size_t size = CAPTURE_TAIL_BYTES * 2 + 3;
	char *output = repeat("z", size);
	struct capture capture;
	char *message;

	output[size - 1] = '!';
	capture_init(&capture);
	ck_assert_int_eq(capture_append(&capture, "first", 5), 0);
	ck_assert_int_eq(capture_append(&capture, output, size), 0);
	message = capture_finish(&capture);
	ck_assert_uint_eq(strlen(message), 5003);
	ck_assert_int_eq(memcmp(message, "...zzz", 6), 0);
	ck_assert_str_eq(message + 5002, "!");
	free(message);
	free(output);
}
END_TEST

START_TEST(test_capture_cut_in_a_character_gives_only_whole_characters)
{
	/* 20008 tail bytes of 3-byte characters start inside one. */
	char *output = repeat("\xe2\x82\xac", 10000);
	char *expected = repeat("\xe2\x82\xac", 5000);
	const char *pieces[] = { output };
	char *message = message_of(pieces, 1);

	ck_assert_int_eq(memcmp(message, "...", 3), 0);
	ck_assert_str_eq(message + 3, expected);
	free(message);
	free(output);
	free(expected);
}
END_TEST

START_TEST(test_capture_release_frees_without_a_message)
{
	struct capture capture;

	capture_init(&capture);
	ck_assert_int_eq(capture_append(&capture, "text  ", 6), 0);
	capture_release(&capture);
	ck_assert_ptr_null(capture.text.bytes);
	ck_assert_ptr_null(capture.blanks.bytes);
	ck_assert(!capture.text_started);
}
END_TEST

Suite *capture_suite(void)
{
	Suite *suite = suite_create("capture");
	TCase *tc = tcase_create("capture");

	tcase_add_test(tc, test_capture_strips_the_surrounding_white_space);
	tcase_add_test(tc, test_capture_of_no_output_is_an_empty_message);
	tcase_add_test(tc, test_capture_allocates_nothing_until_the_first_text);
	tcase_add_test(tc, test_capture_keeps_inner_white_space_across_pieces);
	tcase_add_test(tc, test_capture_folds_crlf_into_lf);
	tcase_add_test(tc, test_capture_replaces_invalid_utf8_and_nul_bytes);
	tcase_add_test(tc, test_capture_keeps_the_last_5000_characters);
	tcase_add_test(tc, test_capture_of_exactly_5000_characters_is_not_cut);
	tcase_add_test(tc, test_capture_counts_characters_not_bytes);
	tcase_add_test(tc, test_capture_of_a_huge_output_keeps_its_tail);
	tcase_add_test(tc, test_capture_of_one_piece_larger_than_the_tail_keeps_its_end);
	tcase_add_test(tc, test_capture_cut_in_a_character_gives_only_whole_characters);
	tcase_add_test(tc, test_capture_release_frees_without_a_message);
	suite_add_tcase(suite, tc);
	return suite;
}
