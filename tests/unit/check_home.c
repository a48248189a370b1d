/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * home: a home's life through every phase and every failure, driven
 * event by event with fake operations (what its files, the pool and the
 * sinks would do) and a fake clock.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "home.h"
#include "runner.h"
#include "suites.h"

#define MAX_PROMISES 8
/* Room for "p" and any size_t in the fake names block. */
#define NAME_SIZE 24

/* A fake world: what each operation answers, and the log of calls. */
struct world {
	/* Answers. */
	int prepare, open, watch, plan, spawn;
	int locks[4];                   /* try_lock's answers; then 0 */
	size_t lock_calls;
	bool stateful;
	size_t promises;
	size_t plugins;                 /* the first promises are plugins */
	enum plan_disposition dispositions[MAX_PROMISES];
	size_t write_steps;             /* write says "more" this many times */
	/* What was asked. */
	char log[4096];
	struct timespec stop_at;        /* of the last spawn */
	/* The home and what it shares. */
	struct cli_options cli;
	struct setting_values run;
	struct home_context context;
	struct home_report report;
	struct home home;
};

static void note(struct world *world, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct world *world, const char *format, ...)
{
	size_t used = strlen(world->log);
	va_list arguments;

	if (used)
		world->log[used++] = ' ';
	va_start(arguments, format);
	vsnprintf(world->log + used, sizeof world->log - used, format,
		  arguments);
	va_end(arguments);
}

static struct world *world_of(const struct home *home)
{
	return home->context->pool;
}

static int fake_prepare(struct home *home)
{
	struct world *world = world_of(home);

	note(world, "prepare");
	home->files.cap = 2;
	home->store.stateful = world->stateful;
	if (world->prepare < 0)
		home_fail(home, "cannot read 'etc/promise-run.conf'");
	return world->prepare;
}

static int fake_open_state(struct home *home)
{
	note(world_of(home), "open");
	home->store.state.base_path = strdup("/h/.slapgrid/promise");
	return world_of(home)->open;
}

static int fake_try_lock(struct home *home)
{
	struct world *world = world_of(home);
	int status = world->lock_calls < 4 ? world->locks[world->lock_calls]
					   : 0;

	world->lock_calls++;
	note(world, "lock=%d", status);
	if (status < 0)
		home_fail(home, "cannot lock: Input/output error");
	return status;
}

static int fake_watch_lock(struct home *home)
{
	note(world_of(home), "watch");
	if (world_of(home)->watch < 0)
		home_fail(home, "cannot wait for the lock");
	return world_of(home)->watch;
}

/* The plan: promises p0, p1, ... with the world's dispositions. */
static int fake_plan(struct home *home)
{
	struct world *world = world_of(home);
	struct home_report *report = home->report;
	size_t count = world->promises;

	note(world, "plan");
	if (world->plan < 0) {
		home_fail(home, "out of memory");
		return -1;
	}
	report->list.promises = calloc(count + 1, sizeof *report->list.promises);
	report->plan.entries = calloc(count + 1, sizeof *report->plan.entries);
	report->plan.timings = calloc(1, sizeof *report->plan.timings);
	report->results = calloc(count + 1, sizeof *report->results);
	ck_assert(report->list.promises && report->plan.entries &&
		  report->plan.timings && report->results);
	report->plan.timings[0].timeout.seconds = 20;
	report->plan.timings[0].kill_after = 1;
	/* One block of names, as the scan makes it: each its own title. */
	report->list.names = calloc(count + 1, NAME_SIZE);
	ck_assert_ptr_nonnull(report->list.names);
	report->list.count = report->plan.count = count;
	report->list.plugin_count = world->plugins;
	for (size_t i = 0; i < count; i++) {
		struct plan_entry *entry = &report->plan.entries[i];
		char *name = report->list.names + NAME_SIZE * i;

		snprintf(name, NAME_SIZE, "p%zu", i);
		report->list.promises[i].name = name;
		report->list.promises[i].title = name;
		entry->disposition = world->dispositions[i];
		entry->timing = &report->plan.timings[0];
		entry->plugin = i < world->plugins;
		report->list.promises[i].plugin = entry->plugin;
		if (entry->disposition != PLAN_RUN) {
			report->results[i].known = true;
			report->results[i].status = PROMISE_DISABLED;
			report->results[i].message = strdup("disabled");
		}
	}
	return 0;
}

