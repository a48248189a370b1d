/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* settings: the table of options and settings, their parsing and precedence. */
#include "settings.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "value.h"

#define EVERY_RUN (SETTING_COMMAND_LINE | SETTING_OPERATOR | SETTING_HOME)
#define OPERATOR_ONLY (SETTING_COMMAND_LINE | SETTING_OPERATOR)

/* The names of each choice, in the order of its enum. */
static const char *const format_names[] = {
	[REPORT_TEXT] = "text",
	[REPORT_JSON] = "json",
	[REPORT_JSON_SEQ] = "json-seq",
	[REPORT_TAP] = "tap",
	[REPORT_JUNIT] = "junit",
	[REPORT_PROMETHEUS] = "prometheus",
	[REPORT_NAGIOS] = "nagios",
	NULL
};
static const char *const mode_names[] = {
	[MODE_TEST] = "test", [MODE_ANOMALY] = "anomaly", NULL
};
static const char *const containment_names[] = {
	[CONTAINMENT_AUTO] = "auto",
	[CONTAINMENT_CGROUP] = "cgroup",
	[CONTAINMENT_FREEZE] = "freeze",
	NULL
};
static const char *const color_names[] = {
	[COLOR_AUTO] = "auto", [COLOR_ALWAYS] = "always",
	[COLOR_NEVER] = "never", NULL
};

#define STRING(x) #x
#define NUMBER(x) STRING(x)

