/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * scheduler: every home, one pool of slots the homes take in turn, sinks
 * that never block.  The homes themselves (their files, locks, plans and
 * state) are home.c's.
 */
#include "scheduler.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "atomic_file.h"
#include "complain.h"
#include "fdio.h"
#include "job.h"
#include "home.h"
#include "monotime.h"
#include "outq.h"
#include "progress.h"
#include "report_text.h"
#include "runner.h"
#include "value.h"

/* A state write is begun only this long before the nearest deadline. */
#define COMMIT_MARGIN 0.05
/* What --deadline keeps for the state files and the report, at most. */
#define DEADLINE_RESERVE 0.2
/*
 * How often a waiting home tries its lock even without an event: a
 * holder that unlocks without closing the file (flock LOCK_UN) makes none.
 * Also the longest back-off.
 */
#define LOCK_RETRY 1.0
/*
 * After an event that did not give a lock, the events are not read again
 * for this long, doubled at each such event up to LOCK_RETRY: a user who
 * opens and closes their lock file in a loop would otherwise wake the run
 * at every close.
 */
#define LOCK_BACKOFF_FIRST 0.01

struct scheduler {
	const struct scheduler_input *in;
	const struct cli_options *cli;
	struct setting_values run;          /* the settings of the whole run */
	enum report_format format;
	struct run_report report;
	struct home_context context;        /* what every home shares */
	struct home *homes;
	struct runner runner;
	int inotify_fd;
	struct timespec next_lock_try;      /* for homes waiting for a lock */
	double lock_backoff;                /* 0, or the events are not read */
	size_t first_open;                  /* homes before it are all given out */
	size_t reached;                     /* homes from it on are not opened */
	size_t turn;                        /* the home first in turn for a slot */
	/* The text report, in home order, as results come. */
	bool text;
	struct outq out;
	struct text_report text_report;
	size_t text_home, text_next;
	bool text_begun;
	bool color;
	struct progress progress;
	/* --deadline: promises end by `end`, reports by end + reserve. */
	bool has_deadline;
	struct timespec end;
	bool deadline_passed;
	int stop_signal;
	bool stopping, stopped_hard;
	bool broken;
	struct timespec started;
	bool *only_found;                   /* per --only name: seen in a home */
	bool *section_found;                /* per operator's [promise:NAME] */
};

/*
 * Prepares a home, and notes which --only names and sections of the
 * operator's file its promises answer.
 */
static void prepare_home(struct scheduler *s, size_t index)
{
	const struct promise_list *list = &s->report.homes[index].list;
	const struct config *config = s->in->operator_config;

	home_prepare(&s->homes[index]);
	for (size_t n = 0; n < s->cli->only.count; n++)
		s->only_found[n] |= scan_has_promise(list, s->cli->only.words[n]);
	for (size_t n = 0; config && n < config->promise_count; n++)
		s->section_found[n] |= scan_has_promise(
			list, config->promises[n].name);
}

/* Takes every outcome the runner has, as results. */
static void collect(struct scheduler *s)
{
	struct runner_outcome outcome;

	while (runner_next_outcome(&s->runner, &outcome)) {
		struct home *home = &s->homes[outcome.home];
		const struct plan_entry *entry =
			&s->report.homes[outcome.home].plan.entries[outcome.promise];
		struct promise_result result;
		char *first_line = NULL;

		home->waiting--;
		if (outcome.started)
			home->running--;
		if (outcome.interrupted) {
			runner_outcome_release(&outcome);
			continue;
		}
		if (outcome.exec_failed &&
		    outcome.failure.stage == SPAWN_STAGE_EXEC &&
		    outcome.failure.error == ENOENT)
			first_line = home_first_line(home, outcome.promise);
		if (result_from_outcome(&outcome, entry, first_line,
					&result) < 0) {
			complain("out of memory");
			s->broken = true;
		} else {
			home_record(home, outcome.promise, &result);
		}
		free(first_line);
		runner_outcome_release(&outcome);
	}
}

