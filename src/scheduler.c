/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * scheduler: every home, one pool of slots the homes take in turn, one
 * wait for everything.  It routes events to the homes (see home), which
 * alone move through their phases; their results go to the sinks.
 */
#include "scheduler.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "complain.h"
#include "deadline.h"
#include "home.h"
#include "home_files.h"
#include "home_plugins.h"
#include "home_store.h"
#include "lock_waits.h"
#include "monotime.h"
#include "pool.h"
#include "progress.h"
#include "runner.h"
#include "sinks.h"

/* A state write is begun only this long before the nearest deadline. */
#define COMMIT_MARGIN 0.05

struct scheduler {
	const struct scheduler_input *in;
	const struct cli_options *cli;
	const struct setting_values *run;   /* the settings of the whole run */
	struct home_context context;        /* what every home shares */
	struct home *homes;
	size_t count;
	struct runner runner;
	struct sinks sinks;
	struct lock_waits lock_waits;       /* homes waiting for their lock */
	struct pool pool;                   /* which home gets a free slot */
	bool start_refused;                 /* the runner took no more now */
	struct progress progress;
	bool deadline_passed;
	int stop_signal;
	bool stopping, stopped_hard;
	bool broken;
	struct timespec started;
	bool *only_found;                   /* per --only name: seen in a home */
	bool *section_found;                /* per operator's [promise:NAME] */
};

/*
 * The `prepare` operation: a home's files, and which --only names and
 * sections of the operator's file its promises answer.
 */
static int prepare(struct home *home)
{
	struct scheduler *s = home->context->pool;
	const struct promise_list *list = &home->report->list;
	const struct config *config = s->in->operator_config;
	int status = home_files_prepare(home);

	for (size_t n = 0; n < s->cli->only.count; n++)
		s->only_found[n] |= scan_has_promise(list, s->cli->only.words[n]);
	if (config)
		plan_sections_named(config, list, s->section_found);
	return status;
}

/* The `spawn` operation: one promise of a home to the runner. */
static int spawn(void *pool, struct home *home, size_t promise,
                 struct timespec stop_at)
{
	struct scheduler *s = pool;
	const struct home_report *report = home->report;
	const struct plan_entry *entry = &report->plan.entries[promise];
	/* A plugin: slapos.core's runner, under the software python. */
	char **argv = entry->plugin ? home_plugins_command(home) : NULL;
	char **envp = entry->plugin ? home_plugins_environment(home->files.envp)
				    : NULL;
	char *path = entry->plugin ? NULL
				   : report_promise_path(report, promise);
	struct declared_check declared;
	enum home_check_place place =
		home_files_check_place(home, promise, path, &declared);
	int status;

	if (entry->plugin ? !argv || !envp : !path) {
		free(argv);
		free(envp);
		complain("out of memory");
		s->broken = true;
		s->start_refused = true;
		return -1;
	}
	struct runner_task task = {
		.path = argv ? argv[0] : path,
		.argv = argv,
		.workdir = report->home,
		.envp = envp ? envp : home->files.envp,
		.credentials = home->files.user.change ? &home->files.user : NULL,
		.timeout = entry->plugin ? home_plugins_runner_timeout(home)
					 : entry->timing->timeout.seconds,
		.kill_after = entry->timing->kill_after,
		.stop_at = stop_at,
		.home = home->index,
		.promise = promise,
		.declared = place == HOME_CHECK_INSIDE ? &declared : NULL,
		.in_helper = place == HOME_CHECK_HELPER,
	};
	status = runner_start(&s->runner, &task);
	free(path);
	free(argv);
	free(envp);
	if (status < 0)
		s->start_refused = true;    /* out of descriptors: wait */
	return status;
}

static void sink_running(void *sinks, struct home *home)
{
	sinks_running(sinks, home->index);
}

static void sink_judged(void *sinks, struct home *home, size_t promise)
{
	sinks_judged(sinks, home->index, promise);
}

