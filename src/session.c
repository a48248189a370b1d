/* session: one run over every instance home, from plan to reports. */
#include "session.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "complain.h"
#include "credentials.h"
#include "env.h"
#include "report_text.h"
#include "result.h"
#include "scan.h"
#include "settings.h"
#include "state.h"

extern char **environ;

/*
 * What happens as each result comes in: its state files are written, and
 * text results are streamed in promise order as they complete in any order.
 */
struct stream {
	struct text_report text;
	bool text_enabled;
	struct state *state;        /* NULL: no state */
	const struct instance_report *instance;
	size_t next_to_print;
};

static void on_promise_done(void *context, size_t index)
{
	struct stream *stream = context;
	const struct instance_report *instance = stream->instance;

	/* A failure here is said once, by state_commit, after the run. */
	if (stream->state)
		(void)state_record(stream->state, instance, index);
	if (!stream->text_enabled)
		return;
	while (stream->next_to_print < instance->list.count &&
	       instance->results[stream->next_to_print].done) {
		text_report_promise(&stream->text,
				    &instance->list.promises[stream->next_to_print],
				    &instance->results[stream->next_to_print]);
		stream->next_to_print++;
	}
	fflush(stream->text.out);
}

/* The promise folder of `home`, malloc'd. */
static char *promise_dir_of(const char *home, const char *option)
{
	char *dir;

	if (option && option[0] == '/')
		return strdup(option);
	if (asprintf(&dir, "%s/%s", home, option ? option : "etc/promise") < 0)
		return NULL;
	return dir;
}

static void warn_same_titles(const struct promise_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		if (list->promises[i].same_title_as != SCAN_TITLE_UNIQUE)
			complain("warning: '%s' and '%s' have the same title '%s'",
				 list->promises[list->promises[i].same_title_as].name,
				 list->promises[i].name, list->promises[i].title);
}

/* Takes the instance's lock; false (with the reason said) when it cannot. */
static bool lock_instance(struct session *session, struct state *state,
                          const char *home, const struct credentials *user)
{
	int signo;

	if (state_open(state, home, user) < 0) {
		complain("cannot write the state of '%s': %s", home,
			 strerror(errno));
		session->broken = true;
		return false;
	}
	if (state_lock(state, session->options->wait,
		       runner_signal_fd(session->runner), &signo) == 0)
		return true;
	if (signo)
		session->interrupt_signal = signo;
	else if (errno == EWOULDBLOCK)
		complain("'%s' is locked by another run: '%s' is held (use --wait to wait)",
			 home, state->lock_path);
	else
		complain("cannot lock '%s': %s", state->lock_path,
			 strerror(errno));
	session->broken = !signo;
	state_close(state);
	return false;
}

/* Everything one instance runs with, decided before it runs. */
struct plan {
	struct instance_settings settings;
	struct credentials user;
	double *timeouts;           /* per promise */
	const char **sources;       /* where each timeout comes from */
};

/* Runs the promises of one instance, streaming the text report. */
static void run_instance(struct session *session,
                         struct instance_report *instance,
                         const struct plan *plan, struct state *state)
{
	const struct cli_options *options = session->options;
	struct runner_settings settings = {
		.kill_after = plan->settings.kill_after,
		.jobs = plan->settings.jobs,
	};
	const struct promise_list *list = &instance->list;
	char **envp = env_build(environ, instance->home,
				plan->settings.clean_env, &plan->user);
	bool text = options->format == REPORT_TEXT;
	struct stream stream = { .instance = instance, .state = state,
				 .text_enabled = text };
	int status;

	if (!envp) {
		complain("out of memory");
		session->broken = true;
		return;
	}
	struct runner_instance run = {
		.home = instance->home,
		.promise_dir = instance->promise_dir,
		.envp = envp,
		.promises = list,
		.timeouts = plan->timeouts,
		.credentials = plan->user.change ? &plan->user : NULL,
		.results = instance->results,
	};
	if (text)
		text_report_begin(&stream.text, session->out, session->color,
				  options->verbosity, instance->home);
	status = runner_run(session->runner, &settings, &run, on_promise_done,
			    &stream);
	env_free(envp);
	clock_gettime(CLOCK_REALTIME, &instance->finished);
	if (status < 0) {
		complain("cannot run the promises of '%s': %s", instance->home,
			 strerror(errno));
		session->broken = true;
	} else if (status > 0) {
		session->interrupt_signal = status;
	}
	if (status == 0) {
		session->instances++;
		if (!report_instance_works(instance))
			session->not_working_instances++;
	}
	if (!text)
		return;
	/* Interrupted promises leave gaps: print what finished after them. */
	for (size_t i = stream.next_to_print; i < list->count; i++)
		if (instance->results[i].done)
			text_report_promise(&stream.text, &list->promises[i],
					    &instance->results[i]);
	text_report_skipped(&stream.text, list);
	if (status == 0)
		text_report_end(&stream.text);
}

