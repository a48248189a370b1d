/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * report_prometheus: the text exposition format, for node_exporter's
 * textfile collector.  Every sample of a metric family is written
 * together, after its HELP and TYPE, as promtool requires.  Labels are
 * home, promise and status: never "instance" or "job", which Prometheus
 * gives every scraped series itself.
 */
#include "escape.h"
#include "report.h"

/* The statuses of the status series, one series each. */
static const enum promise_status statuses[] = {
	PROMISE_OK, PROMISE_FAILED, PROMISE_TIMEOUT, PROMISE_ERROR,
	PROMISE_DISABLED, PROMISE_NOT_RUN, PROMISE_CACHED,
};

static int write_labels(FILE *out, const char *home, const char *promise,
                        const char *status)
{
	fputs("{home=\"", out);
	if (escape_prometheus_label(out, home) < 0)
		return -1;
	if (promise) {
		fputs("\",promise=\"", out);
		if (escape_prometheus_label(out, promise) < 0)
			return -1;
	}
	if (status)
		fprintf(out, "\",status=\"%s", status);
	fputs("\"} ", out);
	return 0;
}

static void family(FILE *out, const char *name, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

enum promise_value {
	VALUE_OK, VALUE_DURATION, VALUE_EXIT_CODE, VALUE_STATUS, VALUE_FAILED_RUNS,
	VALUE_LAST_SUCCESS,
};

/* One family over every promise with a result. */
static int write_promise_family(FILE *out, const struct run_report *report,
                                const char *name, const char *help,
                                enum promise_value what)
{
	family(out, name, help);
	for (size_t i = 0; i < report->count; i++) {
		const struct home_report *home = &report->homes[i];

		for (size_t p = 0; p < home->list.count; p++) {
			const struct promise_result *result = &home->results[p];
			const char *promise = home->list.promises[p].name;

			if (!report_listed(home, p))
				continue;
			if (what == VALUE_STATUS) {
				for (size_t s = 0; s < sizeof statuses / sizeof *statuses; s++) {
					fputs(name, out);
					if (write_labels(out, home->home, promise,
							 result_status_name(statuses[s])) < 0)
						return -1;
					fprintf(out, "%d\n",
						result->status == statuses[s]);
				}
				continue;
			}
			if (result->status == PROMISE_DISABLED ||
			    (what == VALUE_EXIT_CODE &&
			     result->exit_code == RESULT_NO_EXIT_CODE) ||
			    (what == VALUE_FAILED_RUNS &&
			     (home->plan.mode != MODE_ANOMALY ||
			      !result_ran(result))) ||
			    (what == VALUE_LAST_SUCCESS && !result->last_success))
				continue;
			fputs(name, out);
			if (write_labels(out, home->home, promise, NULL) < 0)
				return -1;
			if (what == VALUE_DURATION)
				fprintf(out, "%.6f\n", result->execution_time);
			else if (what == VALUE_EXIT_CODE)
				fprintf(out, "%d\n", result->exit_code);
			else if (what == VALUE_FAILED_RUNS)
				fprintf(out, "%u\n", result->failed_runs);
			else if (what == VALUE_LAST_SUCCESS)
				fprintf(out, "%lld\n", result->last_success);
			else
				fprintf(out, "%d\n", !result->failed);
		}
	}
	return 0;
}

/*
 * One family over every home: checked, working, checked when, plugins
 * not run.
 */
static int write_home_family(FILE *out, const struct run_report *report,
                             const char *name, const char *help, int what)
{
	family(out, name, help);
	for (size_t i = 0; i < report->count; i++) {
		const struct home_report *home = &report->homes[i];
		struct report_counts counts;

		/* A home not checked was checked at no time, its plugins unknown. */
		if (what >= 2 && home->error)
			continue;
		fputs(name, out);
		if (write_labels(out, home->home, NULL, NULL) < 0)
			return -1;
		if (what == 0) {
			fprintf(out, "%d\n", home->error == NULL);
		} else if (what == 1) {
			fprintf(out, "%d\n", report_home_verdict(home) ==
						     VERDICT_WORKING);
		} else if (what == 2) {
			fprintf(out, "%lld.%03ld\n",
				(long long)home->finished.tv_sec,
				home->finished.tv_nsec / 1000000);
		} else {
			report_count(home, &counts);
			fprintf(out, "%zu\n", counts.plugins);
		}
	}
	return 0;
}

int report_prometheus(FILE *out, const struct run_report *report)
{
	family(out, "promise_run_build_info",
	       "The version of promise-run that wrote these metrics.");
	fprintf(out, "promise_run_build_info{version=\"%s\"} 1\n",
		report->version);
	family(out, "promise_run_run_start_timestamp_seconds",
	       "When the run started, in Unix time.");
	fprintf(out, "promise_run_run_start_timestamp_seconds %lld.%03ld\n",
		(long long)report->started.tv_sec,
		report->started.tv_nsec / 1000000);
	family(out, "promise_run_run_duration_seconds",
	       "How long the whole run took.");
	fprintf(out, "promise_run_run_duration_seconds %.6f\n",
		report->duration);
	if (write_promise_family(out, report, "promise_run_ok",
				 "Whether the promise works (1) or not (0), by the run's mode.",
				 VALUE_OK) < 0 ||
	    write_promise_family(out, report, "promise_run_status",
				 "1 for the promise's status this run, 0 for the others.",
				 VALUE_STATUS) < 0 ||
	    write_promise_family(out, report, "promise_run_exit_code",
				 "The promise's exit code, when it exited.",
				 VALUE_EXIT_CODE) < 0 ||
	    write_promise_family(out, report, "promise_run_duration_seconds",
				 "How long the promise ran.", VALUE_DURATION) < 0 ||
	    write_promise_family(out, report,
				 "promise_run_last_success_timestamp_seconds",
				 "When the promise last worked, in Unix time (kept across runs in the instance's state).",
				 VALUE_LAST_SUCCESS) < 0 ||
	    write_promise_family(out, report, "promise_run_failed_runs",
				 "Anomaly mode: the promise's failed runs in a row, this one included (3 fail).",
				 VALUE_FAILED_RUNS) < 0 ||
	    write_home_family(out, report, "promise_run_instance_checked",
			      "Whether the instance could be checked (0: locked, unreadable, bad configuration).",
			      0) < 0 ||
	    write_home_family(out, report, "promise_run_instance_ok",
			      "Whether every promise of the instance works.",
			      1) < 0 ||
	    write_home_family(out, report, "promise_run_timestamp_seconds",
			      "When the instance was last checked, in Unix time.",
			      2) < 0 ||
	    write_home_family(out, report, "promise_run_plugins_not_run",
			      "The Python plugins of the instance, which only slapgrid runs: never checked here.",
			      3) < 0)
		return -1;
	return 0;
}
