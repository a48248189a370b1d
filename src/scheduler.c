/* scheduler: every home, one pool of slots, sinks that never block. */
#include "scheduler.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomic_file.h"
#include "complain.h"
#include "credentials.h"
#include "env.h"
#include "fdio.h"
#include "fsat.h"
#include "job.h"
#include "identity.h"
#include "monotime.h"
#include "outq.h"
#include "plan.h"
#include "progress.h"
#include "report_text.h"
#include "result.h"
#include "runner.h"
#include "scan.h"
#include "state.h"

/* A state write is begun only this long before the nearest deadline. */
#define COMMIT_MARGIN 0.05
/* What --deadline keeps for the state files and the report. */
#define DEADLINE_RESERVE 0.2

enum home_phase {
	HOME_UNPREPARED,    /* only its path is known */
	HOME_PENDING,       /* prepared: configuration read, folder listed */
	HOME_WAITING,       /* --wait: its lock is held by another run */
	HOME_RUNNING,       /* locked and planned: promises are given out */
	HOME_COMMITTING,    /* every result is in: its state is written */
	HOME_DONE,
};

/* What the scheduler keeps of a home while it runs. */
struct home_run {
	enum home_phase phase;
	int home_fd;
	struct credentials user;
	struct config own_config;
	bool has_own_config;
	const struct config *config;        /* the one in use, or NULL */
	struct setting_values settings;     /* its [run], merged */
	char **envp;
	struct state state;
	bool stateful;                      /* its files are written */
	bool has_state;                     /* state is open (to read) */
	struct result_history *history;     /* per promise, once started */
	long long *last_success;            /* per promise, from the state */
	size_t next;                        /* the next entry to give out */
	unsigned running;
	unsigned cap;                       /* its own `jobs` */
	size_t waiting;                     /* given out, no result yet */
	size_t commit_step;
	size_t commit_failures;
	bool printed;                       /* the text report is written */
};

struct scheduler {
	const struct scheduler_input *in;
	const struct cli_options *cli;
	struct setting_values run;          /* the settings of the whole run */
	enum report_format format;
	struct run_report report;
	struct home_run *homes;
	struct runner runner;
	int inotify_fd;
	size_t first_open;                  /* homes before it are all given out */
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
};

static bool is_root(void)
{
	return geteuid() == 0;
}

/* A home that cannot be checked: said on stderr, reported with a reason. */
static void home_fails(struct scheduler *s, size_t index, const char *format,
                       ...) __attribute__((format(printf, 3, 4)));

static void home_fails(struct scheduler *s, size_t index, const char *format,
                       ...)
{
	struct home_report *report = &s->report.homes[index];
	va_list arguments;
	char *reason;

	va_start(arguments, format);
	if (vasprintf(&reason, format, arguments) < 0)
		reason = NULL;
	va_end(arguments);
	complain("%s", reason ? reason : "out of memory");
	free(report->error);
	report->error = reason ? reason : strdup("out of memory");
	s->homes[index].phase = HOME_DONE;
	s->broken = true;
}

/* The promise folder of a home, absolute; malloc'd. */
static char *promise_dir_of(const char *home, const char *option)
{
	char *dir;

	if (option && option[0] == '/')
		return strdup(option);
	if (asprintf(&dir, "%s/%s", home, option ? option : "etc/promise") < 0)
		return NULL;
	return dir;
}

/* Opens the promise folder as the user: -1 with ENOENT means none. */
static int open_promise_dir(const struct scheduler *s, int home_fd)
{
	const char *dir = s->cli->promise_dir ? s->cli->promise_dir
					      : "etc/promise";

	if (dir[0] == '/')
		return open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fsat_open(home_fd, dir, O_RDONLY | O_DIRECTORY, 0);
}

static void warn_same_titles(const struct home_report *report)
{
	const struct promise_list *list = &report->list;

	for (size_t i = 0; i < list->count; i++) {
		if (!list->promises[i].title_taken_later)
			continue;
		for (size_t j = i + 1; j < list->count; j++)
			if (strcmp(list->promises[j].title,
				   list->promises[i].title) == 0) {
				complain("warning: '%s' and '%s' have the same title '%s': the result file and log are those of '%s'",
					 list->promises[i].name,
					 list->promises[j].name,
					 list->promises[i].title,
					 list->promises[j].name);
				break;
			}
	}
}

/* Warns of each [promise:NAME] section that names no promise. */
static void warn_unknown_sections(const struct config *config,
                                  const struct home_report *report)
{
	for (size_t i = 0; config && i < config->promise_count; i++) {
		const struct promise_config *section = &config->promises[i];
		bool found = false;

		for (size_t p = 0; p < report->list.count && !found; p++)
			found = strcmp(report->list.promises[p].name,
				       section->name) == 0;
		if (!found)
			complain("warning: %s:%d: [promise:%s] names no promise in '%s'",
				 config->path, section->line, section->name,
				 report->promise_dir);
	}
}

