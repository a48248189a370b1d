/* utf8: arbitrary bytes to well-formed UTF-8. */
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "utf8.h"

#define FFFD "\xef\xbf\xbd"

static void assert_sanitized(const char *in, size_t size, const char *expected)
{
	size_t length;
	char *out = utf8_sanitize((const unsigned char *)in, size, &length);

	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, expected);
	ck_assert_uint_eq(length, strlen(expected));
	free(out);
}

START_TEST(test_utf8_keeps_valid_text)
{
	static const char text[] = "a \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80";

	assert_sanitized(text, sizeof text - 1, text);
}
END_TEST

START_TEST(test_utf8_replaces_each_stray_byte)
{
	assert_sanitized("\x80\xbf", 2, FFFD FFFD);
	assert_sanitized("\xff", 1, FFFD);
}
END_TEST

START_TEST(test_utf8_replaces_a_truncated_sequence_once)
{
	assert_sanitized("\xe2\x82x", 3, FFFD "x");
	assert_sanitized("\xf0\x9f\x98", 3, FFFD);
}
END_TEST

START_TEST(test_utf8_rejects_overlong_surrogate_and_too_high)
{
	assert_sanitized("\xc0\xaf", 2, FFFD FFFD);         /* overlong '/' */
	assert_sanitized("\xed\xa0\x80", 3, FFFD FFFD FFFD); /* U+D800 */
	assert_sanitized("\xf4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD);
}
END_TEST

START_TEST(test_utf8_replaces_nul)
{
	assert_sanitized("a\0b", 3, "a" FFFD "b");
}
END_TEST

START_TEST(test_utf8_counts_characters)
{
	ck_assert_uint_eq(utf8_count("a\xc3\xa9\xe2\x82\xac", 6), 3);
}
END_TEST

Suite *utf8_suite(void)
{
	Suite *suite = suite_create("utf8");
	TCase *cases = tcase_create("sanitize");

	tcase_add_test(cases, test_utf8_keeps_valid_text);
	tcase_add_test(cases, test_utf8_replaces_each_stray_byte);
	tcase_add_test(cases, test_utf8_replaces_a_truncated_sequence_once);
	tcase_add_test(cases, test_utf8_rejects_overlong_surrogate_and_too_high);
	tcase_add_test(cases, test_utf8_replaces_nul);
	tcase_add_test(cases, test_utf8_counts_characters);
	suite_add_tcase(suite, cases);
	return suite;
}