static void sink_complete(void *sinks, struct home *home)
{
	struct scheduler *s = home->context->pool;

	/* Nothing more of it runs: its check helper may end. */
	runner_home_done(&s->runner, home->index);
	sinks_complete(sinks, home->index);
}

static void sink_say(void *sinks, const char *message)
{
	(void)sinks;
	sinks_say(message);
}

static void sink_done(void *sinks, struct home *home)
{
	sinks_done(sinks, home->index);
}

static const struct home_ops home_ops = {
	.prepare = prepare,
	.open_state = home_store_open,
	.try_lock = home_store_try_lock,
	.watch_lock = home_store_watch_lock,
	.plan = home_store_plan,
	.write = home_store_write,
	.close = home_store_close,
	.first_line = home_files_first_line,
	.mark_in_process = home_files_mark_in_process,
	.spawn = spawn,
	.plugin_results = home_plugins_results,
	.running = sink_running,
	.judged = sink_judged,
	.complete = sink_complete,
	.say = sink_say,
	.done = sink_done,
};

/* Hands every outcome the runner has to its home. */
static void collect(struct scheduler *s)
{
	struct runner_outcome outcome;

	while (runner_next_outcome(&s->runner, &outcome)) {
		struct home_event event = { .kind = HOME_FINISHED,
					    .outcome = &outcome };

		home_step(&s->homes[outcome.home], &event, monotime_now());
	}
}

/* Gives out promises as slots free, one to each home in turn. */
static void dispatch(struct scheduler *s)
{
	s->start_refused = false;
	while (!s->stopping && runner_can_start(&s->runner)) {
		size_t i = pool_next(&s->pool, s->homes);

		if (i == s->count)
			break;
		/* Opened only now: memory for few homes. */
		if (i == s->pool.reached) {
			home_tell(&s->homes[s->pool.reached++], HOME_OPEN);
			continue;
		}
		home_tell(&s->homes[i], HOME_SLOT_FREE);
		if (s->start_refused)
			break;
		pool_took(&s->pool, i);
	}
	pool_advance(&s->pool, s->homes);
}

/* Whether a state write may begin: no deadline within the margin. */
static bool time_to_write(const struct scheduler *s)
{
	struct timespec nearest;

	return !runner_next_deadline(&s->runner, &nearest) ||
	       monotime_seconds(monotime_now(), nearest) > COMMIT_MARGIN;
}

/*
 * Commits what can be committed now.  A commit kept by a near deadline
 * goes on after it: the wait wakes for that deadline anyway.
 */
static void commit_homes(struct scheduler *s)
{
	for (size_t i = 0; i < s->count; i++)
		while (s->homes[i].phase == HOME_COMMITTING && time_to_write(s))
			home_tell(&s->homes[i], HOME_WRITE);
}

/* Homes done, promises running, the slowest: for the progress line. */
static void update_progress(struct scheduler *s)
{
	const char *slowest = NULL, *slowest_home = NULL;
	size_t done = 0, home, promise;
	double seconds = 0;

	if (!s->progress.enabled)
		return;
	for (size_t i = 0; i < s->count; i++)
		done += s->homes[i].phase == HOME_DONE;
	if (runner_oldest(&s->runner, &home, &promise, &seconds)) {
		const struct home_report *report = s->homes[home].report;

		slowest_home = report->home;
		slowest = report->list.promises[promise].name;
	}
	progress_set(&s->progress, done, s->count, s->runner.running,
		     slowest_home, slowest, seconds);
}

/* What happens when the run's deadline comes: nothing more starts. */
static void deadline_comes(struct scheduler *s)
{
	s->deadline_passed = true;
	for (size_t i = 0; i < s->count; i++)
		home_tell(&s->homes[i], HOME_DEADLINE);
}

/* promise-run is asked to stop: the first time politely, then hard. */
static void stop(struct scheduler *s, int signo, unsigned count)
{
	if (!s->stopping) {
		s->stopping = true;
		s->stop_signal = signo;
		runner_stop(&s->runner, false);
		count--;
		for (size_t i = 0; i < s->count; i++)
			home_tell(&s->homes[i], HOME_STOP);
	}
	if (count > 0 && !s->stopped_hard) {
		s->stopped_hard = true;
		runner_stop(&s->runner, true);
	}
}

