/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * home: the life of one instance home in a run, as one function of
 * (phase, event, now), like a promise's job (see job).  Its effects go
 * through a table of operations: its files, read and written as its user
 * (home_files, home_store), the pool that runs its promises, and the
 * sinks that are told its results (the scheduler's).  Unit tests drive it
 * with fake operations and a fake clock.
 *
 *   NEW --open--> (prepared, then locked and planned) RUNNING
 *             \-> WAITING (--wait: its lock is held) --lock freed /
 *                 wait over--> RUNNING, or DONE (still locked)
 *   RUNNING: each free slot it is given starts its next promise (its
 *   Python plugins, first, all at once: slapos.core's runner); each
 *   result is judged and told to the sinks; once the last is in:
 *   COMMITTING (its state written one step per `write` event, between the
 *   runner's deadlines) --> DONE; a home whose files are not written goes
 *   straight to DONE.
 *   DONE: its lock released, its report handed to the sinks, which own it
 *   from then on.
 *
 * The run's deadline fails a home not started yet and marks a running
 * home's promises not given out "not run"; a stop fails a home not
 * started yet and gives out nothing more.  Any failure (unreadable, a
 * broken configuration, locked) makes the home DONE, reported with why.
 *
 * Only the home writes its phase; the scheduler routes events to it.
 *
 * Lifecycle: home_init, home_step for each event until DONE, home_release.
 */
#ifndef PROMISE_RUN_HOME_H
#define PROMISE_RUN_HOME_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "cli.h"
#include "config.h"
#include "credentials.h"
#include "report.h"
#include "settings.h"
#include "state.h"

struct failure;
struct home;
struct runner_outcome;

enum home_phase {
	HOME_NEW,           /* only its path is known */
	HOME_WAITING,       /* --wait: its lock is held by another run */
	HOME_RUNNING,       /* locked and planned: its promises go out */
	HOME_COMMITTING,    /* every result is in: its state is written */
	HOME_DONE,          /* its report handed to the sinks */
};

enum home_event_kind {
	HOME_OPEN,          /* its turn came: prepare, lock, plan */
	HOME_LIST,          /* --list: prepare and plan; no lock, nothing run */
	HOME_LOCK_FREED,    /* its lock may have been released */
	HOME_WAIT_OVER,     /* its wait for the lock is over */
	HOME_SLOT_FREE,     /* a slot is free for its next promise */
	HOME_FINISHED,      /* a promise's result came */
	HOME_WRITE,         /* its state may be written, one step */
	HOME_DEADLINE,      /* the run's deadline came */
	HOME_STOP,          /* promise-run is stopping */
};

struct home_event {
	enum home_event_kind kind;
	/* HOME_FINISHED: what the runner saw of one promise (taken). */
	struct runner_outcome *outcome;
};

struct home_ops {
	/*
	 * Its files (home_files, home_store), each done as the home's user.
	 * A failure returns -1 after home_fail.
	 */
	int (*prepare)(struct home *home);      /* user, configuration, scan */
	/*
	 * Its state opened (created when written); one that cannot be
	 * written only leaves the home's files unwritten.
	 */
	int (*open_state)(struct home *home);
	/* Its lock: 0 when taken, 1 when another run holds it. */
	int (*try_lock)(struct home *home);
	int (*watch_lock)(struct home *home);   /* for HOME_LOCK_FREED */
	/* Its stored state read, its plan and first results made. */
	int (*plan)(struct home *home);
	/* One step of writing its state: false once it was the last. */
	bool (*write)(struct home *home, size_t step);
	void (*close)(struct home *home);       /* its state closed, unlocked */
	/* The first line of a promise file (a missing interpreter), or NULL. */
	char *(*first_line)(struct home *home, size_t promise);
	/* --list: notes which promises would run inside promise-run. */
	void (*mark_in_process)(struct home *home);
	/*
	 * The pool: starts promise `promise`, to be stopped by `stop_at`
	 * ({0, 0}: no deadline).  0 when it runs, 1 when it finished at
	 * once (its result comes as an event), -1 when no slot took it.
	 */
	int (*spawn)(void *pool, struct home *home, size_t promise,
		     struct timespec stop_at);
	/*
	 * The plugins (the list's first entries) go out as one task, slapos.
	 * core's runner, given for the first plugin the plan runs; when its
	 * outcome comes, this gives every plugin the plan runs its result.
	 * 0, or -1 (out of memory).
	 */
	int (*plugin_results)(struct home *home,
			      const struct runner_outcome *outcome);
	/*
	 * The sinks: its results begin to come (its plan is made), one is
	 * judged, every one is in (its state is yet to be written), a
	 * message, its report handed over (the sinks own it from then on).
	 */
	void (*running)(void *sinks, struct home *home);
	void (*judged)(void *sinks, struct home *home, size_t promise);
	void (*complete)(void *sinks, struct home *home);
	void (*say)(void *sinks, const char *message);
	void (*done)(void *sinks, struct home *home);
};

/* What every home of a run shares. */
struct home_context {
	const struct cli_options *cli;
	const struct config *operator_config;   /* --config, or NULL */
	const struct setting_values *run;       /* the whole run's settings */
	char *const *environment;               /* promise-run's own */
	const char *self;                       /* promise-run's own path */
	int inotify_fd;                         /* for --wait */
	/* --deadline: promises are stopped by `end` (monotonic). */
	bool has_deadline;
	struct timespec end;
	const struct home_ops *ops;
	void *pool, *sinks;                     /* the operations' own */
};

/* Its files: what home_files reads before anything runs. */
struct home_files {
	int home_fd;
	struct credentials user;
	struct config own_config;
	bool has_own_config;
	const struct config *config;        /* the one in use, or NULL */
	struct setting_values settings;     /* its [run], merged once */
	unsigned cap;                       /* its `jobs` within -j */
	char **envp;                        /* its promises' environment */
};

/* Its state: what home_store reads and writes. */
struct home_store {
	struct state state;
	bool stateful;                      /* its files are written */
	struct result_history *history;     /* anomaly mode, per promise */
	double *next_run_after;             /* while planning: the caches */
	bool *unwritten;                    /* per promise: its spares failed */
	size_t failures;                    /* files not written */
};

struct home {
	/* The report the sinks are handed at the end; the home's till then. */
	struct home_report *report;
	const struct home_context *context;
	size_t index;                       /* in the run, for the sinks */
	enum home_phase phase;
	const char *refusal;                /* why root refuses it, or NULL */
	bool broken;                        /* something could not be done */
	bool stopping;                      /* nothing more goes out */
	struct home_files files;
	struct home_store store;
	/* Its promises in the pool. */
	size_t next;                        /* the next entry to give out */
	unsigned running;                   /* in a slot now */
	size_t waiting;                     /* given out, no result yet */
	size_t write_step;
	/* WAITING: when its wait for the lock ends, if it is bounded. */
	bool wait_bounded;
	struct timespec wait_end;           /* monotonic */
};

void home_init(struct home *home, size_t index, struct home_report *report,
               const struct home_context *context);

/* Moves the home on after `event`, at monotonic `now`. */
void home_step(struct home *home, const struct home_event *event,
               struct timespec now);

/* The same for an event that carries nothing, at the clock's now. */
void home_tell(struct home *home, enum home_event_kind kind);

/* Whether it has promises not given out yet. */
bool home_has_queue(const struct home *home);

/* ... and is below its own cap: a free slot would start one. */
bool home_wants_slot(const struct home *home);

/* Whether its lock is not taken yet: NEW or WAITING. */
bool home_not_started(const struct home *home);

/*
 * For the operations: fails the home with a reason, which the step then
 * tells the sinks; and a message (a warning) told to the sinks now.
 */
void home_fail(struct home *home, const char *format, ...)
	__attribute__((format(printf, 2, 3)));
void home_say(struct home *home, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

/* Fails the home with what `failure` says ("cannot lock 'x': ..."): -1. */
int home_fail_for(struct home *home, const struct failure *failure);

/* Frees everything but the report. */
void home_release(struct home *home);

#endif
