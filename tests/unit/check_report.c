/* escape and the report renderers: pure functions from results to text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report.h"
#include "state.h"
#include "suites.h"

/* What `write` produces for `text`, as a malloc'd string. */
static char *escaped(int (*write)(FILE *, const char *), const char *text)
{
	char *buffer = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buffer, &size);

	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(write(out, text), 0);
	fclose(out);
	return buffer;
}

static int xml_text(FILE *out, const char *text)
{
	return escape_xml(out, text, 0);
}

static int xml_attribute(FILE *out, const char *text)
{
	return escape_xml(out, text, 1);
}

#define ASSERT_ESCAPED(function, text, expected) do { \
	char *got = escaped(function, text); \
	ck_assert_str_eq(got, expected); \
	free(got); \
} while (0)

START_TEST(test_escape_json_quotes_controls_and_keeps_utf8)
{
	ASSERT_ESCAPED(escape_json, "a \"b\" \\ \n\t\x01 é",
		       "\"a \\\"b\\\" \\\\ \\n\\t\\u0001 é\"");
	ASSERT_ESCAPED(escape_json, "bad \xff", "\"bad \xef\xbf\xbd\"");
}
END_TEST

START_TEST(test_escape_xml_text_and_attributes)
{
	ASSERT_ESCAPED(xml_text, "<a> & \"b\" 'c'\n", "&lt;a&gt; &amp; \"b\" 'c'\n");
	ASSERT_ESCAPED(xml_attribute, "\"b\" 'c'\n\t",
		       "&quot;b&quot; &apos;c&apos;&#10;&#9;");
	/* XML 1.0 forbids most controls and U+FFFE, U+FFFF: dropped. */
	ASSERT_ESCAPED(xml_text, "a\x01\x1f" "b\xef\xbf\xbe" "c\xef\xbf\xbf" "d",
		       "abcd");
}
END_TEST

START_TEST(test_escape_prometheus_label_value)
{
	ASSERT_ESCAPED(escape_prometheus_label, "a\\b\"c\nd é",
		       "a\\\\b\\\"c\\nd é");
}
END_TEST

START_TEST(test_escape_yaml_for_tap_yamlish)
{
	ASSERT_ESCAPED(escape_yaml, "say \"hi\"\\\n\x01", "\"say \\\"hi\\\"\\\\\\n\\x01\"");
}
END_TEST

START_TEST(test_escape_tap_description_on_one_line_without_directive)
{
	ASSERT_ESCAPED(escape_tap_description, "a # TODO\nb\\", "a \\# TODO b\\\\");
}
END_TEST

/* A run of one instance with a working and a failing promise. */
static struct promise promises[] = {
	{ .name = "bad.sh", .title = "bad", .same_title_as = SCAN_TITLE_UNIQUE },
	{ .name = "good", .title = "good", .same_title_as = SCAN_TITLE_UNIQUE },
};
static struct skipped_entry skipped[] = {
	{ .name = "notes", .reason = SKIP_NOT_EXECUTABLE },
};
static struct promise_result results[] = {
	{ .done = true, .status = PROMISE_FAILED, .exit_code = 2,
	  .execution_time = 0.5, .message = "no <luck>" },
	{ .done = true, .status = PROMISE_OK, .exit_code = 0,
	  .execution_time = 0.25, .message = "" },
};
static struct instance_report instance = {
	.home = "/srv/h",
	.promise_dir = "/srv/h/etc/promise",
	.list = { .promises = promises, .count = 2, .skipped = skipped,
		  .skipped_count = 1 },
	.results = results,
	.finished = { .tv_sec = 1700000000, .tv_nsec = 250000000 },
};
static const struct run_report run = { .instances = &instance, .count = 1 };

static char *rendered(int (*render)(FILE *, const struct run_report *))
{
	char *buffer = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buffer, &size);

	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(render(out, &run), 0);
	fclose(out);
	return buffer;
}