/*
 * Reads the home's own configuration, as its user: 0 (none, or read),
 * or -1 after saying why the home cannot be checked.
 */
static int read_own_config(struct scheduler *s, size_t index)
{
	struct home_run *home = &s->homes[index];
	const char *home_path = s->report.homes[index].home;
	char *path, *text, error[512];
	size_t size;
	int status;

	if (asprintf(&path, "%s/etc/promise-run.conf", home_path) < 0) {
		home_fails(s, index, "out of memory");
		return -1;
	}
	status = fsat_read_file(home->home_fd, "etc/promise-run.conf",
				CONFIG_MAX_SIZE, &text, &size);
	if (status < 0 && errno != ENOENT) {
		home_fails(s, index, "cannot read '%s': %s", path,
			   fsat_strerror(errno));
		free(path);
		return -1;
	}
	if (status == 0) {
		status = config_parse_text(text, size, path, false,
					   &home->own_config, error,
					   sizeof error);
		free(text);
		if (status < 0) {
			home_fails(s, index, "%s", error);
			free(path);
			return -1;
		}
		home->has_own_config = true;
		home->config = &home->own_config;
		for (size_t i = 0; i < home->own_config.warning_count; i++)
			complain("warning: %s", home->own_config.warnings[i]);
	}
	free(path);
	return 0;
}

/* Notes which --only names a home's promises answer. */
static void note_only_names(struct scheduler *s, const struct promise_list *list)
{
	for (size_t n = 0; n < s->cli->only.count; n++)
		for (size_t p = 0; p < list->count && !s->only_found[n]; p++)
			s->only_found[n] = strcmp(list->promises[p].name,
						  s->cli->only.words[n]) == 0;
}

/*
 * What can be known of a home before it runs: its user, its
 * configuration, its promises.  All of it read as the home's user.
 */
