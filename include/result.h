/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * result: what became of one promise, made by pure functions from what
 * the runner saw (an outcome) or from what the plan decided (a promise
 * that does not run), and judged by the mode:
 *
 *   test mode      a promise that did not work this run fails;
 *   anomaly mode   as slapgrid's: a promise fails only when its last 3
 *                  recorded runs failed, this one included; a timeout is
 *                  tolerated unless the previous result failed or its
 *                  message says "error:".
 *
 * The reports and the state files only read results.
 */
#ifndef PROMISE_RUN_RESULT_H
#define PROMISE_RUN_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "settings.h"

struct plan_entry;
struct runner_outcome;
struct spawn_failure;

enum promise_status {
	PROMISE_OK,         /* exited 0 */
	PROMISE_FAILED,     /* exited non-zero or was killed by a signal */
	PROMISE_TIMEOUT,    /* reached its timeout (or the run's deadline) */
	PROMISE_ERROR,      /* could not be executed, or was refused */
	PROMISE_DISABLED,   /* not run: skip = yes */
	PROMISE_NOT_RUN,    /* not run: the run's deadline came first */
	PROMISE_CACHED,     /* not run: not due; the stored result again */
};

#define RESULT_NO_EXIT_CODE (-1)

/* In anomaly mode, this many failed runs in a row make a failure. */
#define RESULT_ANOMALY_RUNS 3

/* What the stored state says of a promise's earlier runs. */
struct result_history {
	/* The previous result file. */
	bool has_previous;
	bool previous_failed;
	bool previous_anomaly_type;
	bool previous_says_error;   /* its message holds "error:", any case */
	char *previous_message;     /* for a cached promise; may be NULL */
	time_t previous_date;
	/* The log, newest first: how many of the runs before this one failed
	 * in a row (0 to RESULT_ANOMALY_RUNS - 1). */
	unsigned failed_in_a_row;
};

/* One per promise: the small fields first, so that no padding comes. */
struct promise_result {
	bool known;                 /* false: interrupted, or never reached */
	bool failed;                /* the mode's verdict: it does not work */
	bool tolerated;             /* did not work, but the mode forgives */
	bool anomaly_type;          /* slapgrid's "Anomaly Result" */
	bool nothing_stored;        /* cached, but no stored result to tell */
	enum promise_status status; /* what the promise did this run */
	unsigned failed_runs;       /* anomaly: failed runs in a row, <= 3 */
	int exit_code;              /* 0..255, or RESULT_NO_EXIT_CODE */
	int signal;                 /* the killing signal, or 0 */
	/*
	 * slapgrid's id of this run in the log is "EPOCH-NNN": the time it
	 * ended, and this number from 100 to 999 (0: not given one).
	 */
	unsigned short transaction;
	double execution_time;      /* seconds */
	double cpu_seconds;         /* its processes' CPU time, or -1 */
	long long memory_peak;      /* their peak memory in bytes, or -1 */
	time_t ended;               /* the wall-clock second it was known */
	char *message;              /* UTF-8 text, never NULL once known */
	char *output;               /* a timed-out promise's output, or NULL */
	/* When it last worked, in Unix seconds (kept across runs), or 0. */
	long long last_success;
};

/*
 * The result of a promise that ran (or could not be started), from the
 * runner's outcome; `first_line` is the start of the promise file when
 * its exec failed with ENOENT (to name a missing interpreter), else NULL.
 * The outcome's output is taken.  0, or -1 with errno ENOMEM.
 */
int result_from_outcome(struct runner_outcome *outcome,
                        const struct plan_entry *entry, const char *first_line,
                        struct promise_result *result);

/*
 * The result of a promise the plan does not run (disabled, refused,
 * cached: from `history`), at wall-clock `now`.  0, or -1 (ENOMEM).
 */
int result_from_plan(const struct plan_entry *entry,
                     const struct result_history *history,
                     struct timespec now, struct promise_result *result);

/*
 * A result known, with nothing in it yet but its time: no exit code, no
 * CPU time or memory measured.
 */
void result_start(struct promise_result *result, struct timespec ended);

/* A promise never started because the run's deadline came. */
int result_not_run(struct timespec now, struct promise_result *result);

/*
 * Judges a result that ran: sets failed, tolerated, failed_runs and the
 * result type, by the mode and the history (NULL: none).
 */
void result_judge(struct promise_result *result, enum setting_mode mode,
                  const struct result_history *history);

/* The message for a promise whose set-up or exec failed; malloc'd. */
char *result_describe_failure(const struct spawn_failure *failure,
                              const char *first_line);

/* A new slapgrid transaction number: any of 100 to 999, as slapgrid's. */
unsigned short result_new_transaction(void);

/* The transaction id of a result that ran, "EPOCH-NNN", into `id`. */
void result_transaction_id(const struct promise_result *result, char *id,
                           size_t size);

/* The name of a status as every format writes it: "ok", "failed", ... */
const char *result_status_name(enum promise_status status);

/* Whether the promise counts as working (ran or not). */
bool result_works(const struct promise_result *result);

/* Whether it is a result of this run's own (its files are written). */
bool result_ran(const struct promise_result *result);

void result_release(struct promise_result *result);

#endif