START_TEST(test_report_json_document)
{
	char *json = rendered(report_json);

	ck_assert_str_eq(json,
		"{\"verdict\": \"not working\",\n"
		" \"instances\": [\n"
		"  {\"home\": \"/srv/h\", \"verdict\": \"not working\", \"promises\": [\n"
		"   {\"name\": \"bad.sh\", \"title\": \"bad\", \"path\": \"/srv/h/etc/promise/bad.sh\", \"status\": \"failed\", \"exit-code\": 2, \"signal\": null, \"execution-time\": 0.500000, \"message\": \"no <luck>\"},\n"
		"   {\"name\": \"good\", \"title\": \"good\", \"path\": \"/srv/h/etc/promise/good\", \"status\": \"ok\", \"exit-code\": 0, \"signal\": null, \"execution-time\": 0.250000, \"message\": \"\"}],\n"
		"  \"skipped\": [\n"
		"   {\"name\": \"notes\", \"reason\": \"not executable\"}]}]}\n");
	free(json);
}
END_TEST

START_TEST(test_report_tap_points_and_yaml)
{
	char *tap = rendered(report_tap);

	ck_assert_str_eq(tap,
		"TAP version 13\n1..2\n# /srv/h\n"
		"not ok 1 - bad.sh\n"
		"  ---\n  status: failed\n  exit-code: 2\n  signal: ~\n"
		"  execution-time: 0.500000\n  message: \"no <luck>\"\n  ...\n"
		"ok 2 - good\n"
		"# skipped notes: not executable\n");
	free(tap);
}
END_TEST

START_TEST(test_report_junit_counts_and_failure)
{
	char *xml = rendered(report_junit);

	ck_assert_ptr_nonnull(strstr(xml,
		"<testsuite name=\"/srv/h\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\" time=\"0.750000\">"));
	ck_assert_ptr_nonnull(strstr(xml,
		"<failure type=\"failed\" message=\"exit code 2\">no &lt;luck&gt;</failure>"));
	ck_assert_ptr_nonnull(strstr(xml,
		"<testcase name=\"good\" classname=\"/srv/h\" time=\"0.250000\"/>"));
	ck_assert_ptr_nonnull(strstr(xml,
		"<system-out>skipped notes: not executable\n</system-out>"));
	free(xml);
}
END_TEST

START_TEST(test_report_prometheus_families)
{
	char *text = rendered(report_prometheus);

	ck_assert_ptr_nonnull(strstr(text,
		"# TYPE promise_run_ok gauge\n"
		"promise_run_ok{home=\"/srv/h\",promise=\"bad.sh\"} 0\n"
		"promise_run_ok{home=\"/srv/h\",promise=\"good\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(text,
		"promise_run_duration_seconds{home=\"/srv/h\",promise=\"good\"} 0.250000\n"));
	ck_assert_ptr_nonnull(strstr(text,
		"promise_run_instance_ok{home=\"/srv/h\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(text,
		"promise_run_timestamp_seconds{home=\"/srv/h\"} 1700000000.250\n"));
	free(text);
}
END_TEST

START_TEST(test_report_format_names)
{
	enum report_format format;

	ck_assert_int_eq(report_parse_format("junit", &format), 0);
	ck_assert_int_eq(format, REPORT_JUNIT);
	ck_assert_int_eq(report_parse_format("xml", &format), -1);
}
END_TEST

START_TEST(test_state_date_is_utc_in_slapgrids_format)
{
	char date[64];

	state_format_date(1700000000, date, sizeof date);
	ck_assert_str_eq(date, "2023-11-14T22:13:20+0000");
}
END_TEST

Suite *escape_suite(void)
{
	Suite *suite = suite_create("escape");
	TCase *cases = tcase_create("formats");

	tcase_add_test(cases, test_escape_json_quotes_controls_and_keeps_utf8);
	tcase_add_test(cases, test_escape_xml_text_and_attributes);
	tcase_add_test(cases, test_escape_prometheus_label_value);
	tcase_add_test(cases, test_escape_yaml_for_tap_yamlish);
	tcase_add_test(cases, test_escape_tap_description_on_one_line_without_directive);
	suite_add_tcase(suite, cases);
	return suite;
}

Suite *report_suite(void)
{
	Suite *suite = suite_create("report");
	TCase *cases = tcase_create("renderers");

	tcase_add_test(cases, test_report_json_document);
	tcase_add_test(cases, test_report_tap_points_and_yaml);
	tcase_add_test(cases, test_report_junit_counts_and_failure);
	tcase_add_test(cases, test_report_prometheus_families);
	tcase_add_test(cases, test_report_format_names);
	tcase_add_test(cases, test_state_date_is_utc_in_slapgrids_format);
	suite_add_tcase(suite, cases);
	return suite;
}
