/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* runner: promise processes in slots, one ppoll for all their events. */
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "declared.h"
#include "fdio.h"
#include "monotime.h"
#include "reaper.h"
#include "signals.h"
#include "slot.h"

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
	runner->buffer = malloc(RUNNER_READ_CHUNK);
	if (runner_inline_init(&runner->inline_tasks, slots) < 0 ||
	    runner->null_fd < 0 || runner->self_fd < 0 || !runner->slots ||
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

/*
 * Doubles the ring of outcomes.  Full, it holds them from outcome_head to
 * its end, then from its start: that start is copied after the old end,
 * so that they follow each other again.
 */
static int grow_outcomes(struct runner *runner)
{
	size_t capacity = runner->outcome_capacity
				  ? 2 * runner->outcome_capacity
				  : 16;
	struct runner_outcome *grown =
		reallocarray(runner->outcomes, capacity, sizeof *grown);

	if (!grown)
		return -1;
	memcpy(grown + runner->outcome_capacity, grown,
	       runner->outcome_head * sizeof *grown);
	runner->outcomes = grown;
	runner->outcome_capacity = capacity;
	return 0;
}

/* The outcome at `index` in the queue, the oldest being 0. */
static struct runner_outcome *queued_outcome(const struct runner *runner,
                                             size_t index)
{
	return &runner->outcomes[(runner->outcome_head + index) %
				 runner->outcome_capacity];
}

/* A place for one more outcome, last in the queue; NULL out of memory. */
static struct runner_outcome *new_outcome(struct runner *runner)
{
	if (runner->outcome_count == runner->outcome_capacity &&
	    grow_outcomes(runner) < 0) {
		runner->out_of_memory = true;
		return NULL;
	}
	struct runner_outcome *outcome =
		queued_outcome(runner, runner->outcome_count++);

	memset(outcome, 0, sizeof *outcome);
	clock_gettime(CLOCK_REALTIME, &outcome->ended);
	return outcome;
}

struct runner_outcome *runner_queue_outcome(struct runner *runner)
{
	return new_outcome(runner);
}

void runner_task_ended(struct runner *runner)
{
	runner->running--;
	if (runner->start_limit < runner->slot_count)
		runner->start_limit++;
}

/* The slot whose leader is `pid`, or NULL. */
static struct slot *slot_of(struct runner *runner, pid_t pid)
{
	for (unsigned i = 0; i < runner->slot_count; i++)
		if (runner->slots[i].used && runner->slots[i].pid == pid)
			return &runner->slots[i];
	return NULL;
}

/* Notes each promise whose leader has exited (see slot_notice_exit). */
static void notice_exits(struct runner *runner)
{
	for (unsigned i = 0; i < runner->slot_count; i++)
		if (runner->slots[i].used)
			slot_notice_exit(&runner->slots[i]);
	runner_inline_notice_exits(&runner->inline_tasks);
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
		    info.si_pid == 0 || slot_of(runner, info.si_pid) ||
		    runner_inline_owns(&runner->inline_tasks, info.si_pid))
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
int runner_start_child(struct runner *runner, struct spawn_request *request,
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
	struct slot *slot = runner->slots;
	struct cgroup_group *contained;
	struct spawn_child child;
	struct timespec started;

	if (!runner_can_start(runner)) {
		if (task->declared)
			declared_release(task->declared);
		errno = EAGAIN;
		return -1;
	}
	/* A check here that could not have its socket would fail for us. */
	if (task->declared &&
	    !inline_checks_room(&runner->inline_tasks.checks, runner->null_fd) &&
	    out_of_resources(errno) && runner->running > 0) {
		declared_release(task->declared);
		runner->start_limit = runner->running;
		errno = EAGAIN;
		return -1;
	}
	if (task->declared || task->in_helper) {
		int status = runner_inline_start(runner, task);

		if (status <= 0) {
			runner->running += status == 0;
			return status;
		}
		/* No helper could take the check: a process of its own. */
	}
	if (task->kill_after > runner->sweep_grace)
		runner->sweep_grace = task->kill_after;
	/* With no promise process running, every child is an orphan. */
	if (runner->processes == 0)
		sweep_orphans(runner);
	while (slot->used)
		slot++;
	struct spawn_request request = {
		.path = task->path,
		.argv = task->argv,
		.workdir = task->workdir,
		.envp = task->envp,
		.stdin_fd = runner->null_fd,
		.self_fd = runner->self_fd,
		.ignored = runner->signals->ignored,
		.credentials = task->credentials,
	};
	started = monotime_now();
	if (runner_start_child(runner, &request,
			       &runner->groups[slot - runner->slots],
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
	slot_start(slot, &child, contained, task, started);
	runner->running++;
	runner->processes++;
	return 0;
}

/*
 * Frees a slot, and its place among those running.  Its cgroup stays,
 * for the slot's next promise.
 */
static void free_slot(struct runner *runner, struct slot *slot)
{
	slot_free(slot);
	runner->processes--;
	runner_task_ended(runner);
}

/* Hands a finished job's outcome over and frees its slot. */
static void finish_slot(struct runner *runner, struct slot *slot)
{
	struct runner_outcome *outcome = new_outcome(runner);

	if (outcome && slot_finish(slot, outcome) < 0)
		runner->out_of_memory = true;
	free_slot(runner, slot);
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
		const struct slot *slot = &runner->slots[i];

		if (!slot->used)
			continue;
		if (!any || monotime_before(slot->job.deadline, *nearest))
			*nearest = slot->job.deadline;
		any = true;
	}
	struct timespec due;

	if (runner_inline_deadline(&runner->inline_tasks, &due) &&
	    (!any || monotime_before(due, *nearest))) {
		*nearest = due;
		any = true;
	}
	return any;
}

int runner_wait(struct runner *runner, struct pollfd *extra, nfds_t extra_count,
                const struct timespec *wake_at, struct signals_news *news)
{
	struct timespec nearest, timeout;
	bool timed = nearest_deadline(runner, wake_at, &nearest);
	struct slot **polled = runner->polled;
	nfds_t count = 1 + extra_count, jobs = 0, checks;
	size_t needed = count + runner->slot_count +
			runner_inline_poll_count(&runner->inline_tasks);
	struct pollfd *polls;

	memset(news, 0, sizeof *news);
	/* Grown for the caller's descriptors and libcurl's sockets. */
	if (needed > runner->poll_capacity) {
		polls = realloc(runner->polls, needed * sizeof *polls);
		if (!polls)
			return -1;
		runner->polls = polls;
		runner->poll_capacity = needed;
	}
	polls = runner->polls;
	polls[0] = (struct pollfd){ .fd = runner->signals->fd, .events = POLLIN };
	/* `extra` may be NULL when empty: memcpy may not be given that. */
	if (extra_count)
		memcpy(polls + 1, extra, extra_count * sizeof *extra);
	for (unsigned i = 0; i < runner->slot_count; i++) {
		struct slot *slot = &runner->slots[i];

		if (!slot->used)
			continue;
		/* One descriptor a slot (see slot_poll). */
		if (slot_poll(slot, &polls[count + jobs]))
			polled[jobs++] = slot;
	}
	checks = runner_inline_polls(&runner->inline_tasks,
				     polls + count + jobs);
	if (timed)
		timeout = monotime_until(monotime_now(), nearest);
	/* Signals that came outside the wait are told at once. */
	if (runner->pending_stops)
		timeout = (struct timespec){ 0, 0 }, timed = true;
	if (ppoll(polls, count + jobs + checks, timed ? &timeout : NULL,
		  NULL) < 0) {
		if (errno != EINTR)
			return -1;
		for (nfds_t i = 0; i < count + jobs + checks; i++)
			polls[i].revents = 0;
	}
	if (extra_count)
		memcpy(extra, polls + 1, extra_count * sizeof *extra);
	take_signals(runner);
	for (nfds_t i = 0; i < jobs; i++) {
		struct slot *slot = polled[i];

		/* A job may have been finished while handling signals. */
		if (!polls[count + i].revents || !slot->used)
			continue;
		if (slot_read(slot, polls[count + i].fd, runner->buffer,
			      RUNNER_READ_CHUNK) < 0)
			runner->out_of_memory = true;
	}
	struct timespec now = monotime_now();

	runner_inline_handle(runner, polls + count + jobs, checks, now);
	for (unsigned i = 0; i < runner->slot_count; i++) {
		struct slot *slot = &runner->slots[i];

		if (slot->used)
			slot_tick(slot, now);
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
	const struct slot *oldest = NULL;

	for (unsigned i = 0; i < runner->slot_count; i++) {
		const struct slot *slot = &runner->slots[i];

		if (slot->used && (!oldest || monotime_before(slot->started,
							      oldest->started)))
			oldest = slot;
	}
	const struct runner_inline_task *task =
		runner_inline_oldest(&runner->inline_tasks);

	if (task && (!oldest || monotime_before(task->started,
						oldest->started))) {
		*home = task->home;
		*promise = task->promise;
		*seconds = monotime_seconds(task->started, monotime_now());
		return true;
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
	*outcome = *queued_outcome(runner, 0);
	runner->outcome_head =
		(runner->outcome_head + 1) % runner->outcome_capacity;
	runner->outcome_count--;
	return true;
}

void runner_stop(struct runner *runner, bool again)
{
	struct timespec now = monotime_now();

	runner_inline_stop(runner, again);
	for (unsigned i = 0; i < runner->slot_count; i++) {
		struct slot *slot = &runner->slots[i];

		if (slot->used)
			slot_stop(slot, again, now);
	}
}

void runner_home_done(struct runner *runner, size_t home)
{
	runner_inline_home_done(&runner->inline_tasks, home);
}

void runner_outcome_release(struct runner_outcome *outcome)
{
	free(outcome->output);
	outcome->output = NULL;
}

void runner_release(struct runner *runner)
{
	for (unsigned i = 0; runner->slots && i < runner->slot_count; i++) {
		struct slot *slot = &runner->slots[i];

		if (!slot->used)
			continue;
		/* The last resort: kill and forget; the sweep below reaps. */
		slot_kill(slot);
		free_slot(runner, slot);
	}
	/* The helpers are killed before the sweep reaps them. */
	runner_inline_release(runner);
	if (runner->signals && runner->slots)
		sweep_orphans(runner);
	for (unsigned i = 0; runner->groups && i < runner->slot_count; i++)
		if (runner->groups[i].dir_fd >= 0)
			cgroup_group_close(&runner->cgroups, &runner->groups[i]);
	free(runner->groups);
	cgroup_run_release(&runner->cgroups);
	for (size_t i = 0; i < runner->outcome_count; i++)
		runner_outcome_release(queued_outcome(runner, i));
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