/*
 * Locks, runs and records one instance whose promises are planned; false
 * when it could not be run at all (its lock is held).
 */
static bool check_instance(struct session *session,
                           struct instance_report *instance,
                           const struct plan *plan)
{
	struct state state;
	bool stateful = plan->settings.state;

	if (stateful && !lock_instance(session, &state, instance->home,
				       plan->user.change ? &plan->user : NULL))
		return false;
	/* Refused promises have their result already: it is recorded too. */
	for (size_t i = 0; stateful && i < instance->list.count; i++)
		if (instance->results[i].done)
			(void)state_record(&state, instance, i);
	run_instance(session, instance, plan, stateful ? &state : NULL);
	if (stateful) {
		if (state_commit(&state, instance) < 0) {
			complain("cannot write the results of '%s': %s",
				 instance->home, strerror(errno));
			session->broken = true;
		}
		state_close(&state);
	}
	return true;
}

/* Keeps a checked instance for the one-document formats; false on ENOMEM. */
static bool keep_instance(struct session *session,
                          struct instance_report *instance)
{
	struct run_report *report = &session->report;
	struct instance_report *grown = reallocarray(
		report->instances, report->count + 1, sizeof *grown);

	if (!grown)
		return false;
	report->instances = grown;
	report->instances[report->count++] = *instance;
	return true;
}

/* Warns of each [promise:NAME] section that names no promise. */
static void warn_unknown_promises(const struct config *config,
                                  const struct instance_report *instance)
{
	for (size_t i = 0; config && i < config->promise_count; i++) {
		const struct promise_config *promise = &config->promises[i];
		bool found = false;

		for (size_t p = 0; p < instance->list.count && !found; p++)
			found = strcmp(instance->list.promises[p].name,
				       promise->name) == 0;
		if (!found)
			complain("warning: %s:%d: [promise:%s] names no promise in '%s'",
				 config->path, promise->line, promise->name,
				 instance->promise_dir);
	}
}

/*
 * Decides each promise's timeout, and which will not run: those the file
 * disables, and, as root, files someone else could have written.  Those
 * get their result now.  False when memory ran out.
 */
static bool plan_promises(const struct cli_options *options,
                          const struct config *config,
                          struct instance_report *instance, struct plan *plan)
{
	size_t count = instance->list.count ? instance->list.count : 1;
	bool root = geteuid() == 0;

	plan->timeouts = calloc(count, sizeof *plan->timeouts);
	plan->sources = calloc(count, sizeof *plan->sources);
	instance->results = calloc(count, sizeof *instance->results);
	if (!plan->timeouts || !plan->sources || !instance->results)
		return false;
	for (size_t i = 0; i < instance->list.count; i++) {
		const struct promise *promise = &instance->list.promises[i];
		struct promise_result *result = &instance->results[i];
		enum setting_source source;
		char why[256];

		plan->timeouts[i] = settings_promise_timeout(
			options, config, promise->name, &source);
		plan->sources[i] = settings_source_name(source);
		if (settings_promise_disabled(config, promise->name)) {
			result->done = result->disabled = true;
			result->status = PROMISE_OK;
			result->exit_code = RESULT_NO_EXIT_CODE;
			result->message = strdup("disabled in config");
		} else if (root && credentials_check_file(&plan->user,
							  &promise->file, why,
							  sizeof why) < 0) {
			result->done = true;
			result->status = PROMISE_ERROR;
			result->exit_code = RESULT_NO_EXIT_CODE;
			result->ended = time(NULL);
			if (asprintf(&result->message, "refused: %s", why) < 0)
				result->message = NULL;
		} else {
			continue;
		}
		if (!result->message)
			return false;
	}
	return true;
}