const struct setting_spec settings_table[OPTION_COUNT] = {
	{ .id = SETTING_TIMEOUT, .option = "timeout",
	  .alias = "promise-timeout", .short_option = 't',
	  .argument = "SECONDS", .kind = SETTING_SECONDS_ABOVE_ZERO,
	  .default_value = "20",
	  .help = "stop a promise after SECONDS, decimals allowed",
	  .key = "timeout", .places = EVERY_RUN | SETTING_PROMISE,
	  .bound = SETTING_BY_MAX_TIMEOUT },
	{ .id = SETTING_KILL_AFTER, .option = "kill-after", .short_option = 'k',
	  .argument = "SECONDS", .kind = SETTING_SECONDS,
	  .default_value = "1",
	  .help = "SIGKILL a promise SECONDS after SIGTERM",
	  .key = "kill-after", .places = EVERY_RUN,
	  .bound = SETTING_BY_MAX_TIMEOUT },
	/* The default is computed: settings_default_jobs. */
	{ .id = SETTING_JOBS, .option = "jobs", .short_option = 'j',
	  .argument = "N", .kind = SETTING_JOBS_COUNT,
	  .default_note = NUMBER(SETTING_JOBS_PER_PROCESSOR) " per processor, "
			  NUMBER(SETTING_JOBS_FLOOR) " to "
			  NUMBER(SETTING_JOBS_CEILING),
	  .help = "run at most N promises at once over every home",
	  .key = "jobs", .places = EVERY_RUN,
	  .bound = SETTING_WITHIN_THE_RUN },
	{ .id = SETTING_DEADLINE, .option = "deadline", .argument = "SECONDS",
	  .kind = SETTING_SECONDS, .default_value = "0",
	  .default_note = ": none",
	  .help = "end the whole run within SECONDS",
	  .key = "deadline", .places = OPERATOR_ONLY },
	{ .id = SETTING_MAX_TIMEOUT, .option = "max-timeout",
	  .argument = "SECONDS", .kind = SETTING_SECONDS_ABOVE_ZERO,
	  .default_value = "600",
	  .help = "the longest timeout an instance's own configuration may ask for",
	  .key = "max-timeout", .places = OPERATOR_ONLY },
	{ .id = OPTION_PROMISE_DIR, .option = "promise-dir", .short_option = 'd',
	  .argument = "DIR", .kind = SETTING_TEXT, .expected = "a folder",
	  .default_value = "etc/promise",
	  .help = "promise folder; a relative DIR is taken in each INSTANCE_HOME",
	  .places = SETTING_COMMAND_LINE },
	{ .id = SETTING_FORMAT, .option = "format", .short_option = 'f',
	  .argument = "FORMAT", .kind = SETTING_CHOICE,
	  .choices = format_names, .default_value = "text",
	  .help = "the report's format",
	  .key = "format", .places = OPERATOR_ONLY },
	{ .id = OPTION_OUTPUT, .option = "output", .short_option = 'o',
	  .argument = "FILE", .kind = SETTING_TEXT, .expected = "a file",
	  .help = "write the report to FILE, atomically; - is standard output",
	  .places = SETTING_COMMAND_LINE },
	{ .id = SETTING_MODE, .option = "check-anomaly", .flag_value = "anomaly",
	  .kind = SETTING_CHOICE, .choices = mode_names,
	  .default_value = "test",
	  .help = "slapgrid's anomaly mode: a promise fails when its last 3 runs failed",
	  .key = "mode", .places = EVERY_RUN },
	{ .id = OPTION_FORCE, .option = "force", .flag_value = "yes",
	  .kind = SETTING_BOOLEAN,
	  .help = "run promises whose periodicity has not come",
	  .places = SETTING_COMMAND_LINE },
	{ .id = OPTION_NO_INLINE, .option = "no-inline", .flag_value = "yes",
	  .kind = SETTING_BOOLEAN,
	  .help = "run declared checks as processes, not inside promise-run",
	  .places = SETTING_COMMAND_LINE },
	{ .id = OPTION_ONLY, .option = "only", .argument = "NAME",
	  .kind = SETTING_WORDS, .expected = "a promise's file name",
	  .refused = "/",
	  .help = "run only the promise file NAME",
	  .places = SETTING_COMMAND_LINE },
	{ .id = SETTING_STATE, .option = "no-state", .flag_value = "no",
	  .kind = SETTING_BOOLEAN, .default_value = "yes",
	  .help = "write no result file, take no lock",
	  .key = "state", .places = EVERY_RUN },
	{ .id = OPTION_LOG_FOLDER, .option = "log-folder", .argument = "DIR",
	  .kind = SETTING_TEXT, .expected = "a folder",
	  .default_value = ".slapgrid/promise/log",
	  .default_note = " in each home",
	  .help = "where the promises' logs go; a relative DIR is taken in each home, an absolute DIR serves one home only",
	  .places = SETTING_COMMAND_LINE },
	{ .id = SETTING_PLUGINS, .option = "no-plugins", .flag_value = "no",
	  .kind = SETTING_BOOLEAN, .default_value = "yes",
	  .help = "leave the Python plugins of etc/plugin to slapgrid: list them, run none",
	  .key = "plugins", .places = OPERATOR_ONLY },
	{ .id = SETTING_PLUGIN_PYTHON, .option = "plugin-python",
	  .argument = "PATH", .kind = SETTING_TEXT, .expected = "a file",
	  .default_note = "the one named by software_release/bin/buildout",
	  .help = "the python that runs slapos.core's plugin runner",
	  .key = "plugin-python", .places = OPERATOR_ONLY },
	{ .id = SETTING_PLUGIN_RUNNER, .option = "plugin-runner",
	  .argument = "PATH", .kind = SETTING_TEXT, .expected = "a file",
	  .default_note = "runpromises.py of the slapos.core in the plugins' sys.path",
	  .help = "slapos.core's runpromises.py, which runs the plugins",
	  .key = "plugin-runner", .places = OPERATOR_ONLY },
	{ .id = OPTION_WAIT, .option = "wait", .flag_value = "yes",
	  .kind = SETTING_BOOLEAN,
	  .help = "wait while another run checks an instance",
	  .places = SETTING_COMMAND_LINE },
	/*
	 * How long --wait waits for a home's lock: the holder may be a
	 * hostile user.  Not given, the deadline bounds a wait instead, when
	 * there is one (home_start).
	 */
	{ .id = SETTING_WAIT_TIMEOUT, .option = "wait-timeout",
	  .argument = "SECONDS", .kind = SETTING_SECONDS_ABOVE_ZERO,
	  .default_value = "60",
	  .default_note = ", or the deadline when there is one",
	  .help = "with --wait, report an instance locked after SECONDS",
	  .key = "wait-timeout", .places = OPERATOR_ONLY },
	{ .id = OPTION_CONFIG, .option = "config", .short_option = 'c',
	  .argument = "FILE", .kind = SETTING_TEXT, .expected = "a file",
	  .help = "the operator's configuration, for every home, read INSTEAD of each home's own INSTANCE_HOME/etc/promise-run.conf",
	  .places = SETTING_COMMAND_LINE },
	{ .id = OPTION_NO_CONFIG, .option = "no-config", .flag_value = "yes",
	  .kind = SETTING_BOOLEAN,
	  .help = "read no configuration file",
	  .places = SETTING_COMMAND_LINE },
	{ .id = SETTING_CLEAN_ENV, .option = "clean-env", .flag_value = "yes",
	  .kind = SETTING_BOOLEAN, .default_value = "no",
	  .help = "run promises with a minimal environment",
	  .key = "clean-env", .places = EVERY_RUN },
	{ .id = OPTION_KEEP_ENV, .option = "keep-env", .argument = "NAME",
	  .kind = SETTING_WORDS, .expected = "a variable name",
	  .refused = "=",
	  .help = "as root, pass NAME to the promises too",
	  .places = SETTING_COMMAND_LINE },
	/*
	 * slapgrid's ways, which root must ask for: its whole environment
	 * (root's secrets too) reaches instance users; a promise file others
	 * may write is run, and may be anyone's program run as the user.
	 */
	{ .id = OPTION_INHERIT_ENV, .option = "inherit-env", .flag_value = "yes",
	  .kind = SETTING_BOOLEAN,
	  .help = "as root, pass the whole environment to the promises, as slapgrid does",
	  .places = SETTING_COMMAND_LINE },
	{ .id = OPTION_ACCEPT_WRITABLE, .option = "accept-writable",
	  .flag_value = "yes", .kind = SETTING_BOOLEAN,
	  .help = "as root, run promise files that others may write, as slapgrid does (a warning each)",
	  .places = SETTING_COMMAND_LINE },
	{ .id = OPTION_USER, .option = "user", .argument = "NAME",
	  .kind = SETTING_TEXT, .expected = "a user name",
	  .default_note = "the owner of each INSTANCE_HOME",
	  .help = "as root, run promises as NAME; their files must be NAME's or root's",
	  .places = SETTING_COMMAND_LINE },
	{ .id = SETTING_CONTAINMENT, .option = "containment", .argument = "HOW",
	  .kind = SETTING_CHOICE, .choices = containment_names,
	  .default_value = "auto",
	  .default_note = ": a cgroup per promise where possible, else freeze",
	  .help = "how promises are kept from leaving processes behind",
	  .key = "containment", .places = OPERATOR_ONLY },
	{ .id = SETTING_NAGIOS_LEVELS, .option = "nagios-levels",
	  .flag_value = "yes", .kind = SETTING_BOOLEAN, .default_value = "no",
	  .help = "read promises' exit codes as monitoring plugins' (1 WARNING, 2 CRITICAL, 3 UNKNOWN)",
	  .key = "nagios-levels", .places = EVERY_RUN | SETTING_PROMISE },
	{ .id = OPTION_QUIET, .option = "quiet", .short_option = 'q',
	  .flag_value = "yes", .kind = SETTING_BOOLEAN,
	  .help = "print nothing when everything works",
	  .places = SETTING_COMMAND_LINE },
	{ .id = OPTION_VERBOSE, .option = "verbose", .short_option = 'v',
	  .flag_value = "yes", .kind = SETTING_BOOLEAN,
	  .help = "also print every output and skipped file",
	  .places = SETTING_COMMAND_LINE },
	{ .id = OPTION_LIST, .option = "list", .short_option = 'l',
	  .kind = SETTING_ACTION,
	  .help = "print what would run, run nothing",
	  .places = SETTING_COMMAND_LINE },
	{ .id = OPTION_COLOR, .option = "color", .argument = "WHEN",
	  .optional = true, .flag_value = "always", .kind = SETTING_CHOICE,
	  .choices = color_names, .default_value = "auto",
	  .default_note = ": when standard output is a terminal",
	  .help = "colour the text report",
	  .places = SETTING_COMMAND_LINE },
	{ .id = OPTION_HELP, .option = "help", .short_option = 'h',
	  .kind = SETTING_ACTION,
	  .help = "print this help and exit",
	  .places = SETTING_COMMAND_LINE },
	{ .id = OPTION_VERSION, .option = "version", .short_option = 'V',
	  .kind = SETTING_ACTION,
	  .help = "print the version and exit",
	  .places = SETTING_COMMAND_LINE },
	/* The keys that no option gives. */
	{ .id = SETTING_PERIODICITY, .kind = SETTING_SECONDS,
	  .default_value = "120",
	  .help = "run a promise again after SECONDS, unless --force",
	  .key = "periodicity",
	  .places = SETTING_OPERATOR | SETTING_HOME | SETTING_PROMISE },
	{ .id = SETTING_SKIP, .kind = SETTING_BOOLEAN, .default_value = "no",
	  .help = "never run this promise",
	  .key = "skip", .places = SETTING_PROMISE },
};

