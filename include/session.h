/*
 * session: one run of promise-run over its instance homes, the part of
 * main that drives everything: each home's configuration, its plan (who
 * runs each promise, with what timeout, and which will not run), its lock
 * and state, the run itself, and the reports.  It says what goes wrong
 * (complain) and keeps what the exit status will be.
 *
 * Lifecycle: session_load_configs, session_visit for each home, then
 * session_render_document for the one-document formats.
 */
#ifndef PROMISE_RUN_SESSION_H
#define PROMISE_RUN_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cli.h"
#include "config.h"
#include "report.h"
#include "runner.h"

/* The run over every instance, and what the exit status will be. */
struct session {
	const struct cli_options *options;
	struct runner *runner;
	FILE *out;                  /* standard output, or the --output file */
	bool color;
	bool broken;                /* some error: exit 1 */
	int interrupt_signal;
	size_t instances, not_working_instances;
	struct run_report report;   /* kept for the one-document formats */
};

/*
 * Loads the configuration of every home before anything runs: --config
 * for all, or each home's etc/promise-run.conf when it exists; *loaded[i]
 * says whether home i has one.  A bad file stops everything.  Also settles
 * the format, which is one for the run.  NULL (with the reason said) on
 * error.
 */
struct config *session_load_configs(struct cli_options *options, char **homes,
                                    size_t home_count, bool **loaded);

/*
 * Scans one instance home, then lists or checks its promises.  Takes
 * `home` (malloc'd); `config` may be NULL.
 */
void session_visit(struct session *session, char *home,
                   const struct config *config);

/* Writes the one-document formats, once every instance is checked; 0 or -1. */
int session_render_document(struct session *session);

/* Frees the instances kept for the document. */
void session_free(struct session *session);

#endif