static bool fake_write(struct home *home, size_t step)
{
	note(world_of(home), "write%zu", step);
	return step < world_of(home)->write_steps;
}

static void fake_close(struct home *home)
{
	note(world_of(home), "close");
	free(home->store.state.base_path);
	home->store.state.base_path = NULL;
}

static char *fake_first_line(struct home *home, size_t promise)
{
	note(world_of(home), "first-line%zu", promise);
	return strdup("#!/missing/interpreter");
}

static int fake_spawn(void *pool, struct home *home, size_t promise,
                      struct timespec stop_at)
{
	struct world *world = pool;

	(void)home;
	note(world, "spawn%zu", promise);
	world->stop_at = stop_at;
	return world->spawn;
}

/* The runner's outcome: each plugin the plan runs fails but the first. */
static int fake_plugin_results(struct home *home,
                               const struct runner_outcome *outcome)
{
	struct home_report *report = home->report;

	note(world_of(home), "plugin-results%zu", outcome->promise);
	for (size_t i = 0; i < report->list.plugin_count; i++) {
		if (report->plan.entries[i].disposition != PLAN_RUN)
			continue;
		report->results[i] = (struct promise_result){
			.known = true,
			.status = i ? PROMISE_FAILED : PROMISE_OK,
			.failed = i != 0,
			.exit_code = RESULT_NO_EXIT_CODE,
			.message = strdup("from its file"),
		};
	}
	return 0;
}

static void fake_running(void *sinks, struct home *home)
{
	(void)home;
	note(sinks, "running");
}

static void fake_judged(void *sinks, struct home *home, size_t promise)
{
	(void)home;
	note(sinks, "judged%zu", promise);
}

static void fake_complete(void *sinks, struct home *home)
{
	(void)home;
	note(sinks, "complete");
}

static void fake_say(void *sinks, const char *message)
{
	note(sinks, "say(%s)", message);
}

static void fake_done(void *sinks, struct home *home)
{
	(void)home;
	note(sinks, "done");
}

static const struct home_ops fake_ops = {
	.prepare = fake_prepare,
	.open_state = fake_open_state,
	.try_lock = fake_try_lock,
	.watch_lock = fake_watch_lock,
	.plan = fake_plan,
	.write = fake_write,
	.close = fake_close,
	.first_line = fake_first_line,
	.spawn = fake_spawn,
	.plugin_results = fake_plugin_results,
	.running = fake_running,
	.judged = fake_judged,
	.complete = fake_complete,
	.say = fake_say,
	.done = fake_done,
};

/* A world of `promises` promises to run, state written, no deadline. */
static struct world *new_world(size_t promises)
{
	struct world *world = calloc(1, sizeof *world);

	ck_assert_ptr_nonnull(world);
	world->stateful = true;
	world->promises = promises;
	world->write_steps = 2;
	settings_resolve(NULL, NULL, NULL, false, &world->run);
	world->context = (struct home_context){
		.cli = &world->cli,
		.run = &world->run,
		.ops = &fake_ops,
		.pool = world,
		.sinks = world,
	};
	world->report.home = strdup("/h");
	home_init(&world->home, 0, &world->report, &world->context);
	return world;
}

static void free_world(struct world *world)
{
	home_release(&world->home);
	report_home_release(&world->report);
	free(world);
}

#define NOW helper_time(100, 0)

static void step(struct world *world, enum home_event_kind kind,
                 struct timespec now)
{
	struct home_event event = { .kind = kind };

	home_step(&world->home, &event, now);
}

/* Promise `promise` exited with `status` (or was interrupted). */
static void finish(struct world *world, size_t promise, int exit_code,
                   bool interrupted)
{
	struct runner_outcome outcome = {
		.promise = promise,
		.started = true,
		.exited = !interrupted,
		.wait_status = exit_code << 8,
		.interrupted = interrupted,
		.cpu_seconds = -1,
		.memory_peak = -1,
		.duration = 0.5,
		.ended = helper_time(1800000000, 0),
		.output = strdup(""),
	};
	struct home_event event = { .kind = HOME_FINISHED, .outcome = &outcome };

	home_step(&world->home, &event, NOW);
}

