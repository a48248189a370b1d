/*
 * promise-run: runs the promises of SlapOS-style instances and tells
 * whether they work.  Glue only: parse, scan, run, report, exit status.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "credentials.h"
#include "env.h"
#include "atomic_file.h"
#include "report.h"
#include "report_text.h"
#include "result.h"
#include "runner.h"
#include "scan.h"
#include "settings.h"
#include "state.h"

#define PROMISE_RUN_VERSION "0.1.0"

/* Exit statuses, compatible with slapgrid's. */
enum {
	EXIT_WORKING = 0,
	EXIT_BROKEN = 1,        /* promise-run could not do its job */
	EXIT_NOT_WORKING = 2,
	EXIT_SIGNAL_BASE = 128,
};

extern char **environ;

static void complain(const char *format, ...)
{
	va_list arguments;

	fputs("promise-run: ", stderr);
	va_start(arguments, format);
	vfprintf(stderr, format, arguments);
	va_end(arguments);
	fputc('\n', stderr);
}

/*
 * Opens /dev/null on any of 0, 1, 2 that is closed, so that no pipe or
 * file promise-run opens later lands there by accident.
 */
static int ensure_standard_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		int opened = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);

		if (opened < 0)
			return -1;
		if (opened != fd) {
			/* Lower fds are open, so open() returns the lowest free. */
			close(opened);
			errno = EBADF;
			return -1;
		}
	}
	return 0;
}

