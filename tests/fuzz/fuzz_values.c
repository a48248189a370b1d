/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * fuzz_values: value_parse_seconds, value_parse_jobs and settings_parse
 * (every row of the table: settings and the command line's own options)
 * on any string (the input up to its first NUL).  It links value and
 * settings alone.
 *
 * Checks: no crash; accepted seconds are finite and within
 * [0, VALUE_MAX_SECONDS] (above 0 for the settings that say so), and
 * only spelled with digits and one '.'; accepted jobs within
 * [1, VALUE_MAX_JOBS], and exactly the strings of digits of that range;
 * booleans, formats, modes, containments and colours only from their
 * lists; a text or word is the input itself, not empty, without the
 * characters its option refuses; an accepted value is marked given, with
 * the source passed; a plain decimal within range is accepted; and
 * value_format_seconds writes every accepted number as the shortest plain
 * decimal that reads back as the same number.
 */
#include <float.h>
#include <math.h>
#include <string.h>
#include <strings.h>

#include "fuzz_common.h"
#include "settings.h"
#include "value.h"

/* Digits with at most one '.', at least one digit. */
static bool plain_decimal(const char *text)
{
	size_t digits = 0, dots = 0;

	for (const char *c = text; *c; c++) {
		if (*c >= '0' && *c <= '9')
			digits++;
		else if (*c == '.')
			dots++;
		else
			return false;
	}
	return digits > 0 && dots <= 1;
}

/*
 * value_format_seconds: a plain decimal (no exponent) that
 * value_parse_seconds reads back as the same number.
 */
static void check_format(double seconds)
{
	char text[64], back_text[64];
	double back = -1;

	memset(text, 'x', sizeof text);
	value_format_seconds(seconds, text, sizeof text);
	FUZZ_CHECK(memchr(text, '\0', sizeof text), "not NUL-terminated");
	FUZZ_CHECK(plain_decimal(text), "%.17g written \"%s\"", seconds, text);
	FUZZ_CHECK(value_parse_seconds(text, &back) == 0 && back == seconds,
		   "%.17g written \"%s\", read back as %.17g", seconds, text,
		   back);
	/* The shortest: one place less does not read back. */
	if (strchr(text, '.')) {
		int places = (int)strlen(strchr(text, '.') + 1);

		snprintf(back_text, sizeof back_text, "%.*f", places - 1,
			 seconds);
		FUZZ_CHECK(strtod(back_text, NULL) != seconds,
			   "%.17g: \"%s\" is shorter than \"%s\"", seconds,
			   back_text, text);
	}
}

static void check_seconds(const char *text)
{
	double seconds = -1;
	int status = value_parse_seconds(text, &seconds);

	FUZZ_CHECK(status == 0 || status == -1, "status %d", status);
	if (status == 0) {
		FUZZ_CHECK(isfinite(seconds) && seconds >= 0 &&
			   seconds <= VALUE_MAX_SECONDS,
			   "seconds %.17g accepted", seconds);
		FUZZ_CHECK(plain_decimal(text), "\"%s\" accepted", text);
		/* Its value to the nanosecond. */
		FUZZ_CHECK(seconds == round(strtod(text, NULL) * 1e9) / 1e9,
			   "not its value");
		check_format(seconds);
	} else if (plain_decimal(text)) {
		double value = strtod(text, NULL);

		/* Refused: only too big. */
		FUZZ_CHECK(value > VALUE_MAX_SECONDS, "\"%s\" refused", text);
	}
}

static void check_jobs(const char *text)
{
	unsigned jobs = 0;
	int status = value_parse_jobs(text, &jobs);
	unsigned long value = 0;
	bool digits = *text != '\0';

	for (const char *c = text; *c; c++) {
		if (*c < '0' || *c > '9') {
			digits = false;
			break;
		}
		if (value <= VALUE_MAX_JOBS)
			value = value * 10 + (unsigned long)(*c - '0');
	}
	FUZZ_CHECK(status == 0 || status == -1, "status %d", status);
	if (status == 0)
		FUZZ_CHECK(jobs >= 1 && jobs <= VALUE_MAX_JOBS,
			   "jobs %u accepted", jobs);
	FUZZ_CHECK((status == 0) ==
		   (digits && value >= 1 && value <= VALUE_MAX_JOBS),
		   "\"%s\": %s", text, status == 0 ? "accepted" : "refused");
	if (status == 0)
		FUZZ_CHECK(jobs == value, "%u for \"%s\"", jobs, text);
}

static bool one_of(const char *text, const char *const *words, size_t count,
                   bool any_case)
{
	for (size_t i = 0; i < count; i++)
		if ((any_case ? strcasecmp(text, words[i])
			      : strcmp(text, words[i])) == 0)
			return true;
	return false;
}

/* The name of a choice, from lists written here again. */
static bool choice_named(int id, const char *text, int choice)
{
	static const char *const formats[] = {
		[REPORT_TEXT] = "text", [REPORT_JSON] = "json",
		[REPORT_TAP] = "tap", [REPORT_JUNIT] = "junit",
		[REPORT_PROMETHEUS] = "prometheus", [REPORT_NAGIOS] = "nagios",
		[REPORT_JSON_SEQ] = "json-seq",
	};
	static const char *const modes[] = {
		[MODE_TEST] = "test", [MODE_ANOMALY] = "anomaly",
	};
	static const char *const containments[] = {
		[CONTAINMENT_AUTO] = "auto", [CONTAINMENT_CGROUP] = "cgroup",
		[CONTAINMENT_FREEZE] = "freeze",
	};
	static const char *const colors[] = {
		[COLOR_AUTO] = "auto", [COLOR_ALWAYS] = "always",
		[COLOR_NEVER] = "never",
	};
	const char *const *names;
	int count;

	switch (id) {
	case SETTING_FORMAT:
		names = formats, count = sizeof formats / sizeof *formats;
		break;
	case SETTING_MODE:
		names = modes, count = 2;
		break;
	case SETTING_CONTAINMENT:
		names = containments, count = 3;
		break;
	case OPTION_COLOR:
		names = colors, count = 3;
		break;
	default:
		return false;
	}
	return choice >= 0 && choice < count && strcmp(text, names[choice]) == 0;
}

static const char *name_of(int id)
{
	const struct setting_spec *spec = settings_spec(id);

	return spec->key ? spec->key : spec->option;
}

static void check_setting(int id, const char *text,
                          enum setting_source source)
{
	static const char *const booleans[] = {
		"yes", "no", "true", "false", "on", "off", "1", "0"
	};
	const struct setting_spec *spec = settings_spec(id);
	struct setting_value value;
	char expected[128];
	int status;

	FUZZ_CHECK(spec->id == id, "row of %d", id);
	memset(&value, 0xA5, sizeof value);
	status = settings_parse(id, text, source, &value);
	FUZZ_CHECK(status == 0 || status == -1, "status %d", status);
	FUZZ_CHECK(settings_expected(id, expected, sizeof expected) != NULL,
		   "settings_expected");
	if (status < 0)
		return;
	FUZZ_CHECK(value.given && value.source == source && !value.capped,
		   "%s: given, source or capped", name_of(id));
	switch (spec->kind) {
	case SETTING_SECONDS_ABOVE_ZERO:
		FUZZ_CHECK(value.seconds > 0, "%s: 0 accepted", name_of(id));
		/* fall through */
	case SETTING_SECONDS:
		FUZZ_CHECK(isfinite(value.seconds) && value.seconds >= 0 &&
			   value.seconds <= VALUE_MAX_SECONDS,
			   "%s: %.17g accepted", name_of(id), value.seconds);
		break;
	case SETTING_JOBS_COUNT:
		FUZZ_CHECK(value.count >= 1 && value.count <= VALUE_MAX_JOBS,
			   "%s: %u accepted", name_of(id), value.count);
		break;
	case SETTING_BOOLEAN:
		FUZZ_CHECK(one_of(text, booleans, 8, true),
			   "%s: \"%s\" accepted", name_of(id), text);
		break;
	case SETTING_CHOICE:
		FUZZ_CHECK(choice_named(id, text, value.choice),
			   "%s: \"%s\" accepted as %d", name_of(id), text,
			   value.choice);
		break;
	case SETTING_TEXT:
	case SETTING_WORDS:
		FUZZ_CHECK(value.text == text && *text &&
			   !(id == OPTION_ONLY && strchr(text, '/')) &&
			   !(id == OPTION_KEEP_ENV && strchr(text, '=')),
			   "%s: \"%s\" accepted", name_of(id), text);
		break;
	case SETTING_ACTION:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);

	check_seconds(text);
	check_jobs(text);
	for (int id = 0; id < OPTION_COUNT; id++) {
		check_setting(id, text, SOURCE_CONFIG);
		check_setting(id, text, SOURCE_COMMAND_LINE);
		FUZZ_CHECK(id >= SETTING_COUNT ||
			   settings_find_key(settings_spec(id)->key) == id,
			   "settings_find_key");
	}
	/* A configuration key, as config.c looks it up. */
	{
		int id = settings_find_key(text);

		FUZZ_CHECK(id == -1 ||
			   (id >= 0 && id < SETTING_COUNT &&
			    strcmp(settings_spec(id)->key, text) == 0),
			   "settings_find_key(\"%s\") = %d", text, id);
	}
	free(text);
	return 0;
}
