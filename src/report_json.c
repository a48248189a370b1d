/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * report_json: one JSON document for the whole run:
 * {"verdict", "version", "host", "started", "duration", "summary",
 *  "instances": [{"home", "verdict", "error", "mode", "summary",
 *                 "promises", "skipped"}]}
 * or, as json-seq (RFC 7464), the same objects as records written as the
 * run goes: each promise's, each home's without its promises, the run's
 * without its homes; each on one line, after an RS and before an LF.
 */
#include <stdlib.h>

#include "escape.h"
#include "report.h"
#include "slapgrid.h"

/* A JSON string member, or null for NULL: `, "key": "value"`. */
static int member(FILE *out, const char *key, const char *value)
{
	fprintf(out, ", \"%s\": ", key);
	return escape_json(out, value);
}

/* The path of a promise's file in a folder of the state, or null without. */
static int state_member(FILE *out, const char *key, const char *folder,
                        const char *title, const char *suffix)
{
	char *path = NULL;
	int status;

	if (folder && asprintf(&path, "%s/%s%s", folder, title,
			       suffix) < 0)
		return -1;
	status = member(out, key, path);
	free(path);
	return status;
}

/* The record separator of RFC 7464, before each record's JSON text. */
#define RECORD_SEPARATOR '\x1e'

/*
 * A promise's object; as a json-seq `record`, with its "record" kind and
 * its home first.
 */
static int write_promise(FILE *out, const struct home_report *home,
                         size_t index, bool record)
{
	const struct promise *promise = &home->list.promises[index];
	const struct promise_result *result = &home->results[index];
	bool ran = result_ran(result);
	char *path = report_promise_path(home, index);
	char date[64], transaction[SLAPGRID_TRANSACTION_SIZE];
	int status = -1;

	if (!path)
		return -1;
	if (record && (fputs("{\"record\": \"promise\", \"home\": ", out),
		       escape_json(out, home->home) < 0 ||
		       member(out, "name", promise->name) < 0))
		goto out;
	if (!record && (fputs("{\"name\": ", out),
			escape_json(out, promise->name) < 0))
		goto out;
	if (
	    member(out, "title", promise->title) < 0 ||
	    member(out, "path", path) < 0)
		goto out;
	fprintf(out, ", \"status\": \"%s\", \"failed\": %s",
		result_status_name(result->status),
		result->failed ? "true" : "false");
	if (member(out, "type", report_result_type(result)) < 0)
		goto out;
	fputs(", \"exit-code\": ", out);
	if (result->exit_code == RESULT_NO_EXIT_CODE)
		fputs("null", out);
	else
		fprintf(out, "%d", result->exit_code);
	fputs(", \"signal\": ", out);
	if (result->signal)
		fprintf(out, "%d", result->signal);
	else
		fputs("null", out);
	fprintf(out, ", \"execution-time\": %.6f", result->execution_time);
	fputs(", \"cpu-time\": ", out);
	if (result->cpu_seconds >= 0)
		fprintf(out, "%.6f", result->cpu_seconds);
	else
		fputs("null", out);
	fputs(", \"memory-peak\": ", out);
	if (result->memory_peak >= 0)
		fprintf(out, "%lld", result->memory_peak);
	else
		fputs("null", out);
	if (member(out, "message", result->message) < 0)
		goto out;
	slapgrid_result_date(result->ended, date, sizeof date);
	if (member(out, "date", result->nothing_stored ? NULL : date) < 0)
		goto out;
	if (home->plan.mode == MODE_ANOMALY)
		fprintf(out, ", \"failed-runs\": %u, \"tolerated\": %s",
			result->failed_runs,
			result->tolerated ? "true" : "false");
	result_transaction_id(result, transaction, sizeof transaction);
	if (member(out, "transaction-id",
		   ran && result->transaction ? transaction : NULL) < 0 ||
	    state_member(out, "result-file", home->result_folder,
			 promise->title, SLAPGRID_RESULT_SUFFIX) < 0 ||
	    state_member(out, "log-file", home->log_folder, promise->title,
			 SLAPGRID_LOG_SUFFIX) < 0)
		goto out;
	fputc('}', out);
	status = 0;
out:
	free(path);
	return status;
}

/* Between two items of a list: a document's are one a line, a record's not. */
static const char *item_separator(bool first, bool record)
{
	if (record)
		return first ? "" : ", ";
	return first ? "\n   " : ",\n   ";
}

static int write_skipped(FILE *out, bool *first, bool record, const char *name,
                         const char *reason)
{
	fputs(item_separator(*first, record), out);
	fputs("{\"name\": ", out);
	*first = false;
	if (escape_json(out, name) < 0 || member(out, "reason", reason) < 0)
		return -1;
	fputc('}', out);
	return 0;
}

