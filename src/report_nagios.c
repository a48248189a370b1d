/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * report_nagios: the Nagios plugin output (for NRPE, Icinga, Naemon):
 *
 *   PROMISE-RUN CRITICAL - 1 of 4 promises do not work in 1 instance; 1 Python plugin not run: --no-plugins | 'slappart3/check-db'=0.015000s;;;0 ...
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

#include "escape.h"
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
	    home->plan.entries[index].timing->nagios_levels &&
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

/* A perfdata label: HOME-BASENAME/PROMISE, in single quotes. */
static int put_label(FILE *out, const char *home, const char *promise)
{
	const char *base = strrchr(home, '/');

	fputc('\'', out);
	if (escape_nagios_label(out, base && base[1] ? base + 1 : home) < 0)
		return -1;
	fputc('/', out);
	if (escape_nagios_label(out, promise) < 0)
		return -1;
	fputc('\'', out);
	return 0;
}

int report_nagios(FILE *out, const struct run_report *report)
{
	int state = report_nagios_status(report);
	struct report_totals totals;
	size_t promises;
	bool first = true;

	report_totals(report, &totals);
	promises = totals.promises;
	fprintf(out, "PROMISE-RUN %s - ", state_names[state]);
	if (totals.promises_not_working)
		fprintf(out, "%zu of %zu promises do not work",
			totals.promises_not_working, promises);
	else
		fprintf(out, "%zu promise%s work%s", promises,
			promises == 1 ? "" : "s", promises == 1 ? "s" : "");
	fprintf(out, " in %zu instance%s", report->count,
		report->count == 1 ? "" : "s");
	if (totals.homes_not_checked)
		fprintf(out, ", %zu not checked", totals.homes_not_checked);
	/* As the text report: an OK must not seem to cover the plugins. */
	if (totals.plugins)
		fprintf(out, "; %zu Python plugin%s not run: --no-plugins",
			totals.plugins, totals.plugins == 1 ? "" : "s");
	for (size_t i = 0; i < report->count; i++) {
		const struct home_report *home = &report->homes[i];

		for (size_t p = 0; !home->error && p < home->list.count; p++) {
			const struct promise_result *result = &home->results[p];

			if (!report_listed(home, p) || !result_ran(result))
				continue;
			fputs(first ? " | " : " ", out);
			first = false;
			if (put_label(out, home->home,
				      home->list.promises[p].name) < 0)
				return -1;
			fprintf(out, "=%.6fs;;;0", result->execution_time);
		}
	}
	fputc('\n', out);
	for (size_t i = 0; i < report->count; i++) {
		const struct home_report *home = &report->homes[i];

		if (home->error) {
			fputs("UNKNOWN: ", out);
			if (escape_nagios_text(out, home->home) < 0)
				return -1;
			fputs(" was not checked: ", out);
			if (escape_nagios_text(out, home->error) < 0)
				return -1;
			fputc('\n', out);
			continue;
		}
		for (size_t p = 0; p < home->list.count; p++) {
			const char *message = home->results[p].message;

			if (!report_listed(home, p) || !home->results[p].failed)
				continue;
			fprintf(out, "%s: ", state_names[promise_state(home, p)]);
			if (escape_nagios_text(out, home->home) < 0)
				return -1;
			fputc(' ', out);
			if (escape_nagios_text(out, home->list.promises[p].name) < 0)
				return -1;
			fputs(": ", out);
			if (escape_nagios_text(out, *message ? message
							     : "(no output)") < 0)
				return -1;
			fputc('\n', out);
		}
	}
	return 0;
}
