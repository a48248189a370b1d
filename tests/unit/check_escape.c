/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* escape: any string written safely into each report format. */
#include <stdio.h>
#include <stdlib.h>

#include "escape.h"
#include "helpers.h"
#include "suites.h"

typedef int escape_fn(FILE *out, const char *text);

/* What `escape` writes for `text`. */
static void assert_escaped(escape_fn *escape, const char *text,
                           const char *expected)
{
	struct helper_output output;
	char *got;

	helper_output_open(&output);
	ck_assert_int_eq(escape(output.out, text), 0);
	got = helper_output_close(&output);
	ck_assert_str_eq(got, expected);
	free(got);
}

static int xml_text(FILE *out, const char *text)
{
	return escape_xml(out, text, 0);
}

static int xml_attribute(FILE *out, const char *text)
{
	return escape_xml(out, text, 1);
}

START_TEST(test_escape_json_quotes_controls_and_keeps_utf8)
{
	assert_escaped(escape_json, "", "\"\"");
	assert_escaped(escape_json, "a \"b\" \\ / \n\r\t\b\f",
		       "\"a \\\"b\\\" \\\\ / \\n\\r\\t\\b\\f\"");
	assert_escaped(escape_json, "\x01\x1f\x7f \xc3\xa9",
		       "\"\\u0001\\u001f\x7f \xc3\xa9\"");
}
END_TEST

START_TEST(test_escape_every_format_replaces_invalid_utf8)
{
	assert_escaped(escape_json, "bad \xff\xc3", "\"bad \xef\xbf\xbd\xef\xbf\xbd\"");
	assert_escaped(xml_text, "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	assert_escaped(escape_prometheus_label, "\x80", "\xef\xbf\xbd");
	assert_escaped(escape_yaml, "\xfe", "\"\xef\xbf\xbd\"");
	assert_escaped(escape_tap_description, "\xc0", "\xef\xbf\xbd");
}
END_TEST

START_TEST(test_escape_xml_text)
{
	/* A raw CR would be read back as LF. */
	assert_escaped(xml_text, "<a href=\"x\"> & 'y'\n\t\r",
		       "&lt;a href=\"x\"&gt; &amp; 'y'\n\t&#13;");
}
END_TEST

START_TEST(test_escape_xml_attribute)
{
	assert_escaped(xml_attribute, "\"b\" 'c' <&>\n\t\r",
		       "&quot;b&quot; &apos;c&apos; &lt;&amp;&gt;&#10;&#9;&#13;");
}
END_TEST

START_TEST(test_escape_xml_drops_what_xml_forbids)
{
	assert_escaped(xml_text, "a\x01\x08\x0b\x0c\x1f" "b\xef\xbf\xbe" "c\xef\xbf\xbf" "d\xef\xbf\xbd",
		       "abcd\xef\xbf\xbd");
	assert_escaped(xml_attribute, "\x1b[31mred", "[31mred");
}
END_TEST

START_TEST(test_escape_prometheus_label_value)
{
	assert_escaped(escape_prometheus_label, "a\\b\"c\nd\t\xc3\xa9",
		       "a\\\\b\\\"c\\nd\t\xc3\xa9");
}
END_TEST

START_TEST(test_escape_yaml_double_quoted_with_control_characters)
{
	assert_escaped(escape_yaml, "say \"hi\"\\\n\t",
		       "\"say \\\"hi\\\"\\\\\\n\\t\"");
	assert_escaped(escape_yaml, "\x01\x1b\r\x7f \xc3\xa9",
		       "\"\\x01\\x1b\\x0d\\x7f \xc3\xa9\"");
	assert_escaped(escape_yaml, "", "\"\"");
}
END_TEST

START_TEST(test_escape_tap_description_on_one_line_without_directive)
{
	assert_escaped(escape_tap_description, "a # TODO\nb\\c\r\t\x7f" "d",
		       "a \\# TODO b\\\\c   d");
	assert_escaped(escape_tap_description, "c1 \xc2\x9b" "2J", "c1  2J");
}
END_TEST

static int terminal_line(FILE *out, const char *text)
{
	return escape_terminal(out, text, NULL);
}

static int terminal_block(FILE *out, const char *text)
{
	return escape_terminal(out, text, "  ");
}

START_TEST(test_escape_terminal_shows_every_control_as_a_question_mark)
{
	/* C0 (tab and newline too), DEL, C1 (8-bit CSI), invalid bytes. */
	assert_escaped(terminal_line, "a\tb\nc\x1b[2J\x7f\xc2\x9b" "2J\xff\xc3\xa9",
		       "a?b?c?[2J??2J\xef\xbf\xbd\xc3\xa9");
	assert_escaped(terminal_line, "", "");
}
END_TEST

START_TEST(test_escape_terminal_string_is_the_line_as_a_string)
{
	char *escaped = escape_terminal_string("x\npromise-run: ok\r\x1b[1A\xff");

	ck_assert_ptr_nonnull(escaped);
	ck_assert_str_eq(escaped, "x?promise-run: ok??[1A\xef\xbf\xbd");
	free(escaped);
}
END_TEST

START_TEST(test_escape_terminal_block_indents_each_line_and_keeps_tabs)
{
	assert_escaped(terminal_block, "one\ttab\n\ntwo\x1b[0m",
		       "  one\ttab\n  \n  two?[0m\n");
	/* A last newline ends the block: no empty line after it. */
	assert_escaped(terminal_block, "one\n", "  one\n");
	assert_escaped(terminal_block, "", "");
}
END_TEST

START_TEST(test_escape_nagios_text_and_label)
{
	assert_escaped(escape_nagios_text, "a|b\nc\td\x7f\xc2\x9b\xff",
		       "a\xc2\xa6" "b c?d??\xef\xbf\xbd");
	assert_escaped(escape_nagios_label, "it's a=b|c\x7f\xc2\x85\n",
		       "it''s a_b_c___");
}
END_TEST

Suite *escape_suite(void)
{
	Suite *suite = suite_create("escape");
	TCase *tc = tcase_create("escape");

	tcase_add_test(tc, test_escape_json_quotes_controls_and_keeps_utf8);
	tcase_add_test(tc, test_escape_every_format_replaces_invalid_utf8);
	tcase_add_test(tc, test_escape_xml_text);
	tcase_add_test(tc, test_escape_xml_attribute);
	tcase_add_test(tc, test_escape_xml_drops_what_xml_forbids);
	tcase_add_test(tc, test_escape_prometheus_label_value);
	tcase_add_test(tc, test_escape_yaml_double_quoted_with_control_characters);
	tcase_add_test(tc, test_escape_tap_description_on_one_line_without_directive);
	tcase_add_test(tc, test_escape_terminal_shows_every_control_as_a_question_mark);
	tcase_add_test(tc, test_escape_terminal_string_is_the_line_as_a_string);
	tcase_add_test(tc, test_escape_terminal_block_indents_each_line_and_keeps_tabs);
	tcase_add_test(tc, test_escape_nagios_text_and_label);
	suite_add_tcase(suite, tc);
	return suite;
}
