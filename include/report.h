/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * report: the results of a whole run, as every renderer reads them: for
 * each instance home, in the order given, its plan, the result of each
 * promise and the entries that are not promises; or why the home could
 * not be checked.  The scheduler fills it in; renderers only read it and
 * write one document each (report_json, report_tap, report_junit,
 * report_prometheus, report_nagios; report_text for people, written as
 * results come).
 */
#ifndef PROMISE_RUN_REPORT_H
#define PROMISE_RUN_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "plan.h"
#include "result.h"
#include "scan.h"
#include "settings.h"       /* enum report_format, the formats of --format */

/* How a home's promises fared. */
struct report_counts {
	size_t promises;                /* with a result, disabled excluded */
	size_t not_working;
	size_t disabled;
	size_t errors;                  /* could not be executed or refused */
	size_t timeouts;
	size_t cached;
	size_t not_run;
	size_t tolerated;
	size_t plugins;                 /* Python plugins, never run */
	double time;                    /* the sum of execution times */
};

struct home_report {
	char *home;                     /* absolute real path */
	char *promise_dir;              /* absolute */
	char *error;                    /* why it was not checked, or NULL */
	struct promise_list list;
	struct plan plan;               /* one entry per promise */
	struct promise_result *results; /* one per promise */
	/* --list: whether each promise runs inside promise-run, or NULL. */
	bool *in_process;
	struct timespec finished;       /* wall clock */
	/* Where its state files are, for the documents; NULL: no state. */
	char *result_folder, *log_folder;
	/*
	 * Its plugins: the python and slapos.core's runner that run them, or
	 * why none can (all NULL: no plugins, or --no-plugins).
	 */
	char *plugin_python, *plugin_runner, *plugin_problem;
	/*
	 * Its counts, summed up once when the home hands its report over
	 * (report_home_sum_up).  The text report, streamed, needs no
	 * details once a home is written: they are dropped, the counts stay.
	 */
	struct report_counts summary;
};

struct run_report {
	const char *version;
	char *host;
	struct timespec started;        /* wall clock */
	double duration;                /* seconds */
	int interrupted_by;             /* a stop signal, or 0 */
	const char *containment;        /* "cgroup" or "freeze" */
	const char *containment_reason; /* why not a cgroup, or NULL */
	struct home_report *homes;      /* in the order given */
	size_t count;
};

enum report_verdict {
	VERDICT_WORKING,
	VERDICT_NOT_WORKING,
	VERDICT_NOT_CHECKED,
};

/* Sums up a home's counts from its results, into home->summary. */
void report_home_sum_up(struct home_report *home);

/* A home's verdict; one not checked is VERDICT_NOT_CHECKED. */
enum report_verdict report_home_verdict(const struct home_report *home);

/* What the whole run adds up to, for the renderers' summaries. */
struct report_totals {
	enum report_verdict verdict;    /* not working over not checked */
	size_t homes_not_working, homes_not_checked;
	size_t promises, promises_not_working;
	size_t plugins;                 /* Python plugins, never run */
};

void report_totals(const struct run_report *report,
                   struct report_totals *totals);

/* The run's verdict (see report_totals). */
enum report_verdict report_run_verdict(const struct run_report *report);

/* "working", "not working", "not checked". */
const char *report_verdict_name(enum report_verdict verdict);

/*
 * The mode a home was checked in, "test" or "anomaly"; NULL for a home
 * not checked, whose mode may not even be known (its configuration).
 */
const char *report_mode_name(const struct home_report *home);

/* Whether promise `index` of `home` is listed as a promise with a result. */
bool report_listed(const struct home_report *home, size_t index);

/*
 * slapgrid's type of a result, as its result file says: "Test Result" or
 * "Anomaly Result"; NULL when there is none (not run, disabled, or not
 * due with nothing stored).
 */
const char *report_result_type(const struct promise_result *result);

/* The absolute path of promise `index`, malloc'd; NULL when out of memory. */
char *report_promise_path(const struct home_report *home, size_t index);

/* Frees what a home report owns. */
void report_home_release(struct home_report *home);

/* Frees a home's promises, plan and results, keeping its counts. */
void report_home_drop_details(struct home_report *home);

/* Each renderer writes the whole run; 0, or -1 with errno (ENOMEM). */
int report_json(FILE *out, const struct run_report *report);
int report_tap(FILE *out, const struct run_report *report);
int report_junit(FILE *out, const struct run_report *report);
int report_prometheus(FILE *out, const struct run_report *report);
int report_nagios(FILE *out, const struct run_report *report);

/*
 * json-seq (RFC 7464): the records of a run, each an RS, one line of JSON
 * and an LF, written as the run goes: a promise's (as in report_json,
 * with "record": "promise" and its "home"), then, once its promises are
 * all written, its home's ("record": "instance", without "promises"),
 * and last the run's ("record": "run", without "instances").  0, or -1.
 */
int report_json_seq_promise(FILE *out, const struct home_report *home,
                            size_t index);
int report_json_seq_home(FILE *out, const struct home_report *home);
int report_json_seq_run(FILE *out, const struct run_report *report);

/*
 * The Nagios plugin status of the run: 0 OK, 1 WARNING, 2 CRITICAL,
 * 3 UNKNOWN (the exit status of --format nagios).
 */
int report_nagios_status(const struct run_report *report);

#endif