static void prepare_home(struct scheduler *s, size_t index)
{
	struct home_report *report = &s->report.homes[index];
	struct home_run *home = &s->homes[index];
	char error[512];
	int dir_fd = -1;

	home->home_fd = open(report->home, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (home->home_fd < 0) {
		home_fails(s, index, "cannot use instance home '%s': %s",
			   report->home, strerror(errno));
		return;
	}
	report->promise_dir = promise_dir_of(report->home, s->cli->promise_dir);
	if (!report->promise_dir) {
		home_fails(s, index, "out of memory");
		return;
	}
	if (credentials_for_instance(home->home_fd, report->home, s->cli->user,
				     &home->user, error, sizeof error) < 0) {
		home_fails(s, index, "%s", error);
		return;
	}
	if (identity_become(&home->user) < 0) {
		home_fails(s, index, "cannot take the identity of '%s' for '%s': %s",
			   home->user.user, report->home, strerror(errno));
		return;
	}
	home->config = s->in->operator_config;
	if (!s->in->operator_config && !s->cli->no_config &&
	    read_own_config(s, index) < 0)
		goto out;
	dir_fd = open_promise_dir(s, home->home_fd);
	if (dir_fd < 0 && errno != ENOENT) {
		home_fails(s, index, "cannot read '%s': %s", report->promise_dir,
			   fsat_strerror(errno));
		goto out;
	}
	if (dir_fd >= 0 &&
	    scan_dir(dir_fd, home->user.change ? &home->user : NULL,
		     &report->list) < 0) {
		home_fails(s, index, "cannot read '%s': %s", report->promise_dir,
			   strerror(errno));
		goto out;
	}
	fdio_close_quietly(dir_fd);
	dir_fd = fsat_open(home->home_fd, "etc/plugin", O_RDONLY | O_DIRECTORY, 0);
	if (dir_fd >= 0 && scan_plugins(dir_fd, &report->list) < 0) {
		home_fails(s, index, "cannot read '%s/etc/plugin': %s",
			   report->home, strerror(errno));
		goto out;
	}
out:
	fdio_close_quietly(dir_fd);
	identity_restore();
	if (home->phase == HOME_DONE)
		return;
	warn_same_titles(report);
	warn_unknown_sections(home->config, report);
	note_only_names(s, &report->list);
	settings_resolve(&s->cli->settings,
			 home->config ? &home->config->run : NULL, NULL,
			 home->config && !home->config->operator,
			 &home->settings);
	/* A home's own `jobs` caps it within the pool of -j. */
	home->cap = s->run.values[SETTING_JOBS].count;
	if (home->config && !home->config->operator &&
	    home->config->run.values[SETTING_JOBS].given &&
	    home->config->run.values[SETTING_JOBS].count < home->cap)
		home->cap = home->config->run.values[SETTING_JOBS].count;
	home->stateful = home->settings.values[SETTING_STATE].flag &&
			 s->cli->action == CLI_RUN;
	struct env_spec spec = {
		.base = s->in->environment,
		.kind = home->settings.values[SETTING_CLEAN_ENV].flag ? ENV_CLEAN
		       : is_root() ? ENV_RESET
				   : ENV_INHERITED,
		.keep = s->cli->keep_env.words,
		.keep_count = s->cli->keep_env.count,
		.home = report->home,
		.self = s->in->self,
		.user = &home->user,
	};
	home->envp = env_build(&spec);
	if (!home->envp)
		home_fails(s, index, "out of memory");
	else
		home->phase = HOME_PENDING;
}

/* Whether a home has not started yet (its lock not taken). */
static bool not_started(const struct home_run *home)
{
	return home->phase == HOME_UNPREPARED || home->phase == HOME_PENDING ||
	       home->phase == HOME_WAITING;
}

/*
 * Reads what the stored state says of each promise: the cache (anomaly
 * mode, for periodicity), the previous result and the last runs.
 */
static int read_history(struct scheduler *s, size_t index,
                        double *next_run_after, bool plan_made)
{
	struct home_run *home = &s->homes[index];
	struct home_report *report = &s->report.homes[index];
	const struct promise_list *list = &report->list;

	for (size_t i = 0; i < list->count; i++) {
		const char *title = list->promises[i].title;
		struct result_history *history = &home->history[i];
		struct slapgrid_previous previous;
		bool runs[RESULT_ANOMALY_RUNS - 1];
		size_t found;

		if (!plan_made) {
			if (state_read_cache(&home->state, title,
					     &next_run_after[i]) < 0)
				next_run_after[i] = 0;
			continue;
		}
		enum plan_disposition disposition =
			report->plan.entries[i].disposition;

		if (disposition != PLAN_RUN && disposition != PLAN_CACHED)
			continue;
		if (state_read_previous(&home->state, title, &previous) == 0) {
			char *message = previous.message;

			history->has_previous = true;
			history->previous_failed = previous.failed;
			history->previous_says_error =
				message && strcasestr(message, "error:");
			history->previous_date.tv_sec = previous.date;
			if (disposition == PLAN_CACHED)
				history->previous_message = message;
			else
				free(message);
		}
		if (disposition == PLAN_RUN &&
		    state_read_runs(&home->state, title, runs,
				    RESULT_ANOMALY_RUNS - 1, &found) == 0)
			while (history->failed_in_a_row < found &&
			       runs[history->failed_in_a_row])
				history->failed_in_a_row++;
	}
	return 0;
}

/* When each promise last worked, as the state says (0: unknown). */
static int read_successes(struct scheduler *s, size_t index)
{
	struct home_run *home = &s->homes[index];
	const struct promise_list *list = &s->report.homes[index].list;
	struct state_success *entries = NULL;
	size_t count = 0;

	home->last_success = calloc(list->count ? list->count : 1,
				    sizeof *home->last_success);
	if (!home->last_success)
		return -1;
	if (!home->has_state)
		return 0;
	identity_become(&home->user);
	/* An unreadable file only loses these times: it is rewritten. */
	(void)state_read_successes(&home->state, &entries, &count);
	identity_restore();
	for (size_t i = 0; i < list->count; i++)
		home->last_success[i] = state_success_of(
			entries, count, list->promises[i].title);
	state_successes_free(entries, count);
	return 0;
}

/* Writes when each promise last worked, for the next runs' metrics. */
static void write_successes(struct scheduler *s, size_t index)
{
	struct home_run *home = &s->homes[index];
	struct home_report *report = &s->report.homes[index];
	char *content = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&content, &size);
	int status = out ? 0 : -1;

	for (size_t i = 0; out && i < report->list.count; i++) {
		const struct promise *promise = &report->list.promises[i];
		long long when = report->results[i].known
					 ? report->results[i].last_success
					 : home->last_success[i];

		/* One line per title; a name with a newline cannot be one. */
		if (when > 0 && !report->plan.entries[i].shadowed &&
		    !strchr(promise->title, '\n'))
			fprintf(out, "%lld %s\n", when, promise->title);
	}
	if (out && fclose(out) == EOF)
		status = -1;
	if (status == 0)
		status = state_write_successes(&home->state, content, size);
	if (status < 0) {
		complain("cannot write the state of '%s': '%s/promise-run.last-success': %s",
			 report->home, home->state.base_path,
			 fsat_strerror(errno));
		s->broken = true;
	}
	free(content);
}