#define ASSERT_LOG(world, expected) do { \
	ck_assert_str_eq((world)->log, expected); \
	(world)->log[0] = '\0'; \
} while (0)

START_TEST(test_a_home_runs_its_promises_writes_its_state_and_hands_over)
{
	struct world *world = new_world(3);

	world->dispositions[1] = PLAN_DISABLED;
	step(world, HOME_OPEN, NOW);
	ASSERT_LOG(world, "prepare open lock=0 plan running judged1");
	ck_assert_int_eq(world->home.phase, HOME_RUNNING);
	/* One promise a slot, the entries not run passed over. */
	step(world, HOME_SLOT_FREE, NOW);
	step(world, HOME_SLOT_FREE, NOW);
	ASSERT_LOG(world, "spawn0 spawn2");
	ck_assert(!home_has_queue(&world->home));
	/* With no deadline, nothing stops a promise but its timeout. */
	ck_assert_int_eq(world->stop_at.tv_sec, 0);
	ck_assert_int_eq(world->stop_at.tv_nsec, 0);
	/* When each last worked: kept by a failure, now for a success. */
	world->report.results[2].last_success = 77;
	finish(world, 2, 1, false);
	ASSERT_LOG(world, "judged2");
	ck_assert(world->report.results[2].failed);
	ck_assert_int_eq(world->report.results[2].last_success, 77);
	ck_assert_uint_ge(world->report.results[2].transaction, 100);
	finish(world, 0, 0, false);
	ASSERT_LOG(world, "judged0 complete");
	ck_assert_int_eq(world->report.results[0].last_success, 1800000000);
	ck_assert_int_eq(world->home.phase, HOME_COMMITTING);
	ck_assert_uint_eq(world->report.summary.promises, 2);
	ck_assert_uint_eq(world->report.summary.not_working, 1);
	ck_assert_uint_eq(world->report.summary.disabled, 1);
	/* Its state written one step an event, then handed over. */
	step(world, HOME_WRITE, NOW);
	step(world, HOME_WRITE, NOW);
	ck_assert_int_eq(world->home.phase, HOME_COMMITTING);
	step(world, HOME_WRITE, NOW);
	ASSERT_LOG(world, "write0 write1 write2 close done");
	ck_assert_int_eq(world->home.phase, HOME_DONE);
	ck_assert_ptr_null(world->home.report);
	ck_assert(!world->home.broken);
	free_world(world);
}
END_TEST

START_TEST(test_a_homes_plugins_go_out_as_one_runner_whose_end_gives_each_its_result)
{
	struct world *world = new_world(5);

	/* Plugins p0 to p2 (p1 unselected), legacy promises p3 and p4. */
	world->plugins = 3;
	world->dispositions[1] = PLAN_UNSELECTED;
	step(world, HOME_OPEN, NOW);
	ASSERT_LOG(world, "prepare open lock=0 plan running judged1");
	/* The runner takes one slot for every plugin; the next, p3. */
	step(world, HOME_SLOT_FREE, NOW);
	ASSERT_LOG(world, "spawn0");
	ck_assert_uint_eq(world->home.next, 3);
	ck_assert_uint_eq(world->home.waiting, 1);
	step(world, HOME_SLOT_FREE, NOW);
	step(world, HOME_SLOT_FREE, NOW);
	/* The runner holds one of the home's 2 slots as any promise. */
	ASSERT_LOG(world, "spawn3");
	finish(world, 3, 0, false);
	step(world, HOME_SLOT_FREE, NOW);
	finish(world, 4, 0, false);
	ASSERT_LOG(world, "judged3 spawn4 judged4");
	/* Its one outcome: a result for each plugin it ran, told. */
	finish(world, 0, 2, false);
	ASSERT_LOG(world, "plugin-results0 judged0 judged2 complete");
	ck_assert_int_eq(world->home.phase, HOME_COMMITTING);
	ck_assert_uint_eq(world->report.summary.promises, 4);
	ck_assert_uint_eq(world->report.summary.not_working, 1);
	free_world(world);
}
END_TEST