const struct setting_spec *settings_spec(int id)
{
	/* Every id has one row (unit-tested): found once, by id. */
	static const struct setting_spec *rows[OPTION_COUNT];

	if (!rows[0])
		for (size_t i = 0; i < OPTION_COUNT; i++)
			rows[settings_table[i].id] = &settings_table[i];
	return rows[id];
}

int settings_find_key(const char *key)
{
	for (size_t i = 0; i < OPTION_COUNT; i++)
		if (settings_table[i].key && strcmp(settings_table[i].key, key) == 0)
			return settings_table[i].id;
	return -1;
}

static int parse_boolean(const char *text, bool *value)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
		if (strcasecmp(text, yes[i]) == 0) {
			*value = true;
			return 0;
		}
		if (strcasecmp(text, no[i]) == 0) {
			*value = false;
			return 0;
		}
	}
	return -1;
}

static int parse_choice(const char *const *choices, const char *text,
                        int *choice)
{
	for (int i = 0; choices[i]; i++)
		if (strcmp(text, choices[i]) == 0) {
			*choice = i;
			return 0;
		}
	return -1;
}

/* A word: not empty, and none of the characters refused. */
static int parse_text(const struct setting_spec *spec, const char *text,
                      const char **value)
{
	if (!*text || (spec->refused && strpbrk(text, spec->refused)))
		return -1;
	*value = text;
	return 0;
}

