/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* runner: promise processes in slots, one ppoll for all their events. */
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
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
	int wait_status;
	size_t home, promise;
	struct timespec started, exited_at;
	struct capture capture;
};

/* The job's one effect: a signal to the promise's whole process group. */
static void signal_group(void *context, int signo)
{
	const struct runner_slot *slot = context;

	/*
	 * Before the child's setsid the group does not exist yet: the child
	 * itself is signalled then (its pid cannot have been reused while it
	 * is not reaped).
	 */
	if (kill(-slot->pid, signo) < 0 && errno == ESRCH && !slot->job.exited)
		(void)kill(slot->pid, signo);
}

static const struct job_ops group_ops = { .signal = signal_group };

int runner_init(struct runner *runner, unsigned slots,
                const struct signals *signals)
{
	memset(runner, 0, sizeof *runner);
	runner->signals = signals;
	runner->slot_count = runner->start_limit = slots;
	runner->null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	runner->slots = calloc(slots, sizeof *runner->slots);
	runner->polled = calloc(slots, sizeof *runner->polled);
	runner->buffer = malloc(READ_CHUNK);
	if (runner->null_fd < 0 || !runner->slots || !runner->polled ||
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

/* Reaps every child that has exited: promises and orphans alike. */
static void reap_children(struct runner *runner)
{
	int wait_status;
	pid_t pid;

	for (;;) {
		pid = waitpid(-1, &wait_status, WNOHANG);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid <= 0)
			return;     /* none left to reap now, or no child */
		for (unsigned i = 0; i < runner->slot_count; i++) {
			struct runner_slot *slot = &runner->slots[i];

			if (!slot->used || slot->pid != pid || slot->job.exited)
				continue;
			slot->wait_status = wait_status;
			slot->exited_at = monotime_now();
			job_handle(&slot->job, JOB_EXITED, slot->exited_at,
				   &group_ops, slot);
			break;
		}
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
	/* SIGCHLDs coalesce: one reading means "reap all that exited". */
	if (news.child || runner->pending_child) {
		runner->pending_child = false;
		reap_children(runner);
	}
}

/*
 * Kills and reaps every orphan re-parented to promise-run.  Called only
 * when no promise runs, so every child is an orphan.  Bounded in time (the
 * longest kill-after and the drain): a process that cannot be killed (it
 * changed its user) is left behind.
 */
static void sweep_orphans(struct runner *runner)
{
	struct timespec deadline = monotime_add(
		monotime_now(), runner->sweep_grace + JOB_DRAIN_SECONDS);
	struct pollfd signals = { .fd = runner->signals->fd, .events = POLLIN };

	for (;;) {
		reap_children(runner);
		if (reaper_signal_children(SIGKILL) <= 0)
			return;
		struct timespec now = monotime_now();

		if (!monotime_before(now, deadline))
			return;
		struct timespec timeout = monotime_until(now, deadline);

		if (ppoll(&signals, 1, &timeout, NULL) < 0 && errno != EINTR)
			return;
		if (signals.revents)
			take_signals(runner);
	}
}

/* An outcome for a promise that never became a process. */
static int record_not_started(struct runner *runner,
                              const struct runner_task *task,
                              const struct spawn_failure *failure, int error,
                              struct timespec started)
{
	struct runner_outcome *outcome = new_outcome(runner);

	if (!outcome)
		return -1;
	outcome->home = task->home;
	outcome->promise = task->promise;
	if (failure)
		outcome->failure = *failure;
	outcome->start_error = error;
	outcome->duration = monotime_seconds(started, monotime_now());
	return 1;
}

int runner_start(struct runner *runner, const struct runner_task *task)
{
	struct runner_slot *slot = runner->slots;
	struct spawn_failure failure;
	struct spawn_child child;
	struct timespec started;
	int status, error;

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
		.ignored = runner->signals->ignored,
		.credentials = task->credentials,
	};
	started = monotime_now();
	status = spawn_start(&request, &child, &failure);
	error = errno;
	if (status == 1) {
		/* It has exited already: reaped with the next SIGCHLD. */
		runner->pending_child = true;
		return record_not_started(runner, task, &failure, 0, started);
	}
	if (status < 0) {
		bool resources = error == EMFILE || error == ENFILE ||
				 error == EAGAIN || error == ENOMEM;

		/* Out of descriptors or processes: wait for a slot. */
		if (resources && runner->running > 0) {
			runner->start_limit = runner->running;
			errno = EAGAIN;
			return -1;
		}
		return record_not_started(runner, task, NULL, error, started);
	}
	*slot = (struct runner_slot){
		.used = true,
		.pid = child.pid,
		.output_fd = child.output_fd,
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

/* Frees a slot: its pipe, its capture, its place among those running. */
static void free_slot(struct runner *runner, struct runner_slot *slot)
{
	fdio_close_quietly(slot->output_fd);
	slot->output_fd = -1;
	capture_release(&slot->capture);
	slot->used = false;
	runner->running--;
	if (runner->start_limit < runner->slot_count)
		runner->start_limit++;
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
		outcome->exited = job->exited;
		outcome->wait_status = slot->wait_status;
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

		if (slot->used && slot->output_fd >= 0) {
			polls[count + jobs] = (struct pollfd){
				.fd = slot->output_fd, .events = POLLIN };
			polled[jobs++] = slot;
		}
	}
	if (timed)
		timeout = monotime_until(monotime_now(), nearest);
	/* Signals that came outside the wait are told at once. */
	if (runner->pending_stops || runner->pending_child)
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

		/* A job may have been finished while handling signals. */
		if (polls[count + i].revents && slot->used &&
		    slot->output_fd == polls[count + i].fd)
			read_output(runner, slot);
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
	for (size_t i = 0; i < runner->outcome_count; i++)
		runner_outcome_release(&runner->outcomes[i]);
	free(runner->outcomes);
	free(runner->slots);
	free(runner->polled);
	free(runner->polls);
	free(runner->buffer);
	fdio_close_quietly(runner->null_fd);
	memset(runner, 0, sizeof *runner);
	runner->null_fd = -1;
}
