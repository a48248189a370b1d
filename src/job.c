/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* job: one promise process's states, events and deadlines. */
#include "job.h"

#include <signal.h>

#include "monotime.h"

void job_start(struct job *job, struct timespec now, double timeout,
               double kill_after, struct timespec stop_at)
{
	*job = (struct job){
		.state = JOB_RUNNING,
		.timeout_at = monotime_add(now, timeout),
		.kill_after = kill_after,
		.output_open = true,
	};
	job->deadline = job->timeout_at;
	if ((stop_at.tv_sec || stop_at.tv_nsec) &&
	    monotime_before(stop_at, job->deadline))
		job->deadline = stop_at;
}

static void enter(struct job *job, enum job_state state, struct timespec now,
                  double seconds)
{
	job->state = state;
	job->deadline = monotime_add(now, seconds);
}

/* Asks the promise to stop: TERM, and CONT in case it is stopped. */
static void terminate(struct job *job, struct timespec now,
                      const struct job_ops *ops, void *context)
{
	ops->signal(context, SIGTERM);
	ops->signal(context, SIGCONT);
	enter(job, JOB_TERMINATING, now, job->kill_after);
}

static void kill_hard(struct job *job, struct timespec now,
                      const struct job_ops *ops, void *context)
{
	ops->signal(context, SIGKILL);
	enter(job, JOB_KILLED, now, JOB_DRAIN_SECONDS);
}

/*
 * The end: nothing of the group survives (`sleep 30 &` holding the pipe);
 * done once the group is seen empty.
 */
static void finish(struct job *job, struct timespec now,
                   const struct job_ops *ops, void *context)
{
	ops->signal(context, SIGKILL);
	if (ops->empty(context))
		job->state = JOB_DONE;
	else
		enter(job, JOB_CLEARING, now, JOB_CLEAR_SECONDS);
}

/* The process was reaped: done, or output still to be drained. */
static void exited(struct job *job, struct timespec now,
                   const struct job_ops *ops, void *context)
{
	job->exited = true;
	if (job->output_open)
		enter(job, JOB_DRAINING, now, JOB_DRAIN_SECONDS);
	else
		finish(job, now, ops, context);
}

void job_handle(struct job *job, enum job_event event, struct timespec now,
                const struct job_ops *ops, void *context)
{
	if (job->state == JOB_DONE)
		return;
	/* A group being cleared waits for that alone, or its deadline. */
	if (job->state == JOB_CLEARING) {
		if (event == JOB_EMPTY || event == JOB_DEADLINE)
			job->state = JOB_DONE;
		return;
	}
	switch (event) {
	case JOB_EMPTY:
		return;
	case JOB_EXITED:
		exited(job, now, ops, context);
		return;
	case JOB_EOF:
		job->output_open = false;
		if (job->state == JOB_DRAINING)
			finish(job, now, ops, context);
		return;
	case JOB_DEADLINE:
		if (job->state == JOB_RUNNING) {
			job->timed_out = true;
			job->cut_by_deadline =
				monotime_before(now, job->timeout_at);
			terminate(job, now, ops, context);
		} else if (job->state == JOB_TERMINATING) {
			kill_hard(job, now, ops, context);
		} else {
			/* KILLED and still there, or something holds the pipe. */
			job->abandoned = job->state == JOB_KILLED;
			finish(job, now, ops, context);
		}
		return;
	case JOB_STOP:
	case JOB_STOP_AGAIN:
		/*
		 * Only a promise the stop cuts short is interrupted: one that
		 * has exited, or is already ending on its timeout, keeps its
		 * result.
		 */
		if (job->state == JOB_DRAINING)
			return;
		if (job->state == JOB_RUNNING)
			job->interrupted = true;
		if (event == JOB_STOP_AGAIN && job->state != JOB_KILLED)
			kill_hard(job, now, ops, context);
		else if (job->state == JOB_RUNNING)
			terminate(job, now, ops, context);
		return;
	}
}