static void plan_free(struct plan *plan)
{
	credentials_free(&plan->user);
	free(plan->timeouts);
	free(plan->sources);
}

/* Scans one instance home, then lists or checks its promises. */
void session_visit(struct session *session, char *home,
                   const struct config *config)
{
	const struct cli_options *options = session->options;
	struct instance_report instance = {
		.home = home,
		.promise_dir = promise_dir_of(home, options->promise_dir),
	};
	struct plan plan = { 0 };
	char error[512];

	if (!instance.promise_dir)
		goto out_of_memory;
	settings_for_instance(options, config, &plan.settings);
	if (credentials_for_instance(home, options->user, &plan.user, error,
				     sizeof error) < 0) {
		complain("%s", error);
		session->broken = true;
		goto out;
	}
	if (scan_dir(instance.promise_dir, plan.user.change ? &plan.user : NULL,
		     &instance.list) < 0) {
		complain("cannot read '%s': %s", instance.promise_dir,
			 strerror(errno));
		session->broken = true;
		goto out;
	}
	warn_same_titles(&instance.list);
	warn_unknown_promises(config, &instance);
	if (!plan_promises(options, config, &instance, &plan))
		goto out_of_memory;
	if (options->action == CLI_LIST) {
		text_report_list(session->out, home, &instance.list,
				 plan.timeouts, plan.sources, instance.results);
		goto out;
	}
	/* What finished is reported, even after an interruption. */
	if (check_instance(session, &instance, &plan) &&
	    options->format != REPORT_TEXT) {
		if (!keep_instance(session, &instance))
			goto out_of_memory;
		plan_free(&plan);
		return;
	}
	goto out;
out_of_memory:
	complain("out of memory");
	session->broken = true;
out:
	plan_free(&plan);
	report_instance_free(&instance);
}

/*
 * Loads the configuration of every home before anything runs: --config
 * for all, or each home's etc/promise-run.conf when it exists.  A bad file
 * stops everything.  Also settles the format, which is one for the run.
 * NULL (with the reason said) on error.
 */
struct config *session_load_configs(struct cli_options *options, char **homes,
                                    size_t home_count, bool **loaded)
{
	struct config *configs = calloc(home_count, sizeof *configs);
	const char *format_from = NULL;
	char error[512];

	*loaded = calloc(home_count, sizeof **loaded);
	if (!configs || !*loaded) {
		complain("out of memory");
		goto fail;
	}
	for (size_t i = 0; i < home_count; i++) {
		char *path = NULL;

		if (!options->config) {
			if (asprintf(&path, "%s/etc/promise-run.conf",
				     homes[i]) < 0) {
				complain("out of memory");
				goto fail;
			}
			if (access(path, F_OK) < 0 && errno == ENOENT) {
				free(path);
				continue;
			}
		}
		if (config_load_file(path ? path : options->config, &configs[i],
				     error, sizeof error) < 0) {
			complain("%s", error);
			free(path);
			goto fail;
		}
		free(path);
		(*loaded)[i] = true;
		if (options->format_given || !configs[i].has_format)
			continue;
		if (format_from && configs[i].format != options->format) {
			complain("%s and %s ask for different formats: give --format",
				 format_from, configs[i].path);
			goto fail;
		}
		options->format = configs[i].format;
		format_from = configs[i].path;
	}
	return configs;
fail:
	for (size_t i = 0; configs && i < home_count; i++)
		config_free(&configs[i]);
	free(configs);
	free(*loaded);
	*loaded = NULL;
	return NULL;
}

/* Writes the one-document formats, once every instance is checked. */
int session_render_document(struct session *session)
{
	const struct run_report *report = &session->report;

	/* --quiet: the cron convention holds for every format. */
	if (session->options->verbosity == CLI_QUIET && report_run_works(report))
		return 0;
	switch (session->options->format) {
	case REPORT_JSON:
		return report_json(session->out, report);
	case REPORT_TAP:
		return report_tap(session->out, report);
	case REPORT_JUNIT:
		return report_junit(session->out, report);
	case REPORT_PROMETHEUS:
		return report_prometheus(session->out, report);
	case REPORT_TEXT:
		break;
	}
	return 0;
}

void session_free(struct session *session)
{
	for (size_t i = 0; i < session->report.count; i++)
		report_instance_free(&session->report.instances[i]);
	free(session->report.instances);
	session->report.instances = NULL;
	session->report.count = 0;
}
