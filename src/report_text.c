/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* report_text: the report for people, one line per promise. */
#include "report_text.h"

#include <signal.h>
#include <string.h>

#include "escape.h"
#include "value.h"

#define COLOR_GREEN "\033[32m"
#define COLOR_RED "\033[31m"
#define COLOR_YELLOW "\033[33m"
#define COLOR_DIM "\033[2m"
#define COLOR_BOLD "\033[1m"
#define COLOR_RESET "\033[0m"

/* --list: where every name starts, after a timeout with its source. */
#define LIST_NAME_COLUMN 57

/* Where messages start: under the promise name. */
static const char message_indent[] = "                  ";

static void put_colored(FILE *out, bool color, const char *code,
                        const char *text, int width)
{
	if (color)
		fprintf(out, "%s%-*s%s", code, width, text, COLOR_RESET);
	else
		fprintf(out, "%-*s", width, text);
}

/*
 * A name on one line: a control character would break the layout, or act
 * on a terminal.  Out of memory, a mark stands for it, never raw bytes.
 */
static void put_name(FILE *out, const char *name)
{
	if (escape_terminal(out, name, NULL) < 0)
		fputc('?', out);
}

/* The message, every line indented under the name (see escape_terminal). */
static void put_message(FILE *out, const char *message)
{
	if (escape_terminal(out, message, message_indent) < 0)
		fprintf(out, "%s?\n", message_indent);
}

static const char *status_color(const struct promise_result *result)
{
	if (!result->failed)
		return result->status == PROMISE_OK ? COLOR_GREEN : COLOR_YELLOW;
	return result->status == PROMISE_TIMEOUT ? COLOR_YELLOW : COLOR_RED;
}

/* The word of a status in the report: "not run" reads better. */
static const char *status_word(enum promise_status status)
{
	return status == PROMISE_NOT_RUN ? "not run"
					 : result_status_name(status);
}

static void put_header(struct text_report *report)
{
	if (report->header_written)
		return;
	fputs("== ", report->out);
	put_name(report->out, report->home->home);
	fputc('\n', report->out);
	report->header_written = true;
}

void text_report_begin(struct text_report *report, FILE *out, bool color,
                       enum cli_verbosity verbosity,
                       const struct home_report *home)
{
	*report = (struct text_report){
		.out = out,
		.color = color,
		.verbosity = verbosity,
		.home = home,
	};
	if (verbosity != CLI_QUIET)
		put_header(report);
}

/* What follows the name: the exit code, the mode's judgement. */
static void put_details(FILE *out, const struct home_report *home,
                        const struct promise_result *result)
{
	char details[128] = "";
	size_t used = 0;

#define ADD(...) \
	used += (size_t)snprintf(details + used, \
				 used < sizeof details ? sizeof details - used : 0, \
				 __VA_ARGS__)
	if (result->status == PROMISE_FAILED && result->signal)
		ADD("killed by signal %d, SIG%s", result->signal,
		    sigabbrev_np(result->signal) ? sigabbrev_np(result->signal)
						 : "?");
	else if (result->status == PROMISE_FAILED &&
		 result->exit_code != RESULT_NO_EXIT_CODE)
		ADD("exit code %d", result->exit_code);
	if (home->plan.mode == MODE_ANOMALY && result->failed_runs &&
	    result->status != PROMISE_TIMEOUT)
		ADD("%s%u of %d", used ? "; " : "", result->failed_runs,
		    RESULT_ANOMALY_RUNS);
	if (result->tolerated)
		ADD("%stolerated", used ? ", " : "");
	if (result->status == PROMISE_CACHED && result->nothing_stored)
		ADD("not due: no stored result");
	else if (result->status == PROMISE_CACHED)
		ADD("not due: the stored result, %s",
		    result->failed ? "failed" : "working");
#undef ADD
	if (*details)
		fprintf(out, " (%s)", details);
}

void text_report_promise(struct text_report *report, size_t index)
{
	const struct home_report *home = report->home;
	const struct promise_result *result = &home->results[index];
	const char *name = home->list.promises[index].name;
	bool ran = result_ran(result);
	FILE *out = report->out;

	if (!report_listed(home, index))
		return;
	if (!result->failed && report->verbosity == CLI_QUIET)
		return;
	put_header(report);
	if (result->status == PROMISE_DISABLED) {
		put_colored(out, report->color, COLOR_DIM, "disabled",
			    (int)sizeof message_indent - 1);
		put_name(out, name);
		fprintf(out, ": %s\n", result->message);
		return;
	}
	put_colored(out, report->color, status_color(result),
		    status_word(result->status), 8);
	if (ran)
		fprintf(out, "%7.3fs  ", result->execution_time);
	else
		fputs("          ", out);
	/* Under -v, what the promise's processes cost (with their children). */
	if (report->verbosity == CLI_VERBOSE) {
		if (ran && result->cpu_seconds >= 0)
			fprintf(out, "%6.3fs cpu  ", result->cpu_seconds);
		else
			fputs("             ", out);
	}
	put_name(out, name);
	put_details(out, home, result);
	fputc('\n', out);
	if (result->failed || result->tolerated ||
	    report->verbosity == CLI_VERBOSE || result->status == PROMISE_NOT_RUN)
		put_message(out, result->message);
	/* A timeout's message is slapgrid's words: its output comes after. */
	if (report->verbosity == CLI_VERBOSE && result->output)
		put_message(out, result->output);
}