START_TEST(test_the_deadline_does_not_mark_plugins_the_runner_took)
{
	struct world *world = new_world(3);

	world->plugins = 2;
	world->context.has_deadline = true;
	world->context.end = helper_time(200, 0);
	step(world, HOME_OPEN, NOW);
	step(world, HOME_SLOT_FREE, NOW);
	ASSERT_LOG(world, "prepare open lock=0 plan running spawn0");
	/* The deadline: p2, not given out, is not run; the plugins wait. */
	step(world, HOME_DEADLINE, NOW);
	ASSERT_LOG(world, "judged2");
	ck_assert_int_eq(world->report.results[2].status, PROMISE_NOT_RUN);
	ck_assert(!world->report.results[1].known);
	finish(world, 0, 0, false);
	ASSERT_LOG(world, "plugin-results0 judged0 judged1 complete");
	free_world(world);
}
END_TEST

START_TEST(test_a_home_without_state_is_handed_over_with_its_last_result)
{
	struct world *world = new_world(1);

	world->stateful = false;
	step(world, HOME_OPEN, NOW);
	step(world, HOME_SLOT_FREE, NOW);
	finish(world, 0, 0, false);
	ASSERT_LOG(world, "prepare open plan running spawn0 judged0 complete close done");
	ck_assert_int_eq(world->home.phase, HOME_DONE);
	free_world(world);
}
END_TEST

START_TEST(test_a_home_with_nothing_to_run_is_over_at_once)
{
	struct world *world = new_world(1);

	world->stateful = false;
	world->dispositions[0] = PLAN_DISABLED;
	step(world, HOME_OPEN, NOW);
	ck_assert_int_eq(world->home.phase, HOME_RUNNING);
	step(world, HOME_SLOT_FREE, NOW);
	ASSERT_LOG(world, "prepare open plan running judged0 complete close done");
	free_world(world);
}
END_TEST

START_TEST(test_a_home_that_cannot_be_prepared_says_why_and_is_handed_over)
{
	struct world *world = new_world(1);

	world->prepare = -1;
	step(world, HOME_OPEN, NOW);
	ASSERT_LOG(world, "prepare say(cannot read 'etc/promise-run.conf') close done");
	ck_assert_int_eq(world->home.phase, HOME_DONE);
	ck_assert(world->home.broken);
	ck_assert_str_eq(world->report.error, "cannot read 'etc/promise-run.conf'");
	free_world(world);
}
END_TEST

START_TEST(test_a_home_whose_plan_fails_is_handed_over_unchecked)
{
	struct world *world = new_world(1);

	world->plan = -1;
	step(world, HOME_OPEN, NOW);
	ASSERT_LOG(world, "prepare open lock=0 plan say(out of memory) close done");
	ck_assert_str_eq(world->report.error, "out of memory");
	free_world(world);
}
END_TEST

START_TEST(test_a_locked_home_without_wait_is_reported_locked)
{
	struct world *world = new_world(1);

	world->locks[0] = 1;
	step(world, HOME_OPEN, NOW);
	ASSERT_LOG(world, "prepare open lock=1 say('/h' is locked by another run: '/h/.slapgrid/promise/promise-run.lock' is held (use --wait to wait)) close done");
	ck_assert(world->home.broken);
	free_world(world);
}
END_TEST

START_TEST(test_a_lock_that_fails_fails_the_home)
{
	struct world *world = new_world(1);

	world->locks[0] = -1;
	step(world, HOME_OPEN, NOW);
	ASSERT_LOG(world, "prepare open lock=-1 say(cannot lock: Input/output error) close done");
	free_world(world);
}
END_TEST

