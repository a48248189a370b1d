/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * report_nagios: the Nagios plugin output (for NRPE, Icinga, Naemon):
 *
 *   PROMISE-RUN CRITICAL - 1 of 4 promises do not work in 1 instance | 'slappart3/check-db'=0.015000s;;;0 ...
 *   CRITICAL: /srv/slapgrid/slappart3 check-db: database is not reachable
 *
 * One status line, never empty; the promises' durations as performance
 * data after " | "; then a line per promise that does not work.  The
 * status is the worst of the promises': with nagios-levels a promise's
 * exit 1 is WARNING, 2 CRITICAL and 3 UNKNOWN (as monitoring plugins
 * say); otherwise any failure is CRITICAL.  A promise that could not be
 * executed, and a home that could not be checked, are UNKNOWN.  A '|' in
 * a message, which Nagios would read as performance data, becomes '¦'.
 * promise-run's exit status with this format is the status line's.
 */
#include <string.h>

#include "report.h"

enum { NAGIOS_OK, NAGIOS_WARNING, NAGIOS_CRITICAL, NAGIOS_UNKNOWN };

static const char *const state_names[] = { "OK", "WARNING", "CRITICAL",
					   "UNKNOWN" };

/* The worse of two states: CRITICAL, WARNING, UNKNOWN, then OK. */
static int worse(int a, int b)
{
	static const int rank[] = { 0, 2, 3, 1 };

	return rank[a] >= rank[b] ? a : b;
}

static int promise_state(const struct home_report *home, size_t index)
{
	const struct promise_result *result = &home->results[index];

	if (!result->failed)
		return NAGIOS_OK;
	if (result->status == PROMISE_ERROR)
		return NAGIOS_UNKNOWN;
	if (result->status == PROMISE_FAILED &&
	    home->plan.entries[index].nagios_levels &&
	    result->exit_code >= 1 && result->exit_code <= 3)
		return result->exit_code;
	return NAGIOS_CRITICAL;
}

int report_nagios_status(const struct run_report *report)
{
	int state = NAGIOS_OK;

	for (size_t i = 0; i < report->count; i++) {
		const struct home_report *home = &report->homes[i];

		if (home->error) {
			state = worse(state, NAGIOS_UNKNOWN);
			continue;
		}
		for (size_t p = 0; p < home->list.count; p++)
			if (report_listed(home, p))
				state = worse(state, promise_state(home, p));
	}
	return state;
}

/* Text on the plugin's lines: one line, no '|', no control character. */
static void put_text(FILE *out, const char *text, bool one_line)
{
	for (; *text; text++) {
		if (*text == '|')
			fputs("\u00a6", out);
		else if (*text == '\n' && one_line)
			fputc(' ', out);
		else if ((unsigned char)*text < 0x20 || *text == 0x7f)
			fputc('?', out);
		else
			fputc(*text, out);
	}
}

/* A perfdata label: in single quotes, a quote doubled, no '='. */
static void put_label(FILE *out, const char *home, const char *promise)
{
	const char *base = strrchr(home, '/');
	const char *parts[] = { base && base[1] ? base + 1 : home, "/", promise };

	fputc('\'', out);
	for (size_t i = 0; i < 3; i++)
		for (const char *c = parts[i]; *c; c++) {
			if (*c == '\'')
				fputs("''", out);
			else if (*c == '=' || *c == '|' || (unsigned char)*c < 0x20)
				fputc('_', out);
			else
				fputc(*c, out);
		}
	fputc('\'', out);
}

int report_nagios(FILE *out, const struct run_report *report)
{
	int state = report_nagios_status(report);
	size_t promises = 0, not_working = 0, not_checked = 0;
	bool first = true;

	for (size_t i = 0; i < report->count; i++) {
		struct report_counts counts;

		report_count(&report->homes[i], &counts);
		promises += counts.promises;
		not_working += counts.not_working;
		not_checked += report->homes[i].error != NULL;
	}
	fprintf(out, "PROMISE-RUN %s - ", state_names[state]);
	if (not_working)
		fprintf(out, "%zu of %zu promises do not work", not_working,
			promises);
	else
		fprintf(out, "%zu promise%s work%s", promises,
			promises == 1 ? "" : "s", promises == 1 ? "s" : "");
	fprintf(out, " in %zu instance%s", report->count,
		report->count == 1 ? "" : "s");
	if (not_checked)
		fprintf(out, ", %zu not checked", not_checked);
	for (size_t i = 0; i < report->count; i++) {
		const struct home_report *home = &report->homes[i];

		for (size_t p = 0; !home->error && p < home->list.count; p++) {
			const struct promise_result *result = &home->results[p];

			if (!report_listed(home, p) || !result_ran(result))
				continue;
			fputs(first ? " | " : " ", out);
			first = false;
			put_label(out, home->home, home->list.promises[p].name);
			fprintf(out, "=%.6fs;;;0", result->execution_time);
		}
	}
	fputc('\n', out);
	for (size_t i = 0; i < report->count; i++) {
		const struct home_report *home = &report->homes[i];

		if (home->error) {
			fputs("UNKNOWN: ", out);
			put_text(out, home->home, true);
			fputs(" was not checked: ", out);
			put_text(out, home->error, true);
			fputc('\n', out);
			continue;
		}
		for (size_t p = 0; p < home->list.count; p++) {
			if (!report_listed(home, p) || !home->results[p].failed)
				continue;
			fprintf(out, "%s: ", state_names[promise_state(home, p)]);
			put_text(out, home->home, true);
			fputc(' ', out);
			put_text(out, home->list.promises[p].name, true);
			fputs(": ", out);
			put_text(out, *home->results[p].message
					      ? home->results[p].message
					      : "(no output)",
				 true);
			fputc('\n', out);
		}
	}
	return 0;
}
