/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * job: the life of one promise process, as one function of (state,
 * event, now).  Its effects on the world (signals to the promise's process
 * group) go through a small table of operations, so that unit tests drive
 * it with a fake clock and a fake kill.
 *
 *   RUNNING --deadline--> TERMINATING (TERM + CONT: a stopped promise must
 *   be able to die) --kill-after--> KILLED (KILL) --drain--> DONE (given up
 *   on: stuck in the kernel).
 *   Exit and end of output are two events: after the exit, output is still
 *   read until EOF for at most JOB_DRAIN_SECONDS (DRAINING), then whatever
 *   is left of the group is killed; once the group is empty (at once for a
 *   process group, when a cgroup says so for a cgroup: CLEARING, for at
 *   most JOB_CLEAR_SECONDS) the job is DONE.
 *   STOP (promise-run was asked to stop) terminates a running promise;
 *   STOP_AGAIN kills it at once.
 *
 * Lifecycle: job_start, then job_handle for each event until the state is
 * JOB_DONE.
 */
#ifndef PROMISE_RUN_JOB_H
#define PROMISE_RUN_JOB_H

#include <stdbool.h>
#include <time.h>

/* How long output is still read after a promise's process exited. */
#define JOB_DRAIN_SECONDS 0.1
/* How long a killed group is given to empty. */
#define JOB_CLEAR_SECONDS 1.0

enum job_state {
	JOB_RUNNING,
	JOB_TERMINATING,        /* SIGTERM sent, SIGKILL at the deadline */
	JOB_KILLED,             /* SIGKILL sent, given up on at the deadline */
	JOB_DRAINING,           /* process exited, output read until EOF */
	JOB_CLEARING,           /* its group killed, not yet empty */
	JOB_DONE,
};

enum job_event {
	JOB_DEADLINE,           /* the state's deadline has come */
	JOB_EXITED,             /* the process exited (not yet reaped) */
	JOB_EOF,                /* its output reached end of file */
	JOB_STOP,               /* promise-run is stopping */
	JOB_STOP_AGAIN,         /* ... and was told a second time */
	JOB_EMPTY,              /* no process is left in its group */
};

struct job_ops {
	/* Sends `signo` to the promise's process group (or cgroup). */
	void (*signal)(void *context, int signo);
	/* Whether no process is left of the promise (after SIGKILL). */
	bool (*empty)(void *context);
};

struct job {
	enum job_state state;
	struct timespec deadline;       /* of the current state */
	struct timespec timeout_at;     /* the promise's own timeout */
	double kill_after;
	bool exited;                    /* exited, kept unreaped */
	bool output_open;               /* EOF not yet seen */
	bool timed_out;                 /* stopped at its deadline */
	bool cut_by_deadline;           /* ... the run's, before its own */
	bool interrupted;               /* stopped because promise-run was */
	bool abandoned;                 /* survived SIGKILL: given up on */
};

/*
 * A job whose process has just started at `now`: its deadline is its
 * timeout, or `stop_at` (the run's deadline) when that comes first
 * (`stop_at` {0, 0}: none).
 */
void job_start(struct job *job, struct timespec now, double timeout,
               double kill_after, struct timespec stop_at);

/* Moves the job on after `event`, at `now`. */
void job_handle(struct job *job, enum job_event event, struct timespec now,
                const struct job_ops *ops, void *context);

#endif