int settings_parse(int id, const char *text, enum setting_source source,
                   struct setting_value *value)
{
	const struct setting_spec *spec = settings_spec(id);
	struct setting_value parsed = { .given = true, .source = source };
	int status = -1;

	switch (spec->kind) {
	case SETTING_SECONDS:
		status = value_parse_seconds(text, &parsed.seconds);
		break;
	case SETTING_SECONDS_ABOVE_ZERO:
		status = value_parse_seconds(text, &parsed.seconds);
		if (status == 0 && parsed.seconds <= 0)
			status = -1;
		break;
	case SETTING_JOBS_COUNT:
		status = value_parse_jobs(text, &parsed.count);
		break;
	case SETTING_BOOLEAN:
		status = parse_boolean(text, &parsed.flag);
		break;
	case SETTING_CHOICE:
		status = parse_choice(spec->choices, text, &parsed.choice);
		break;
	case SETTING_TEXT:
	case SETTING_WORDS:
		status = parse_text(spec, text, &parsed.text);
		break;
	case SETTING_ACTION:
		status = 0;
		break;
	}
	if (status == 0)
		*value = parsed;
	return status;
}

/* Appends to a list of words "a, b or c", cut to `size`, never overrun. */
static void list_word(char *buffer, size_t size, size_t *written,
                      const char *word, int index, int count)
{
	bool room = *written < size;
	int length = snprintf(room ? buffer + *written : NULL,
			      room ? size - *written : 0, "%s%s",
			      index == 0 ? "" : index == count - 1 ? " or " : ", ",
			      word);

	if (length > 0)
		*written += (size_t)length;
}

void settings_choices(const char *const *choices, char *buffer, size_t size)
{
	int count = 0;
	size_t written = 0;

	while (choices[count])
		count++;
	if (size)
		buffer[0] = '\0';
	for (int i = 0; i < count; i++)
		list_word(buffer, size, &written, choices[i], i, count);
}

const char *settings_expected(int id, char *buffer, size_t size)
{
	const struct setting_spec *spec = settings_spec(id);

	switch (spec->kind) {
	case SETTING_SECONDS:
		return "a number of seconds";
	case SETTING_SECONDS_ABOVE_ZERO:
		return "a number of seconds above 0";
	case SETTING_JOBS_COUNT:
		return "a whole number from 1 to " NUMBER(VALUE_MAX_JOBS);
	case SETTING_BOOLEAN:
		return "yes or no";
	case SETTING_CHOICE:
		settings_choices(spec->choices, buffer, size);
		return buffer;
	case SETTING_TEXT:
	case SETTING_WORDS:
		return spec->expected;
	case SETTING_ACTION:
		break;
	}
	return "no value";
}

