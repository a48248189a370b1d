/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* runner: promise processes in slots, one ppoll for all their events. */
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture.h"
#include "fdio.h"
#include "job.h"
#include "monotime.h"
#include "reaper.h"
#include "signals.h"

/* Bytes read from one pipe in one go; also the per-turn fairness quantum. */
#define READ_CHUNK 65536
#define READS_PER_TURN 4

struct runner_slot {
	bool used;
	struct job job;
	pid_t pid;                  /* also the id of its process group */
	int output_fd;              /* -1 after EOF */
	int status_fd;              /* exec-status pipe, -1 once read */
	bool exec_failed;
	struct spawn_failure failure;
	int wait_status;            /* as waitpid gives it, once exited */
	struct cgroup_group *group; /* the slot's cgroup, or NULL: none */
	size_t home, promise;
	struct timespec started, exited_at;
	struct capture capture;
};

/*
 * The job's effect: a signal to the promise's process group, or SIGKILL
 * to its whole cgroup.  The leader is not reaped while its slot is used,
 * so neither its pid nor its group id can have been given to another.
 */
static void signal_group(void *context, int signo)
{
	const struct runner_slot *slot = context;

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
	const struct runner_slot *slot = context;

	return !slot->group || cgroup_group_populated(slot->group) != 1;
}

static const struct job_ops group_ops = { .signal = signal_group,
					  .empty = group_empty };

/* Takes a cgroup per promise where asked and possible. */
static int choose_containment(struct runner *runner,
                              enum runner_containment asked)
{
	runner->containment = RUNNER_CONTAIN_FREEZE;
	runner->cgroups = (struct cgroup_run){ .dir_fd = -1, .parent_fd = -1 };
	if (asked == RUNNER_CONTAIN_FREEZE) {
		runner->no_cgroup_reason = "--containment=freeze";
		return 0;
	}
	if (cgroup_run_init(&runner->cgroups, &runner->no_cgroup_reason) < 0)
		return asked == RUNNER_CONTAIN_CGROUP ? (errno = ENOTSUP, -1) : 0;
	runner->containment = RUNNER_CONTAIN_CGROUP;
	runner->no_cgroup_reason = NULL;
	return 0;
}

int runner_init(struct runner *runner, unsigned slots,
                const struct signals *signals,
                enum runner_containment containment)
{
	memset(runner, 0, sizeof *runner);
	runner->signals = signals;
	if (choose_containment(runner, containment) < 0) {
		runner->null_fd = runner->self_fd = -1;
		return -1;
	}
	runner->slot_count = runner->start_limit = slots;
	runner->null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	/* Executed to become another user: this very file, even if replaced. */
	runner->self_fd = open("/proc/self/exe", O_PATH | O_CLOEXEC);
	runner->slots = calloc(slots, sizeof *runner->slots);
	runner->groups = calloc(slots, sizeof *runner->groups);
	for (unsigned i = 0; runner->groups && i < slots; i++)
		runner->groups[i] = (struct cgroup_group){
			.dir_fd = -1, .events_fd = -1, .stat_fd = -1,
			.peak_fd = -1 };
	runner->polled = calloc(slots, sizeof *runner->polled);
	runner->buffer = malloc(READ_CHUNK);
	if (runner->null_fd < 0 || runner->self_fd < 0 || !runner->slots ||
	    !runner->groups || !runner->polled ||
	    !runner->buffer) {
		runner_release(runner);
		return -1;
	}
	return 0;
}

bool runner_can_start(const struct runner *runner)
{
	return runner->running < runner->start_limit &&
	       !runner->out_of_memory;
}

/* A place for one more outcome; NULL when memory ran out. */
static struct runner_outcome *new_outcome(struct runner *runner)
{
	if (runner->outcome_count == runner->outcome_capacity) {
		size_t capacity = runner->outcome_capacity
					  ? 2 * runner->outcome_capacity
					  : 16;
		struct runner_outcome *grown = reallocarray(
			runner->outcomes, capacity, sizeof *grown);

		if (!grown) {
			runner->out_of_memory = true;
			return NULL;
		}
		runner->outcomes = grown;
		runner->outcome_capacity = capacity;
	}
	struct runner_outcome *outcome =
		&runner->outcomes[runner->outcome_count++];