/* The plan of a home, from its scan, settings and stored state. */
static int plan_home(struct scheduler *s, size_t index)
{
	struct home_run *home = &s->homes[index];
	struct home_report *report = &s->report.homes[index];
	size_t count = report->list.count ? report->list.count : 1;
	bool anomaly = home->settings.values[SETTING_MODE].choice == MODE_ANOMALY;
	double *next_run_after = NULL;
	struct timespec now;
	int status = 0;

	clock_gettime(CLOCK_REALTIME, &now);
	report->results = calloc(count, sizeof *report->results);
	/* The stored state is read in anomaly mode only. */
	if (anomaly) {
		home->history = calloc(count, sizeof *home->history);
		next_run_after = calloc(count, sizeof *next_run_after);
	}
	if (!report->results ||
	    (anomaly && (!home->history || !next_run_after))) {
		free(next_run_after);
		return -1;
	}
	if (home->has_state && anomaly && !s->cli->force) {
		identity_become(&home->user);
		read_history(s, index, next_run_after, false);
		identity_restore();
	}
	struct plan_input input = {
		.list = &report->list,
		.command_line = &s->cli->settings,
		.config = home->config,
		.user = &home->user,
		.check_files = is_root(),
		.only = s->cli->only.words,
		.only_count = s->cli->only.count,
		.force = s->cli->force,
		.next_run_after = next_run_after,
		.now = (double)now.tv_sec,
	};
	status = plan_make(&input, &report->plan, NULL);
	free(next_run_after);
	if (status < 0)
		return -1;
	if (home->has_state && anomaly) {
		identity_become(&home->user);
		read_history(s, index, NULL, true);
		identity_restore();
	}
	if (read_successes(s, index) < 0)
		return -1;
	for (size_t i = 0; i < report->list.count; i++) {
		if (result_from_plan(&report->plan.entries[i],
				     home->history ? &home->history[i] : NULL,
				     now, &report->results[i]) < 0)
			return -1;
		report->results[i].last_success = home->last_success[i];
		if (report->plan.entries[i].disposition == PLAN_REFUSED)
			result_judge(&report->results[i], report->plan.mode,
				     NULL);
	}
	return 0;
}

/* Where a home's state files are, for the documents. */
static void note_state_folders(struct scheduler *s, size_t index)
{
	struct home_report *report = &s->report.homes[index];
	struct state *state = &s->homes[index].state;

	if (asprintf(&report->result_folder, "%s/result", state->base_path) < 0)
		report->result_folder = NULL;
	report->log_folder = strdup(state->log_path);
}

/* Tries the lock of a waiting home again: true when it is ours now. */
static bool lock_now(struct scheduler *s, size_t index)
{
	struct home_run *home = &s->homes[index];

	if (state_try_lock(&home->state) == 0) {
		if (home->state.watch >= 0)
			(void)inotify_rm_watch(s->inotify_fd, home->state.watch);
		home->state.watch = -1;
		return true;
	}
	if (errno != EWOULDBLOCK)
		home_fails(s, index, "cannot lock '%s/promise-run.lock': %s",
			   home->state.base_path, strerror(errno));
	return false;
}

/* The home, locked, gets its plan and runs. */
static void begin_running(struct scheduler *s, size_t index)
{
	if (plan_home(s, index) < 0) {
		home_fails(s, index, "out of memory");
		return;
	}
	s->homes[index].phase = HOME_RUNNING;
}

/*
 * Opens the state of a home (creating it when its files are written)
 * and takes its lock.  A state that cannot be written does not keep the
 * promises from running: they run, and the failure is said.
 */
static void start_home(struct scheduler *s, size_t index)
{
	struct home_run *home = &s->homes[index];
	struct home_report *report = &s->report.homes[index];
	char *failed_path = NULL;
	uid_t owner = home->user.change ? home->user.uid : geteuid();
	int status;

	identity_become(&home->user);
	status = state_open(&home->state, home->home_fd, report->home,
			    s->cli->log_folder, owner, home->stateful,
			    &failed_path);
	identity_restore();
	if (status < 0 && home->stateful) {
		complain("cannot write the state of '%s': '%s': %s",
			 report->home, failed_path ? failed_path : report->home,
			 fsat_strerror(errno));
		s->broken = true;
		home->stateful = false;
	}
	free(failed_path);
	home->has_state = status == 0;
	if (home->stateful)
		note_state_folders(s, index);
	if (!home->stateful || lock_now(s, index)) {
		begin_running(s, index);
		return;
	}
	if (home->phase == HOME_DONE)
		return;
	if (!s->cli->wait) {
		home_fails(s, index,
			   "'%s' is locked by another run: '%s/promise-run.lock' is held (use --wait to wait)",
			   report->home, home->state.base_path);
		return;
	}
	if (state_watch_lock(&home->state, s->inotify_fd) < 0) {
		home_fails(s, index, "cannot wait for '%s/promise-run.lock': %s",
			   home->state.base_path, strerror(errno));
		return;
	}
	/* It may have been released between the try and the watch. */
	if (lock_now(s, index))
		begin_running(s, index);
	else if (home->phase != HOME_DONE)
		home->phase = HOME_WAITING;
}

/* Records the result of a promise that ran. */
static void record_result(struct scheduler *s, size_t index, size_t promise,
                          struct promise_result *result)
{
	struct home_report *report = &s->report.homes[index];

