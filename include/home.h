/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * home: one instance home through a run.  Everything promise-run does
 * inside a home is here, done with the home user's filesystem identity
 * (see identity) and through descriptors (see fsat, state):
 *
 *   home_prepare       its user, its configuration, its promises
 *   home_start         its state opened, its lock taken (or waited for),
 *                      its stored state read, its plan made
 *   home_record        each result as it comes, judged by the mode
 *   home_commit_step   once every result is in: its state written, step
 *                      by step, so that the loop can do it between
 *                      deadlines
 *   home_close         its lock released
 *
 * The scheduler drives homes through these phases and gives their
 * promises to the runner; a home that cannot be checked says why
 * (home_fail) and is reported so, while the others go on.
 *
 * Lifecycle: home_init, the phases above, home_release.
 */
#ifndef PROMISE_RUN_HOME_H
#define PROMISE_RUN_HOME_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "config.h"
#include "credentials.h"
#include "report.h"
#include "settings.h"
#include "state.h"

enum home_phase {
	HOME_UNPREPARED,    /* only its path is known */
	HOME_PENDING,       /* prepared: configuration read, folder listed */
	HOME_WAITING,       /* --wait: its lock is held by another run */
	HOME_RUNNING,       /* locked and planned: promises are given out */
	HOME_COMMITTING,    /* every result is in: its state is written */
	HOME_DONE,
};

/* What every home of a run shares. */
struct home_context {
	const struct cli_options *cli;
	const struct config *operator_config;   /* --config, or NULL */
	const struct setting_values *run;       /* the whole run's settings */
	char *const *environment;               /* promise-run's own */
	const char *self;                       /* promise-run's own path */
	int inotify_fd;                         /* for --wait */
	/* The text report is streamed: a home told is released. */
	bool text;
};

struct home {
	struct home_report *report;         /* what the renderers read */
	const struct home_context *context;
	enum home_phase phase;
	const char *refusal;                /* why root refuses it, or NULL */
	bool broken;                        /* something could not be done */
	int home_fd;
	struct credentials user;
	struct config own_config;
	bool has_own_config;
	const struct config *config;        /* the one in use, or NULL */
	struct setting_values settings;     /* its [run], merged */
	char **envp;                        /* its promises' environment */
	struct state state;
	bool stateful;                      /* its files are written */
	struct result_history *history;     /* anomaly mode, per promise */
	long long *last_success;            /* per promise, from the state */
	bool *unwritten;                    /* per promise: its spares failed */
	/* Given out to the runner. */
	size_t next;                        /* the next entry to give out */
	unsigned running;
	unsigned cap;                       /* its own `jobs` within -j */
	size_t waiting;                     /* given out, no result yet */
	size_t commit_step;
	size_t commit_failures;
	bool printed;                       /* the text report is written */
	/* WAITING: when the wait for its lock ends, if it is bounded. */
	bool wait_bounded;
	struct timespec wait_end;           /* monotonic */
};

void home_init(struct home *home, struct home_report *report,
               const struct home_context *context);

/* A home that cannot be checked: says why, and is reported so. */
void home_fail(struct home *home, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

/* A home not started when the run is stopped: reported so, quietly. */
void home_stopped(struct home *home);

/* Reads its user, configuration and promises: PENDING, or DONE. */
void home_prepare(struct home *home);

/* Whether its lock is not taken yet: UNPREPARED, PENDING or WAITING. */
bool home_not_started(const struct home *home);

/* Opens its state, takes its lock, plans: RUNNING, WAITING or DONE. */
void home_start(struct home *home);

/* A WAITING home whose lock may be free tries it again. */
void home_lock_freed(struct home *home);

/*
 * A WAITING home whose wait_end came: it tries its lock a last time, or
 * is reported locked (DONE).
 */
void home_wait_over(struct home *home);

/* --list: the plan as it would be now; nothing written, no lock. */
void home_plan_for_list(struct home *home);

/* Takes the result of promise `promise`, judged by the mode. */
void home_record(struct home *home, size_t promise,
                 struct promise_result *result);

/* The first line of a promise file, read as its user (exec failures). */
char *home_first_line(struct home *home, size_t promise);

/* A promise the run's deadline kept from starting. */
void home_not_run(struct home *home, size_t promise);

/* One step of writing its state (COMMITTING), until DONE. */
void home_commit_step(struct home *home);

/* Closes its state and releases its lock: DONE. */
void home_close(struct home *home);

/* Its text report is written: its details may go. */
void home_told(struct home *home);

/* Frees everything but the report. */
void home_release(struct home *home);

#endif