/* The run over every instance, and what the exit status will be. */
struct session {
	const struct cli_options *options;
	struct runner *runner;
	FILE *out;                  /* standard output, or the --output file */
	bool color;
	bool broken;                /* some error: exit 1 */
	int interrupt_signal;
	size_t instances, not_working_instances;
	struct run_report report;   /* kept for the one-document formats */
};

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
							  &promise->status, why,
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
static void visit_instance(struct session *session, char *home,
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
static struct config *load_configs(struct cli_options *options, char **homes,
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
static int render_document(struct session *session)
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

/*
 * Resolves every instance home to its real path, once each: the same home
 * given twice (or through a link) is checked once.  NULL on error.
 */
static char **resolve_homes(const struct cli_options *options, size_t *count)
{
	static char *current[] = { "." };
	char **given = options->home_count ? options->homes : current;
	size_t given_count = options->home_count ? options->home_count : 1;
	char **homes = calloc(given_count, sizeof *homes);

	*count = 0;
	if (!homes) {
		complain("out of memory");
		return NULL;
	}
	for (size_t i = 0; i < given_count; i++) {
		char *real = realpath(given[i], NULL);
		bool seen = false;

		if (!real) {
			complain("cannot use instance home '%s': %s", given[i],
				 strerror(errno));
			for (size_t j = 0; j < *count; j++)
				free(homes[j]);
			free(homes);
			return NULL;
		}
		for (size_t j = 0; j < *count && !seen; j++)
			seen = strcmp(homes[j], real) == 0;
		if (seen)
			free(real);
		else
			homes[(*count)++] = real;
	}
	return homes;
}

static void free_homes(char **homes, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(homes[i]);
	free(homes);
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

/* Flushes stdout; a report that could not be written is a failure. */
static int finish_output(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		complain("cannot write the report: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int exit_status(const struct session *session)
{
	if (session->interrupt_signal)
		return EXIT_SIGNAL_BASE + session->interrupt_signal;
	if (session->broken)
		return EXIT_BROKEN;
	return session->not_working_instances ? EXIT_NOT_WORKING : EXIT_WORKING;
}

/* promise-run check-url / check-port: parse, check, say, exit. */
static int run_check(enum cli_command command, int argc, char **argv)
{
	char message[2048];
	bool help;
	int parsed, status = CHECK_WORKS;

	if (command == CLI_COMMAND_CHECK_URL) {
		struct check_url_options options;

		parsed = cli_parse_check_url(argc, argv, &options, &help,
					     message, sizeof message);
		if (parsed == 0 && !help)
			status = check_url(&options, message, sizeof message);
	} else {
		struct check_port_options options;

		parsed = cli_parse_check_port(argc, argv, &options, &help,
					      message, sizeof message);
		if (parsed == 0 && !help)
			status = check_port(&options, message, sizeof message);
	}
	if (parsed < 0) {
		fprintf(stderr, "promise-run %s: %s (see --help)\n", argv[0],
			message);
		return CHECK_USAGE;
	}
	if (help) {
		fputs(message, stdout);
		status = CHECK_WORKS;
	} else if (*message) {
		/* A promise's message is its output: one line on stdout. */
		puts(message);
	}
	return finish_output() < 0 && status == CHECK_WORKS ? EXIT_BROKEN
							    : status;
}

int main(int argc, char **argv)
{
	struct cli_options options;
	struct session session = { .options = &options, .out = stdout };
	struct atomic_file output = { 0 };
	struct config *configs;
	bool *loaded;
	char error[256];
	char **homes;
	size_t home_count;

	enum cli_command command;

	if (ensure_standard_fds() < 0)
		return EXIT_BROKEN;
	command = cli_command(argc, argv);
	if (command != CLI_COMMAND_RUN)
		return run_check(command, argc - 1, argv + 1);
	if (cli_parse(argc, argv, &options, error, sizeof error) < 0) {
		complain("%s (see --help)", error);
		return EXIT_BROKEN;
	}
	if (options.action == CLI_HELP) {
		fputs(cli_usage(), stdout);
		return finish_output() < 0 ? EXIT_BROKEN : EXIT_WORKING;
	}
	if (options.action == CLI_VERSION) {
		puts("promise-run " PROMISE_RUN_VERSION);
		return finish_output() < 0 ? EXIT_BROKEN : EXIT_WORKING;
	}
	/* --list shows and runs nothing: it writes nothing in the instance. */
	if (options.action == CLI_LIST)
		options.state = false;
	homes = resolve_homes(&options, &home_count);
	if (!homes)
		return EXIT_BROKEN;
	configs = load_configs(&options, homes, home_count, &loaded);
	if (!configs) {
		free_homes(homes, home_count);
		return EXIT_BROKEN;
	}
	/* An output file that cannot be written fails before anything runs. */
	if (options.output) {
		if (atomic_file_open(&output, options.output) < 0) {
			complain("cannot write '%s': %s", options.output,
				 strerror(errno));
			session.broken = true;
		}
		session.out = output.stream;
	}
	session.color = !options.output && use_color(options.color);
	session.runner = session.broken ? NULL : runner_create();
	if (!session.runner && !session.broken) {
		complain("cannot prepare to run promises: %s", strerror(errno));
		session.broken = true;
	}
	for (size_t i = 0; session.runner && i < home_count; i++) {
		visit_instance(&session, homes[i],
			       loaded[i] ? &configs[i] : NULL);
		homes[i] = NULL;        /* the instance report owned it */
		if (session.interrupt_signal) {
			complain("interrupted by SIG%s: promises stopped",
				 sigabbrev_np(session.interrupt_signal));
			break;
		}
	}
	if (options.action == CLI_RUN && options.format == REPORT_TEXT &&
	    home_count > 1 && !session.interrupt_signal && !session.broken)
		text_report_verdict(session.out, session.color,
				    options.verbosity, session.instances,
				    session.not_working_instances);
	if (session.runner && options.format != REPORT_TEXT &&
	    render_document(&session) < 0) {
		complain("cannot build the report: %s", strerror(errno));
		session.broken = true;
	}
	if (options.output && output.stream) {
		if (atomic_file_close(&output, true) < 0 ||
		    atomic_file_commit(&output) < 0) {
			complain("cannot write '%s': %s", options.output,
				 strerror(errno));
			session.broken = true;
		}
		atomic_file_discard(&output);
	}
	if (finish_output() < 0)
		session.broken = true;
	runner_destroy(session.runner);
	for (size_t i = 0; i < session.report.count; i++)
		report_instance_free(&session.report.instances[i]);
	free(session.report.instances);
	for (size_t i = 0; i < home_count; i++)
		config_free(&configs[i]);
	free(configs);
	free(loaded);
	free_homes(homes, home_count);
	return exit_status(&session);
}