	result_judge(result, report->plan.mode,
		     s->homes[index].history ? &s->homes[index].history[promise]
					     : NULL);
	result->last_success = result->status == PROMISE_OK
				       ? (long long)result->ended.tv_sec
				       : s->homes[index].last_success[promise];
	result->transaction = (unsigned short)(100 + random() % 900);
	result_release(&report->results[promise]);
	report->results[promise] = *result;
}

/*
 * The first line of a promise file whose exec failed with ENOENT, read
 * as its user, to name a missing interpreter.  Links are followed, as
 * exec followed them; a FIFO or device is not read.
 */
static char *first_line_of(struct scheduler *s, size_t index, size_t promise)
{
	struct home_report *report = &s->report.homes[index];
	char *line = calloc(1, 256);
	ssize_t got = -1;
	struct stat status;
	int dir_fd, fd = -1;

	if (!line)
		return NULL;
	identity_become(&s->homes[index].user);
	dir_fd = open_promise_dir(s, s->homes[index].home_fd);
	if (dir_fd >= 0)
		fd = openat(dir_fd, report->list.promises[promise].name,
			    O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, &status) == 0 && S_ISREG(status.st_mode))
		got = fdio_read(fd, line, 255);
	fdio_close_quietly(fd);
	fdio_close_quietly(dir_fd);
	identity_restore();
	if (got <= 0) {
		free(line);
		return NULL;
	}
	line[strcspn(line, "\n")] = '\0';
	return line;
}

