/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * sinks: where a run's results go, and the only place (with main and the
 * scheduler) that prints.  Homes tell them each result as it is judged
 * and hand their reports over when done; the sinks own the reports from
 * then on (the run's report, for the documents).
 *
 *   text        streamed: each home's results in home order, as soon as
 *               they and those before them are known, through an output
 *               queue that never blocks the loop (see outq); a home told
 *               and done keeps only its counts, so that memory stays that
 *               of the homes running;
 *   json-seq    streamed the same way, as records (report_json_seq_*);
 *   documents   json, tap, junit, prometheus, nagios, or --list: written
 *               once the run is over, from the run's report;
 *   messages    complain(), on standard error, at once.
 *
 * Lifecycle: sinks_init; the callbacks as homes go; sinks_write once the
 * run is over; sinks_release.
 */
#ifndef PROMISE_RUN_SINKS_H
#define PROMISE_RUN_SINKS_H

#include <stdbool.h>
#include <stddef.h>

#include "atomic_file.h"
#include "cli.h"
#include "outq.h"
#include "report.h"
#include "report_text.h"

struct sinks {
	const struct cli_options *cli;
	enum report_format format;
	bool streamed;                  /* text or json-seq, as results come */
	bool color;
	struct run_report report;       /* every home's, in the order given */
	struct outq out;                /* standard output, queued */
	struct atomic_file output;      /* --output, opened before the run */
	/* Per home: its results come, are all in, its report handed over. */
	bool *running, *complete, *done;
	/* The streamed report: the home being written and its next promise. */
	struct text_report text_report;
	size_t text_home, text_next;
	bool text_begun;
	bool broken;                    /* a document could not be written */
	int stop_signal;                /* SIGPIPE: the reader went away */
};

/* 0, or -1 with errno (ENOMEM); `homes` reports, zeroed. */
int sinks_init(struct sinks *sinks, const struct cli_options *cli,
               enum report_format format, size_t homes);

/*
 * Opens --output before anything runs, so that a file that cannot be
 * written fails the run at once: 0, or -1 with errno.
 */
int sinks_open_output(struct sinks *sinks);

void sinks_running(struct sinks *sinks, size_t home);
void sinks_judged(struct sinks *sinks, size_t home, size_t promise);
void sinks_complete(struct sinks *sinks, size_t home);
void sinks_done(struct sinks *sinks, size_t home);

/* Writes a message on standard error (see complain). */
void sinks_say(const char *message);

/*
 * Writes the report once the run is over (`stopped`: what finished of the
 * homes begun, without verdicts): to standard output, or to --output
 * whole or not at all.
 */
void sinks_write(struct sinks *sinks, bool stopped);

void sinks_release(struct sinks *sinks);

#endif