	memset(outcome, 0, sizeof *outcome);
	clock_gettime(CLOCK_REALTIME, &outcome->ended);
	return outcome;
}

/* The slot whose leader is `pid`, or NULL. */
static struct runner_slot *slot_of(struct runner *runner, pid_t pid)
{
	for (unsigned i = 0; i < runner->slot_count; i++)
		if (runner->slots[i].used && runner->slots[i].pid == pid)
			return &runner->slots[i];
	return NULL;
}

/*
 * Notes each promise whose leader has exited, leaving it unreaped
 * (WNOWAIT): its number stays its own until its group is killed.
 */
static void notice_exits(struct runner *runner)
{
	for (unsigned i = 0; i < runner->slot_count; i++) {
		struct runner_slot *slot = &runner->slots[i];
		siginfo_t info = { 0 };

		if (!slot->used || slot->job.exited)
			continue;
		if (waitid(P_PID, (id_t)slot->pid, &info,
			   WEXITED | WNOHANG | WNOWAIT) < 0 ||
		    info.si_pid != slot->pid)
			continue;
		slot->wait_status =
			info.si_code == CLD_EXITED ? W_EXITCODE(info.si_status, 0)
			: info.si_code == CLD_DUMPED ? info.si_status | WCOREFLAG
						     : info.si_status;
		slot->exited_at = monotime_now();
		job_handle(&slot->job, JOB_EXITED, slot->exited_at,
			   &group_ops, slot);
	}
}

/*
 * Reaps the orphans that have exited, never a promise's leader.  The
 * kernel shows one exited child at a time: a leader still kept ends the
 * look, and its own finish (or the next one) reaps what is behind it.
 */
static void reap_orphans(struct runner *runner)
{
	for (;;) {
		siginfo_t info = { 0 };

		if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) < 0 ||
		    info.si_pid == 0 || slot_of(runner, info.si_pid))
			return;
		(void)waitpid(info.si_pid, NULL, WNOHANG);
	}
}

/* Reads the signalfd; stop signals are kept for the caller. */
static void take_signals(struct runner *runner)
{
	struct signals_news news;

	signals_read(runner->signals, &news);
	if (news.stops) {
		runner->pending_stop = news.stop;
		runner->pending_stops += news.stops;
	}
	/* SIGCHLDs coalesce: one reading means "look at all of them". */
	if (news.child) {
		notice_exits(runner);
		reap_orphans(runner);
	}
}

