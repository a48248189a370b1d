/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* settings: the table of settings, their parsing and their precedence. */
#include "settings.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "report.h"
#include "value.h"

#define EVERY_RUN (SETTING_COMMAND_LINE | SETTING_OPERATOR | SETTING_HOME)
#define OPERATOR_ONLY (SETTING_COMMAND_LINE | SETTING_OPERATOR)

const struct setting_spec setting_specs[SETTING_COUNT] = {
	[SETTING_TIMEOUT] = { "timeout", "timeout", "promise-timeout", 't', NULL,
			      SETTING_SECONDS_ABOVE_ZERO,
			      EVERY_RUN | SETTING_PROMISE, "20" },
	[SETTING_KILL_AFTER] = { "kill-after", "kill-after", NULL, 'k', NULL,
				 SETTING_SECONDS, EVERY_RUN, "1" },
	[SETTING_JOBS] = { "jobs", "jobs", NULL, 'j', NULL, SETTING_JOBS_COUNT,
			   EVERY_RUN, NULL },
	[SETTING_FORMAT] = { "format", "format", NULL, 'f', NULL,
			     SETTING_FORMAT_NAME, OPERATOR_ONLY, "text" },
	[SETTING_CLEAN_ENV] = { "clean-env", "clean-env", NULL, 0, "yes",
				SETTING_BOOLEAN, EVERY_RUN, "no" },
	[SETTING_STATE] = { "state", "no-state", NULL, 0, "no", SETTING_BOOLEAN,
			    EVERY_RUN, "yes" },
	[SETTING_MODE] = { "mode", "check-anomaly", NULL, 0, "anomaly",
			   SETTING_MODE_NAME, EVERY_RUN, "test" },
	[SETTING_PERIODICITY] = { "periodicity", NULL, NULL, 0, NULL,
				  SETTING_SECONDS,
				  SETTING_OPERATOR | SETTING_HOME | SETTING_PROMISE,
				  "120" },
	[SETTING_DEADLINE] = { "deadline", "deadline", NULL, 0, NULL,
			       SETTING_SECONDS, OPERATOR_ONLY, "0" },
	[SETTING_MAX_TIMEOUT] = { "max-timeout", "max-timeout", NULL, 0, NULL,
				  SETTING_SECONDS_ABOVE_ZERO, OPERATOR_ONLY,
				  "600" },
	[SETTING_SKIP] = { "skip", NULL, NULL, 0, NULL, SETTING_BOOLEAN,
			   SETTING_PROMISE, "no" },
	[SETTING_NAGIOS_LEVELS] = { "nagios-levels", "nagios-levels", NULL, 0,
				    "yes", SETTING_BOOLEAN,
				    EVERY_RUN | SETTING_PROMISE, "no" },
	[SETTING_CONTAINMENT] = { "containment", "containment", NULL, 0, NULL,
				  SETTING_CONTAINMENT_NAME, OPERATOR_ONLY,
				  "auto" },
	/*
	 * How long --wait waits for a home's lock: the holder may be a
	 * hostile user.  Not given, the deadline bounds a wait instead, when
	 * there is one (home_start).
	 */
	[SETTING_WAIT_TIMEOUT] = { "wait-timeout", "wait-timeout", NULL, 0,
				   NULL, SETTING_SECONDS_ABOVE_ZERO,
				   OPERATOR_ONLY, "60" },
};