static bool all_done(const struct scheduler *s)
{
	for (size_t i = 0; i < s->count; i++)
		if (s->homes[i].phase != HOME_DONE)
			return false;
	return s->runner.running == 0;
}

/* The earlier of *wake_at (NULL: none) and `when`, into *wake. */
static void wake_by(struct timespec *wake, struct timespec **wake_at,
                    struct timespec when)
{
	if (!*wake_at || monotime_before(when, **wake_at)) {
		*wake = when;
		*wake_at = wake;
	}
}

/* Sets up the polls and waits once; false when the loop must end. */
static bool wait_once(struct scheduler *s)
{
	struct pollfd polls[3];
	nfds_t count = 0;
	int out_index = -1, progress_index = -1, lock_index = -1;
	struct timespec wake, progress_wake, lock_wake, *wake_at = NULL;
	struct signals_news news;
	bool waiting = lock_waits_poll(&s->lock_waits, s->homes, s->count,
				       &polls[count], &lock_wake);

	if (waiting) {
		wake_by(&wake, &wake_at, lock_wake);
		if (s->lock_waits.polled)
			lock_index = (int)count++;
	}
	if (s->sinks.streamed && outq_pending(&s->sinks.out)) {
		out_index = (int)count;
		polls[count++] = outq_poll(&s->sinks.out);
	}
	if (progress_poll(&s->progress, &polls[count], &progress_wake))
		progress_index = (int)count++;
	else if (s->progress.enabled && s->progress.dirty)
		wake_by(&wake, &wake_at, progress_wake);
	if (s->context.has_deadline && !s->deadline_passed)
		wake_by(&wake, &wake_at, s->context.end);
	if (runner_wait(&s->runner, polls, count, wake_at, &news) < 0) {
		complain("cannot wait for the promises: %s", strerror(errno));
		s->broken = true;
		stop(s, 0, 2);
		return false;
	}
	if (news.stops)
		stop(s, news.stop, news.stops);
	if (out_index >= 0 && polls[out_index].revents) {
		outq_write_ready(&s->sinks.out);
		/* The reader went away (| head): stop as SIGPIPE would. */
		if (s->sinks.out.error == EPIPE && !s->stopping)
			stop(s, SIGPIPE, 1);
	}
	lock_waits_handle(&s->lock_waits, s->homes, s->count,
			  lock_index >= 0 ? polls[lock_index].revents : 0);
	if (progress_index >= 0 && polls[progress_index].revents)
		progress_write_ready(&s->progress);
	if (s->context.has_deadline && !s->deadline_passed &&
	    !monotime_before(monotime_now(), s->context.end))
		deadline_comes(s);
	return true;
}

/* The loop: give out, collect, commit, wait. */
static void run_loop(struct scheduler *s)
{
	for (;;) {
		dispatch(s);
		collect(s);
		commit_homes(s);
		update_progress(s);
		if (all_done(s))
			return;
		if (!wait_once(s))
			return;
		collect(s);
	}
}

/*
 * The real path of each home, once each: a home given twice, or through
 * a link, is checked once.  A home that cannot be resolved stays, to be
 * reported.
 */
static int resolve_homes(struct scheduler *s)
{
	static char *const current[] = { "." };
	char *const *given = s->in->home_count ? s->in->homes : current;
	size_t count = s->in->home_count ? s->in->home_count : 1;
	struct run_report *report = &s->sinks.report;

	s->homes = calloc(count, sizeof *s->homes);
	if (!s->homes)
		return -1;
	for (size_t i = 0; i < count; i++) {
		const char *refusal = s->in->home_count && s->in->refusals
					      ? s->in->refusals[i]
					      : NULL;
		/* A refused home is named as given: a link is not resolved. */
		char *real = refusal ? NULL : realpath(given[i], NULL);
		bool seen = false;

		for (size_t j = 0; real && j < report->count && !seen; j++)
			seen = strcmp(report->homes[j].home, real) == 0;
		if (seen) {
			free(real);
			continue;
		}
		home_init(&s->homes[report->count], report->count,
			  &report->homes[report->count], &s->context);
		s->homes[report->count].refusal = refusal;
		report->homes[report->count++].home = real ? real
							   : strdup(given[i]);
		if (!report->homes[report->count - 1].home)
			return -1;
	}
	s->count = report->count;
	return 0;
}

