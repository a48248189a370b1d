/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * runner: real promises (sh scripts written into a temporary folder) run
 * in real slots, each test in a process of its own (Check forks), with
 * promise-run's own signal set-up.  Nothing waits by the clock: a test
 * turns the runner's own loop until an outcome comes, or waits on a
 * FIFO.  A promise that must run "forever" reads the FIFO 'silence',
 * which the test holds open and never writes: it would read until the
 * test's process ends, so that even a failed test leaves nothing behind.
 * After each test, no child is left and no descriptor is open that was
 * not open before.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "monotime.h"
#include "runner.h"
#include "signals.h"
#include "suites.h"

/* What a promise that must end on its own is given: never reached. */
#define LONG_SECONDS 60

static char path_variable[] = "PATH=/usr/local/bin:/usr/bin:/bin";
static char *const environment[] = { path_variable, NULL };

/* A runner over a temporary folder of promises. */
struct rig {
	char *folder;
	int dir_fd;
	int silence_fd;         /* the FIFO 'silence', held open, never written */
	int descriptors;        /* open before the rig was set up */
	struct signals signals;
	struct runner runner;
};

/* How many descriptors this process has open. */
static int open_descriptors(void)
{
	DIR *folder = opendir("/proc/self/fd");
	int count = 0;

	ck_assert_msg(folder != NULL, "/proc/self/fd: %s", strerror(errno));
	while (readdir(folder))
		count++;
	closedir(folder);
	return count;
}

/* The folder and the signals, without a runner yet. */
static void rig_prepare(struct rig *rig)
{
	rig->descriptors = open_descriptors();
	rig->folder = helper_temp_folder();
	rig->dir_fd = helper_open_folder(rig->folder);
	ck_assert_int_eq(mkfifoat(rig->dir_fd, "silence", 0600), 0);
	/* Read and write: a FIFO so opened does not wait for a reader. */
	rig->silence_fd = openat(rig->dir_fd, "silence", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(rig->silence_fd, 0);
	ck_assert_msg(signals_init(&rig->signals) == 0, "signals_init: %s",
		      strerror(errno));
}

/* A runner of `slots` slots whose promises are contained by freezing. */
static void rig_up(struct rig *rig, unsigned slots)
{
	rig_prepare(rig);
	ck_assert_msg(runner_init(&rig->runner, slots, &rig->signals,
				  RUNNER_CONTAIN_FREEZE) == 0,
		      "runner_init: %s", strerror(errno));
}

/*
 * Releases it all, and asserts what the runner promises: no child left,
 * not even a zombie, and no descriptor left open.
 */
static void rig_down(struct rig *rig)
{
	runner_release(&rig->runner);
	signals_release(&rig->signals);
	ck_assert_int_eq(close(rig->silence_fd), 0);
	ck_assert_int_eq(close(rig->dir_fd), 0);
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
	ck_assert_int_eq(open_descriptors(), rig->descriptors);
	helper_remove_tree(rig->folder);
}

/* Writes the file `name`: exactly `text`, with `mode`; its path, malloc'd. */
static char *write_file(struct rig *rig, const char *name, const char *text,
                        mode_t mode)
{
	char *path;

	helper_write_file(rig->dir_fd, name, text, mode);
	ck_assert_int_ge(asprintf(&path, "%s/%s", rig->folder, name), 0);
	return path;
}

/* Writes the sh script `name` whose body is `body`; its path, malloc'd. */
static char *write_script(struct rig *rig, const char *name, const char *body)
{
	char *text, *path;

	ck_assert_int_ge(asprintf(&text, "#!/bin/sh\n%s\n", body), 0);
	path = write_file(rig, name, text, 0755);
	free(text);
	return path;
}

/* A task for `path`, run in the rig's folder, that nothing times out. */
static struct runner_task task_of(const struct rig *rig, const char *path,
                                  size_t promise)
{
	return (struct runner_task){
		.path = path,
		.workdir = rig->folder,
		.envp = environment,
		.timeout = LONG_SECONDS,
		.kill_after = LONG_SECONDS,
		.home = 1,
		.promise = promise,
	};
}

static void start(struct rig *rig, const struct runner_task *task)
{
	ck_assert_msg(runner_start(&rig->runner, task) == 0,
		      "runner_start: %s", strerror(errno));
}

/* Turns the runner's loop once; no stop signal may come. */
static void turn(struct rig *rig)
{
	struct signals_news news;

	ck_assert_msg(runner_wait(&rig->runner, NULL, 0, NULL, &news) == 0,
		      "runner_wait: %s", strerror(errno));
	ck_assert_uint_eq(news.stops, 0);
}

/* Turns the loop until an outcome comes, and takes it. */
static void next_outcome(struct rig *rig, struct runner_outcome *outcome)
{
	while (!runner_next_outcome(&rig->runner, outcome)) {
		ck_assert_msg(rig->runner.running > 0,
			      "no outcome, and nothing runs");
		turn(rig);
	}
}

/* Turns the loop until nothing runs. */
static void run_out(struct rig *rig)
{
	while (rig->runner.running > 0)
		turn(rig);
}

/* The one outcome of `task`, run alone. */
static void run_one(struct rig *rig, const struct runner_task *task,
                    struct runner_outcome *outcome)
{
	start(rig, task);
	next_outcome(rig, outcome);
	ck_assert_uint_eq(outcome->home, task->home);
	ck_assert_uint_eq(outcome->promise, task->promise);
	ck_assert(outcome->started);
	ck_assert(outcome->exited);
	ck_assert_ptr_nonnull(outcome->output);
}

#define ASSERT_EXIT_STATUS(outcome, code) do { \
	ck_assert(WIFEXITED((outcome).wait_status)); \
	ck_assert_int_eq(WEXITSTATUS((outcome).wait_status), code); \
} while (0)