/* The point before which a promise of this entry must be stopped. */
static struct timespec stop_time(const struct scheduler *s,
                                 const struct plan_entry *entry)
{
	if (!s->has_deadline)
		return (struct timespec){ 0, 0 };
	struct timespec stop = monotime_sub(
		s->end, entry->kill_after + JOB_DRAIN_SECONDS);

	/* { 0, 0 } means "no stop". */
	if (stop.tv_sec == 0 && stop.tv_nsec == 0)
		stop.tv_nsec = 1;
	return stop;
}

/*
 * Gives out the next promise of a home, the entries it does not run
 * passed over: one promise a turn, so that the slots go round the homes.
 */
static bool give_out(struct scheduler *s, size_t index)
{
	struct home *home = &s->homes[index];
	struct home_report *report = &s->report.homes[index];

	while (home->next < report->list.count && home->running < home->cap &&
	       runner_can_start(&s->runner)) {
		size_t promise = home->next;
		const struct plan_entry *entry = &report->plan.entries[promise];
		struct timespec stop;
		int status;

		if (entry->disposition != PLAN_RUN) {
			home->next++;
			continue;
		}
		stop = stop_time(s, entry);
		if (s->has_deadline && !monotime_before(monotime_now(), stop)) {
			home_not_run(home, promise);
			home->next++;
			continue;
		}
		char *path = report_promise_path(report, promise);

		if (!path) {
			complain("out of memory");
			s->broken = true;
			return false;
		}
		struct runner_task task = {
			.path = path,
			.workdir = report->home,
			.envp = home->envp,
			.credentials = home->user.change ? &home->user : NULL,
			.timeout = entry->timeout.seconds,
			.kill_after = entry->kill_after,
			.stop_at = stop,
			.home = index,
			.promise = promise,
		};
		status = runner_start(&s->runner, &task);
		free(path);
		if (status < 0)
			return false;       /* out of descriptors: wait */
		home->next++;
		home->waiting++;
		if (status == 0)
			home->running++;
		return true;
	}
	return true;
}

/* Whether a home has promises not given out yet. */
static bool has_queue(const struct scheduler *s, size_t index)
{
	return s->homes[index].phase == HOME_RUNNING &&
	       s->homes[index].next < s->report.homes[index].list.count;
}

/*
 * The home that gets the next slot: of the homes with promises queued
 * and below their own cap, the one that runs the fewest, the first in
 * turn among equals.  The next home not opened yet runs none; it is
 * opened only while at most -j homes have promises queued, so memory,
 * descriptors and locks stay flat in the number of homes, yet one home
 * more than slots is in turn: homes whose promises all hang hold their
 * slots, never the others' turn.  s->report.count when none.
 */
static size_t next_in_turn(const struct scheduler *s)
{
	size_t span = s->reached - s->first_open + 1, best = s->report.count;
	size_t queued = 0;
	unsigned fewest = UINT_MAX;

	for (size_t i = s->first_open; i < s->reached; i++)
		queued += has_queue(s, i);
	for (size_t k = 0; k < span && fewest > 0; k++) {
		size_t i = s->first_open + (s->turn - s->first_open + k) % span;
		unsigned running = 0;

		if (i == s->reached) {
			if (i == s->report.count ||
			    queued > s->runner.slot_count)
				continue;
		} else if (!has_queue(s, i) ||
			   s->homes[i].running >= s->homes[i].cap) {
			continue;
		} else {
			running = s->homes[i].running;
		}
		if (running < fewest)
			best = i, fewest = running;
	}
	return best;
}

/* Opens a home the turn reached: prepared, then locked and planned. */
static void open_home(struct scheduler *s, size_t index)
{
	struct home *home = &s->homes[index];

	/* Prepared only now: memory for few homes. */
	if (home->phase == HOME_UNPREPARED)
		prepare_home(s, index);
	if (home->phase == HOME_PENDING)
		home_start(home);
}

/* Gives out promises as slots free, one to each home in turn. */
static void dispatch(struct scheduler *s)
{
	if (s->turn < s->first_open)
		s->turn = s->first_open;
	while (!s->stopping && runner_can_start(&s->runner)) {
		size_t i = next_in_turn(s);

		if (i == s->report.count)
			break;
		if (i == s->reached) {
			open_home(s, s->reached++);
			continue;
		}
		if (!give_out(s, i))
			break;
		s->turn = i + 1;
	}
	while (s->first_open < s->reached) {
		struct home *home = &s->homes[s->first_open];

		if (home_not_started(home) || has_queue(s, s->first_open))
			break;
		s->first_open++;
	}
}

