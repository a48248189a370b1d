/* runner: the event loop that runs one instance's promises. */
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture.h"
#include "monotime.h"
#include "reaper.h"
#include "spawn.h"

/* Bytes read from one pipe in one go; also the per-turn fairness quantum. */
#define READ_CHUNK 65536
#define READS_PER_TURN 4

enum job_state {
	JOB_FREE,           /* slot unused */
	JOB_RUNNING,
	JOB_TERMINATING,    /* SIGTERM sent, SIGKILL at the deadline */
	JOB_KILLED,         /* SIGKILL sent, given up on at the deadline */
	JOB_DRAINING,       /* process reaped, output read until EOF */
};

struct job {
	enum job_state state;
	size_t index;               /* of the promise in the instance */
	pid_t pid;                  /* also its process group */
	int output_fd;              /* -1 after EOF */
	bool exited;                /* reaped, wait_status valid */
	int wait_status;
	bool timed_out;
	double timeout;             /* seconds, this promise's */
	bool interrupted;           /* stopped because promise-run was */
	struct timespec started, ended, deadline;
	struct capture capture;
};

struct runner {
	int signal_fd;
	int null_fd;                /* /dev/null, every promise's stdin */
	sigset_t handled;           /* the signals read from signal_fd */
	uint64_t ignored;           /* reset to default in each child */
	unsigned char *read_buffer;
};

/* One run over one instance. */
struct run {
	struct runner *runner;
	const struct runner_settings *settings;
	struct runner_instance *instance;
	runner_done_fn *on_done;
	void *context;
	struct job *jobs;           /* settings->jobs slots */
	struct pollfd *polls;       /* signal fd, then one per open pipe */
	struct job **poll_jobs;     /* the job of each poll entry */
	size_t next;                /* the next promise to start */
	unsigned running;
	unsigned start_limit;       /* lowered when descriptors run out */
	int interrupt_signal;       /* 0 until SIGINT, SIGTERM or SIGHUP */
	bool failed;                /* out of memory: promise-run fails */
};

/* The signals that stop a run: promise-run exits 128 + N after them. */
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };

struct runner *runner_create(void)
{
	struct runner *runner = calloc(1, sizeof *runner);

	if (!runner)
		return NULL;
	runner->signal_fd = runner->null_fd = -1;
	runner->read_buffer = malloc(READ_CHUNK);
	if (!runner->read_buffer)
		goto fail;
	/*
	 * A write to a closed pipe (stdout piped to `head`) must fail with
	 * EPIPE, not kill promise-run with promises still running.
	 */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		goto fail;
	/*
	 * An ignored SIGCHLD, inherited from a careless parent, would make
	 * the kernel reap promises before promise-run could see them exit.
	 */
	if (signal(SIGCHLD, SIG_DFL) == SIG_ERR)
		goto fail;
	runner->ignored = spawn_ignored_signals();
	sigemptyset(&runner->handled);
	sigaddset(&runner->handled, SIGCHLD);
	/* A stop signal promise-run was started ignoring (nohup) stays so. */
	for (size_t i = 0; i < sizeof stop_signals / sizeof *stop_signals; i++)
		if (!(runner->ignored >> (stop_signals[i] - 1) & 1))
			sigaddset(&runner->handled, stop_signals[i]);
	/* Blocked for good: they arrive only as reads of signal_fd. */
	if (sigprocmask(SIG_BLOCK, &runner->handled, NULL) < 0)
		goto fail;
	runner->signal_fd = signalfd(-1, &runner->handled,
				     SFD_CLOEXEC | SFD_NONBLOCK);
	if (runner->signal_fd < 0)
		goto fail;
	runner->null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (runner->null_fd < 0)
		goto fail;
	if (reaper_become_subreaper() < 0)
		goto fail;
	return runner;
fail:
	runner_destroy(runner);
	return NULL;
}

int runner_signal_fd(const struct runner *runner)
{
	return runner->signal_fd;
}

void runner_destroy(struct runner *runner)
{
	int saved = errno;

	if (!runner)
		return;
	if (runner->signal_fd >= 0)
		close(runner->signal_fd);
	if (runner->null_fd >= 0)
		close(runner->null_fd);
	free(runner->read_buffer);
	free(runner);
	errno = saved;
}

/*
 * Signals a promise's whole process group.  Before the child's setsid the
 * group does not exist yet: the child itself is signalled then (its pid
 * cannot have been reused while it is not reaped).
 */
static void signal_job(const struct job *job, int signo)
{
	if (kill(-job->pid, signo) < 0 && errno == ESRCH && !job->exited)
		(void)kill(job->pid, signo);
}

