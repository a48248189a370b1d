/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * report_tap: TAP version 13, one test point per promise, the details of
 * a promise that does not work (or is forgiven) in a YAML block, the
 * entries that are not promises as comment lines.  A home that could not
 * be checked is a failing test point of its own; a failure the anomaly
 * mode forgives is a TODO, which TAP counts as no failure.
 */
#include "escape.h"
#include "report.h"

static int write_yaml_block(FILE *out, const struct home_report *home,
                            const struct promise_result *result)
{
	fprintf(out, "  ---\n  status: %s\n  failed: %s\n  exit-code: ",
		result_status_name(result->status),
		result->failed ? "true" : "false");
	if (result->exit_code == RESULT_NO_EXIT_CODE)
		fputs("~\n", out);
	else
		fprintf(out, "%d\n", result->exit_code);
	if (result->signal)
		fprintf(out, "  signal: %d\n", result->signal);
	else
		fputs("  signal: ~\n", out);
	if (home->plan.mode == MODE_ANOMALY)
		fprintf(out, "  failed-runs: %u\n", result->failed_runs);
	fprintf(out, "  execution-time: %.6f\n  message: ",
		result->execution_time);
	if (escape_yaml(out, result->message) < 0)
		return -1;
	fputs("\n  ...\n", out);
	return 0;
}

/* How many test points: promises with a result, and unchecked homes. */
static size_t count_points(const struct run_report *report)
{
	size_t total = 0;

	for (size_t i = 0; i < report->count; i++) {
		const struct home_report *home = &report->homes[i];

		struct report_counts counts;

		counts = home->summary;
		/* A point each for the listed: promises, the disabled too. */
		total += home->error ? 1 : counts.promises + counts.disabled;
	}
	return total;
}

static int write_point(FILE *out, const struct home_report *home,
                       size_t index, size_t number)
{
	const struct promise_result *result = &home->results[index];
	bool details = result->failed || result->tolerated ||
		       result->status == PROMISE_CACHED;

	fprintf(out, "%s %zu - ", result->failed || result->tolerated ? "not ok"
								      : "ok",
		number);
	if (escape_tap_description(out, home->list.promises[index].name) < 0)
		return -1;
	if (result->status == PROMISE_DISABLED)
		fprintf(out, " # SKIP %s", result->message);
	else if (result->tolerated)
		fprintf(out, " # TODO tolerated by the anomaly mode (%u of %d)",
			result->failed_runs, RESULT_ANOMALY_RUNS);
	fputc('\n', out);
	return details ? write_yaml_block(out, home, result) : 0;
}

int report_tap(FILE *out, const struct run_report *report)
{
	size_t number = 0;

	fprintf(out, "TAP version 13\n1..%zu\n", count_points(report));
	for (size_t i = 0; i < report->count; i++) {
		const struct home_report *home = &report->homes[i];

		fputs("# ", out);
		if (escape_tap_description(out, home->home) < 0)
			return -1;
		fputc('\n', out);
		if (home->error) {
			fprintf(out, "not ok %zu - ", ++number);
			if (escape_tap_description(out, home->home) < 0)
				return -1;
			fputs(" was not checked\n  ---\n  error: ", out);
			if (escape_yaml(out, home->error) < 0)
				return -1;
			fputs("\n  ...\n", out);
			continue;
		}
		for (size_t p = 0; p < home->list.count; p++)
			if (report_listed(home, p) &&
			    write_point(out, home, p, ++number) < 0)
				return -1;
		for (size_t s = 0; s < home->list.skipped_count; s++) {
			const struct skipped_entry *entry = &home->list.skipped[s];

			fputs("# skipped ", out);
			if (escape_tap_description(out, entry->name) < 0)
				return -1;
			fprintf(out, ": %s\n",
				scan_skip_reason_text(entry->reason));
		}
	}
	return 0;
}
