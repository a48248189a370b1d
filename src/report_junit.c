/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * report_junit: JUnit XML, one testsuite per instance home (with the host
 * and the time of the run, so that reports of several hosts merge without
 * fusing their homes) and one testcase per promise; a failed or timed-out
 * promise has a <failure>, one that could not be executed an <error>.  A
 * home that could not be checked is a suite with one <error>.  The
 * entries that are not promises are listed in the suite's <system-out>.
 */
#include "escape.h"
#include "report.h"
#include "slapgrid.h"

/* A short summary for the failure's message attribute. */
static void write_failure_summary(FILE *out,
                                  const struct promise_result *result)
{
	if (result->status == PROMISE_TIMEOUT)
		fputs("timed out", out);
	else if (result->status == PROMISE_NOT_RUN)
		fputs("not run: the run's deadline came first", out);
	else if (result->status == PROMISE_CACHED)
		fputs("not due: the stored result failed", out);
	else if (result->signal)
		fprintf(out, "killed by signal %d", result->signal);
	else
		fprintf(out, "exit code %d", result->exit_code);
}

static int write_testcase(FILE *out, const struct home_report *home,
                          size_t index)
{
	const struct promise_result *result = &home->results[index];
	const char *element = result->status == PROMISE_ERROR ? "error"
							      : "failure";

	fputs("    <testcase name=\"", out);
	if (escape_xml(out, home->list.promises[index].name, 1) < 0)
		return -1;
	fputs("\" classname=\"", out);
	if (escape_xml(out, home->home, 1) < 0)
		return -1;
	fprintf(out, "\" time=\"%.6f\"", result->execution_time);
	if (result->status == PROMISE_DISABLED) {
		fputs(">\n      <skipped message=\"", out);
		if (escape_xml(out, result->message, 1) < 0)
			return -1;
		fputs("\"/>\n    </testcase>\n", out);
		return 0;
	}
	if (!result->failed) {
		if (!result->tolerated && result->status != PROMISE_CACHED) {
			fputs("/>\n", out);
			return 0;
		}
		/* Working by the mode's verdict: the facts as output. */
		fprintf(out, ">\n      <system-out>%s: ",
			result->tolerated ? "tolerated" : "not due, stored result");
		if (escape_xml(out, result->message, 0) < 0)
			return -1;
		fputs("</system-out>\n    </testcase>\n", out);
		return 0;
	}
	fprintf(out, ">\n      <%s type=\"%s\" message=\"", element,
		result_status_name(result->status));
	if (result->status == PROMISE_ERROR) {
		if (escape_xml(out, result->message, 1) < 0)
			return -1;
	} else {
		write_failure_summary(out, result);
	}
	fputs("\">", out);
	if (escape_xml(out, result->message, 0) < 0)
		return -1;
	fprintf(out, "</%s>\n    </testcase>\n", element);
	return 0;
}

/* Counts of a suite as JUnit has them. */
struct suite_counts {
	size_t tests, failures, errors, skipped;
	double time;
};

static struct suite_counts count_suite(const struct home_report *home)
{
	struct suite_counts counts = { 0 };

	if (home->error) {
		counts.tests = counts.errors = 1;
		return counts;
	}
	for (size_t i = 0; i < home->list.count; i++) {
		const struct promise_result *result = &home->results[i];

		if (!report_listed(home, i))
			continue;
		counts.tests++;
		counts.time += result->execution_time;
		if (result->status == PROMISE_DISABLED)
			counts.skipped++;
		else if (result->failed && result->status == PROMISE_ERROR)
			counts.errors++;
		else if (result->failed)
			counts.failures++;
	}
	return counts;
}

static int write_suite(FILE *out, const struct run_report *report,
                       const struct home_report *home, const char *timestamp)
{
	struct suite_counts counts = count_suite(home);

	fputs("  <testsuite name=\"", out);
	if (escape_xml(out, home->home, 1) < 0)
		return -1;
	fputs("\" hostname=\"", out);
	if (escape_xml(out, report->host, 1) < 0)
		return -1;
	fprintf(out,
		"\" timestamp=\"%s\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.6f\">\n",
		timestamp, counts.tests, counts.failures, counts.errors,
		counts.skipped, counts.time);
	if (home->error) {
		fputs("    <testcase name=\"(instance)\" classname=\"", out);
		if (escape_xml(out, home->home, 1) < 0)
			return -1;
		fputs("\" time=\"0.000000\">\n      <error type=\"not-checked\" message=\"", out);
		if (escape_xml(out, home->error, 1) < 0)
			return -1;
		fputs("\"/>\n    </testcase>\n", out);
	}
	for (size_t i = 0; !home->error && i < home->list.count; i++)
		if (report_listed(home, i) && write_testcase(out, home, i) < 0)
			return -1;
	if (home->list.skipped_count) {
		fputs("    <system-out>", out);
		for (size_t i = 0; i < home->list.skipped_count; i++) {
			fputs("skipped ", out);
			if (escape_xml(out, home->list.skipped[i].name, 0) < 0)
				return -1;
			fprintf(out, ": %s\n",
				scan_skip_reason_text(home->list.skipped[i].reason));
		}
		fputs("</system-out>\n", out);
	}
	fputs("  </testsuite>\n", out);
	return 0;
}

int report_junit(FILE *out, const struct run_report *report)
{
	struct suite_counts total = { 0 };
	char timestamp[64];
	struct tm utc;

	gmtime_r(&report->started.tv_sec, &utc);
	strftime(timestamp, sizeof timestamp, "%Y-%m-%dT%H:%M:%S", &utc);
	for (size_t i = 0; i < report->count; i++) {
		struct suite_counts counts = count_suite(&report->homes[i]);

		total.tests += counts.tests;
		total.failures += counts.failures;
		total.errors += counts.errors;
		total.skipped += counts.skipped;
		total.time += counts.time;
	}
	fprintf(out,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"promise-run\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.6f\" timestamp=\"%s\">\n",
		total.tests, total.failures, total.errors, total.skipped,
		report->duration, timestamp);
	for (size_t i = 0; i < report->count; i++)
		if (write_suite(out, report, &report->homes[i], timestamp) < 0)
			return -1;
	fputs("</testsuites>\n", out);
	return 0;
}
