/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * report_prometheus: the text exposition format, for node_exporter's
 * textfile collector.  Every sample of a metric family is written
 * together, after its HELP and TYPE, as promtool requires.  Labels are
 * home, promise and status: never "instance" or "job", which Prometheus
 * gives every scraped series itself.
 */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report.h"
#include "utf8.h"

/* The statuses of the status series, one series each. */
static const enum promise_status statuses[] = {
	PROMISE_OK, PROMISE_FAILED, PROMISE_TIMEOUT, PROMISE_ERROR,
	PROMISE_DISABLED, PROMISE_NOT_RUN, PROMISE_CACHED,
};

/* The label values of the document: each home's, each promise's. */
struct labels {
	char **homes;
	char ***promises;           /* per home, per promise */
};

static void free_values(char **values, size_t count)
{
	for (size_t i = 0; values && i < count; i++)
		free(values[i]);
	free(values);
}

/* Whether `value` is one of values[0..count), `skip` aside. */
static bool value_taken(char *const *values, size_t count, size_t skip,
                        const char *value)
{
	for (size_t i = 0; i < count; i++)
		if (i != skip && strcmp(values[i], value) == 0)
			return true;
	return false;
}

/*
 * The label values of `names`, one each and all different: a label is
 * UTF-8, so names that differ only in bytes that are not (each shown as
 * U+FFFD) would give one series twice.  The first of such names keeps
 * the value; each other one gets " (2)", " (3)", ..., the first number
 * that no other name's value has.  NULL when out of memory.
 */
static char **unique_values(char *const *names, size_t count)
{
	char **values = calloc(count ? count : 1, sizeof *values);
	char **bases = calloc(count ? count : 1, sizeof *bases);
	bool changed = false;

	for (size_t i = 0; values && bases && i < count; i++) {
		bases[i] = utf8_sanitize((const unsigned char *)names[i],
					 strlen(names[i]), NULL);
		values[i] = bases[i] ? strdup(bases[i]) : NULL;
		if (!values[i])
			goto out_of_memory;
		changed |= strcmp(bases[i], names[i]) != 0;
	}
	if (!values || !bases)
		goto out_of_memory;
	/* Valid UTF-8 is its own value: then no two can meet. */
	for (size_t i = 1; changed && i < count; i++) {
		char *value = NULL;
		bool seen = false;

		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(bases[j], bases[i]) == 0;
		/* The values so far, and the later names' own. */
		for (unsigned n = 2; seen && !value; n++) {
			if (asprintf(&value, "%s (%u)", bases[i], n) < 0)
				goto out_of_memory;
			if (value_taken(values, count, i, value)) {
				free(value);
				value = NULL;
			}
		}
		if (value) {
			free(values[i]);
			values[i] = value;
		}
	}
	free_values(bases, count);
	return values;
out_of_memory:
	free_values(bases, count);
	free_values(values, count);
	return NULL;
}

/*
 * The label values of every home and promise of the report: 0, or -1
 * (labels_release frees what was made).
 */
static int labels_make(const struct run_report *report, struct labels *labels)
{
	char **homes = calloc(report->count ? report->count : 1, sizeof *homes);

	labels->promises = calloc(report->count ? report->count : 1,
				  sizeof *labels->promises);
	if (!homes || !labels->promises) {
		free(homes);
		return -1;
	}
	for (size_t i = 0; i < report->count; i++) {
		const struct promise_list *list = &report->homes[i].list;
		char **names = calloc(list->count ? list->count : 1,
				      sizeof *names);

		homes[i] = report->homes[i].home;
		for (size_t p = 0; names && p < list->count; p++)
			names[p] = list->promises[p].name;
		labels->promises[i] = names ? unique_values(names, list->count)
					    : NULL;
		free(names);
		if (!labels->promises[i]) {
			free(homes);
			return -1;
		}
	}
	labels->homes = unique_values(homes, report->count);
	free(homes);
	return labels->homes ? 0 : -1;
}

static void labels_release(const struct run_report *report,
                           struct labels *labels)
{
	for (size_t i = 0; labels->promises && i < report->count; i++)
		free_values(labels->promises[i], report->homes[i].list.count);
	free(labels->promises);
	free_values(labels->homes, report->count);
}

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
	VALUE_LAST_SUCCESS, VALUE_CPU, VALUE_MEMORY_PEAK,
};