START_TEST(test_with_wait_a_locked_home_waits_then_runs_when_freed)
{
	struct world *world = new_world(1);

	world->cli.wait = true;
	world->locks[0] = world->locks[1] = world->locks[2] = 1;
	step(world, HOME_OPEN, NOW);
	/* Watched, then tried again: a release may come between. */
	ASSERT_LOG(world, "prepare open lock=1 watch lock=1");
	ck_assert_int_eq(world->home.phase, HOME_WAITING);
	ck_assert(home_not_started(&world->home));
	/* No deadline: the wait is bounded by the wait-timeout's default. */
	ck_assert(world->home.wait_bounded);
	ck_assert_int_eq(world->home.wait_end.tv_sec, 160);
	step(world, HOME_LOCK_FREED, NOW);
	ASSERT_LOG(world, "lock=1");
	ck_assert_int_eq(world->home.phase, HOME_WAITING);
	step(world, HOME_LOCK_FREED, NOW);
	ASSERT_LOG(world, "lock=0 plan running");
	ck_assert_int_eq(world->home.phase, HOME_RUNNING);
	free_world(world);
}
END_TEST

START_TEST(test_with_wait_and_a_deadline_the_deadline_bounds_the_wait)
{
	struct world *world = new_world(1);

	world->cli.wait = true;
	world->locks[0] = world->locks[1] = 1;
	world->run.values[SETTING_DEADLINE].seconds = 30;
	step(world, HOME_OPEN, NOW);
	ck_assert_int_eq(world->home.phase, HOME_WAITING);
	ck_assert(!world->home.wait_bounded);
	/* The deadline fails it, saying it was locked. */
	step(world, HOME_DEADLINE, NOW);
	ck_assert_str_eq(world->report.error,
			 "'/h' was not checked: the run's deadline came first (it was locked by another run)");
	ck_assert_int_eq(world->home.phase, HOME_DONE);
	free_world(world);
}
END_TEST

START_TEST(test_a_wait_that_is_over_tries_a_last_time_then_reports_locked)
{
	struct world *world = new_world(1);

	world->cli.wait = true;
	world->locks[0] = world->locks[1] = world->locks[2] = 1;
	step(world, HOME_OPEN, NOW);
	world->log[0] = '\0';
	step(world, HOME_WAIT_OVER, helper_time(160, 0));
	ASSERT_LOG(world, "lock=1 say('/h' is locked by another run: '/h/.slapgrid/promise/promise-run.lock' was still held after a wait of 60s (--wait-timeout)) close done");
	free_world(world);
}
END_TEST

START_TEST(test_a_watch_that_fails_fails_the_home)
{
	struct world *world = new_world(1);

	world->cli.wait = true;
	world->locks[0] = 1;
	world->watch = -1;
	step(world, HOME_OPEN, NOW);
	ASSERT_LOG(world, "prepare open lock=1 watch say(cannot wait for the lock) close done");
	free_world(world);
}
END_TEST

START_TEST(test_the_deadline_marks_promises_not_given_out_not_run)
{
	struct world *world = new_world(3);

	world->stateful = false;
	step(world, HOME_OPEN, NOW);
	step(world, HOME_SLOT_FREE, NOW);
	world->log[0] = '\0';
	world->report.results[1].last_success = 1234;
	step(world, HOME_DEADLINE, NOW);
	ASSERT_LOG(world, "judged1 judged2");
	ck_assert_int_eq(world->report.results[1].status, PROMISE_NOT_RUN);
	/* Not run is no news of when it last worked: that stays. */
	ck_assert_int_eq(world->report.results[1].last_success, 1234);
	ck_assert_int_eq(world->report.results[2].status, PROMISE_NOT_RUN);
	/* The one running still counts: the home waits for it. */
	ck_assert_int_eq(world->home.phase, HOME_RUNNING);
	finish(world, 0, 0, false);
	ASSERT_LOG(world, "judged0 complete close done");
	free_world(world);
}
END_TEST

START_TEST(test_a_promise_is_stopped_before_the_runs_end_or_not_started)
{
	struct world *world = new_world(2);

	/* The run ends at 110: a 1 s kill-after and the drain stop it before. */
	world->context.has_deadline = true;
	world->context.end = helper_time(110, 0);
	step(world, HOME_OPEN, NOW);
	world->log[0] = '\0';
	step(world, HOME_SLOT_FREE, NOW);
	ck_assert_int_eq(world->stop_at.tv_sec, 108);
	ck_assert_int_eq(world->stop_at.tv_nsec, 900000000);
	/* Past its stop time, a promise is not run at all. */
	step(world, HOME_SLOT_FREE, helper_time(108, 900000000));
	ASSERT_LOG(world, "spawn0 judged1");
	ck_assert_int_eq(world->report.results[1].status, PROMISE_NOT_RUN);
	free_world(world);
}
END_TEST