/*
 * An --only name that names no promise in any home is a mistake; a
 * section of the operator's file that names none is worth a warning.
 * Known only once every home was prepared: not after a stop.
 */
static void check_names(struct scheduler *s)
{
	const struct config *config = s->in->operator_config;

	if (s->stopping || s->deadline_passed)
		return;
	for (size_t n = 0; n < s->cli->only.count; n++) {
		if (!s->only_found[n]) {
			complain("option '--only': no promise is named '%s' in any instance home",
				 s->cli->only.words[n]);
			s->broken = true;
		}
	}
	for (size_t n = 0; config && n < config->promise_count; n++)
		if (!s->section_found[n])
			complain("warning: %s:%d: [promise:%s] names no promise in any instance home",
				 config->path, config->promises[n].line,
				 config->promises[n].name);
}

static void release(struct scheduler *s)
{
	for (size_t i = 0; i < s->count; i++)
		home_release(&s->homes[i]);
	free(s->homes);
	free(s->only_found);
	free(s->section_found);
	sinks_release(&s->sinks);
	lock_waits_release(&s->lock_waits);
}

/*
 * Starts the runner with the containment asked for, and says what it
 * found: cgroups of runs killed hard, or no cgroup where one was required.
 */
static int start_runner(struct scheduler *s)
{
	static const enum runner_containment asked[] = {
		[CONTAINMENT_AUTO] = RUNNER_CONTAIN_AUTO,
		[CONTAINMENT_CGROUP] = RUNNER_CONTAIN_CGROUP,
		[CONTAINMENT_FREEZE] = RUNNER_CONTAIN_FREEZE,
	};
	int choice = s->run->values[SETTING_CONTAINMENT].choice;

	if (runner_init(&s->runner, s->run->values[SETTING_JOBS].count,
			s->in->signals, asked[choice]) < 0) {
		if (errno == ENOTSUP)
			complain("cannot contain promises in cgroups: %s",
				 s->runner.no_cgroup_reason);
		else
			complain("cannot prepare to run promises: %s",
				 strerror(errno));
		return -1;
	}
	if (s->runner.cgroups.leftovers)
		complain("killed what was left in %u cgroup%s of earlier runs that were killed",
			 s->runner.cgroups.leftovers,
			 s->runner.cgroups.leftovers == 1 ? "" : "s");
	s->sinks.report.containment =
		s->runner.containment == RUNNER_CONTAIN_CGROUP ? "cgroup"
							       : "freeze";
	s->sinks.report.containment_reason = s->runner.no_cgroup_reason;
	return 0;
}

/*
 * What is checked once the homes are known, before anything runs: the
 * output file, the log folder.  0, or -1 once said.
 */
static int check_before_run(struct scheduler *s)
{
	const struct cli_options *cli = s->cli;

	/* An output file that cannot be written fails before anything runs. */
	if (sinks_open_output(&s->sinks) < 0) {
		complain("cannot write '%s': %s", cli->output, strerror(errno));
		return -1;
	}
	/* One folder for the logs of many homes would mix their titles. */
	if (cli->log_folder && cli->log_folder[0] == '/' && s->count > 1) {
		complain("option '--log-folder': an absolute folder is for one instance home, not %zu",
			 s->count);
		return -1;
	}
	return 0;
}

