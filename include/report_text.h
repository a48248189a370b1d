/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * report_text: the report for people, written as results come in.
 *
 *   == /srv/slapgrid/slappart3
 *   ok        0.002s  check-frontend.sh
 *   failed    0.015s  check-db.sh (exit code 1)
 *                     database is not reachable
 *   /srv/slapgrid/slappart3: not working (1 of 2 promises do not work)
 *
 * Lifecycle, for each home in order: text_report_begin,
 * text_report_promise for each promise in order, text_report_end; then
 * text_report_verdict once after several homes.  And text_report_list
 * for --list.  Renders only: it never runs anything.
 */
#ifndef PROMISE_RUN_REPORT_TEXT_H
#define PROMISE_RUN_REPORT_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "cli.h"
#include "report.h"

struct text_report {
	FILE *out;
	bool color;
	enum cli_verbosity verbosity;
	const struct home_report *home;
	bool header_written;        /* --quiet writes it only before a failure */
};

void text_report_begin(struct text_report *report, FILE *out, bool color,
                       enum cli_verbosity verbosity,
                       const struct home_report *home);
void text_report_promise(struct text_report *report, size_t index);
/* The entries not run (with -v) and the home's verdict line. */
void text_report_end(struct text_report *report);

/* The line that closes a run over several homes. */
void text_report_verdict(FILE *out, bool color, enum cli_verbosity verbosity,
                         const struct run_report *report);

/*
 * What --list shows of one home: each promise with its timeout and
 * where that comes from, or why it will not run; then the entries that
 * are not promises.
 */
void text_report_list(FILE *out, const struct home_report *home);

/* --list's last line: how promises would be contained, and why so. */
void text_report_containment(FILE *out, const struct run_report *report);

/* --list --format json: the plan of every home, one document. */
int report_list_json(FILE *out, const struct run_report *report);

#endif