static void write_summary(FILE *out, const struct report_counts *counts)
{
	fprintf(out,
		"{\"promises\": %zu, \"not-working\": %zu, \"errors\": %zu, \"timeouts\": %zu, \"tolerated\": %zu, \"cached\": %zu, \"not-run\": %zu, \"disabled\": %zu}",
		counts->promises, counts->not_working, counts->errors,
		counts->timeouts, counts->tolerated, counts->cached,
		counts->not_run, counts->disabled);
}

/* A home's object; as a json-seq `record`, without its promises. */
static int write_home(FILE *out, const struct home_report *home, bool record)
{
	struct report_counts counts;
	bool first = true;

	counts = home->summary;
	fputs(record ? "{\"record\": \"instance\", \"home\": " : "{\"home\": ",
	      out);
	if (escape_json(out, home->home) < 0)
		return -1;
	fprintf(out, ", \"verdict\": \"%s\"",
		report_verdict_name(report_home_verdict(home)));
	if (member(out, "error", home->error) < 0)
		return -1;
	if (member(out, "mode", report_mode_name(home)) < 0)
		return -1;
	fputs(", \"summary\": ", out);
	write_summary(out, &counts);
	if (!record) {
		fputs(", \"promises\": [", out);
		for (size_t i = 0; i < home->list.count; i++) {
			if (!report_listed(home, i) ||
			    home->results[i].status == PROMISE_DISABLED)
				continue;
			fputs(item_separator(first, false), out);
			first = false;
			if (write_promise(out, home, i, false) < 0)
				return -1;
		}
		fputs("],\n ", out);
	}
	fputs(record ? ", \"skipped\": [" : " \"skipped\": [", out);
	first = true;
	for (size_t i = 0; i < home->list.count; i++)
		if (report_listed(home, i) &&
		    home->results[i].status == PROMISE_DISABLED &&
		    write_skipped(out, &first, record,
				  home->list.promises[i].name,
				  home->results[i].message) < 0)
			return -1;
	for (size_t i = 0; i < home->list.skipped_count; i++) {
		const struct skipped_entry *entry = &home->list.skipped[i];

		if (write_skipped(out, &first, record, entry->name,
				  scan_skip_reason_text(entry->reason)) < 0)
			return -1;
	}
	fputs("]}", out);
	return 0;
}

/*
 * The run's object up to its summary, included; as a json-seq `record`,
 * on one line.
 */
static int write_run(FILE *out, const struct run_report *report, bool record)
{
	struct report_totals totals;
	char started[64];

	report_totals(report, &totals);
	slapgrid_result_date(report->started.tv_sec, started, sizeof started);
	fprintf(out, "{%s\"verdict\": \"%s\",%s\"version\": \"%s\"",
		record ? "\"record\": \"run\", " : "",
		report_verdict_name(totals.verdict), record ? " " : "\n ",
		report->version);
	if (member(out, "host", report->host) < 0)
		return -1;
	fprintf(out, ", \"containment\": \"%s\", \"containment-reason\": ",
		report->containment);
	if (escape_json(out, report->containment_reason) < 0)
		return -1;
	fprintf(out,
		", \"started\": \"%s\", \"duration\": %.6f,%s\"summary\": {\"instances\": %zu, \"not-working\": %zu, \"not-checked\": %zu, \"promises\": %zu, \"promises-not-working\": %zu}",
		started, report->duration, record ? " " : "\n ", report->count,
		totals.homes_not_working, totals.homes_not_checked,
		totals.promises, totals.promises_not_working);
	return 0;
}

int report_json(FILE *out, const struct run_report *report)
{
	if (write_run(out, report, false) < 0)
		return -1;
	fputs(",\n \"instances\": [", out);
	for (size_t i = 0; i < report->count; i++) {
		fputs(i ? ",\n  " : "\n  ", out);
		if (write_home(out, &report->homes[i], false) < 0)
			return -1;
	}
	fputs("]}\n", out);
	return 0;
}

int report_json_seq_promise(FILE *out, const struct home_report *home,
                            size_t index)
{
	fputc(RECORD_SEPARATOR, out);
	if (write_promise(out, home, index, true) < 0)
		return -1;
	fputc('\n', out);
	return 0;
}

int report_json_seq_home(FILE *out, const struct home_report *home)
{
	fputc(RECORD_SEPARATOR, out);
	if (write_home(out, home, true) < 0)
		return -1;
	fputc('\n', out);
	return 0;
}

int report_json_seq_run(FILE *out, const struct run_report *report)
{
	fputc(RECORD_SEPARATOR, out);
	if (write_run(out, report, true) < 0)
		return -1;
	fputs("}\n", out);
	return 0;
}