/* The run's settings, what every home shares, and its report's facts. */
static int set_up(struct scheduler *s)
{
	const struct scheduler_input *input = s->in;
	double deadline = s->run->values[SETTING_DEADLINE].seconds;
	char host[HOST_NAME_MAX + 1] = "";

	s->context = (struct home_context){
		.cli = s->cli,
		.operator_config = input->operator_config,
		.run = s->run,
		.environment = input->environment,
		.self = input->self,
		.has_deadline = deadline > 0,
		.end = deadline > 0 ? deadline_end(s->started, deadline)
				    : (struct timespec){ 0, 0 },
		.ops = &home_ops,
		.pool = s,
		.sinks = &s->sinks,
	};
	s->only_found = calloc(s->cli->only.count + 1, sizeof *s->only_found);
	s->section_found = calloc((input->operator_config
					   ? input->operator_config->promise_count
					   : 0) + 1,
				  sizeof *s->section_found);
	if (!s->only_found || !s->section_found ||
	    sinks_init(&s->sinks, s->cli, s->run->values[SETTING_FORMAT].choice,
		       input->home_count ? input->home_count : 1) < 0 ||
	    resolve_homes(s) < 0)
		return -1;
	s->sinks.report.version = input->version;
	clock_gettime(CLOCK_REALTIME, &s->sinks.report.started);
	(void)gethostname(host, sizeof host);
	s->sinks.report.host = strdup(host);
	return s->sinks.report.host ? 0 : -1;
}

static void erase_progress(void *context)
{
	progress_clear(context);
}

void scheduler_run(const struct scheduler_input *input,
                   struct scheduler_verdict *verdict)
{
	struct scheduler s = {
		.in = input,
		.cli = input->cli,
		.run = input->run,
		.lock_waits.inotify_fd = -1,
		.started = monotime_now(),
	};
	struct run_report *report = &s.sinks.report;

	/* For slapgrid's transaction ids, which need no strength. */
	srandom((unsigned)s.started.tv_nsec ^ (unsigned)getpid());
	progress_init(&s.progress, STDERR_FILENO,
		      s.cli->action == CLI_RUN && s.cli->verbosity != CLI_QUIET);
	complain_before(erase_progress, &s.progress);
	if (set_up(&s) < 0) {
		complain("out of memory");
		s.broken = true;
		goto out;
	}
	if (check_before_run(&s) < 0) {
		s.broken = true;
		goto out;
	}
	if (lock_waits_init(&s.lock_waits) < 0) {
		complain("cannot prepare to run promises: %s", strerror(errno));
		s.broken = true;
		goto out;
	}
	s.context.inotify_fd = s.lock_waits.inotify_fd;
	if (start_runner(&s) < 0) {
		s.broken = true;
		goto out;
	}
	pool_init(&s.pool, s.runner.slot_count, s.count);
	/* --list: each home's plan, as it would run now; nothing written. */
	if (s.cli->action == CLI_LIST)
		for (size_t i = 0; i < s.count; i++)
			home_tell(&s.homes[i], HOME_LIST);
	else
		run_loop(&s);
	check_names(&s);
	runner_release(&s.runner);
	progress_clear(&s.progress);
	if (s.stopping && s.stop_signal && s.stop_signal != SIGPIPE)
		complain("interrupted by SIG%s: promises stopped",
			 sigabbrev_np(s.stop_signal));
	report->duration = monotime_seconds(s.started, monotime_now());
	report->interrupted_by = s.stop_signal;
	sinks_write(&s.sinks, s.stopping);
	if (!s.stop_signal)
		s.stop_signal = s.sinks.stop_signal;
	s.broken |= s.sinks.broken;
out:
	complain_before(NULL, NULL);
	for (size_t i = 0; i < s.count; i++)
		s.broken |= s.homes[i].broken;
	*verdict = (struct scheduler_verdict){
		.broken = s.broken,
		.stop_signal = s.stop_signal,
		.verdict = report_run_verdict(report),
		.format = (enum report_format)s.run->values[SETTING_FORMAT].choice,
		.nagios_status = report_nagios_status(report),
	};
	release(&s);
}