/* Asks a promise to stop: TERM, and CONT in case it is stopped. */
static void terminate_job(struct run *run, struct job *job, struct timespec now)
{
	signal_job(job, SIGTERM);
	signal_job(job, SIGCONT);
	job->state = JOB_TERMINATING;
	job->deadline = monotime_add(now, run->settings->kill_after);
}

static void kill_job(struct job *job, struct timespec now)
{
	signal_job(job, SIGKILL);
	job->state = JOB_KILLED;
	job->deadline = monotime_add(now, RUNNER_DRAIN_SECONDS);
}

/* Fills in the result of a job whose process is gone or given up on. */
static int record_result(struct run *run, struct job *job)
{
	struct promise_result *result = &run->instance->results[job->index];

	result->execution_time = monotime_seconds(job->started, job->ended);
	result->exit_code = RESULT_NO_EXIT_CODE;
	result->signal = 0;
	if (job->exited)
		result_set_wait_status(result, job->wait_status);
	if (job->timed_out) {
		capture_release(&job->capture);
		result->status = PROMISE_TIMEOUT;
		if (asprintf(&result->message,
			     "Error: Promise timed out after %g seconds",
			     job->timeout) < 0)
			result->message = NULL;
	} else {
		result->status = result->exit_code == 0 ? PROMISE_OK
							: PROMISE_FAILED;
		result->message = capture_finish(&job->capture);
	}
	if (!result->message)
		return -1;
	result->ended = time(NULL);
	result->done = true;
	return 0;
}

/* Ends a job: kills what is left of its group, records, frees the slot. */
static void finish_job(struct run *run, struct job *job, struct timespec now)
{
	/* Leftovers such as `sleep 30 &` holding the pipe: nothing survives. */
	signal_job(job, SIGKILL);
	if (!job->exited)
		job->ended = now;
	if (job->output_fd >= 0)
		close(job->output_fd);
	if (job->interrupted) {
		capture_release(&job->capture);
	} else if (record_result(run, job) < 0) {
		run->failed = true;
	} else if (run->on_done) {
		run->on_done(run->context, job->index);
	}
	job->state = JOB_FREE;
	run->running--;
	if (run->start_limit < run->settings->jobs)
		run->start_limit++;
}

/* The process of `job` was reaped. */
static void job_exited(struct run *run, struct job *job, int wait_status,
                       struct timespec now)
{
	job->exited = true;
	job->wait_status = wait_status;
	job->ended = now;
	if (job->output_fd < 0) {
		finish_job(run, job, now);
		return;
	}
	job->state = JOB_DRAINING;
	job->deadline = monotime_add(now, RUNNER_DRAIN_SECONDS);
}

static struct job *job_by_pid(struct run *run, pid_t pid)
{
	for (unsigned i = 0; i < run->settings->jobs; i++)
		if (run->jobs[i].state != JOB_FREE && run->jobs[i].pid == pid &&
		    !run->jobs[i].exited)
			return &run->jobs[i];
	return NULL;
}

/* Reaps every child that has exited: promises and orphans alike. */
static void reap_children(struct run *run)
{
	int wait_status;
	pid_t pid;

	for (;;) {
		pid = waitpid(-1, &wait_status, WNOHANG);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid <= 0)
			return;     /* none left to reap now, or no child */
		struct job *job = job_by_pid(run, pid);

		if (job)
			job_exited(run, job, wait_status, monotime_now());
	}
}

/* Stops every running promise: the first signal politely, a second hard. */
static void interrupt(struct run *run, int signo, struct timespec now)
{
	bool again = run->interrupt_signal != 0;

	if (!again)
		run->interrupt_signal = signo;
	for (unsigned i = 0; i < run->settings->jobs; i++) {
		struct job *job = &run->jobs[i];

		if (job->state == JOB_FREE || job->exited)
			continue;
		job->interrupted = true;
		if (again && job->state != JOB_KILLED)
			kill_job(job, now);
		else if (job->state == JOB_RUNNING)
			terminate_job(run, job, now);
	}
}

/* Reads every pending signal from the signal fd and acts on it. */
static void handle_signals(struct run *run)
{
	struct signalfd_siginfo info;
	bool child_changed = false;
	ssize_t got;

	for (;;) {
		got = read(run->runner->signal_fd, &info, sizeof info);
		if (got < 0 && errno == EINTR)
			continue;
		if (got != (ssize_t)sizeof info)
			break;
		if (info.ssi_signo == SIGCHLD)
			child_changed = true;
		else
			interrupt(run, (int)info.ssi_signo, monotime_now());
	}
	/* SIGCHLDs coalesce: one reading means "reap all that exited". */
	if (child_changed)
		reap_children(run);
}