void text_report_end(struct text_report *report)
{
	const struct home_report *home = report->home;
	enum report_verdict verdict = report_home_verdict(home);
	struct report_counts counts;
	FILE *out = report->out;

	if (report->verbosity == CLI_VERBOSE)
		for (size_t i = 0; i < home->list.skipped_count; i++) {
			put_colored(out, report->color, COLOR_DIM, "skipped",
				    (int)sizeof message_indent - 1);
			put_name(out, home->list.skipped[i].name);
			fprintf(out, ": %s\n",
				scan_skip_reason_text(home->list.skipped[i].reason));
		}
	if (verdict == VERDICT_WORKING && report->verbosity == CLI_QUIET)
		return;
	put_header(report);
	put_name(out, home->home);
	fputs(": ", out);
	put_colored(out, report->color,
		    verdict == VERDICT_WORKING ? COLOR_GREEN COLOR_BOLD
					       : COLOR_RED COLOR_BOLD,
		    report_verdict_name(verdict), 0);
	if (verdict == VERDICT_NOT_CHECKED) {
		fputs(" (", out);
		put_name(out, home->error);
		fputs(")\n", out);
		return;
	}
	counts = home->summary;
	if (verdict == VERDICT_WORKING)
		fprintf(out, " (%zu promise%s", counts.promises,
			counts.promises == 1 ? "" : "s");
	else
		fprintf(out, " (%zu of %zu promise%s %s not work",
			counts.not_working, counts.promises,
			counts.promises == 1 ? "" : "s",
			counts.not_working == 1 ? "does" : "do");
	/*
	 * Said without -v, which alone lists them: "working" must not let
	 * anyone believe that the plugins were checked too.
	 */
	if (counts.plugins)
		fprintf(out, "; %zu Python plugin%s not run: --no-plugins",
			counts.plugins, counts.plugins == 1 ? "" : "s");
	fputs(")\n", out);
}

void text_report_verdict(FILE *out, bool color, enum cli_verbosity verbosity,
                         const struct run_report *report)
{
	struct report_totals totals;
	enum report_verdict verdict;
	size_t not_working, not_checked;

	report_totals(report, &totals);
	verdict = totals.verdict;
	not_working = totals.homes_not_working;
	not_checked = totals.homes_not_checked;
	if (verdict == VERDICT_WORKING && verbosity == CLI_QUIET)
		return;
	put_colored(out, color,
		    verdict == VERDICT_WORKING ? COLOR_GREEN COLOR_BOLD
					       : COLOR_RED COLOR_BOLD,
		    report_verdict_name(verdict), 0);
	if (verdict == VERDICT_WORKING)
		fprintf(out, " (%zu instances)\n", report->count);
	else if (not_working)
		fprintf(out, " (%zu of %zu instances %s not work%s)\n",
			not_working, report->count,
			not_working == 1 ? "does" : "do",
			not_checked ? ", some not checked" : "");
	else
		fprintf(out, " (%zu of %zu instances not checked)\n",
			not_checked, report->count);
}

/* Why a promise of the plan will not run, for --list. */
static const char *plan_word(enum plan_disposition disposition)
{
	switch (disposition) {
	case PLAN_DISABLED:
		return "disabled";
	case PLAN_REFUSED:
		return "refused";
	case PLAN_CACHED:
		return "cached";
	case PLAN_UNSELECTED:
		return "unselected";
	case PLAN_NO_RUNNER:
		return "no runner";
	case PLAN_RUN:
		break;
	}
	return "promise";
}

/* "20s (config)", "600s (config, capped by max-timeout)". */
static void timeout_text(const struct plan_entry *entry, char *text,
                         size_t size)
{
	char seconds[64];

	value_format_seconds(entry->timing->timeout.seconds, seconds, sizeof seconds);
	snprintf(text, size, "%ss (%s%s)", seconds,
		 settings_source_name(entry->timing->timeout.source),
		 entry->timing->timeout.capped ? ", capped by max-timeout" : "");
}