#define ASSERT_KILLED_BY(outcome, signo) do { \
	ck_assert(WIFSIGNALED((outcome).wait_status)); \
	ck_assert_int_eq(WTERMSIG((outcome).wait_status), signo); \
} while (0)

/* The pid a promise wrote into the file `name`. */
static pid_t pid_in(struct rig *rig, const char *name)
{
	char *text = helper_read_file(rig->dir_fd, name);
	long pid = strtol(text, NULL, 10);

	free(text);
	ck_assert_int_gt(pid, 1);
	return (pid_t)pid;
}

/*
 * Asserts that the process `pid`, a child of this subreaper since its
 * parent ended, is dead or dying of SIGKILL: waited for, or already
 * reaped by the runner.  A live one would block the wait (the test then
 * fails on its time limit).
 */
static void assert_killed(pid_t pid)
{
	int status;
	pid_t waited = waitpid(pid, &status, 0);

	if (waited == -1) {
		ck_assert_int_eq(errno, ECHILD);
		return;
	}
	ck_assert_int_eq(waited, pid);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(WTERMSIG(status), SIGKILL);
}

START_TEST(test_runner_hands_back_the_exit_status)
{
	struct runner_outcome outcome;
	struct rig rig;

	rig_up(&rig, 1);
	char *path = write_script(&rig, "fails", "exit 3");
	struct runner_task task = task_of(&rig, path, 9);

	run_one(&rig, &task, &outcome);
	ASSERT_EXIT_STATUS(outcome, 3);
	ck_assert(!outcome.exec_failed);
	ck_assert(!outcome.timed_out);
	ck_assert(!outcome.cut_by_deadline);
	ck_assert(!outcome.interrupted);
	ck_assert(!outcome.abandoned);
	ck_assert_str_eq(outcome.output, "");
	ck_assert(outcome.duration >= 0);
	/* No cgroup: the leader's own CPU time, and no memory count. */
	ck_assert(outcome.cpu_seconds >= 0);
	ck_assert_int_eq(outcome.memory_peak, -1);
	ck_assert(outcome.ended.tv_sec > 0);
	runner_outcome_release(&outcome);
	ck_assert_ptr_null(outcome.output);
	free(path);
	rig_down(&rig);
}
END_TEST

START_TEST(test_runner_makes_the_output_the_message)
{
	struct runner_outcome outcome;
	struct rig rig;

	rig_up(&rig, 1);
	char *path = write_script(&rig, "talks",
				  "printf '  out\\r\\n'\necho err >&2\necho");
	struct runner_task task = task_of(&rig, path, 0);

	run_one(&rig, &task, &outcome);
	ASSERT_EXIT_STATUS(outcome, 0);
	/* Both streams in one pipe, stripped, CRLF folded. */
	ck_assert_str_eq(outcome.output, "out\nerr");
	runner_outcome_release(&outcome);
	free(path);
	rig_down(&rig);
}
END_TEST