/* Takes every outcome the runner has, as results. */
static void collect(struct scheduler *s)
{
	struct runner_outcome outcome;

	while (runner_next_outcome(&s->runner, &outcome)) {
		struct home_run *home = &s->homes[outcome.home];
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
		if (!outcome.started && !outcome.start_error &&
		    outcome.failure.stage == SPAWN_STAGE_EXEC &&
		    outcome.failure.error == ENOENT)
			first_line = first_line_of(s, outcome.home,
						   outcome.promise);
		if (result_from_outcome(&outcome, entry, first_line,
					&result) < 0) {
			complain("out of memory");
			s->broken = true;
		} else {
			record_result(s, outcome.home, outcome.promise, &result);
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
	struct timespec stop = s->end;
	double before = entry->kill_after + JOB_DRAIN_SECONDS;

	/* end - before, on the monotonic clock, never below zero. */
	stop.tv_sec -= (time_t)before;
	stop.tv_nsec -= (long)((before - (double)(time_t)before) * 1e9);
	while (stop.tv_nsec < 0) {
		stop.tv_sec--;
		stop.tv_nsec += 1000000000L;
	}
	if (stop.tv_sec < 0)
		stop = (struct timespec){ 0, 1 };
	return stop;
}

/* A promise the run's deadline kept from starting. */
static void not_run(struct scheduler *s, size_t index, size_t promise)
{
	struct promise_result *result = &s->report.homes[index].results[promise];
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	result_release(result);
	if (result_not_run(now, result) < 0) {
		complain("out of memory");
		s->broken = true;
	}
}

/* Gives out one home's promises while it and the pool have room. */
static bool give_out(struct scheduler *s, size_t index)
{
	struct home_run *home = &s->homes[index];
	struct home_report *report = &s->report.homes[index];

	while (home->next < report->list.count && home->running < home->cap &&
	       runner_can_start(&s->runner)) {
		size_t promise = home->next;
		const struct plan_entry *entry = &report->plan.entries[promise];
		struct timespec stop = stop_time(s, entry);
		int status;

		if (entry->disposition != PLAN_RUN) {
			home->next++;
			continue;
		}
		if (s->has_deadline && !monotime_before(monotime_now(), stop)) {
			not_run(s, index, promise);
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
	}
	return true;
}

/* Starts homes and gives out promises, in home order, while slots free. */
static void dispatch(struct scheduler *s)
{
	for (size_t i = s->first_open; i < s->report.count; i++) {
		struct home_run *home = &s->homes[i];

		if (s->stopping || !runner_can_start(&s->runner))
			break;
		/* Prepared when the pool reaches it: memory for few homes. */
		if (home->phase == HOME_UNPREPARED)
			prepare_home(s, i);
		if (home->phase == HOME_PENDING)
			start_home(s, i);
		if (home->phase == HOME_RUNNING && !give_out(s, i))
			break;
	}
	while (s->first_open < s->report.count) {
		struct home_run *home = &s->homes[s->first_open];

		if (not_started(home) ||
		    (home->phase == HOME_RUNNING &&
		     home->next < s->report.homes[s->first_open].list.count))
			break;
		s->first_open++;
	}
}

/* Promise `promise` of a home is committed: log, result and cache. */
static void commit_promise(struct scheduler *s, size_t index, size_t promise)
{
	struct home_run *home = &s->homes[index];
	struct home_report *report = &s->report.homes[index];
	const struct promise *file = &report->list.promises[promise];
	const struct promise_result *result = &report->results[promise];
	char *records = NULL, transaction[SLAPGRID_TRANSACTION_SIZE];
	size_t size = 0;
	FILE *out = open_memstream(&records, &size);
	int status = -1;

	result_transaction_id(result, transaction, sizeof transaction);
	if (out) {
		status = 0;
		if (result->status == PROMISE_TIMEOUT)
			status = slapgrid_format_terminating(
				out, result->ended.tv_sec, transaction,
				file->name);
		if (status == 0)
			status = slapgrid_format_log_record(
				out, result->ended.tv_sec,
				result_works(result) && !result->tolerated &&
						result->status == PROMISE_OK
					? "INFO"
					: "ERROR",
				transaction,
				result->status == PROMISE_TIMEOUT
					? (result->output ? result->output : "")
					: result->message);
		if (fclose(out) == EOF)
			status = -1;
	}
	if (status == 0)
		status = state_commit(&home->state, file->title, records, size,
				      true);
	if (status < 0) {
		char *path = state_path(&home->state, STATE_LOG, file->title);

		if (home->commit_failures++ == 0)
			complain("cannot write the state of '%s' for '%s' ('%s'): %s",
				 report->home, file->name, path ? path : "",
				 fsat_strerror(errno));
		free(path);
		s->broken = true;
	}
	free(records);
}

/* Writes the spares (result and cache) of one promise. */
static bool write_spares(struct scheduler *s, size_t index, size_t promise)
{
	struct home_run *home = &s->homes[index];
	struct home_report *report = &s->report.homes[index];
	const struct promise *file = &report->list.promises[promise];
	const struct promise_result *result = &report->results[promise];
	char *content = NULL, *path = report_promise_path(report, promise);
	size_t size = 0;
	FILE *out = path ? open_memstream(&content, &size) : NULL;
	struct slapgrid_result stored = {
		.title = file->title,
		.name = file->name,
		.path = path,
		.execution_time = result->execution_time,
		.anomaly_type = result->anomaly_type,
		.failed = result->failed,
		.date = result->ended.tv_sec,
		.message = result->message,
	};
	int status = out ? slapgrid_format_result(out, &stored) : -1;

	if (out && fclose(out) == EOF)
		status = -1;
	if (status == 0)
		status = state_write_spare(&home->state, STATE_RESULT,
					   file->title, content, size);
	if (status == 0) {
		struct slapgrid_cache cache = {
			.periodicity = report->plan.entries[promise].periodicity,
			.timestamp = (double)result->ended.tv_sec -
				     result->execution_time,
			.module_file = path,
			.module_file_mtime = (double)file->file.mtime,
		};

		free(content);
		content = NULL;
		out = open_memstream(&content, &size);
		status = out ? slapgrid_format_cache(out, &cache) : -1;
		if (out && fclose(out) == EOF)
			status = -1;
		if (status == 0)
			status = state_write_spare(&home->state, STATE_CACHE,
						   file->title, content, size);
	}
	if (status < 0) {
		char *where = state_path(&home->state, STATE_RESULT, file->title);

		if (home->commit_failures++ == 0)
			complain("cannot write the state of '%s' for '%s' ('%s'): %s",
				 report->home, file->name, where ? where : "",
				 fsat_strerror(errno));
		free(where);
		s->broken = true;
	}
	free(content);
	free(path);
	return status == 0;
}

/* Whether a promise's files are written: it ran, and its title is its. */
static bool writes_state(const struct home_report *report, size_t promise)
{
	return result_ran(&report->results[promise]) &&
	       !report->plan.entries[promise].shadowed;
}

/*
 * A home done and written in the text report needs its details no more:
 * the run's memory stays that of the homes running, however many.
 */
static void release_if_told(struct scheduler *s, size_t index)
{
	struct home_run *home = &s->homes[index];

	if (!s->text || !home->printed || home->phase != HOME_DONE ||
	    s->report.homes[index].released)
		return;
	for (size_t p = 0; home->history && p < s->report.homes[index].list.count;
	     p++)
		free(home->history[p].previous_message);
	free(home->history);
	home->history = NULL;
	free(home->last_success);
	home->last_success = NULL;
	env_free(home->envp);
	home->envp = NULL;
	report_home_summarize(&s->report.homes[index]);
}

/* The end of a home: its state is closed, its lock released. */
static void close_home(struct scheduler *s, size_t index)
{
	struct home_run *home = &s->homes[index];

	if (home->commit_failures > 1)
		complain("... and %zu more files of '%s' could not be written",
			 home->commit_failures - 1, s->report.homes[index].home);
	if (home->has_state)
		state_close(&home->state);
	home->has_state = false;
	clock_gettime(CLOCK_REALTIME, &s->report.homes[index].finished);
	home->phase = HOME_DONE;
	release_if_told(s, index);
}

/*
 * One step of a home's commit: the spares of each promise, one syncfs,
 * then each promise's log record and result together, then the folders.
 * Steps are small, so that the loop can do them between deadlines.
 */
static void commit_step(struct scheduler *s, size_t index)
{
	struct home_run *home = &s->homes[index];
	struct home_report *report = &s->report.homes[index];
	size_t count = report->list.count;
	size_t step = home->commit_step++;

	identity_become(&home->user);
	if (step < count) {
		/* A spare that could not be written is not committed. */
		if (writes_state(report, step) && !write_spares(s, index, step))
			report->plan.entries[step].shadowed = true;
	} else if (step == count) {
		if (state_sync(&home->state) < 0) {
			complain("cannot write the state of '%s': syncfs: %s",
				 report->home, strerror(errno));
			s->broken = true;
		}
	} else if (step <= 2 * count) {
		if (writes_state(report, step - count - 1))
			commit_promise(s, index, step - count - 1);
	} else {
		write_successes(s, index);
		if (state_finish(&home->state) < 0) {
			complain("cannot write the state of '%s': fsync: %s",
				 report->home, strerror(errno));
			s->broken = true;
		}
		identity_restore();
		close_home(s, index);
		return;
	}
	identity_restore();
}

/* Homes whose last result is in go on to their commit. */
static void complete_homes(struct scheduler *s)
{
	for (size_t i = 0; i < s->report.count; i++) {
		struct home_run *home = &s->homes[i];
		size_t count = s->report.homes[i].list.count;

		if (home->phase != HOME_RUNNING || home->waiting ||
		    (home->next < count && !s->stopping))
			continue;
		if (home->stateful)
			home->phase = HOME_COMMITTING;
		else
			close_home(s, i);
	}
}

/* Whether a state write may begin: no deadline within the margin. */
static bool time_to_write(const struct scheduler *s)
{
	struct timespec nearest;

	return !runner_next_deadline(&s->runner, &nearest) ||
	       monotime_seconds(monotime_now(), nearest) > COMMIT_MARGIN;
}

/* Commits what can be committed now; true when some commit waits. */
static bool commit_homes(struct scheduler *s)
{
	bool waiting = false;

	for (size_t i = 0; i < s->report.count; i++) {
		while (s->homes[i].phase == HOME_COMMITTING) {
			if (!time_to_write(s)) {
				waiting = true;
				break;
			}
			commit_step(s, i);
		}
	}
	return waiting;
}

/* Writes, in home order, what the text report can say now. */
static void advance_text(struct scheduler *s)
{
	FILE *out = outq_stream(&s->out);

	while (s->text_home < s->report.count) {
		const struct home_report *report = &s->report.homes[s->text_home];
		const struct home_run *home = &s->homes[s->text_home];

		if (not_started(home))
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
		s->homes[s->text_home].printed = true;
		release_if_told(s, s->text_home);
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
		struct home_run *home = &s->homes[i];
		struct home_report *report = &s->report.homes[i];

		if (not_started(home)) {
			home_fails(s, i, "'%s' was not checked: the run's deadline came first%s",
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
				not_run(s, i, home->next);
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
			if (not_started(&s->homes[i])) {
				free(s->report.homes[i].error);
				s->report.homes[i].error = strdup(
					"promise-run was stopped before it could be checked");
				s->homes[i].phase = HOME_DONE;
			}
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

/* Waiting homes whose lock may be free: try them again. */
static void lock_events(struct scheduler *s)
{
	char events[4096];

	while (fdio_read(s->inotify_fd, events, sizeof events) > 0)
		;
	for (size_t i = 0; i < s->report.count; i++)
		if (s->homes[i].phase == HOME_WAITING && lock_now(s, i))
			begin_running(s, i);
}

/* Sets up the polls and waits once; false when the loop must end. */
static bool wait_once(struct scheduler *s, bool commit_waiting)
{
	struct pollfd polls[3];
	nfds_t count = 0;
	int out_index = -1, progress_index = -1, lock_index = -1;
	struct timespec wake, progress_wake, *wake_at = NULL;
	struct signals_news news;

	if (s->text && outq_pending(&s->out)) {
		out_index = (int)count;
		polls[count++] = outq_poll(&s->out);
	}
	for (size_t i = 0; i < s->report.count; i++)
		if (s->homes[i].phase == HOME_WAITING) {
			lock_index = (int)count;
			polls[count++] = (struct pollfd){ .fd = s->inotify_fd,
							  .events = POLLIN };
			break;
		}
	if (progress_poll(&s->progress, &polls[count], &progress_wake))
		progress_index = (int)count++;
	else if (s->progress.enabled && s->progress.dirty)
		wake = progress_wake, wake_at = &wake;
	if (s->has_deadline && !s->deadline_passed &&
	    (!wake_at || monotime_before(s->end, *wake_at)))
		wake = s->end, wake_at = &wake;
	/* A commit waits for the deadline that kept it: nothing to add. */
	(void)commit_waiting;
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
	if (lock_index >= 0 && polls[lock_index].revents)
		lock_events(s);
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
		bool commit_waiting;

		dispatch(s);
		collect(s);
		complete_homes(s);
		commit_waiting = commit_homes(s);
		if (s->text)
			advance_text(s);
		update_progress(s);
		if (all_done(s))
			return;
		if (!wait_once(s, commit_waiting))
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
		char *real = realpath(given[i], NULL);
		bool seen = false;

		for (size_t j = 0; real && j < s->report.count && !seen; j++)
			seen = strcmp(s->report.homes[j].home, real) == 0;
		if (seen) {
			free(real);
			continue;
		}
		struct home_run *home = &s->homes[s->report.count];

		home->home_fd = -1;
		home->state.lock_fd = home->state.base_fd = -1;
		s->report.homes[s->report.count++].home =
			real ? real : strdup(given[i]);
		if (!s->report.homes[s->report.count - 1].home)
			return -1;
	}
	return 0;
}

/* An --only name that names no promise in any home is a mistake. */
static void check_only_names(struct scheduler *s)
{
	for (size_t n = 0; n < s->cli->only.count; n++) {
		if (!s->only_found[n]) {
			complain("option '--only': no promise is named '%s' in any instance home",
				 s->cli->only.words[n]);
			s->broken = true;
		}
	}
}

/* --list: each home's plan, as it would run now; nothing is written. */
static void list_homes(struct scheduler *s)
{
	for (size_t i = 0; i < s->report.count; i++) {
		struct home_run *home = &s->homes[i];
		char *failed_path = NULL;

		prepare_home(s, i);
		if (home->phase == HOME_DONE)
			continue;
		identity_become(&home->user);
		home->has_state = state_open(&home->state, home->home_fd,
					     s->report.homes[i].home,
					     s->cli->log_folder, geteuid(), false,
					     &failed_path) == 0;
		identity_restore();
		free(failed_path);
		if (plan_home(s, i) < 0)
			home_fails(s, i, "out of memory");
		close_home(s, i);
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
		struct home_run *home = &s->homes[i];

		for (size_t p = 0; home->history && p < s->report.homes[i].list.count; p++)
			free(home->history[p].previous_message);
		free(home->history);
		free(home->last_success);
		if (home->has_state)
			state_close(&home->state);
		fdio_close_quietly(home->home_fd);
		credentials_release(&home->user);
		if (home->has_own_config)
			config_release(&home->own_config);
		env_free(home->envp);
		report_home_release(&s->report.homes[i]);
	}
	free(s->homes);
	free(s->report.homes);
	free(s->report.host);
	free(s->only_found);
	outq_release(&s->out);
	fdio_close_quietly(s->inotify_fd);
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
	s.color = s.format == REPORT_TEXT && !s.cli->output &&
		  use_color(s.cli->color);
	if (s.run.values[SETTING_DEADLINE].seconds > 0) {
		s.has_deadline = true;
		s.end = monotime_add(s.started,
				     s.run.values[SETTING_DEADLINE].seconds);
		/* What is kept for the state and the report, at most half. */
		double reserve = s.run.values[SETTING_DEADLINE].seconds / 2;

		if (reserve > DEADLINE_RESERVE)
			reserve = DEADLINE_RESERVE;
		s.end.tv_nsec -= (long)(reserve * 1e9);
		while (s.end.tv_nsec < 0) {
			s.end.tv_sec--;
			s.end.tv_nsec += 1000000000L;
		}
	}
	progress_init(&s.progress, STDERR_FILENO,
		      s.cli->action == CLI_RUN && s.cli->verbosity != CLI_QUIET);
	complain_before(erase_progress, &s.progress);
	s.only_found = calloc(s.cli->only.count + 1, sizeof *s.only_found);
	if (!s.report.host || !s.only_found || resolve_homes(&s) < 0 ||
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
	if (s.cli->action == CLI_LIST && s.format != REPORT_TEXT &&
	    s.format != REPORT_JSON) {
		complain("option '--list' prints text or json, not the other formats");
		s.broken = true;
		goto out;
	}
	s.inotify_fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (s.inotify_fd < 0 ||
	    runner_init(&s.runner, s.run.values[SETTING_JOBS].count,
			input->signals) < 0) {
		complain("cannot prepare to run promises: %s", strerror(errno));
		s.broken = true;
		goto out;
	}
	if (s.cli->action == CLI_LIST)
		list_homes(&s);
	else
		run_loop(&s);
	check_only_names(&s);
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
	*verdict = (struct scheduler_verdict){
		.broken = s.broken,
		.stop_signal = s.stop_signal,
		.verdict = report_run_verdict(&s.report),
		.format = s.format,
		.nagios_status = report_nagios_status(&s.report),
	};
	release(&s);
}