START_TEST(test_a_stop_fails_no_home_but_reports_those_not_started)
{
	struct world *world = new_world(1);

	step(world, HOME_STOP, NOW);
	ASSERT_LOG(world, "close done");
	ck_assert_str_eq(world->report.error,
			 "promise-run was stopped before it could be checked");
	ck_assert(!world->home.broken);
	free_world(world);
}
END_TEST

START_TEST(test_a_stopped_home_gives_out_nothing_more_and_ends_with_its_last)
{
	struct world *world = new_world(3);

	step(world, HOME_OPEN, NOW);
	step(world, HOME_SLOT_FREE, NOW);
	world->log[0] = '\0';
	step(world, HOME_STOP, NOW);
	ck_assert(!home_wants_slot(&world->home));
	step(world, HOME_SLOT_FREE, NOW);
	ASSERT_LOG(world, "");
	/* Interrupted: no result, yet the home is complete. */
	finish(world, 0, 0, true);
	ASSERT_LOG(world, "complete");
	ck_assert(!world->report.results[0].known);
	ck_assert_int_eq(world->home.phase, HOME_COMMITTING);
	free_world(world);
}
END_TEST

START_TEST(test_a_start_no_slot_took_is_given_again)
{
	struct world *world = new_world(2);

	step(world, HOME_OPEN, NOW);
	world->log[0] = '\0';
	world->spawn = -1;
	step(world, HOME_SLOT_FREE, NOW);
	world->spawn = 0;
	step(world, HOME_SLOT_FREE, NOW);
	ASSERT_LOG(world, "spawn0 spawn0");
	ck_assert_uint_eq(world->home.running, 1);
	free_world(world);
}
END_TEST

START_TEST(test_a_home_takes_no_more_slots_than_its_cap)
{
	struct world *world = new_world(3);

	step(world, HOME_OPEN, NOW);
	step(world, HOME_SLOT_FREE, NOW);
	ck_assert(home_wants_slot(&world->home));
	step(world, HOME_SLOT_FREE, NOW);
	/* Its cap (2, from prepare) is reached: one is still queued. */
	ck_assert(!home_wants_slot(&world->home));
	ck_assert(home_has_queue(&world->home));
	finish(world, 0, 0, false);
	ck_assert(home_wants_slot(&world->home));
	free_world(world);
}
END_TEST

START_TEST(test_a_promise_that_finished_at_once_holds_no_slot)
{
	struct world *world = new_world(1);
	struct runner_outcome outcome = {
		.promise = 0,
		.started = false,
		.start_error = 24,
		.cpu_seconds = -1,
		.memory_peak = -1,
	};
	struct home_event event = { .kind = HOME_FINISHED, .outcome = &outcome };

	world->stateful = false;
	world->spawn = 1;
	step(world, HOME_OPEN, NOW);
	step(world, HOME_SLOT_FREE, NOW);
	ck_assert_uint_eq(world->home.running, 0);
	ck_assert_uint_eq(world->home.waiting, 1);
	home_step(&world->home, &event, NOW);
	ck_assert_int_eq(world->home.phase, HOME_DONE);
	free_world(world);
}
END_TEST

START_TEST(test_an_exec_failure_for_a_missing_file_reads_its_first_line)
{
	struct world *world = new_world(1);
	struct runner_outcome outcome = {
		.promise = 0,
		.started = true,
		.exec_failed = true,
		.failure = { .stage = SPAWN_STAGE_EXEC, .error = 2 },
		.cpu_seconds = -1,
		.memory_peak = -1,
	};
	struct home_event event = { .kind = HOME_FINISHED, .outcome = &outcome };

	step(world, HOME_OPEN, NOW);
	step(world, HOME_SLOT_FREE, NOW);
	world->log[0] = '\0';
	home_step(&world->home, &event, NOW);
	ASSERT_LOG(world, "first-line0 judged0 complete");
	ck_assert_ptr_nonnull(strstr(world->report.results[0].message,
				     "/missing/interpreter"));
	free_world(world);
}
END_TEST