/* Reaps every exited child: only when no promise runs. */
static void reap_all(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/*
 * Freezes, kills and reaps every orphan re-parented to promise-run, and
 * their descendants.  Called only when no promise runs, so every child
 * is an orphan.  Bounded in time (the longest kill-after and the drain):
 * a process that cannot be killed is left behind.
 */
static void sweep_orphans(struct runner *runner)
{
	struct timespec deadline = monotime_add(
		monotime_now(), runner->sweep_grace + JOB_DRAIN_SECONDS);
	struct pollfd signals = { .fd = runner->signals->fd, .events = POLLIN };

	for (;;) {
		reap_all();
		if (reaper_kill_descendants() <= 0)
			return;
		reap_all();
		struct timespec now = monotime_now();

		if (!monotime_before(now, deadline))
			return;
		struct timespec timeout = monotime_until(now, deadline);

		/* SIGKILL is not instant: wait for the SIGCHLD it brings. */
		if (ppoll(&signals, 1, &timeout, NULL) < 0 && errno != EINTR)
			return;
		if (signals.revents)
			take_signals(runner);
	}
}

/* An outcome for a promise that never became a process. */
static int record_not_started(struct runner *runner,
                              const struct runner_task *task, int error,
                              struct timespec started)
{
	struct runner_outcome *outcome = new_outcome(runner);

	if (!outcome)
		return -1;
	outcome->home = task->home;
	outcome->promise = task->promise;
	outcome->start_error = error;
	outcome->duration = monotime_seconds(started, monotime_now());
	outcome->cpu_seconds = outcome->memory_peak = -1;
	return 1;
}

/* Whether a failed start is for want of resources others may free. */
static bool out_of_resources(int error)
{
	return error == EMFILE || error == ENFILE || error == EAGAIN ||
	       error == ENOMEM || error == ENOSPC;
}

/*
 * The slot's cgroup, empty and armed for its next promise: the one its
 * last promise left, or a new one when that one still holds a process
 * (given up on: the run's release removes it).  NULL with errno.
 */
static struct cgroup_group *slot_cgroup(struct runner *runner,
                                        struct cgroup_group *group)
{
	if (group->dir_fd >= 0 && cgroup_group_arm(group) == 0)
		return group;
	if (group->dir_fd >= 0)
		cgroup_group_close(&runner->cgroups, group);
	if (cgroup_group_open(&runner->cgroups, group) < 0 ||
	    cgroup_group_arm(group) < 0)
		return NULL;
	return group;
}

/*
 * Starts the child, in the slot's cgroup when the run has them; *contained
 * is set to it, or NULL.  A kernel that refuses clone3 into a cgroup
 * (ENOSYS, a seccomp filter) turns the run to the fallback.
 */
static int start_child(struct runner *runner, struct spawn_request *request,
                       struct cgroup_group *group,
                       struct cgroup_group **contained,
                       struct spawn_child *child)
{
	*contained = NULL;
	if (runner->containment == RUNNER_CONTAIN_CGROUP) {
		if (!slot_cgroup(runner, group))
			return -1;
		request->cgroup_fd = group->dir_fd;
		if (spawn_start(request, child) == 0) {
			*contained = group;
			return 0;
		}
		if (errno != ENOSYS)
			return -1;
		runner->containment = RUNNER_CONTAIN_FREEZE;
		runner->no_cgroup_reason = "the kernel refuses clone3 into a cgroup";
	}
	request->cgroup_fd = -1;
	return spawn_start(request, child);
}

int runner_start(struct runner *runner, const struct runner_task *task)
{
	struct runner_slot *slot = runner->slots;
	struct cgroup_group *contained;
	struct spawn_child child;
	struct timespec started;

	if (!runner_can_start(runner)) {
		errno = EAGAIN;
		return -1;
	}
	if (task->kill_after > runner->sweep_grace)
		runner->sweep_grace = task->kill_after;
	/* With no promise running, every child is an orphan: kill them now. */
	if (runner->running == 0)
		sweep_orphans(runner);
	while (slot->used)
		slot++;
	struct spawn_request request = {
		.path = task->path,
		.workdir = task->workdir,
		.envp = task->envp,
		.stdin_fd = runner->null_fd,
		.self_fd = runner->self_fd,
		.ignored = runner->signals->ignored,
		.credentials = task->credentials,
	};
	started = monotime_now();
	if (start_child(runner, &request, &runner->groups[slot - runner->slots],
			&contained, &child) < 0) {
		int error = errno;

		/* Out of descriptors or processes: wait for a slot. */
		if (out_of_resources(error) && runner->running > 0) {
			runner->start_limit = runner->running;
			errno = EAGAIN;
			return -1;
		}
		return record_not_started(runner, task, error, started);
	}
	*slot = (struct runner_slot){
		.used = true,
		.pid = child.pid,
		.output_fd = child.output_fd,
		.status_fd = child.status_fd,
		.group = contained,
		.home = task->home,
		.promise = task->promise,
		.started = started,
	};
	capture_init(&slot->capture);
	job_start(&slot->job, started, task->timeout, task->kill_after,
		  task->stop_at);
	runner->running++;
	return 0;
}

/*
 * Frees a slot: its pipes, its capture, its place among those running.
 * Its cgroup stays, for the slot's next promise.
 */
static void free_slot(struct runner *runner, struct runner_slot *slot)
{
	fdio_close_quietly(slot->output_fd);
	fdio_close_quietly(slot->status_fd);
	slot->output_fd = slot->status_fd = -1;
	capture_release(&slot->capture);
	slot->used = false;
	runner->running--;
	if (runner->start_limit < runner->slot_count)
		runner->start_limit++;
}

/*
 * Reaps a finished promise's leader, now that its group is gone, and
 * learns what it cost: the cgroup's count, or the leader's own (with the
 * children it waited for) where there is no cgroup.
 */
static void reap_leader(struct runner_slot *slot, struct runner_outcome *outcome)
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

/* Hands a finished job's outcome over and frees its slot. */
static void finish_slot(struct runner *runner, struct runner_slot *slot)
{
	struct runner_outcome *outcome = new_outcome(runner);

	if (outcome) {
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
			slot->started, job->exited ? slot->exited_at
						   : monotime_now());
		outcome->output = capture_finish(&slot->capture);
		if (!outcome->output)
			runner->out_of_memory = true;
	}
	free_slot(runner, slot);
}