/* Reads what a promise wrote, up to a fair share; finishes it at EOF. */
static void read_output(struct run *run, struct job *job)
{
	for (int turn = 0; turn < READS_PER_TURN; turn++) {
		ssize_t got = read(job->output_fd, run->runner->read_buffer,
				   READ_CHUNK);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && errno == EAGAIN)
			return;
		if (got <= 0) {
			/* EOF, or an error that ends the output the same way. */
			close(job->output_fd);
			job->output_fd = -1;
			if (job->exited)
				finish_job(run, job, monotime_now());
			return;
		}
		if (!job->interrupted && !job->timed_out &&
		    capture_append(&job->capture, run->runner->read_buffer,
				   (size_t)got) < 0)
			run->failed = true;
	}
}

/* Moves every job whose deadline has passed to its next state. */
static void handle_deadlines(struct run *run, struct timespec now)
{
	for (unsigned i = 0; i < run->settings->jobs; i++) {
		struct job *job = &run->jobs[i];

		if (job->state == JOB_FREE || monotime_before(now, job->deadline))
			continue;
		switch (job->state) {
		case JOB_RUNNING:
			job->timed_out = true;
			terminate_job(run, job, now);
			break;
		case JOB_TERMINATING:
			kill_job(job, now);
			break;
		case JOB_KILLED:        /* unkillable: given up on */
		case JOB_DRAINING:      /* something else holds the pipe */
			finish_job(run, job, now);
			break;
		case JOB_FREE:
			break;
		}
	}
}

/*
 * Records a promise that could not be executed: `message` (malloc'd) says
 * why, NULL meaning that memory ran out.
 */
static void record_error(struct run *run, size_t index, char *message,
                         double execution_time)
{
	struct promise_result *result = &run->instance->results[index];

	result->status = PROMISE_ERROR;
	result->exit_code = RESULT_NO_EXIT_CODE;
	result->signal = 0;
	result->execution_time = execution_time;
	result->ended = time(NULL);
	result->message = message;
	if (!message) {
		run->failed = true;
		return;
	}
	result->done = true;
	if (run->on_done)
		run->on_done(run->context, index);
}

/* Starts promises while slots are free. */
static void start_jobs(struct run *run)
{
	while (run->next < run->instance->promises->count &&
	       run->running < run->start_limit && !run->interrupt_signal &&
	       !run->failed) {
		if (run->instance->results[run->next].done) {
			run->next++;    /* refused or disabled: not run */
			continue;
		}
		struct job *job = run->jobs;
		struct spawn_child child;
		char *path = scan_promise_path(
			run->instance->promise_dir,
			&run->instance->promises->promises[run->next]);

		while (job->state != JOB_FREE)
			job++;
		if (!path) {
			run->failed = true;
			return;
		}
		struct spawn_request request = {
			.path = path,
			.workdir = run->instance->home,
			.envp = run->instance->envp,
			.stdin_fd = run->runner->null_fd,
			.ignored = run->runner->ignored,
			.credentials = run->instance->credentials,
		};
		struct spawn_failure failure;
		struct timespec started = monotime_now();
		int outcome = spawn_start(&request, &child, &failure);
		int error = errno;

		if (outcome == 1) {
			record_error(run, run->next++,
				     spawn_describe_failure(path, &failure),
				     monotime_seconds(started, monotime_now()));
			free(path);
			continue;
		}
		free(path);
		if (outcome < 0) {
			bool resources = error == EMFILE || error == ENFILE ||
					 error == EAGAIN || error == ENOMEM;

			/* Out of descriptors or processes: wait for a slot. */
			if (resources && run->running > 0) {
				run->start_limit = run->running;
				return;
			}
			char *message;

			if (asprintf(&message, "cannot start: %s",
				     strerror(error)) < 0)
				message = NULL;
			record_error(run, run->next++, message, 0);
			continue;
		}
		memset(job, 0, sizeof *job);
		job->state = JOB_RUNNING;
		job->index = run->next++;
		job->pid = child.pid;
		job->output_fd = child.output_fd;
		job->started = started;
		job->timeout = run->instance->timeouts[job->index];
		job->deadline = monotime_add(started, job->timeout);
		capture_init(&job->capture);
		run->running++;
	}
}