START_TEST(test_a_write_that_cannot_go_on_hands_the_home_over)
{
	struct world *world = new_world(1);

	world->write_steps = 0;
	step(world, HOME_OPEN, NOW);
	step(world, HOME_SLOT_FREE, NOW);
	finish(world, 0, 0, false);
	world->log[0] = '\0';
	step(world, HOME_WRITE, NOW);
	ASSERT_LOG(world, "write0 close done");
	free_world(world);
}
END_TEST

START_TEST(test_listing_plans_without_lock_and_hands_over)
{
	struct world *world = new_world(2);

	step(world, HOME_LIST, NOW);
	ASSERT_LOG(world, "prepare open plan close done");
	ck_assert_int_eq(world->home.phase, HOME_DONE);
	free_world(world);
}
END_TEST

START_TEST(test_events_out_of_their_phase_change_nothing)
{
	struct world *world = new_world(1);

	step(world, HOME_WRITE, NOW);
	step(world, HOME_LOCK_FREED, NOW);
	step(world, HOME_WAIT_OVER, NOW);
	step(world, HOME_SLOT_FREE, NOW);
	ASSERT_LOG(world, "");
	ck_assert_int_eq(world->home.phase, HOME_NEW);
	step(world, HOME_OPEN, NOW);
	world->log[0] = '\0';
	step(world, HOME_OPEN, NOW);
	ASSERT_LOG(world, "");
	free_world(world);
}
END_TEST

Suite *home_suite(void)
{
	Suite *suite = suite_create("home");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_a_home_runs_its_promises_writes_its_state_and_hands_over);
	tcase_add_test(tc, test_a_home_without_state_is_handed_over_with_its_last_result);
	tcase_add_test(tc, test_a_home_with_nothing_to_run_is_over_at_once);
	tcase_add_test(tc, test_a_home_that_cannot_be_prepared_says_why_and_is_handed_over);
	tcase_add_test(tc, test_a_home_whose_plan_fails_is_handed_over_unchecked);
	tcase_add_test(tc, test_a_locked_home_without_wait_is_reported_locked);
	tcase_add_test(tc, test_a_lock_that_fails_fails_the_home);
	tcase_add_test(tc, test_with_wait_a_locked_home_waits_then_runs_when_freed);
	tcase_add_test(tc, test_with_wait_and_a_deadline_the_deadline_bounds_the_wait);
	tcase_add_test(tc, test_a_wait_that_is_over_tries_a_last_time_then_reports_locked);
	tcase_add_test(tc, test_a_watch_that_fails_fails_the_home);
	tcase_add_test(tc, test_the_deadline_marks_promises_not_given_out_not_run);
	tcase_add_test(tc, test_a_promise_is_stopped_before_the_runs_end_or_not_started);
	tcase_add_test(tc, test_a_stop_fails_no_home_but_reports_those_not_started);
	tcase_add_test(tc, test_a_stopped_home_gives_out_nothing_more_and_ends_with_its_last);
	tcase_add_test(tc, test_a_start_no_slot_took_is_given_again);
	tcase_add_test(tc, test_a_home_takes_no_more_slots_than_its_cap);
	tcase_add_test(tc, test_a_promise_that_finished_at_once_holds_no_slot);
	tcase_add_test(tc, test_an_exec_failure_for_a_missing_file_reads_its_first_line);
	tcase_add_test(tc, test_a_write_that_cannot_go_on_hands_the_home_over);
	tcase_add_test(tc, test_listing_plans_without_lock_and_hands_over);
	tcase_add_test(tc, test_events_out_of_their_phase_change_nothing);
	tcase_add_test(tc, test_a_homes_plugins_go_out_as_one_runner_whose_end_gives_each_its_result);
	tcase_add_test(tc, test_the_deadline_does_not_mark_plugins_the_runner_took);
	suite_add_tcase(suite, tc);
	return suite;
}
