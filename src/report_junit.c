/*
 * report_junit: JUnit XML, one testsuite per instance home and one
 * testcase per promise that ran; a failed or timed-out promise has a
 * <failure>, one that could not be executed an <error>.  The entries that
 * are not promises are listed in the suite's <system-out>.
 */
#include "escape.h"
#include "report.h"

struct counts {
	size_t tests, failures, errors, skipped;
	double time;
};

static struct counts count(const struct instance_report *instance)
{
	struct counts counts = { 0 };

	for (size_t i = 0; i < instance->list.count; i++) {
		const struct promise_result *result = &instance->results[i];

		if (!result->done)
			continue;
		counts.tests++;
		counts.skipped += result->disabled;
		counts.time += result->execution_time;
		if (result->status == PROMISE_ERROR)
			counts.errors++;
		else if (!result_works(result))
			counts.failures++;
	}
	return counts;
}

/* A short summary for the failure's message attribute. */
static void write_failure_summary(FILE *out, const struct promise_result *result)
{
	if (result->status == PROMISE_TIMEOUT)
		fputs("timed out", out);
	else if (result->signal)
		fprintf(out, "killed by signal %d", result->signal);
	else
		fprintf(out, "exit code %d", result->exit_code);
}

static int write_testcase(FILE *out, const struct instance_report *instance,
                          size_t index)
{
	const struct promise_result *result = &instance->results[index];
	const char *element = result->status == PROMISE_ERROR ? "error"
							      : "failure";

	fputs("    <testcase name=\"", out);
	if (escape_xml(out, instance->list.promises[index].name, 1) < 0)
		return -1;
	fputs("\" classname=\"", out);
	if (escape_xml(out, instance->home, 1) < 0)
		return -1;
	fprintf(out, "\" time=\"%.6f\"", result->execution_time);
	if (result->disabled) {
		fputs(">\n      <skipped message=\"disabled in config\"/>\n    </testcase>\n",
		      out);
		return 0;
	}
	if (result_works(result)) {
		fputs("/>\n", out);
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

static int write_suite(FILE *out, const struct instance_report *instance)
{
	struct counts counts = count(instance);

	fputs("  <testsuite name=\"", out);
	if (escape_xml(out, instance->home, 1) < 0)
		return -1;
	fprintf(out,
		"\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.6f\">\n",
		counts.tests, counts.failures, counts.errors, counts.skipped,
		counts.time);
	for (size_t i = 0; i < instance->list.count; i++)
		if (instance->results[i].done &&
		    write_testcase(out, instance, i) < 0)
			return -1;
	if (instance->list.skipped_count) {
		fputs("    <system-out>", out);
		for (size_t i = 0; i < instance->list.skipped_count; i++) {
			fputs("skipped ", out);
			if (escape_xml(out, instance->list.skipped[i].name, 0) < 0)
				return -1;
			fprintf(out, ": %s\n",
				scan_skip_reason_text(
					instance->list.skipped[i].reason));
		}
		fputs("</system-out>\n", out);
	}
	fputs("  </testsuite>\n", out);
	return 0;
}

int report_junit(FILE *out, const struct run_report *report)
{
	struct counts total = { 0 };

	for (size_t i = 0; i < report->count; i++) {
		struct counts counts = count(&report->instances[i]);

		total.tests += counts.tests;
		total.failures += counts.failures;
		total.errors += counts.errors;
		total.time += counts.time;
	}
	fprintf(out,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"promise-run\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"%.6f\">\n",
		total.tests, total.failures, total.errors, total.time);
	for (size_t i = 0; i < report->count; i++)
		if (write_suite(out, &report->instances[i]) < 0)
			return -1;
	fputs("</testsuites>\n", out);
	return 0;
}
