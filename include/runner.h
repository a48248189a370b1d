/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * runner: runs promise processes, as many at once as it has slots, and
 * hands back what each did.  It does no I/O but the promises' own: no
 * report, no file.  The caller decides what runs next and what a finish
 * means (as git's run_processes_parallel), in a loop:
 *
 *   while (runner_can_start(...)) runner_start(...);
 *   runner_wait(...);                 one ppoll: signals, output, deadlines
 *   while (runner_next_outcome(...))  record each finished promise
 *
 * One ppoll sleeps on the signalfd (see signals), every promise's output,
 * the caller's own descriptors and the nearest deadline: there is no
 * polling interval.  Each promise runs in a slot (see slot), its life a
 * job (see job).
 *
 * Containment: where a writable cgroup v2 is there, each promise is born
 * in a cgroup of its own and nothing it started survives its end
 * (cgroup.kill); elsewhere its process group is killed, and orphans
 * re-parented to promise-run (a child subreaper) are frozen and killed
 * when a promise starts while none runs (so between promises with -j 1)
 * and at the end.  Either way a promise's leader is kept unreaped (a
 * zombie) until its group has been killed: its pid and process group id
 * cannot be given to another process while root may still signal them.
 *
 * Lifecycle: runner_init, the loop above, runner_release.
 */
#ifndef PROMISE_RUN_RUNNER_H
#define PROMISE_RUN_RUNNER_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cgroup.h"
#include "runner_inline.h"
#include "spawn.h"

struct credentials;
struct declared_check;
struct signals;
struct signals_news;
struct slot;

/* One promise to run. */
struct runner_task {
	const char *path;               /* absolute */
	char *const *argv;              /* NULL: { path } */
	const char *workdir;
	char *const *envp;
	const struct credentials *credentials;  /* NULL: promise-run's own */
	double timeout;                 /* seconds before SIGTERM */
	double kill_after;              /* seconds from SIGTERM to SIGKILL */
	struct timespec stop_at;        /* the run's deadline, or {0, 0} */
	size_t home, promise;           /* the caller's, handed back */
	/*
	 * A declared check to run without a process (taken by
	 * runner_start, even when it fails), or NULL: the process at path.
	 */
	struct declared_check *declared;
	/*
	 * A declared check at path that runs in its home's check helper,
	 * as the user `credentials` names (NULL declared).
	 */
	bool in_helper;
};

/* What one promise did. */
struct runner_outcome {
	size_t home, promise;
	bool started;                   /* false: no process (start_error) */
	int start_error;                /* no process at all: errno */
	bool exec_failed;               /* its set-up or exec failed: */
	struct spawn_failure failure;   /* ... what and why */
	bool exited;                    /* reaped: wait_status holds */
	int wait_status;
	double cpu_seconds;             /* its whole tree's, or -1: unknown */
	long long memory_peak;          /* bytes, or -1: unknown */
	bool timed_out, cut_by_deadline, interrupted, abandoned;
	double duration;                /* seconds, from start to exit */
	struct timespec ended;          /* wall clock (CLOCK_REALTIME) */
	char *output;                   /* the message made of its output */
};

/* How promises are kept from leaving anything behind. */
enum runner_containment {
	RUNNER_CONTAIN_AUTO,            /* asked: a cgroup where possible */
	RUNNER_CONTAIN_CGROUP,          /* a cgroup v2 per promise */
	RUNNER_CONTAIN_FREEZE,          /* process groups, orphans frozen */
};

/* Bytes read from one pipe in one go. */
#define RUNNER_READ_CHUNK 65536

struct runner {
	const struct signals *signals;
	enum runner_containment containment;
	const char *no_cgroup_reason;   /* why not a cgroup, or NULL */
	struct cgroup_run cgroups;
	unsigned slot_count;
	unsigned running;
	unsigned processes;             /* of those running, not declared checks */
	unsigned start_limit;           /* lowered when descriptors run out */
	struct slot *slots;
	struct runner_inline inline_tasks;  /* declared checks, no process */
	struct cgroup_group *groups;    /* each slot's cgroup, kept for reuse */
	struct slot **polled;           /* the slot of each polled pipe */
	struct pollfd *polls;
	size_t poll_capacity;           /* entries allocated in polls */
	/* Finished, not yet taken: a ring, the oldest at outcome_head. */
	struct runner_outcome *outcomes;
	size_t outcome_head, outcome_count, outcome_capacity;
	double sweep_grace;             /* the longest kill-after, for orphans */
	int null_fd;                    /* /dev/null: every promise's stdin */
	int self_fd;                    /* promise-run's executable */
	unsigned char *buffer;          /* for reading outputs */
	bool out_of_memory;
	/* Signal news that arrived outside runner_wait, for its caller. */
	int pending_stop;
	unsigned pending_stops;
};

/*
 * 0, or -1 with errno.  `containment` AUTO takes a cgroup per promise
 * where possible (runner->containment then says which, and
 * runner->cgroups.leftovers how many cgroups of killed runs were
 * removed); CGROUP fails with ENOTSUP where not possible.
 */
int runner_init(struct runner *runner, unsigned slots,
                const struct signals *signals,
                enum runner_containment containment);

/* Whether a slot is free (and descriptors allow a start). */
bool runner_can_start(const struct runner *runner);

/*
 * Starts `task` in a free slot.  Returns 0 when it runs; 1 when it is
 * already finished (it could not be executed: its outcome is waiting);
 * -1 with errno EAGAIN when no slot is free, or descriptors or processes
 * ran out while others run (start it again once one finished).
 */
int runner_start(struct runner *runner, const struct runner_task *task);

/*
 * Waits once for signals, output, deadlines, the `extra` descriptors
 * (NULL when none) or `wake_at` (NULL: none), and handles what came.
 * The stop signals that arrived are told in *news (SIGCHLD is the
 * runner's own).  0, or -1 with errno.
 */
int runner_wait(struct runner *runner, struct pollfd *extra, nfds_t extra_count,
                const struct timespec *wake_at, struct signals_news *news);

/* The nearest deadline of a running promise; false when none runs. */
bool runner_next_deadline(const struct runner *runner, struct timespec *when);

/* The promise running the longest: its ids and its age; false if none. */
bool runner_oldest(const struct runner *runner, size_t *home, size_t *promise,
                   double *seconds);

/* Takes the next finished promise's outcome; false when none. */
bool runner_next_outcome(struct runner *runner, struct runner_outcome *outcome);

/* A home is over: nothing more of it runs (its check helper ends). */
void runner_home_done(struct runner *runner, size_t home);

/* Stops every running promise: the first time politely, then hard. */
void runner_stop(struct runner *runner, bool again);

/* Frees an outcome's output. */
void runner_outcome_release(struct runner_outcome *outcome);

/* Kills and reaps what still runs, orphans included, and frees. */
void runner_release(struct runner *runner);

#endif
