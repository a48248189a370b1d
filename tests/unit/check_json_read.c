/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* json_read: values found by path in strictly checked JSON text. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json_read.h"
#include "suites.h"

static const char document[] =
	" {\"a\": {\"b\": [1, {\"c\": 2}], \"c\": \"x\"}, \"d\": true,"
	" \"e\": null, \"f\": -1.5e2, \"g\": false} \n";

/* The path of the whole document: no key (but a path all the same). */
static const char *const no_keys[] = { "" };

/* Finds `path` (keys separated by '.') in `text`; the result of json_find. */
static int find(const char *text, const char *dotted, struct json_value *value)
{
	char copy[64];
	const char *path[8];
	size_t depth = 0;

	ck_assert_uint_lt(strlen(dotted), sizeof copy);
	strcpy(copy, dotted);
	for (char *key = strtok(copy, "."); key; key = strtok(NULL, "."))
		path[depth++] = key;
	return json_find(text, strlen(text), path, depth, value);
}

/* The value's text in the document. */
#define ASSERT_FOUND(text, path, type_, expected) do { \
	struct json_value value_; \
	ck_assert_int_eq(find(text, path, &value_), 0); \
	ck_assert_int_eq(value_.type, type_); \
	ck_assert_int_eq((int)value_.length, (int)strlen(expected)); \
	ck_assert_int_eq(memcmp(value_.start, expected, value_.length), 0); \
} while (0)

START_TEST(test_json_find_by_path)
{
	ASSERT_FOUND(document, "a.c", JSON_STRING, "\"x\"");
	ASSERT_FOUND(document, "a.b", JSON_ARRAY, "[1, {\"c\": 2}]");
	ASSERT_FOUND(document, "a", JSON_OBJECT,
		     "{\"b\": [1, {\"c\": 2}], \"c\": \"x\"}");
	ASSERT_FOUND(document, "d", JSON_TRUE, "true");
	ASSERT_FOUND(document, "e", JSON_NULL, "null");
	ASSERT_FOUND(document, "f", JSON_NUMBER, "-1.5e2");
	ASSERT_FOUND(document, "g", JSON_FALSE, "false");
}
END_TEST

START_TEST(test_json_find_with_no_key_gives_the_whole_value)
{
	struct json_value value;

	ck_assert_int_eq(json_find(document, strlen(document), no_keys, 0, &value), 0);
	ck_assert_int_eq(value.type, JSON_OBJECT);
	ck_assert_ptr_eq(value.start, document + 1);
	ck_assert_uint_eq(value.length, strlen(document) - 3);
}
END_TEST