void text_report_list(FILE *out, const struct home_report *home)
{
	size_t runnable = 0;

	fputs("== ", out);
	put_name(out, home->home);
	fputc('\n', out);
	if (home->error) {
		put_name(out, home->home);
		fputs(": not checked (", out);
		put_name(out, home->error);
		fputs(")\n", out);
		return;
	}
	for (size_t i = 0; i < home->list.count; i++) {
		const struct plan_entry *entry = &home->plan.entries[i];
		char limit[96];

		if (entry->disposition != PLAN_RUN) {
			fprintf(out, "%-*s", LIST_NAME_COLUMN,
				plan_word(entry->disposition));
			put_name(out, home->list.promises[i].name);
			fprintf(out, ": %s\n", plan_reason(entry));
			continue;
		}
		runnable++;
		timeout_text(entry, limit, sizeof limit);
		fprintf(out, "%s timeout %-*s ",
			entry->plugin ? "plugin  " : "promise ",
			LIST_NAME_COLUMN - 18, limit);
		put_name(out, home->list.promises[i].name);
		if (home->in_process && home->in_process[i])
			fputs(" (declared check, in-process)", out);
		fputc('\n', out);
	}
	if (home->list.plugin_count) {
		fputs("plugins  ", out);
		if (home->plugin_problem) {
			put_name(out, home->plugin_problem);
		} else {
			fputs("python ", out);
			put_name(out, home->plugin_python);
			fputs(", runner ", out);
			put_name(out, home->plugin_runner);
		}
		fputc('\n', out);
	}
	for (size_t i = 0; i < home->list.skipped_count; i++) {
		fprintf(out, "%-*s", LIST_NAME_COLUMN, "skipped");
		put_name(out, home->list.skipped[i].name);
		fprintf(out, ": %s\n",
			scan_skip_reason_text(home->list.skipped[i].reason));
	}
	fprintf(out, "%zu promise%s to run, %zu not run, %zu skipped\n",
		runnable, runnable == 1 ? "" : "s",
		home->list.count - runnable, home->list.skipped_count);
}

static int list_json_home(FILE *out, const struct home_report *home)
{
	bool first = true;

	fputs("{\"home\": ", out);
	if (escape_json(out, home->home) < 0)
		return -1;
	fputs(", \"error\": ", out);
	if (escape_json(out, home->error) < 0)
		return -1;
	fputs(", \"mode\": ", out);
	if (escape_json(out, report_mode_name(home)) < 0)
		return -1;
	fputs(", \"plugin-python\": ", out);
	if (escape_json(out, home->plugin_python) < 0)
		return -1;
	fputs(", \"plugin-runner\": ", out);
	if (escape_json(out, home->plugin_runner) < 0)
		return -1;
	fputs(", \"plugin-problem\": ", out);
	if (escape_json(out, home->plugin_problem) < 0)
		return -1;
	fputs(", \"promises\": [", out);
	for (size_t i = 0; i < home->list.count; i++) {
		const struct plan_entry *entry = &home->plan.entries[i];
		bool runs = entry->disposition == PLAN_RUN;

		fputs(first ? "\n   {\"name\": " : ",\n   {\"name\": ", out);
		first = false;
		if (escape_json(out, home->list.promises[i].name) < 0)
			return -1;
		fprintf(out, ", \"plugin\": %s",
			entry->plugin ? "true" : "false");
		char seconds[64];

		value_format_seconds(entry->timing->timeout.seconds, seconds,
				     sizeof seconds);
		fprintf(out, ", \"runs\": %s, \"timeout\": %s, \"timeout-source\": \"%s\", \"capped\": %s, \"in-process\": %s, \"reason\": ",
			runs ? "true" : "false", seconds,
			settings_source_name(entry->timing->timeout.source),
			entry->timing->timeout.capped ? "true" : "false",
			home->in_process && home->in_process[i] ? "true"
								: "false");
		if (escape_json(out, runs ? NULL : plan_reason(entry)) < 0)
			return -1;
		fputc('}', out);
	}
	fputs("],\n  \"skipped\": [", out);
	for (size_t i = 0; i < home->list.skipped_count; i++) {
		fputs(i ? ",\n   {\"name\": " : "\n   {\"name\": ", out);
		if (escape_json(out, home->list.skipped[i].name) < 0)
			return -1;
		fprintf(out, ", \"reason\": \"%s\"}",
			scan_skip_reason_text(home->list.skipped[i].reason));
	}
	fputs("]}", out);
	return 0;
}

void text_report_containment(FILE *out, const struct run_report *report)
{
	fprintf(out, "containment: %s", report->containment);
	if (report->containment_reason)
		fprintf(out, " (no cgroup: %s)", report->containment_reason);
	fputc('\n', out);
}

/* The run's containment, as JSON members. */
static int containment_members(FILE *out, const struct run_report *report)
{
	fprintf(out, "\"containment\": \"%s\", \"containment-reason\": ",
		report->containment);
	return escape_json(out, report->containment_reason);
}

int report_list_json(FILE *out, const struct run_report *report)
{
	fputc('{', out);
	if (containment_members(out, report) < 0)
		return -1;
	fputs(",\n \"instances\": [", out);
	for (size_t i = 0; i < report->count; i++) {
		fputs(i ? ",\n  " : "\n  ", out);
		if (list_json_home(out, &report->homes[i]) < 0)
			return -1;
	}
	fputs("]}\n", out);
	return 0;
}