START_TEST(test_runner_timeout_sends_sigterm)
{
	struct runner_outcome outcome;
	struct rig rig;

	rig_up(&rig, 1);
	char *path = write_script(&rig, "hangs", "read line <silence");
	struct runner_task task = task_of(&rig, path, 0);

	task.timeout = 0.1;
	run_one(&rig, &task, &outcome);
	ck_assert(outcome.timed_out);
	ck_assert(!outcome.cut_by_deadline);
	ck_assert(!outcome.interrupted);
	ck_assert(!outcome.abandoned);
	ASSERT_KILLED_BY(outcome, SIGTERM);
	runner_outcome_release(&outcome);
	free(path);
	rig_down(&rig);
}
END_TEST

START_TEST(test_runner_timeout_sends_sigkill_after_kill_after)
{
	struct runner_outcome outcome;
	struct rig rig;

	/*
	 * A promise that ignores SIGTERM from its first instruction: this
	 * process ignores it, and the runner is not told to reset it, so
	 * the promise inherits it through exec (a trap in the script would
	 * race with the timeout).
	 */
	ck_assert(signal(SIGTERM, SIG_IGN) != SIG_ERR);
	rig_up(&rig, 1);
	rig.signals.ignored &= ~(UINT64_C(1) << (SIGTERM - 1));
	char *path = write_script(&rig, "deaf", "read line <silence");
	struct runner_task task = task_of(&rig, path, 0);

	task.timeout = 0.1;
	task.kill_after = 0.1;
	run_one(&rig, &task, &outcome);
	ck_assert(outcome.timed_out);
	ck_assert(!outcome.abandoned);
	ASSERT_KILLED_BY(outcome, SIGKILL);
	runner_outcome_release(&outcome);
	free(path);
	rig_down(&rig);
}
END_TEST

START_TEST(test_runner_run_deadline_cuts_a_promise_short)
{
	struct runner_outcome outcome;
	struct rig rig;

	rig_up(&rig, 1);
	char *path = write_script(&rig, "hangs", "read line <silence");
	struct runner_task task = task_of(&rig, path, 0);

	task.stop_at = monotime_add(monotime_now(), 0.1);
	run_one(&rig, &task, &outcome);
	ck_assert(outcome.timed_out);
	ck_assert(outcome.cut_by_deadline);
	ASSERT_KILLED_BY(outcome, SIGTERM);
	runner_outcome_release(&outcome);
	free(path);
	rig_down(&rig);
}
END_TEST

START_TEST(test_runner_stop_is_polite_first)
{
	struct runner_outcome outcome;
	struct rig rig;

	rig_up(&rig, 1);
	char *path = write_script(&rig, "hangs", "read line <silence");
	struct runner_task task = task_of(&rig, path, 0);

	/* runner_start returns once the child has executed the script. */
	start(&rig, &task);
	runner_stop(&rig.runner, false);
	next_outcome(&rig, &outcome);
	ck_assert(outcome.interrupted);
	ck_assert(!outcome.timed_out);
	ASSERT_KILLED_BY(outcome, SIGTERM);
	runner_outcome_release(&outcome);
	free(path);
	rig_down(&rig);
}
END_TEST