void settings_keys_allowed(unsigned place, char *buffer, size_t size)
{
	int count = 0, listed = 0;
	size_t written = 0;

	for (int id = 0; id < SETTING_COUNT; id++)
		count += (settings_spec(id)->places & place) != 0;
	if (size)
		buffer[0] = '\0';
	for (int id = 0; id < SETTING_COUNT; id++)
		if (settings_spec(id)->places & place)
			list_word(buffer, size, &written, settings_spec(id)->key,
				  listed++, count);
}

unsigned settings_default_jobs(long processors)
{
	/* Compared before multiplying: 8 * a huge count would wrap. */
	if (processors <= SETTING_JOBS_FLOOR / SETTING_JOBS_PER_PROCESSOR)
		return SETTING_JOBS_FLOOR;
	if (processors >= SETTING_JOBS_CEILING / SETTING_JOBS_PER_PROCESSOR)
		return SETTING_JOBS_CEILING;
	return SETTING_JOBS_PER_PROCESSOR * (unsigned)processors;
}

static struct setting_value default_of(enum setting_id id)
{
	struct setting_value value = { 0 };

	if (id == SETTING_JOBS) {
		value.count = settings_default_jobs(sysconf(_SC_NPROCESSORS_ONLN));
	} else if (settings_spec(id)->default_value) {
		/* The table's defaults are valid by construction (unit-tested). */
		(void)settings_parse(id, settings_spec(id)->default_value,
				     SOURCE_DEFAULT, &value);
		value.given = false;
	}
	value.source = SOURCE_DEFAULT;
	return value;
}

/*
 * Every default, worked out once: settings_resolve runs for every
 * promise, and the jobs default asks the kernel (sysconf reads a file).
 */
static const struct setting_values *defaults(void)
{
	static struct setting_values values;
	static bool ready;

	if (!ready) {
		for (int id = 0; id < SETTING_COUNT; id++)
			values.values[id] = default_of((enum setting_id)id);
		ready = true;
	}
	return &values;
}

/* Lowers a duration an instance's own file asked for to max-timeout. */
static void cap(struct setting_value *value, double max)
{
	if (value->source == SOURCE_CONFIG && value->seconds > max) {
		value->seconds = max;
		value->capped = true;
	}
}

/*
 * A count an instance's own file may only lower: the least of the run's
 * own (the command line's, or the default) and the file's, when given.
 */
static void within_the_run(struct setting_value *value,
                           const struct setting_value *outer,
                           const struct setting_value *own)
{
	*value = own && own->count < outer->count ? *own : *outer;
}

/* The value given in the first of `count` layers that gives it, or NULL. */
static const struct setting_value *
first_given(const struct setting_values *const *layers, size_t count, int id)
{
	for (size_t i = 0; i < count; i++)
		if (layers[i] && layers[i]->values[id].given)
			return &layers[i]->values[id];
	return NULL;
}

void settings_resolve(const struct setting_values *command_line,
                      const struct setting_values *run,
                      const struct setting_values *promise, bool home_file,
                      struct setting_values *merged)
{
	const struct setting_values *layers[] = { command_line, promise, run };
	const size_t count = sizeof layers / sizeof *layers;

	for (int id = 0; id < SETTING_COUNT; id++) {
		const struct setting_value *given = first_given(layers, count, id);

		merged->values[id] = given ? *given : defaults()->values[id];
	}
	if (!home_file)
		return;
	/* After the merge: max-timeout is the command line's or the default. */
	for (int id = 0; id < SETTING_COUNT; id++) {
		const struct setting_value *outer =
			first_given(layers, 1, id);

		switch (settings_spec(id)->bound) {
		case SETTING_UNBOUNDED:
			break;
		case SETTING_BY_MAX_TIMEOUT:
			cap(&merged->values[id],
			    merged->values[SETTING_MAX_TIMEOUT].seconds);
			break;
		case SETTING_WITHIN_THE_RUN:
			within_the_run(&merged->values[id],
				       outer ? outer : &defaults()->values[id],
				       first_given(layers + 1, count - 1, id));
			break;
		}
	}
}

const char *settings_source_name(enum setting_source source)
{
	switch (source) {
	case SOURCE_CONFIG:
		return "config";
	case SOURCE_COMMAND_LINE:
		return "command line";
	case SOURCE_DEFAULT:
		break;
	}
	return "default";
}
