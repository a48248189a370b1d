/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* utf8: any bytes made into well-formed UTF-8 text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "utf8.h"

#define FFFD "\xef\xbf\xbd"

/* Sanitizes the `size` bytes of `bytes` and compares the whole result. */
static void assert_sanitized(const char *bytes, size_t size,
                             const char *expected)
{
	size_t length = 12345;
	char *text = utf8_sanitize((const unsigned char *)bytes, size, &length);

	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text, expected);
	ck_assert_uint_eq(length, strlen(expected));
	free(text);
}

#define ASSERT_SANITIZED(bytes, expected) \
	assert_sanitized(bytes, sizeof bytes - 1, expected)

START_TEST(test_utf8_keeps_well_formed_text)
{
	ASSERT_SANITIZED("", "");
	ASSERT_SANITIZED("plain ASCII ~\x7f", "plain ASCII ~\x7f");
	ASSERT_SANITIZED("h\xc3\xa9llo \xe2\x82\xac \xf0\x9d\x84\x9e \xf4\x8f\xbf\xbf",
			 "h\xc3\xa9llo \xe2\x82\xac \xf0\x9d\x84\x9e \xf4\x8f\xbf\xbf");
}
END_TEST

START_TEST(test_utf8_replaces_nul_bytes)
{
	ASSERT_SANITIZED("a\0b\0", "a" FFFD "b" FFFD);
}
END_TEST

START_TEST(test_utf8_replaces_each_maximal_invalid_subpart)
{
	/* Unicode's own example (chapter 3, U+FFFD substitution). */
	ASSERT_SANITIZED("\x61\xf1\x80\x80\xe1\x80\xc2\x62\x80\x63\x80\xbf\x64",
			 "a" FFFD FFFD FFFD "b" FFFD "c" FFFD FFFD "d");
	/* A truncated sequence is one character, even at the end. */
	ASSERT_SANITIZED("\xf0\x9f\x98" "A", FFFD "A");
	ASSERT_SANITIZED("x\xe2\x82", "x" FFFD);
	ASSERT_SANITIZED("\xc3", FFFD);
}
END_TEST

START_TEST(test_utf8_refuses_overlong_forms_surrogates_and_beyond_u_10ffff)
{
	ASSERT_SANITIZED("\xc0\xaf", FFFD FFFD);
	ASSERT_SANITIZED("\xc1\xbf", FFFD FFFD);
	ASSERT_SANITIZED("\xe0\x80\xaf", FFFD FFFD FFFD);
	ASSERT_SANITIZED("\xf0\x80\x80\xaf", FFFD FFFD FFFD FFFD);
	ASSERT_SANITIZED("\xed\xa0\x80", FFFD FFFD FFFD);
	ASSERT_SANITIZED("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD);
	ASSERT_SANITIZED("\xf5\x80", FFFD FFFD);
	ASSERT_SANITIZED("\xff\xfe", FFFD FFFD);
	/* The limits just inside are kept. */
	ASSERT_SANITIZED("\xe0\xa0\x80\xed\x9f\xbf\xf0\x90\x80\x80",
			 "\xe0\xa0\x80\xed\x9f\xbf\xf0\x90\x80\x80");
}
END_TEST

START_TEST(test_utf8_length_may_be_null)
{
	char *text = utf8_sanitize((const unsigned char *)"ok\xff", 3, NULL);

	ck_assert_str_eq(text, "ok" FFFD);
	free(text);
}
END_TEST

/* Encodes `code` and compares the bytes with `expected`. */
static void assert_put(uint32_t code, const char *expected)
{
	unsigned char out[4];
	size_t size = utf8_put(out, code);

	ck_assert_uint_eq(size, strlen(expected));
	ck_assert_mem_eq(out, expected, size);
}

START_TEST(test_utf8_put_encodes_each_length_at_its_bounds)
{
	assert_put(0x41, "A");
	assert_put(0x7F, "\x7f");
	assert_put(0x80, "\xc2\x80");
	assert_put(0x7FF, "\xdf\xbf");
	assert_put(0x800, "\xe0\xa0\x80");
	assert_put(0xFFFD, FFFD);
	assert_put(0xFFFF, "\xef\xbf\xbf");
	assert_put(0x10000, "\xf0\x90\x80\x80");
	assert_put(0x10FFFF, "\xf4\x8f\xbf\xbf");
}
END_TEST

Suite *utf8_suite(void)
{
	Suite *suite = suite_create("utf8");
	TCase *tc = tcase_create("utf8");

	tcase_add_test(tc, test_utf8_keeps_well_formed_text);
	tcase_add_test(tc, test_utf8_replaces_nul_bytes);
	tcase_add_test(tc, test_utf8_replaces_each_maximal_invalid_subpart);
	tcase_add_test(tc, test_utf8_refuses_overlong_forms_surrogates_and_beyond_u_10ffff);
	tcase_add_test(tc, test_utf8_length_may_be_null);
	tcase_add_test(tc, test_utf8_put_encodes_each_length_at_its_bounds);
	suite_add_tcase(suite, tc);
	return suite;
}
