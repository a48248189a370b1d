/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * scheduler: one run of promise-run over every instance home given, with
 * one pool of slots for the whole node.
 *
 * Each home (see home) keeps its own configuration, user, environment,
 * timeouts and state: it is prepared and started when the pool reaches
 * it (so the memory of a run is that of the homes running, however many
 * are given), then its promises are given to the runner in byte order as
 * slots free (at most its own `jobs` at once, and at most -j over the
 * node), and once its last result is in, its state is committed and its
 * lock released.  A home that cannot be checked (unreadable, locked, a
 * broken configuration) is reported as such while the others run.
 *
 * Data flows one way: homes -> plans -> tasks (runner) -> outcomes ->
 * results -> sinks.  The sinks never block the loop: the text report is
 * queued and written when standard output is writable; state files are
 * written when no promise's deadline is near; documents are written once
 * the run is over.
 *
 * Lifecycle: scheduler_run, once.
 */
#ifndef PROMISE_RUN_SCHEDULER_H
#define PROMISE_RUN_SCHEDULER_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "config.h"
#include "report.h"
#include "signals.h"

struct scheduler_input {
	const struct cli_options *cli;
	const struct config *operator_config;   /* --config, or NULL */
	const struct setting_values *run;       /* the run's, merged (main) */
	const struct signals *signals;
	const char *self;                       /* promise-run's own path */
	const char *version;
	char *const *environment;
	char **homes;                           /* as given (or expanded) */
	char *const *refusals;                  /* per home: refused, or NULL */
	size_t home_count;
};

/* What the run came to: main makes the exit status of it. */
struct scheduler_verdict {
	bool broken;                /* promise-run could not do all its job */
	int stop_signal;            /* stopped by this signal, or 0 */
	enum report_verdict verdict;
	enum report_format format;
	int nagios_status;          /* with --format nagios */
};

/* Runs everything, reports it; never fails as a whole. */
void scheduler_run(const struct scheduler_input *input,
                   struct scheduler_verdict *verdict);

#endif
