/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* slot: one promise process, its pipes and its job, spawn to outcome. */
#include "slot.h"

#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "cgroup.h"
#include "fdio.h"
#include "monotime.h"
#include "runner.h"

/* Reads of one pipe in one turn: a promise that floods waits its turn. */
#define READS_PER_TURN 4

/*
 * The job's effect: a signal to the promise's process group, or SIGKILL
 * to its whole cgroup.  The leader is not reaped while its slot is used,
 * so neither its pid nor its group id can have been given to another.
 */
static void signal_group(void *context, int signo)
{
	const struct slot *slot = context;

	if (signo == SIGKILL && slot->group &&
	    cgroup_group_populated(slot->group) != 0 &&
	    cgroup_group_kill(slot->group) == 0)
		return;
	/* Before the child's setsid the group does not exist yet. */
	if (kill(-slot->pid, signo) < 0 && errno == ESRCH)
		(void)kill(slot->pid, signo);
}

/* Whether nothing is left of the promise: its cgroup says, if it has one. */
static bool group_empty(void *context)
{
	const struct slot *slot = context;

	return !slot->group || cgroup_group_populated(slot->group) != 1;
}

static const struct job_ops group_ops = { .signal = signal_group,
					  .empty = group_empty };

void slot_start(struct slot *slot, const struct spawn_child *child,
                struct cgroup_group *group, const struct runner_task *task,
                struct timespec started)
{
	*slot = (struct slot){
		.used = true,
		.pid = child->pid,
		.output_fd = child->output_fd,
		.status_fd = child->status_fd,
		.group = group,
		.home = task->home,
		.promise = task->promise,
		.started = started,
	};
	capture_init(&slot->capture);
	job_start(&slot->job, started, task->timeout, task->kill_after,
		  task->stop_at);
}

bool slot_poll(const struct slot *slot, struct pollfd *poll)
{
	if (slot->status_fd >= 0)
		*poll = (struct pollfd){ .fd = slot->status_fd, .events = POLLIN };
	else if (slot->job.state == JOB_CLEARING)
		*poll = (struct pollfd){ .fd = slot->group->events_fd,
					 .events = POLLPRI };
	else if (slot->output_fd >= 0)
		*poll = (struct pollfd){ .fd = slot->output_fd, .events = POLLIN };
	else
		return false;
	return true;
}

/*
 * Reads the exec status: a failure is kept for the outcome; end of file
 * means the promise was executed, and its output is read from then on.
 */
static void read_status(struct slot *slot)
{
	int status = spawn_read_status(slot->status_fd, &slot->failure);

	if (status < 0)
		return;
	slot->exec_failed = status == 1;
	fdio_close_quietly(slot->status_fd);
	slot->status_fd = -1;
}

/* Reads what a promise wrote, up to a fair share. */
static int read_output(struct slot *slot, unsigned char *buffer, size_t size)
{
	int status = 0;

	for (int turn = 0; turn < READS_PER_TURN; turn++) {
		ssize_t got = fdio_read(slot->output_fd, buffer, size);

		if (got < 0 && errno == EAGAIN)
			break;
		if (got <= 0) {
			/* EOF, or an error that ends the output the same way. */
			fdio_close_quietly(slot->output_fd);
			slot->output_fd = -1;
			job_handle(&slot->job, JOB_EOF, monotime_now(),
				   &group_ops, slot);
			break;
		}
		/* Out of memory: the rest is still read, to free the pipe. */
		if ((slot->output_to
			     ? slot->output_to(slot->output_context, buffer,
					       (size_t)got)
			     : capture_append(&slot->capture, buffer,
					      (size_t)got)) < 0)
			status = -1;
	}
	if (status < 0)
		errno = ENOMEM;
	return status;
}

int slot_read(struct slot *slot, int fd, unsigned char *buffer, size_t size)
{
	if (fd == slot->status_fd)
		read_status(slot);
	else if (fd == slot->output_fd)
		return read_output(slot, buffer, size);
	else if (slot->job.state == JOB_CLEARING && group_empty(slot))
		job_handle(&slot->job, JOB_EMPTY, monotime_now(), &group_ops,
			   slot);
	return 0;
}

void slot_notice_exit(struct slot *slot)
{
	siginfo_t info = { 0 };

	if (slot->job.exited ||
	    waitid(P_PID, (id_t)slot->pid, &info,
		   WEXITED | WNOHANG | WNOWAIT) < 0 ||
	    info.si_pid != slot->pid)
		return;
	slot->wait_status =
		info.si_code == CLD_EXITED ? W_EXITCODE(info.si_status, 0)
		: info.si_code == CLD_DUMPED ? info.si_status | WCOREFLAG
					     : info.si_status;
	slot->exited_at = monotime_now();
	job_handle(&slot->job, JOB_EXITED, slot->exited_at, &group_ops, slot);
}

void slot_tick(struct slot *slot, struct timespec now)
{
	if (!monotime_before(now, slot->job.deadline))
		job_handle(&slot->job, JOB_DEADLINE, now, &group_ops, slot);
}

void slot_stop(struct slot *slot, bool again, struct timespec now)
{
	job_handle(&slot->job, again ? JOB_STOP_AGAIN : JOB_STOP, now,
		   &group_ops, slot);
}

void slot_kill(struct slot *slot)
{
	signal_group(slot, SIGKILL);
}

/*
 * Reaps a finished promise's leader, now that its group is gone, and
 * learns what it cost: the cgroup's count, or the leader's own (with the
 * children it waited for) where there is no cgroup.
 */
static void reap_leader(struct slot *slot, struct runner_outcome *outcome)
{
	struct cgroup_usage usage = { -1, -1 };
	struct rusage rusage;

	if (slot->group)
		cgroup_group_usage(slot->group, &usage);
	outcome->cpu_seconds = usage.cpu_seconds;
	outcome->memory_peak = usage.memory_peak;
	outcome->exited = slot->job.exited;
	outcome->wait_status = slot->wait_status;
	/* One given up on (never exited) is reaped by the final sweep. */
	if (!slot->job.exited ||
	    wait4(slot->pid, NULL, WNOHANG, &rusage) != slot->pid)
		return;
	if (!slot->group)
		outcome->cpu_seconds =
			(double)rusage.ru_utime.tv_sec +
			(double)rusage.ru_utime.tv_usec / 1e6 +
			(double)rusage.ru_stime.tv_sec +
			(double)rusage.ru_stime.tv_usec / 1e6;
}

int slot_finish(struct slot *slot, struct runner_outcome *outcome)
{
	const struct job *job = &slot->job;

	outcome->home = slot->home;
	outcome->promise = slot->promise;
	outcome->started = true;
	outcome->exec_failed = slot->exec_failed;
	outcome->failure = slot->failure;
	reap_leader(slot, outcome);
	outcome->timed_out = job->timed_out;
	outcome->cut_by_deadline = job->cut_by_deadline;
	outcome->interrupted = job->interrupted;
	outcome->abandoned = job->abandoned;
	outcome->duration = monotime_seconds(
		slot->started, job->exited ? slot->exited_at : monotime_now());
	outcome->output = capture_finish(&slot->capture);
	return outcome->output ? 0 : -1;
}

void slot_free(struct slot *slot)
{
	fdio_close_quietly(slot->output_fd);
	fdio_close_quietly(slot->status_fd);
	slot->output_fd = slot->status_fd = -1;
	capture_release(&slot->capture);
	slot->used = false;
}