/* Waits for the next event: a signal, output, or the nearest deadline. */
static int wait_for_events(struct run *run)
{
	struct timespec now = monotime_now(), nearest, timeout;
	bool any_deadline = false;
	nfds_t count = 1;

	run->polls[0] = (struct pollfd){ .fd = run->runner->signal_fd,
					 .events = POLLIN };
	for (unsigned i = 0; i < run->settings->jobs; i++) {
		struct job *job = &run->jobs[i];

		if (job->state == JOB_FREE)
			continue;
		if (!any_deadline || monotime_before(job->deadline, nearest))
			nearest = job->deadline;
		any_deadline = true;
		if (job->output_fd >= 0) {
			run->polls[count] = (struct pollfd){
				.fd = job->output_fd, .events = POLLIN };
			run->poll_jobs[count++] = job;
		}
	}
	if (any_deadline)
		timeout = monotime_until(now, nearest);
	if (ppoll(run->polls, count, any_deadline ? &timeout : NULL, NULL) < 0 &&
	    errno != EINTR)
		return -1;
	if (run->polls[0].revents)
		handle_signals(run);
	for (nfds_t i = 1; i < count; i++) {
		struct job *job = run->poll_jobs[i];

		/* A job may have been finished while handling signals. */
		if (run->polls[i].revents && job->state != JOB_FREE &&
		    job->output_fd == run->polls[i].fd)
			read_output(run, job);
	}
	handle_deadlines(run, monotime_now());
	return 0;
}

/*
 * Kills and reaps every orphan re-parented to promise-run.  Called only
 * when no promise runs, so every child is an orphan.  Bounded in time: a
 * process that cannot be killed (it changed its user) is left behind.
 */
static void sweep_orphans(struct run *run)
{
	struct timespec deadline = monotime_add(
		monotime_now(), run->settings->kill_after + RUNNER_DRAIN_SECONDS);
	struct pollfd signals = { .fd = run->runner->signal_fd, .events = POLLIN };

	for (;;) {
		reap_children(run);
		if (reaper_signal_children(SIGKILL) <= 0)
			return;
		struct timespec now = monotime_now();

		if (!monotime_before(now, deadline))
			return;
		struct timespec timeout = monotime_until(now, deadline);

		if (ppoll(&signals, 1, &timeout, NULL) < 0 && errno != EINTR)
			return;
		if (signals.revents)
			handle_signals(run);
	}
}

/* The last resort when the event loop itself fails: kill, reap, forget. */
static void abandon_jobs(struct run *run)
{
	int saved = errno, wait_status;

	for (unsigned i = 0; i < run->settings->jobs; i++) {
		struct job *job = &run->jobs[i];

		if (job->state == JOB_FREE)
			continue;
		signal_job(job, SIGKILL);
		while (!job->exited && waitpid(job->pid, &wait_status, 0) < 0 &&
		       errno == EINTR)
			;
		if (job->output_fd >= 0)
			close(job->output_fd);
		capture_release(&job->capture);
		job->state = JOB_FREE;
	}
	run->running = 0;
	sweep_orphans(run);
	errno = saved;
}

int runner_run(struct runner *runner, const struct runner_settings *settings,
               struct runner_instance *instance, runner_done_fn *on_done,
               void *context)
{
	struct run run = {
		.runner = runner,
		.settings = settings,
		.instance = instance,
		.on_done = on_done,
		.context = context,
		.start_limit = settings->jobs,
	};
	int status = 0;

	run.jobs = calloc(settings->jobs, sizeof *run.jobs);
	run.polls = calloc(settings->jobs + 1, sizeof *run.polls);
	run.poll_jobs = calloc(settings->jobs + 1, sizeof *run.poll_jobs);
	if (!run.jobs || !run.polls || !run.poll_jobs) {
		errno = ENOMEM;
		status = -1;
		goto out;
	}
	/* A signal that came between two instances stops the run at once. */
	handle_signals(&run);
	for (;;) {
		/*
		 * With no promise running, every child is an orphan: kill them
		 * now, before the next promise starts (at once with -j 1).
		 */
		if (run.running == 0)
			sweep_orphans(&run);
		start_jobs(&run);
		if (run.running == 0)
			break;  /* all done, interrupted, or out of memory */
		if (wait_for_events(&run) < 0) {
			/* ppoll cannot fail on valid arguments: stop hard. */
			abandon_jobs(&run);
			status = -1;
			goto out;
		}
		if (run.failed && !run.interrupt_signal)
			interrupt(&run, SIGTERM, monotime_now());
	}
	if (run.failed) {
		errno = ENOMEM;
		status = -1;
	} else {
		status = run.interrupt_signal;
	}
out:
	free(run.jobs);
	free(run.polls);
	free(run.poll_jobs);
	return status;
}