/* Homes whose last result is in go on to their commit. */
static void complete_homes(struct scheduler *s)
{
	for (size_t i = 0; i < s->report.count; i++) {
		struct home *home = &s->homes[i];
		size_t count = s->report.homes[i].list.count;

		if (home->phase != HOME_RUNNING || home->waiting ||
		    (home->next < count && !s->stopping))
			continue;
		if (home->stateful)
			home->phase = HOME_COMMITTING;
		else
			home_close(home);
	}
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
	for (size_t i = 0; i < s->report.count; i++)
		while (s->homes[i].phase == HOME_COMMITTING &&
		       time_to_write(s))
			home_commit_step(&s->homes[i]);
}

/* Writes, in home order, what the text report can say now. */
static void advance_text(struct scheduler *s)
{
	FILE *out = outq_stream(&s->out);

	while (s->text_home < s->report.count) {
		const struct home_report *report = &s->report.homes[s->text_home];
		const struct home *home = &s->homes[s->text_home];

		if (home_not_started(home))
			return;
		if (!s->text_begun) {
			text_report_begin(&s->text_report, out, s->color,
					  s->cli->verbosity, report);
			s->text_begun = true;
		}
		while (!report->error && s->text_next < report->list.count) {
			const struct promise_result *result =
				&report->results[s->text_next];
			enum plan_disposition disposition =
				report->plan.entries[s->text_next].disposition;

			if (!result->known && disposition == PLAN_RUN)
				return;
			text_report_promise(&s->text_report, s->text_next++);
		}
		if (!report->error && home->phase == HOME_RUNNING)
			return;
		text_report_end(&s->text_report);
		home_told(&s->homes[s->text_home]);
		s->text_home++;
		s->text_next = 0;
		s->text_begun = false;
	}
}

/* After a stop: what finished of the homes begun, without verdicts. */
static void finish_text_after_stop(struct scheduler *s)
{
	for (; s->text_home < s->report.count; s->text_home++) {
		const struct home_report *report = &s->report.homes[s->text_home];

		if (!report->results)
			break;
		if (!s->text_begun)
			text_report_begin(&s->text_report, outq_stream(&s->out),
					  s->color, s->cli->verbosity, report);
		for (; s->text_next < report->list.count; s->text_next++)
			if (report->results[s->text_next].known)
				text_report_promise(&s->text_report, s->text_next);
		s->text_next = 0;
		s->text_begun = false;
	}
}

/* Homes done, promises running, the slowest: for the progress line. */
static void update_progress(struct scheduler *s)
{
	const char *slowest = NULL, *slowest_home = NULL;
	size_t done = 0, home, promise;
	double seconds = 0;

	if (!s->progress.enabled)
		return;
	for (size_t i = 0; i < s->report.count; i++)
		done += s->homes[i].phase == HOME_DONE;
	if (runner_oldest(&s->runner, &home, &promise, &seconds)) {
		slowest_home = s->report.homes[home].home;
		slowest = s->report.homes[home].list.promises[promise].name;
	}
	progress_set(&s->progress, done, s->report.count, s->runner.running,
		     slowest_home, slowest, seconds);
}

/* What happens when the run's deadline comes: nothing more starts. */
static void deadline_comes(struct scheduler *s)
{
	s->deadline_passed = true;
	for (size_t i = 0; i < s->report.count; i++) {
		struct home *home = &s->homes[i];
		struct home_report *report = &s->report.homes[i];

		if (home_not_started(home)) {
			home_fail(home, "'%s' was not checked: the run's deadline came first%s",
				   report->home,
				   home->phase == HOME_WAITING
					   ? " (it was locked by another run)"
					   : "");
			continue;
		}
		if (home->phase != HOME_RUNNING)
			continue;
		for (; home->next < report->list.count; home->next++)
			if (report->plan.entries[home->next].disposition ==
			    PLAN_RUN)
				home_not_run(home, home->next);
	}
}