/*
 * Reads the exec status: a failure is kept for the outcome; end of file
 * means the promise was executed, and its output is read from then on.
 */
static void read_status(struct runner_slot *slot)
{
	int status = spawn_read_status(slot->status_fd, &slot->failure);

	if (status < 0)
		return;
	slot->exec_failed = status == 1;
	fdio_close_quietly(slot->status_fd);
	slot->status_fd = -1;
}

/* Reads what a promise wrote, up to a fair share. */
static void read_output(struct runner *runner, struct runner_slot *slot)
{
	for (int turn = 0; turn < READS_PER_TURN; turn++) {
		ssize_t got = fdio_read(slot->output_fd, runner->buffer,
					READ_CHUNK);

		if (got < 0 && errno == EAGAIN)
			return;
		if (got <= 0) {
			/* EOF, or an error that ends the output the same way. */
			fdio_close_quietly(slot->output_fd);
			slot->output_fd = -1;
			job_handle(&slot->job, JOB_EOF, monotime_now(),
				   &group_ops, slot);
			return;
		}
		if (capture_append(&slot->capture, runner->buffer,
				   (size_t)got) < 0)
			runner->out_of_memory = true;
	}
}

/* The nearest of the jobs' deadlines and `wake_at`; false when none. */
static bool nearest_deadline(const struct runner *runner,
                             const struct timespec *wake_at,
                             struct timespec *nearest)
{
	bool any = wake_at != NULL;

	if (wake_at)
		*nearest = *wake_at;
	for (unsigned i = 0; i < runner->slot_count; i++) {
		const struct runner_slot *slot = &runner->slots[i];

		if (!slot->used)
			continue;
		if (!any || monotime_before(slot->job.deadline, *nearest))
			*nearest = slot->job.deadline;
		any = true;
	}
	return any;
}

int runner_wait(struct runner *runner, struct pollfd *extra, nfds_t extra_count,
                const struct timespec *wake_at, struct signals_news *news)
{
	struct timespec nearest, timeout;
	bool timed = nearest_deadline(runner, wake_at, &nearest);
	struct runner_slot **polled = runner->polled;
	nfds_t count = 1 + extra_count, jobs = 0;
	struct pollfd *polls;

	memset(news, 0, sizeof *news);
	/* Grown once, for the caller's descriptors: never in the loop after. */
	if (count + runner->slot_count > runner->poll_capacity) {
		polls = realloc(runner->polls,
				(count + runner->slot_count) * sizeof *polls);
		if (!polls)
			return -1;
		runner->polls = polls;
		runner->poll_capacity = count + runner->slot_count;
	}
	polls = runner->polls;
	polls[0] = (struct pollfd){ .fd = runner->signals->fd, .events = POLLIN };
	memcpy(polls + 1, extra, extra_count * sizeof *extra);
	for (unsigned i = 0; i < runner->slot_count; i++) {
		struct runner_slot *slot = &runner->slots[i];

		if (!slot->used)
			continue;
		/* One descriptor a slot: the exec status, then the output. */
		if (slot->status_fd >= 0)
			polls[count + jobs] = (struct pollfd){
				.fd = slot->status_fd, .events = POLLIN };
		else if (slot->job.state == JOB_CLEARING)
			polls[count + jobs] = (struct pollfd){
				.fd = slot->group->events_fd, .events = POLLPRI };
		else if (slot->output_fd >= 0)
			polls[count + jobs] = (struct pollfd){
				.fd = slot->output_fd, .events = POLLIN };
		else
			continue;
		polled[jobs++] = slot;
	}
	if (timed)
		timeout = monotime_until(monotime_now(), nearest);
	/* Signals that came outside the wait are told at once. */
	if (runner->pending_stops)
		timeout = (struct timespec){ 0, 0 }, timed = true;
	if (ppoll(polls, count + jobs, timed ? &timeout : NULL, NULL) < 0) {
		if (errno != EINTR)
			return -1;
		for (nfds_t i = 0; i < count + jobs; i++)
			polls[i].revents = 0;
	}
	memcpy(extra, polls + 1, extra_count * sizeof *extra);
	take_signals(runner);
	for (nfds_t i = 0; i < jobs; i++) {
		struct runner_slot *slot = polled[i];
		int fd = polls[count + i].fd;

		/* A job may have been finished while handling signals. */
		if (!polls[count + i].revents || !slot->used)
			continue;
		if (fd == slot->status_fd)
			read_status(slot);
		else if (fd == slot->output_fd)
			read_output(runner, slot);
		else if (slot->job.state == JOB_CLEARING && group_empty(slot))
			job_handle(&slot->job, JOB_EMPTY, monotime_now(),
				   &group_ops, slot);
	}
	struct timespec now = monotime_now();

	for (unsigned i = 0; i < runner->slot_count; i++) {
		struct runner_slot *slot = &runner->slots[i];

		if (slot->used && !monotime_before(now, slot->job.deadline))
			job_handle(&slot->job, JOB_DEADLINE, now, &group_ops,
				   slot);
		if (slot->used && slot->job.state == JOB_DONE)
			finish_slot(runner, slot);
	}
	/* Leaders reaped above may have hidden orphans from the kernel's look. */
	reap_orphans(runner);
	news->stop = runner->pending_stop;
	news->stops = runner->pending_stops;
	runner->pending_stop = 0;
	runner->pending_stops = 0;
	return runner->out_of_memory ? (errno = ENOMEM, -1) : 0;
}