int settings_find_key(const char *key)
{
	for (int id = 0; id < SETTING_COUNT; id++)
		if (strcmp(setting_specs[id].key, key) == 0)
			return id;
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

static int parse_containment(const char *text, int *containment)
{
	static const char *const names[] = {
		[CONTAINMENT_AUTO] = "auto",
		[CONTAINMENT_CGROUP] = "cgroup",
		[CONTAINMENT_FREEZE] = "freeze",
	};

	for (int i = 0; i < (int)(sizeof names / sizeof *names); i++)
		if (strcmp(text, names[i]) == 0) {
			*containment = i;
			return 0;
		}
	return -1;
}

static int parse_mode(const char *text, int *mode)
{
	if (strcmp(text, "test") == 0)
		*mode = MODE_TEST;
	else if (strcmp(text, "anomaly") == 0)
		*mode = MODE_ANOMALY;
	else
		return -1;
	return 0;
}

int settings_parse(enum setting_id id, const char *text,
                   enum setting_source source, struct setting_value *value)
{
	struct setting_value parsed = { .given = true, .source = source };
	enum report_format format;
	int status = -1;

	switch (setting_specs[id].type) {
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
	case SETTING_FORMAT_NAME:
		status = report_parse_format(text, &format);
		parsed.choice = (int)format;
		break;
	case SETTING_MODE_NAME:
		status = parse_mode(text, &parsed.choice);
		break;
	case SETTING_CONTAINMENT_NAME:
		status = parse_containment(text, &parsed.choice);
		break;
	}
	if (status == 0)
		*value = parsed;
	return status;
}

const char *settings_expected(enum setting_id id)
{
	switch (setting_specs[id].type) {
	case SETTING_SECONDS:
		return "a number of seconds";
	case SETTING_SECONDS_ABOVE_ZERO:
		return "a number of seconds above 0";
	case SETTING_JOBS_COUNT:
		return "a whole number from 1 to 4096";
	case SETTING_BOOLEAN:
		return "yes or no";
	case SETTING_FORMAT_NAME:
		return REPORT_FORMAT_NAMES;
	case SETTING_MODE_NAME:
		return "test or anomaly";
	case SETTING_CONTAINMENT_NAME:
		return "auto, cgroup or freeze";
	}
	return "a value";
}

void settings_keys_allowed(unsigned place, char *buffer, size_t size)
{
	int count = 0, written = 0;

	for (int id = 0; id < SETTING_COUNT; id++)
		count += (setting_specs[id].places & place) != 0;
	buffer[0] = '\0';
	for (int id = 0, listed = 0; id < SETTING_COUNT; id++) {
		if (!(setting_specs[id].places & place))
			continue;
		listed++;
		written += snprintf(buffer + written,
				    (size_t)written < size ? size - (size_t)written : 0,
				    "%s%s",
				    listed == 1 ? "" : listed == count ? " or " : ", ",
				    setting_specs[id].key);
	}
}

unsigned settings_default_jobs(long processors)
{
	/* Compared before multiplying: 8 * a huge count would wrap. */
	if (processors <= 2)
		return SETTING_JOBS_FLOOR;
	if (processors >= SETTING_JOBS_CEILING / 8)
		return SETTING_JOBS_CEILING;
	return 8 * (unsigned)processors;
}

static struct setting_value default_of(enum setting_id id)
{
	struct setting_value value = { 0 };

	if (id == SETTING_JOBS) {
		value.count = settings_default_jobs(sysconf(_SC_NPROCESSORS_ONLN));
	} else {
		/* The table's defaults are valid by construction (unit-tested). */
		(void)settings_parse(id, setting_specs[id].default_value,
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

void settings_resolve(const struct setting_values *command_line,
                      const struct setting_values *run,
                      const struct setting_values *promise, bool home_file,
                      struct setting_values *merged)
{
	for (int id = 0; id < SETTING_COUNT; id++) {
		const struct setting_value *layers[] = {
			command_line ? &command_line->values[id] : NULL,
			promise ? &promise->values[id] : NULL,
			run ? &run->values[id] : NULL,
		};
		struct setting_value *value = &merged->values[id];

		*value = defaults()->values[id];
		for (size_t i = 0; i < sizeof layers / sizeof *layers; i++)
			if (layers[i] && layers[i]->given) {
				*value = *layers[i];
				break;
			}
	}
	if (home_file) {
		double max = merged->values[SETTING_MAX_TIMEOUT].seconds;

		cap(&merged->values[SETTING_TIMEOUT], max);
		cap(&merged->values[SETTING_KILL_AFTER], max);
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