/* promise-run is asked to stop: the first time politely, then hard. */
static void stop(struct scheduler *s, int signo, unsigned count)
{
	if (!s->stopping) {
		s->stopping = true;
		s->stop_signal = signo;
		runner_stop(&s->runner, false);
		count--;
		for (size_t i = 0; i < s->report.count; i++)
			if (home_not_started(&s->homes[i]))
				home_stopped(&s->homes[i]);
	}
	if (count > 0 && !s->stopped_hard) {
		s->stopped_hard = true;
		runner_stop(&s->runner, true);
	}
}

static bool all_done(const struct scheduler *s)
{
	for (size_t i = 0; i < s->report.count; i++)
		if (s->homes[i].phase != HOME_DONE)
			return false;
	return s->runner.running == 0;
}

/*
 * Waiting homes whose lock may be free (an event, or the time to retry
 * came): try them again.  Events that gave no lock start or double the
 * back-off; a try without events ends it.
 */
static void lock_events(struct scheduler *s)
{
	char events[4096];
	bool woken = false, waiting = false;

	while (fdio_read(s->inotify_fd, events, sizeof events) > 0)
		woken = true;
	for (size_t i = 0; i < s->report.count; i++) {
		home_lock_freed(&s->homes[i]);
		waiting |= s->homes[i].phase == HOME_WAITING;
	}
	if (woken && waiting) {
		s->lock_backoff = s->lock_backoff > 0 ? 2 * s->lock_backoff
						      : LOCK_BACKOFF_FIRST;
		if (s->lock_backoff > LOCK_RETRY)
			s->lock_backoff = LOCK_RETRY;
	} else {
		s->lock_backoff = 0;
	}
	s->next_lock_try = monotime_add(monotime_now(), s->lock_backoff > 0
							 ? s->lock_backoff
							 : LOCK_RETRY);
}

/* The end of the first bounded wait for a lock, if any home waits so. */
static bool first_wait_end(const struct scheduler *s, struct timespec *end)
{
	bool found = false;

	for (size_t i = 0; i < s->report.count; i++) {
		const struct home *home = &s->homes[i];

		if (home->phase == HOME_WAITING && home->wait_bounded &&
		    (!found || monotime_before(home->wait_end, *end))) {
			*end = home->wait_end;
			found = true;
		}
	}
	return found;
}

/* Waiting homes whose wait is over: a last try, else reported locked. */
static void end_waits(struct scheduler *s)
{
	struct timespec now = monotime_now();

	for (size_t i = 0; i < s->report.count; i++) {
		struct home *home = &s->homes[i];

		if (home->phase == HOME_WAITING && home->wait_bounded &&
		    !monotime_before(now, home->wait_end))
			home_wait_over(home);
	}
}

/* Sets up the polls and waits once; false when the loop must end. */
static bool wait_once(struct scheduler *s)
{
	struct pollfd polls[3];
	nfds_t count = 0;
	int out_index = -1, progress_index = -1, lock_index = -1;
	struct timespec wake, progress_wake, wait_end, *wake_at = NULL;
	struct signals_news news;
	bool waiting = false, bounded = first_wait_end(s, &wait_end);

	if (s->text && outq_pending(&s->out)) {
		out_index = (int)count;
		polls[count++] = outq_poll(&s->out);
	}
	for (size_t i = 0; i < s->report.count && !waiting; i++)
		waiting = s->homes[i].phase == HOME_WAITING;
	/* Backing off, the events wait for the next try. */
	if (waiting && s->lock_backoff == 0) {
		lock_index = (int)count;
		polls[count++] = (struct pollfd){ .fd = s->inotify_fd,
						  .events = POLLIN };
	}
	if (progress_poll(&s->progress, &polls[count], &progress_wake))
		progress_index = (int)count++;
	else if (s->progress.enabled && s->progress.dirty)
		wake = progress_wake, wake_at = &wake;
	if (s->has_deadline && !s->deadline_passed &&
	    (!wake_at || monotime_before(s->end, *wake_at)))
		wake = s->end, wake_at = &wake;
	if (waiting &&
	    (!wake_at || monotime_before(s->next_lock_try, *wake_at)))
		wake = s->next_lock_try, wake_at = &wake;
	if (bounded && (!wake_at || monotime_before(wait_end, *wake_at)))
		wake = wait_end, wake_at = &wake;
	if (runner_wait(&s->runner, polls, count, wake_at, &news) < 0) {
		complain("cannot wait for the promises: %s", strerror(errno));
		s->broken = true;
		stop(s, 0, 2);
		return false;
	}
	if (news.stops)
		stop(s, news.stop, news.stops);
	if (out_index >= 0 && polls[out_index].revents) {
		outq_write_ready(&s->out);
		/* The reader went away (| head): stop as SIGPIPE would. */
		if (s->out.error == EPIPE && !s->stopping)
			stop(s, SIGPIPE, 1);
	}
	if ((lock_index >= 0 && polls[lock_index].revents) ||
	    (waiting && !monotime_before(monotime_now(), s->next_lock_try)))
		lock_events(s);
	if (bounded)
		end_waits(s);
	if (progress_index >= 0 && polls[progress_index].revents)
		progress_write_ready(&s->progress);
	if (s->has_deadline && !s->deadline_passed &&
	    !monotime_before(monotime_now(), s->end))
		deadline_comes(s);
	return true;
}