START_TEST(test_runner_stop_again_is_hard)
{
	struct runner_outcome outcome;
	char ready[8];
	struct rig rig;

	rig_up(&rig, 1);
	ck_assert_int_eq(mkfifoat(rig.dir_fd, "ready", 0600), 0);
	char *path = write_script(&rig, "deaf",
				  "trap '' TERM\necho >ready\nread line <silence");
	struct runner_task task = task_of(&rig, path, 0);

	start(&rig, &task);
	/* Its trap is set once it writes to 'ready'. */
	int fd = openat(rig.dir_fd, "ready", O_RDONLY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(read(fd, ready, sizeof ready), 1);
	ck_assert_int_eq(close(fd), 0);
	runner_stop(&rig.runner, false);
	runner_stop(&rig.runner, true);
	next_outcome(&rig, &outcome);
	ck_assert(outcome.interrupted);
	ASSERT_KILLED_BY(outcome, SIGKILL);
	runner_outcome_release(&outcome);
	free(path);
	rig_down(&rig);
}
END_TEST

START_TEST(test_runner_reports_a_file_that_cannot_be_executed)
{
	struct runner_outcome outcome;
	struct rig rig;

	rig_up(&rig, 1);
	/* No execute bit: refused even to root. */
	char *path = write_file(&rig, "plain", "#!/bin/sh\nexit 0\n", 0644);
	struct runner_task task = task_of(&rig, path, 0);

	run_one(&rig, &task, &outcome);
	ck_assert(outcome.exec_failed);
	ck_assert_int_eq(outcome.failure.stage, SPAWN_STAGE_EXEC);
	ck_assert_int_eq(outcome.failure.error, EACCES);
	runner_outcome_release(&outcome);
	free(path);
	rig_down(&rig);
}
END_TEST

START_TEST(test_runner_reports_a_missing_interpreter)
{
	struct runner_outcome outcome;
	struct rig rig;

	rig_up(&rig, 1);
	char *path = write_file(&rig, "orphaned",
				"#!/nonexistent/interpreter\n", 0755);
	struct runner_task task = task_of(&rig, path, 0);

	run_one(&rig, &task, &outcome);
	ck_assert(outcome.exec_failed);
	ck_assert_int_eq(outcome.failure.stage, SPAWN_STAGE_EXEC);
	ck_assert_int_eq(outcome.failure.error, ENOENT);
	runner_outcome_release(&outcome);
	free(path);
	rig_down(&rig);
}
END_TEST

START_TEST(test_runner_kills_a_child_left_holding_the_output)
{
	struct runner_outcome outcome;
	struct rig rig;

	rig_up(&rig, 1);
	char *path = write_script(&rig, "leaves",
				  "echo started\ncat silence &\necho $! >child");
	struct runner_task task = task_of(&rig, path, 0);

	/* The output stays open after the exit: the runner ends it. */
	run_one(&rig, &task, &outcome);
	ASSERT_EXIT_STATUS(outcome, 0);
	ck_assert(!outcome.timed_out);
	ck_assert_str_eq(outcome.output, "started");
	assert_killed(pid_in(&rig, "child"));
	runner_outcome_release(&outcome);
	free(path);
	rig_down(&rig);
}
END_TEST

START_TEST(test_runner_runs_as_many_as_it_has_slots)
{
	struct runner_outcome outcome;
	struct timespec before, after, deadline;
	size_t home, promise;
	double seconds;
	struct rig rig;

	rig_up(&rig, 2);
	char *path = write_script(&rig, "hangs", "read line <silence");
	struct runner_task first = task_of(&rig, path, 1),
			   second = task_of(&rig, path, 2),
			   third = task_of(&rig, path, 3);

	ck_assert(runner_can_start(&rig.runner));
	ck_assert(!runner_next_deadline(&rig.runner, &deadline));
	ck_assert(!runner_oldest(&rig.runner, &home, &promise, &seconds));
	start(&rig, &first);
	ck_assert(runner_can_start(&rig.runner));
	/* The second's timeout comes first. */
	second.timeout = LONG_SECONDS / 2;
	before = monotime_now();
	start(&rig, &second);
	after = monotime_now();
	ck_assert_uint_eq(rig.runner.running, 2);
	ck_assert(!runner_can_start(&rig.runner));
	ck_assert_int_eq(runner_start(&rig.runner, &third), -1);
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert(runner_next_deadline(&rig.runner, &deadline));
	ck_assert(!monotime_before(deadline,
				   monotime_add(before, second.timeout)));
	ck_assert(!monotime_before(monotime_add(after, second.timeout),
				   deadline));
	ck_assert(runner_oldest(&rig.runner, &home, &promise, &seconds));
	ck_assert_uint_eq(home, 1);
	ck_assert_uint_eq(promise, 1);
	ck_assert(seconds >= 0);
	runner_stop(&rig.runner, true);
	for (int i = 0; i < 2; i++) {
		next_outcome(&rig, &outcome);
		ck_assert(outcome.interrupted);
		ck_assert(runner_can_start(&rig.runner));
		runner_outcome_release(&outcome);
	}
	ck_assert_uint_eq(rig.runner.running, 0);
	ck_assert(!runner_next_deadline(&rig.runner, &deadline));
	ck_assert(!runner_oldest(&rig.runner, &home, &promise, &seconds));
	free(path);
	rig_down(&rig);
}
END_TEST

START_TEST(test_runner_outcomes_come_out_in_the_order_they_came)
{
	struct runner_outcome outcome;
	size_t started = 0, taken = 0;
	struct rig rig;

	/*
	 * One slot, so outcomes come in the order of the starts.  Taking
	 * fewer than come, round after round, makes the queue wrap round
	 * and grow while wrapped.
	 */
	rig_up(&rig, 1);
	char *path = write_script(&rig, "works", "exit 0");

	for (int round = 0; round < 5; round++) {
		for (int i = 0; i < 9; i++) {
			struct runner_task task = task_of(&rig, path, started++);

			start(&rig, &task);
			run_out(&rig);
		}
		for (int i = 0; i < 5; i++) {
			ck_assert(runner_next_outcome(&rig.runner, &outcome));
			ck_assert_uint_eq(outcome.promise, taken++);
			runner_outcome_release(&outcome);
		}
	}
	while (runner_next_outcome(&rig.runner, &outcome)) {
		ck_assert_uint_eq(outcome.promise, taken++);
		runner_outcome_release(&outcome);
	}
	ck_assert_uint_eq(taken, started);
	free(path);
	rig_down(&rig);
}
END_TEST

START_TEST(test_runner_release_frees_outcomes_not_taken)
{
	struct rig rig;

	rig_up(&rig, 2);
	char *path = write_script(&rig, "talks", "echo words");
	struct runner_task task = task_of(&rig, path, 0);

	start(&rig, &task);
	start(&rig, &task);
	run_out(&rig);
	/* Left in the queue: the sanitizers' leak check sees them freed. */
	free(path);
	rig_down(&rig);
}
END_TEST

START_TEST(test_runner_tells_stop_signals_to_its_caller)
{
	struct signals_news news;
	struct rig rig;

	rig_up(&rig, 1);
	/* Blocked by the signal set-up: it waits in the signalfd. */
	ck_assert_int_eq(kill(getpid(), SIGTERM), 0);
	ck_assert_int_eq(runner_wait(&rig.runner, NULL, 0, NULL, &news), 0);
	ck_assert_uint_eq(news.stops, 1);
	ck_assert_int_eq(news.stop, SIGTERM);
	rig_down(&rig);
}
END_TEST

START_TEST(test_runner_in_a_cgroup_kills_what_escaped_the_group)
{
	struct runner_outcome outcome;
	struct rig rig;

	rig_prepare(&rig);
	if (runner_init(&rig.runner, 1, &rig.signals,
			RUNNER_CONTAIN_CGROUP) < 0) {
		ck_assert_int_eq(errno, ENOTSUP);
		printf("runner: skipped a test: no writable cgroup v2 (%s)\n",
		       rig.runner.no_cgroup_reason);
		fflush(stdout);
		rig_down(&rig);
		return;
	}
	ck_assert_int_eq(rig.runner.containment, RUNNER_CONTAIN_CGROUP);
	/* A session of its own: out of the promise's process group. */
	char *path = write_script(&rig, "escapes",
				  "setsid cat silence &\necho $! >child\n"
				  "echo contained");
	struct runner_task task = task_of(&rig, path, 0);

	run_one(&rig, &task, &outcome);
	ASSERT_EXIT_STATUS(outcome, 0);
	ck_assert_str_eq(outcome.output, "contained");
	ck_assert(outcome.cpu_seconds >= 0);
	/* -1 without the memory controller. */
	ck_assert(outcome.memory_peak == -1 || outcome.memory_peak > 0);
	assert_killed(pid_in(&rig, "child"));
	runner_outcome_release(&outcome);
	free(path);
	rig_down(&rig);
}
END_TEST

Suite *runner_suite(void)
{
	Suite *suite = suite_create("runner");
	TCase *tc = tcase_create("runner");

	/* Real processes on a loaded machine: a hang is what fails. */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_runner_hands_back_the_exit_status);
	tcase_add_test(tc, test_runner_makes_the_output_the_message);
	tcase_add_test(tc, test_runner_timeout_sends_sigterm);
	tcase_add_test(tc, test_runner_timeout_sends_sigkill_after_kill_after);
	tcase_add_test(tc, test_runner_run_deadline_cuts_a_promise_short);
	tcase_add_test(tc, test_runner_stop_is_polite_first);
	tcase_add_test(tc, test_runner_stop_again_is_hard);
	tcase_add_test(tc, test_runner_reports_a_file_that_cannot_be_executed);
	tcase_add_test(tc, test_runner_reports_a_missing_interpreter);
	tcase_add_test(tc, test_runner_kills_a_child_left_holding_the_output);
	tcase_add_test(tc, test_runner_runs_as_many_as_it_has_slots);
	tcase_add_test(tc, test_runner_outcomes_come_out_in_the_order_they_came);
	tcase_add_test(tc, test_runner_release_frees_outcomes_not_taken);
	tcase_add_test(tc, test_runner_tells_stop_signals_to_its_caller);
	tcase_add_test(tc, test_runner_in_a_cgroup_kills_what_escaped_the_group);
	suite_add_tcase(suite, tc);
	return suite;
}