/* One family over every promise with a result. */
static int write_promise_family(FILE *out, const struct run_report *report,
                                const struct labels *labels, const char *name,
                                const char *help, enum promise_value what)
{
	family(out, name, help);
	for (size_t i = 0; i < report->count; i++) {
		const struct home_report *home = &report->homes[i];

		for (size_t p = 0; p < home->list.count; p++) {
			const struct promise_result *result = &home->results[p];
			const char *promise = labels->promises[i][p];

			if (!report_listed(home, p))
				continue;
			if (what == VALUE_STATUS) {
				for (size_t s = 0; s < sizeof statuses / sizeof *statuses; s++) {
					fputs(name, out);
					if (write_labels(out, labels->homes[i], promise,
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
			    (what == VALUE_LAST_SUCCESS && !result->last_success) ||
			    (what == VALUE_CPU && result->cpu_seconds < 0) ||
			    (what == VALUE_MEMORY_PEAK && result->memory_peak < 0))
				continue;
			fputs(name, out);
			if (write_labels(out, labels->homes[i], promise, NULL) < 0)
				return -1;
			if (what == VALUE_DURATION)
				fprintf(out, "%.6f\n", result->execution_time);
			else if (what == VALUE_EXIT_CODE)
				fprintf(out, "%d\n", result->exit_code);
			else if (what == VALUE_FAILED_RUNS)
				fprintf(out, "%u\n", result->failed_runs);
			else if (what == VALUE_LAST_SUCCESS)
				fprintf(out, "%lld\n", result->last_success);
			else if (what == VALUE_CPU)
				fprintf(out, "%.6f\n", result->cpu_seconds);
			else if (what == VALUE_MEMORY_PEAK)
				fprintf(out, "%lld\n", result->memory_peak);
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
                             const struct labels *labels, const char *name,
                             const char *help, int what)
{
	family(out, name, help);
	for (size_t i = 0; i < report->count; i++) {
		const struct home_report *home = &report->homes[i];
		struct report_counts counts;

		/* A home not checked was checked at no time, its plugins unknown. */
		if (what >= 2 && home->error)
			continue;
		fputs(name, out);
		if (write_labels(out, labels->homes[i], NULL, NULL) < 0)
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
			counts = home->summary;
			fprintf(out, "%zu\n", counts.plugins);
		}
	}
	return 0;
}

static int write_document(FILE *out, const struct run_report *report,
                          const struct labels *labels)
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
	if (write_promise_family(out, report, labels, "promise_run_ok",
				 "Whether the promise works (1) or not (0), by the run's mode.",
				 VALUE_OK) < 0 ||
	    write_promise_family(out, report, labels, "promise_run_status",
				 "1 for the promise's status this run, 0 for the others.",
				 VALUE_STATUS) < 0 ||
	    write_promise_family(out, report, labels, "promise_run_exit_code",
				 "The promise's exit code, when it exited.",
				 VALUE_EXIT_CODE) < 0 ||
	    write_promise_family(out, report, labels,
				 "promise_run_duration_seconds",
				 "How long the promise ran.", VALUE_DURATION) < 0 ||
	    write_promise_family(out, report, labels, "promise_run_cpu_seconds",
				 "The CPU time (user and system) of the promise and every process it started.",
				 VALUE_CPU) < 0 ||
	    write_promise_family(out, report, labels, "promise_run_memory_peak_bytes",
				 "The peak memory of the promise's cgroup, where the memory controller is enabled.",
				 VALUE_MEMORY_PEAK) < 0 ||
	    write_promise_family(out, report, labels,
				 "promise_run_last_success_timestamp_seconds",
				 "When the promise last worked, in Unix time (kept across runs in the instance's state).",
				 VALUE_LAST_SUCCESS) < 0 ||
	    write_promise_family(out, report, labels, "promise_run_failed_runs",
				 "Anomaly mode: the promise's failed runs in a row, this one included (3 fail).",
				 VALUE_FAILED_RUNS) < 0 ||
	    write_home_family(out, report, labels,
			      "promise_run_instance_checked",
			      "Whether the instance could be checked (0: locked, unreadable, bad configuration).",
			      0) < 0 ||
	    write_home_family(out, report, labels, "promise_run_instance_ok",
			      "Whether every promise of the instance works.",
			      1) < 0 ||
	    write_home_family(out, report, labels,
			      "promise_run_timestamp_seconds",
			      "When the instance was last checked, in Unix time.",
			      2) < 0 ||
	    write_home_family(out, report, labels, "promise_run_plugins_not_run",
			      "The Python plugins of the instance left to slapgrid (--no-plugins): not checked here.",
			      3) < 0)
		return -1;
	return 0;
}

int report_prometheus(FILE *out, const struct run_report *report)
{
	struct labels labels = { 0 };
	int status = labels_make(report, &labels);

	if (status == 0)
		status = write_document(out, report, &labels);
	labels_release(report, &labels);
	return status;
}