/* The loop: give out, collect, commit, report, wait. */
static void run_loop(struct scheduler *s)
{
	for (;;) {
		dispatch(s);
		collect(s);
		complete_homes(s);
		commit_homes(s);
		if (s->text)
			advance_text(s);
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

	s->report.homes = calloc(count, sizeof *s->report.homes);
	s->homes = calloc(count, sizeof *s->homes);
	if (!s->report.homes || !s->homes)
		return -1;
	for (size_t i = 0; i < count; i++) {
		const char *refusal = s->in->home_count && s->in->refusals
					      ? s->in->refusals[i]
					      : NULL;
		/* A refused home is named as given: a link is not resolved. */
		char *real = refusal ? NULL : realpath(given[i], NULL);
		bool seen = false;

		for (size_t j = 0; real && j < s->report.count && !seen; j++)
			seen = strcmp(s->report.homes[j].home, real) == 0;
		if (seen) {
			free(real);
			continue;
		}
		home_init(&s->homes[s->report.count],
			  &s->report.homes[s->report.count], &s->context);
		s->homes[s->report.count].refusal = refusal;
		s->report.homes[s->report.count++].home =
			real ? real : strdup(given[i]);
		if (!s->report.homes[s->report.count - 1].home)
			return -1;
	}
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

/* --list: each home's plan, as it would run now; nothing is written. */
static void list_homes(struct scheduler *s)
{
	for (size_t i = 0; i < s->report.count; i++) {
		prepare_home(s, i);
		if (s->homes[i].phase != HOME_DONE)
			home_plan_for_list(&s->homes[i]);
	}
}

static bool use_color(enum cli_color mode)
{
	const char *no_color = getenv("NO_COLOR");

	if (no_color && *no_color)
		return false;
	if (mode == CLI_COLOR_AUTO)
		return isatty(STDOUT_FILENO);
	return mode == CLI_COLOR_ALWAYS;
}

/* The one document of the run, or the listing, once everything is known. */
static int render(struct scheduler *s, FILE *out)
{
	if (s->cli->action == CLI_LIST) {
		if (s->format == REPORT_JSON)
			return report_list_json(out, &s->report);
		for (size_t i = 0; i < s->report.count; i++)
			text_report_list(out, &s->report.homes[i]);
		text_report_containment(out, &s->report);
		return 0;
	}
	switch (s->format) {
	case REPORT_TEXT:
		if (s->stopping)
			finish_text_after_stop(s);
		else if (s->report.count > 1)
			text_report_verdict(out, s->color, s->cli->verbosity,
					    &s->report);
		return 0;
	case REPORT_JSON:
		return report_json(out, &s->report);
	case REPORT_TAP:
		return report_tap(out, &s->report);
	case REPORT_JUNIT:
		return report_junit(out, &s->report);
	case REPORT_PROMETHEUS:
		return report_prometheus(out, &s->report);
	case REPORT_NAGIOS:
		return report_nagios(out, &s->report);
	}
	return 0;
}

/* A write error on the report: a reader gone is SIGPIPE's, others said. */
static void report_write_failed(struct scheduler *s, const char *what)
{
	if (errno == EPIPE) {
		/* A reader that went away: end as SIGPIPE would. */
		if (!s->stop_signal)
			s->stop_signal = SIGPIPE;
		return;
	}
	complain("cannot write %s: %s", what, strerror(errno));
	s->broken = true;
}

/*
 * Writes the report: standard output, or --output whole or not at all.
 * The streamed text report has its end queued behind it; a document is
 * written straight to where it goes, never held whole in memory.
 */
static void write_report(struct scheduler *s, struct atomic_file *file)
{
	FILE *out = s->text ? outq_stream(&s->out)
			    : file->stream ? file->stream : stdout;
	int status = render(s, out);

	if (status < 0) {
		complain("cannot build the report: %s", strerror(errno));
		s->broken = true;
	}
	if (s->text && file->stream) {
		(void)fflush(out);
		if (fwrite(s->out.data + s->out.start, 1, s->out.length,
			   file->stream) != s->out.length)
			status = -1;
	}
	if (!file->stream) {
		if ((s->text ? outq_drain(&s->out) : fflush(stdout) == EOF ||
							      ferror(stdout)
							 ? -1
							 : 0) < 0)
			report_write_failed(s, "the report");
		return;
	}
	if (status < 0 || atomic_file_close(file, true) < 0 ||
	    atomic_file_commit(file) < 0) {
		char *what;

		if (asprintf(&what, "'%s'", s->cli->output) < 0)
			what = NULL;
		report_write_failed(s, what ? what : "the output file");
		free(what);
	}
	atomic_file_discard(file);
}

static void release(struct scheduler *s)
{
	for (size_t i = 0; i < s->report.count; i++) {
		home_release(&s->homes[i]);
		report_home_release(&s->report.homes[i]);
	}
	free(s->homes);
	free(s->report.homes);
	free(s->report.host);
	free(s->only_found);
	free(s->section_found);
	outq_release(&s->out);
	fdio_close_quietly(s->inotify_fd);
}

/* What a deadline keeps for the state files and the report: at most half. */
static double deadline_reserve(double deadline)
{
	return deadline / 2 < DEADLINE_RESERVE ? deadline / 2 : DEADLINE_RESERVE;
}

/*
 * A deadline too short to start and still stop a promise would run
 * nothing and call every promise "not run": it is refused at once,
 * naming where it was given.
 */
static bool deadline_leaves_no_time(const struct setting_values *run,
                                    const struct config *operator_config)
{
	const struct setting_value *given = &run->values[SETTING_DEADLINE];
	double kill_after = run->values[SETTING_KILL_AFTER].seconds;
	char deadline[32], kept[32], stopping[32];

	if (given->seconds - deadline_reserve(given->seconds) >
	    kill_after + JOB_DRAIN_SECONDS)
		return false;
	value_format_seconds(given->seconds, deadline, sizeof deadline);
	value_format_seconds(deadline_reserve(given->seconds), kept,
			     sizeof kept);
	value_format_seconds(kill_after, stopping, sizeof stopping);
	if (given->source == SOURCE_CONFIG && operator_config)
		complain("%s: deadline %ss leaves no time to run a promise (%ss is kept for the state and the report, and stopping one takes its kill-after, %ss, and 0.1s more)",
			 operator_config->path, deadline, kept, stopping);
	else
		complain("option '--deadline': %ss leaves no time to run a promise (%ss is kept for the state and the report, and stopping one takes its kill-after, %ss, and 0.1s more)",
			 deadline, kept, stopping);
	return true;
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
	int choice = s->run.values[SETTING_CONTAINMENT].choice;

	if (runner_init(&s->runner, s->run.values[SETTING_JOBS].count,
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
	s->report.containment = s->runner.containment == RUNNER_CONTAIN_CGROUP
					? "cgroup"
					: "freeze";
	s->report.containment_reason = s->runner.no_cgroup_reason;
	return 0;
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
		.inotify_fd = -1,
		.report.version = input->version,
	};
	struct atomic_file output = { 0 };
	char host[HOST_NAME_MAX + 1] = "";

	s.started = monotime_now();
	clock_gettime(CLOCK_REALTIME, &s.report.started);
	/* For slapgrid's transaction ids, which need no strength. */
	srandom((unsigned)s.report.started.tv_nsec ^ (unsigned)getpid());
	(void)gethostname(host, sizeof host);
	s.report.host = strdup(host);
	settings_resolve(&s.cli->settings,
			 input->operator_config ? &input->operator_config->run
						: NULL,
			 NULL, false, &s.run);
	s.format = (enum report_format)s.run.values[SETTING_FORMAT].choice;
	s.text = s.format == REPORT_TEXT && s.cli->action == CLI_RUN;
	s.context = (struct home_context){
		.cli = s.cli,
		.operator_config = input->operator_config,
		.run = &s.run,
		.environment = input->environment,
		.self = input->self,
		.inotify_fd = -1,
		.text = s.text,
	};
	s.color = s.format == REPORT_TEXT && !s.cli->output &&
		  use_color(s.cli->color);
	if (s.run.values[SETTING_DEADLINE].seconds > 0) {
		s.has_deadline = true;
		double deadline = s.run.values[SETTING_DEADLINE].seconds;

		s.end = monotime_add(s.started,
				     deadline - deadline_reserve(deadline));
	}
	progress_init(&s.progress, STDERR_FILENO,
		      s.cli->action == CLI_RUN && s.cli->verbosity != CLI_QUIET);
	complain_before(erase_progress, &s.progress);
	s.only_found = calloc(s.cli->only.count + 1, sizeof *s.only_found);
	s.section_found = calloc((input->operator_config
					  ? input->operator_config->promise_count
					  : 0) + 1,
				 sizeof *s.section_found);
	if (!s.report.host || !s.only_found || !s.section_found ||
	    resolve_homes(&s) < 0 ||
	    outq_init(&s.out, s.cli->output ? -1 : STDOUT_FILENO) < 0) {
		complain("out of memory");
		s.broken = true;
		goto out;
	}
	/* An output file that cannot be written fails before anything runs. */
	if (s.cli->output && atomic_file_open(&output, s.cli->output) < 0) {
		complain("cannot write '%s': %s", s.cli->output, strerror(errno));
		s.broken = true;
		goto out;
	}
	/* One folder for the logs of many homes would mix their titles. */
	if (s.cli->log_folder && s.cli->log_folder[0] == '/' &&
	    s.report.count > 1) {
		complain("option '--log-folder': an absolute folder is for one instance home, not %zu",
			 s.report.count);
		s.broken = true;
		goto out;
	}
	if (s.has_deadline && s.cli->action == CLI_RUN &&
	    deadline_leaves_no_time(&s.run, input->operator_config)) {
		s.broken = true;
		goto out;
	}
	if (s.cli->action == CLI_LIST && s.format != REPORT_TEXT &&
	    s.format != REPORT_JSON) {
		complain("option '--list' prints text or json, not the other formats");
		s.broken = true;
		goto out;
	}
	s.inotify_fd = s.context.inotify_fd =
		inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (s.inotify_fd < 0) {
		complain("cannot prepare to run promises: %s", strerror(errno));
		s.broken = true;
		goto out;
	}
	if (start_runner(&s) < 0) {
		s.broken = true;
		goto out;
	}
	if (s.cli->action == CLI_LIST)
		list_homes(&s);
	else
		run_loop(&s);
	check_names(&s);
	runner_release(&s.runner);
	progress_clear(&s.progress);
	if (s.stopping && s.stop_signal && s.stop_signal != SIGPIPE)
		complain("interrupted by SIG%s: promises stopped",
			 sigabbrev_np(s.stop_signal));
	s.report.duration = monotime_seconds(s.started, monotime_now());
	s.report.interrupted_by = s.stop_signal;
	write_report(&s, &output);
out:
	complain_before(NULL, NULL);
	atomic_file_discard(&output);
	for (size_t i = 0; i < s.report.count; i++)
		s.broken |= s.homes[i].broken;
	*verdict = (struct scheduler_verdict){
		.broken = s.broken,
		.stop_signal = s.stop_signal,
		.verdict = report_run_verdict(&s.report),
		.format = s.format,
		.nagios_status = report_nagios_status(&s.report),
	};
	release(&s);
}