bool runner_next_deadline(const struct runner *runner, struct timespec *when)
{
	return nearest_deadline(runner, NULL, when);
}

bool runner_oldest(const struct runner *runner, size_t *home, size_t *promise,
                   double *seconds)
{
	const struct runner_slot *oldest = NULL;

	for (unsigned i = 0; i < runner->slot_count; i++) {
		const struct runner_slot *slot = &runner->slots[i];

		if (slot->used && (!oldest || monotime_before(slot->started,
							      oldest->started)))
			oldest = slot;
	}
	if (!oldest)
		return false;
	*home = oldest->home;
	*promise = oldest->promise;
	*seconds = monotime_seconds(oldest->started, monotime_now());
	return true;
}

bool runner_next_outcome(struct runner *runner, struct runner_outcome *outcome)
{
	if (runner->outcome_count == 0)
		return false;
	*outcome = runner->outcomes[0];
	runner->outcome_count--;
	memmove(runner->outcomes, runner->outcomes + 1,
		runner->outcome_count * sizeof *runner->outcomes);
	return true;
}

void runner_stop(struct runner *runner, bool again)
{
	struct timespec now = monotime_now();

	for (unsigned i = 0; i < runner->slot_count; i++) {
		struct runner_slot *slot = &runner->slots[i];

		if (slot->used)
			job_handle(&slot->job, again ? JOB_STOP_AGAIN : JOB_STOP,
				   now, &group_ops, slot);
	}
}

void runner_outcome_release(struct runner_outcome *outcome)
{
	free(outcome->output);
	outcome->output = NULL;
}

void runner_release(struct runner *runner)
{
	for (unsigned i = 0; runner->slots && i < runner->slot_count; i++) {
		struct runner_slot *slot = &runner->slots[i];

		if (!slot->used)
			continue;
		/* The last resort: kill and forget; the sweep below reaps. */
		signal_group(slot, SIGKILL);
		free_slot(runner, slot);
	}
	if (runner->signals && runner->slots)
		sweep_orphans(runner);
	for (unsigned i = 0; runner->groups && i < runner->slot_count; i++)
		if (runner->groups[i].dir_fd >= 0)
			cgroup_group_close(&runner->cgroups, &runner->groups[i]);
	free(runner->groups);
	cgroup_run_release(&runner->cgroups);
	for (size_t i = 0; i < runner->outcome_count; i++)
		runner_outcome_release(&runner->outcomes[i]);
	free(runner->outcomes);
	free(runner->slots);
	free(runner->polled);
	free(runner->polls);
	free(runner->buffer);
	fdio_close_quietly(runner->null_fd);
	fdio_close_quietly(runner->self_fd);
	memset(runner, 0, sizeof *runner);
	runner->null_fd = runner->self_fd = -1;
	runner->cgroups = (struct cgroup_run){ .dir_fd = -1, .parent_fd = -1 };
}
