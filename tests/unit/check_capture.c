/* capture: the message made of a promise's output. */
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "suites.h"
#include "utf8.h"

/* The message of `output` given in one piece. */
static char *message_of(const char *output, size_t size)
{
	struct capture capture;

	capture_init(&capture);
	ck_assert_int_eq(capture_append(&capture, output, size), 0);
	return capture_finish(&capture);
}

START_TEST(test_capture_strips_surrounding_white_space)
{
	static const char output[] = " \n\t hello\n  world \r\n\n";
	char *message = message_of(output, strlen(output));

	ck_assert_str_eq(message, "hello\n  world");
	free(message);
}
END_TEST

START_TEST(test_capture_of_no_output_is_empty)
{
	char *message = message_of("", 0);

	ck_assert_str_eq(message, "");
	free(message);
	message = message_of(" \n \n", 4);
	ck_assert_str_eq(message, "");
	free(message);
}
END_TEST

START_TEST(test_capture_folds_crlf_but_keeps_lone_cr)
{
	static const char output[] = "a\r\nb\rc\r\n\r\nd";
	char *message = message_of(output, strlen(output));

	ck_assert_str_eq(message, "a\nb\rc\n\nd");
	free(message);
}
END_TEST

START_TEST(test_capture_replaces_invalid_utf8_and_nul)
{
	static const char output[] = "caf\xc3\xa9 \xff x\0y \xe2\x82";
	char *message = message_of(output, sizeof output - 1);

	ck_assert_str_eq(message,
			 "caf\xc3\xa9 \xef\xbf\xbd x\xef\xbf\xbdy \xef\xbf\xbd");
	free(message);
}
END_TEST

START_TEST(test_capture_keeps_last_5000_chars)
{
	size_t size = 12345;
	char *output = malloc(size), *message;

	for (size_t i = 0; i < size; i++)
		output[i] = (char)('a' + i % 26);
	message = message_of(output, size);
	ck_assert_uint_eq(strlen(message), 3 + CAPTURE_MESSAGE_CHARS);
	ck_assert(strncmp(message, "...", 3) == 0);
	ck_assert(memcmp(message + 3, output + size - CAPTURE_MESSAGE_CHARS,
			 CAPTURE_MESSAGE_CHARS) == 0);
	free(message);
	free(output);
}
END_TEST

START_TEST(test_capture_of_exactly_5000_chars_is_not_cut)
{
	char *output = malloc(CAPTURE_MESSAGE_CHARS), *message;

	memset(output, 'x', CAPTURE_MESSAGE_CHARS);
	message = message_of(output, CAPTURE_MESSAGE_CHARS);
	ck_assert_uint_eq(strlen(message), CAPTURE_MESSAGE_CHARS);
	ck_assert_int_eq(message[0], 'x');
	free(message);
	free(output);
}
END_TEST

START_TEST(test_capture_counts_characters_not_bytes)
{
	/* 6000 two-byte characters: the last 5000 are 10000 bytes. */
	size_t count = 6000;
	char *output = malloc(count * 2), *message;

	for (size_t i = 0; i < count; i++)
		memcpy(output + 2 * i, "\xc3\xa9", 2);
	message = message_of(output, count * 2);
	ck_assert_uint_eq(strlen(message), 3 + 2 * CAPTURE_MESSAGE_CHARS);
	ck_assert_uint_eq(utf8_count(message, strlen(message)),
			  3 + CAPTURE_MESSAGE_CHARS);
	free(message);
	free(output);
}
END_TEST

START_TEST(test_capture_keeps_text_before_a_flood_of_blanks)
{
	/* Trailing blanks are stripped however many there are. */
	struct capture capture;
	char blanks[4096];
	char *message;

	memset(blanks, '\n', sizeof blanks);
	capture_init(&capture);
	ck_assert_int_eq(capture_append(&capture, "the end", 7), 0);
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(capture_append(&capture, blanks,
						sizeof blanks), 0);
	message = capture_finish(&capture);
	ck_assert_str_eq(message, "the end");
	free(message);
}
END_TEST

START_TEST(test_capture_keeps_blanks_that_text_follows)
{
	struct capture capture;
	char *message;

	capture_init(&capture);
	ck_assert_int_eq(capture_append(&capture, "a  ", 3), 0);
	ck_assert_int_eq(capture_append(&capture, " \n", 2), 0);
	ck_assert_int_eq(capture_append(&capture, "b\n", 2), 0);
	message = capture_finish(&capture);
	ck_assert_str_eq(message, "a   \nb");
	free(message);
}
END_TEST

START_TEST(test_capture_in_small_pieces_equals_in_one)
{
	size_t size = 30000;
	char *output = malloc(size), *whole, *pieces;
	struct capture capture;

	for (size_t i = 0; i < size; i++)
		output[i] = i % 7 == 0 ? '\n' : (char)('0' + i % 10);
	whole = message_of(output, size);
	capture_init(&capture);
	for (size_t i = 0; i < size; i += 13)
		ck_assert_int_eq(capture_append(&capture, output + i,
						size - i < 13 ? size - i : 13),
				 0);
	pieces = capture_finish(&capture);
	ck_assert_str_eq(whole, pieces);
	free(whole);
	free(pieces);
	free(output);
}
END_TEST

START_TEST(test_capture_of_a_huge_output_ends_with_its_tail)
{
	struct capture capture;
	char chunk[65536];
	char *message;

	memset(chunk, 'y', sizeof chunk);
	capture_init(&capture);
	for (int i = 0; i < 200; i++)
		ck_assert_int_eq(capture_append(&capture, chunk, sizeof chunk),
				 0);
	ck_assert_int_eq(capture_append(&capture, "END\n", 4), 0);
	message = capture_finish(&capture);
	ck_assert_uint_eq(strlen(message), 3 + CAPTURE_MESSAGE_CHARS);
	ck_assert_str_eq(message + strlen(message) - 4, "yEND");
	free(message);
}
END_TEST

Suite *capture_suite(void)
{
	Suite *suite = suite_create("capture");
	TCase *cases = tcase_create("message");

	tcase_add_test(cases, test_capture_strips_surrounding_white_space);
	tcase_add_test(cases, test_capture_of_no_output_is_empty);
	tcase_add_test(cases, test_capture_folds_crlf_but_keeps_lone_cr);
	tcase_add_test(cases, test_capture_replaces_invalid_utf8_and_nul);
	tcase_add_test(cases, test_capture_keeps_last_5000_chars);
	tcase_add_test(cases, test_capture_of_exactly_5000_chars_is_not_cut);
	tcase_add_test(cases, test_capture_counts_characters_not_bytes);
	tcase_add_test(cases, test_capture_keeps_text_before_a_flood_of_blanks);
	tcase_add_test(cases, test_capture_keeps_blanks_that_text_follows);
	tcase_add_test(cases, test_capture_in_small_pieces_equals_in_one);
	tcase_add_test(cases, test_capture_of_a_huge_output_ends_with_its_tail);
	suite_add_tcase(suite, cases);
	return suite;
}