START_TEST(test_json_find_of_a_missing_value_is_enoent)
{
	struct json_value value;

	errno = 0;
	ck_assert_int_eq(find(document, "z", &value), -1);
	ck_assert_int_eq(errno, ENOENT);
	errno = 0;
	/* Keys inside arrays and below non-objects are not reached. */
	ck_assert_int_eq(find(document, "a.b.c", &value), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(find(document, "d.x", &value), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(find("[{\"a\": 1}]", "a", &value), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(test_json_find_the_last_duplicate_key_wins)
{
	ASSERT_FOUND("{\"a\": 1, \"b\": 0, \"a\": 2}", "a", JSON_NUMBER, "2");
	ASSERT_FOUND("{\"r\": {\"f\": true}, \"r\": {\"f\": false}}", "r",
		     JSON_OBJECT, "{\"f\": false}");
	ASSERT_FOUND("{\"r\": {\"f\": true}, \"r\": {\"f\": false}}", "r.f",
		     JSON_FALSE, "false");
	/* A key is compared unescaped. */
	ASSERT_FOUND("{\"a\": 1, \"\\u0061\": 3}", "a", JSON_NUMBER, "3");
}
END_TEST

START_TEST(test_json_find_refuses_text_that_is_not_json)
{
	static const char *const bad[] = {
		"", " ", "{} x", "{}{}", "{\"a\": 1,}", "[1,]", "{,}",
		"{\"a\" 1}", "{a: 1}", "{'a': 1}", "[1 2]", "tru", "nul",
		"\"\\x\"", "\"\\u12G4\"", "\"\\u12\"", "\"a\tb\"", "\"a\nb\"",
		"\"open", "01", "-01", "[00]", "1.", ".5", "-", "+1", "1e",
		"1e+", "0x1", "NaN", "Infinity", "[1]]", "{\"a\": }",
	};
	struct json_value value;

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		errno = 0;
		ck_assert_msg(json_find(bad[i], strlen(bad[i]), no_keys, 0,
					&value) == -1, "accepted: %s", bad[i]);
		ck_assert_int_eq(errno, EINVAL);
	}
}
END_TEST

START_TEST(test_json_find_reads_no_byte_past_its_size)
{
	static const char text[] = "{\"a\": 12}";
	struct json_value value;
	const char *path[] = { "a" };

	/* Cut before the closing brace: not JSON. */
	ck_assert_int_eq(json_find(text, sizeof text - 2, path, 1, &value), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(json_find("12345", 2, no_keys, 0, &value), 0);
	ck_assert_uint_eq(value.length, 2);
}
END_TEST

/* `count` arrays nested, the innermost holding `inner`. */
static char *nested(size_t count, const char *inner)
{
	size_t size = strlen(inner);
	char *text = malloc(2 * count + size + 1);

	ck_assert_ptr_nonnull(text);
	memset(text, '[', count);
	memcpy(text + count, inner, size);
	memset(text + count + size, ']', count);
	text[2 * count + size] = '\0';
	return text;
}

START_TEST(test_json_find_takes_nesting_64_deep_and_refuses_deeper)
{
	struct json_value value;
	char *text = nested(64, "");

	ck_assert_int_eq(json_find(text, strlen(text), no_keys, 0, &value), 0);
	free(text);
	text = nested(64, "1");
	ck_assert_int_eq(json_find(text, strlen(text), no_keys, 0, &value), 0);
	free(text);
	text = nested(66, "");
	ck_assert_int_eq(json_find(text, strlen(text), no_keys, 0, &value), -1);
	ck_assert_int_eq(errno, EINVAL);
	free(text);
	text = nested(100000, "");
	ck_assert_int_eq(json_find(text, strlen(text), no_keys, 0, &value), -1);
	free(text);
}
END_TEST

/* The string value of the JSON text `text`, unescaped. */
static char *string_of(const char *text)
{
	struct json_value value;

	ck_assert_int_eq(json_find(text, strlen(text), no_keys, 0, &value), 0);
	return json_string(&value);
}

#define ASSERT_STRING(text, expected) do { \
	char *got_ = string_of(text); \
	ck_assert_ptr_nonnull(got_); \
	ck_assert_str_eq(got_, expected); \
	free(got_); \
} while (0)

START_TEST(test_json_string_unescapes)
{
	ASSERT_STRING("\"\"", "");
	ASSERT_STRING("\"plain text\"", "plain text");
	ASSERT_STRING("\"a\\\"b\\\\c\\/d\\n\\t\\b\\f\\r\"", "a\"b\\c/d\n\t\b\f\r");
	ASSERT_STRING("\"caf\\u00e9 \\u20AC\"", "caf\xc3\xa9 \xe2\x82\xac");
	ASSERT_STRING("\"raw \xc3\xa9\"", "raw \xc3\xa9");
}
END_TEST

START_TEST(test_json_string_joins_surrogate_pairs_into_utf8)
{
	ASSERT_STRING("\"\\ud83d\\ude00!\"", "\xf0\x9f\x98\x80!");
	ASSERT_STRING("\"\\uD834\\uDD1E\"", "\xf0\x9d\x84\x9e");
}
END_TEST

START_TEST(test_json_string_makes_lone_surrogates_and_nul_u_fffd)
{
	ASSERT_STRING("\"\\ud83d\"", "\xef\xbf\xbd");
	ASSERT_STRING("\"\\ude00x\"", "\xef\xbf\xbdx");
	ASSERT_STRING("\"\\ud83d\\u0041\"", "\xef\xbf\xbd" "A");
	ASSERT_STRING("\"\\ud83d\\ud83d\\ude00\"", "\xef\xbf\xbd\xf0\x9f\x98\x80");
	ASSERT_STRING("\"a\\u0000b\"", "a\xef\xbf\xbd" "b");
	ASSERT_STRING("\"bad \xff\"", "bad \xef\xbf\xbd");
}
END_TEST

START_TEST(test_json_string_of_another_type_is_einval)
{
	struct json_value value;

	ck_assert_int_eq(json_find("[1]", 3, no_keys, 0, &value), 0);
	errno = 0;
	ck_assert_ptr_null(json_string(&value));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(test_json_number_reads_numbers_only)
{
	struct json_value value;
	double number = 0;

	ck_assert_int_eq(find(document, "f", &value), 0);
	ck_assert_int_eq(json_number(&value, &number), 0);
	ck_assert(number == -150);
	ck_assert_int_eq(json_find("0", 1, no_keys, 0, &value), 0);
	ck_assert_int_eq(json_number(&value, &number), 0);
	ck_assert(number == 0);
	ck_assert_int_eq(json_find("1795557286.25", 13, no_keys, 0, &value), 0);
	ck_assert_int_eq(json_number(&value, &number), 0);
	ck_assert(number == 1795557286.25);
	number = 9;
	ck_assert_int_eq(find(document, "a.c", &value), 0);
	ck_assert_int_eq(json_number(&value, &number), -1);
	ck_assert_int_eq(find(document, "d", &value), 0);
	ck_assert_int_eq(json_number(&value, &number), -1);
	ck_assert(number == 9);
}
END_TEST

START_TEST(test_json_find_a_later_duplicate_hides_the_values_of_the_earlier)
{
	static const char text[] =
		"{\"result\": {\"failed\": true}, \"result\": {\"message\": \"x\"}}";
	const char *const path[] = { "result", "failed" };
	struct json_value value;

	errno = 0;
	ck_assert_int_eq(json_find(text, sizeof text - 1, path, 2, &value), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(test_json_find_refuses_65_levels_of_nesting_empty_or_not)
{
	struct json_value value;
	char *empty = nested(65, ""), *full = nested(65, "1"),
	     *deepest = nested(64, "");

	ck_assert_int_eq(json_find(empty, strlen(empty), no_keys, 0, &value), -1);
	ck_assert_int_eq(json_find(full, strlen(full), no_keys, 0, &value), -1);
	ck_assert_int_eq(json_find(deepest, strlen(deepest), no_keys, 0, &value), 0);
	free(empty);
	free(full);
	free(deepest);
}
END_TEST

Suite *json_read_suite(void)
{
	Suite *suite = suite_create("json_read");
	TCase *tc = tcase_create("json_read");

	tcase_add_test(tc, test_json_find_by_path);
	tcase_add_test(tc, test_json_find_with_no_key_gives_the_whole_value);
	tcase_add_test(tc, test_json_find_of_a_missing_value_is_enoent);
	tcase_add_test(tc, test_json_find_the_last_duplicate_key_wins);
	tcase_add_test(tc, test_json_find_refuses_text_that_is_not_json);
	tcase_add_test(tc, test_json_find_reads_no_byte_past_its_size);
	tcase_add_test(tc, test_json_find_takes_nesting_64_deep_and_refuses_deeper);
	tcase_add_test(tc, test_json_string_unescapes);
	tcase_add_test(tc, test_json_string_joins_surrogate_pairs_into_utf8);
	tcase_add_test(tc, test_json_string_makes_lone_surrogates_and_nul_u_fffd);
	tcase_add_test(tc, test_json_string_of_another_type_is_einval);
	tcase_add_test(tc, test_json_number_reads_numbers_only);
	tcase_add_test(tc, test_json_find_a_later_duplicate_hides_the_values_of_the_earlier);
	tcase_add_test(tc, test_json_find_refuses_65_levels_of_nesting_empty_or_not);
	suite_add_tcase(suite, tc);
	return suite;
}
