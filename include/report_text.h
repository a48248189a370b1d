/*
 * report_text: the report for people, written as results come in.
 *
 *   == /srv/slapgrid/slappart3
 *   ok       0.002s  check-frontend.sh
 *   failed   0.015s  check-db.sh (exit code 1)
 *            database is not reachable
 *   /srv/slapgrid/slappart3: not working (1 of 2 promises do not work)
 *
 * Lifecycle: text_report_begin for each instance, text_report_promise for
 * each result in order, text_report_skipped, text_report_end; and
 * text_report_verdict once after several instances.  Renders only: it
 * never runs anything.
 */
#ifndef PROMISE_RUN_REPORT_TEXT_H
#define PROMISE_RUN_REPORT_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "cli.h"
#include "result.h"
#include "scan.h"

struct text_report {
	FILE *out;
	bool color;
	enum cli_verbosity verbosity;
	const char *home;
	bool header_written;        /* --quiet writes it only before a failure */
	size_t promises;            /* counted for the instance's verdict */
	size_t not_working;
};

void text_report_begin(struct text_report *report, FILE *out, bool color,
                       enum cli_verbosity verbosity, const char *home);
void text_report_promise(struct text_report *report,
                         const struct promise *promise,
                         const struct promise_result *result);
void text_report_skipped(struct text_report *report,
                         const struct promise_list *list);
/* Writes the instance's verdict line. */
void text_report_end(struct text_report *report);

/* The line that closes a run over several instances. */
void text_report_verdict(FILE *out, bool color, enum cli_verbosity verbosity,
                         size_t instances, size_t not_working);

/*
 * What --list shows of one instance: each promise with its timeout and
 * where that comes from (`sources`: "default", "config", "command line"),
 * or why it will not run (a result already done: disabled or refused).
 */
void text_report_list(FILE *out, const char *home,
                      const struct promise_list *list, const double *timeouts,
                      const char *const *sources,
                      const struct promise_result *results);

#endif
