/*
 * fuzz_values: value_parse_seconds, value_parse_jobs and settings_parse
 * (every setting) on any string (the input up to its first NUL).
 *
 * Checks: no crash; accepted seconds are finite and within
 * [0, VALUE_MAX_SECONDS] (above 0 for the settings that say so), and
 * only spelled with digits and one '.'; accepted jobs within
 * [1, VALUE_MAX_JOBS], and exactly the strings of digits of that range;
 * booleans, formats and modes only from their lists; an accepted setting
 * is marked given, with the source passed.  Also that a plain decimal
 * within range is accepted (but for one that underflows a double: see
 * /tmp/fuzz-bugs.md, kept apart so as not to stop the fuzzing).
 */
#include <float.h>
#include <math.h>
#include <string.h>
#include <strings.h>

#include "fuzz_common.h"
#include "report.h"
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
		FUZZ_CHECK(seconds == strtod(text, NULL), "not its value");
	} else if (plain_decimal(text)) {
		double value = strtod(text, NULL);

		/* Refused: too big, or (bug) too small for a double. */
		FUZZ_CHECK(value > VALUE_MAX_SECONDS ||
			   (value < DBL_MIN && strpbrk(text, "123456789")),
			   "\"%s\" refused", text);
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

static void check_setting(enum setting_id id, const char *text,
                          enum setting_source source)
{
	static const char *const booleans[] = {
		"yes", "no", "true", "false", "on", "off", "1", "0"
	};
	static const char *const formats[] = {
		"text", "json", "tap", "junit", "prometheus", "nagios"
	};
	struct setting_value value;
	int status;

	memset(&value, 0xA5, sizeof value);
	status = settings_parse(id, text, source, &value);
	FUZZ_CHECK(status == 0 || status == -1, "status %d", status);
	FUZZ_CHECK(settings_expected(id) != NULL, "settings_expected");
	if (status < 0)
		return;
	FUZZ_CHECK(value.given && value.source == source && !value.capped,
		   "%s: given, source or capped", setting_specs[id].key);
	switch (setting_specs[id].type) {
	case SETTING_SECONDS_ABOVE_ZERO:
		FUZZ_CHECK(value.seconds > 0, "%s: 0 accepted",
			   setting_specs[id].key);
		/* fall through */
	case SETTING_SECONDS:
		FUZZ_CHECK(isfinite(value.seconds) && value.seconds >= 0 &&
			   value.seconds <= VALUE_MAX_SECONDS,
			   "%s: %.17g accepted", setting_specs[id].key,
			   value.seconds);
		break;
	case SETTING_JOBS_COUNT:
		FUZZ_CHECK(value.count >= 1 && value.count <= VALUE_MAX_JOBS,
			   "%s: %u accepted", setting_specs[id].key, value.count);
		break;
	case SETTING_BOOLEAN:
		FUZZ_CHECK(one_of(text, booleans, 8, true),
			   "%s: \"%s\" accepted", setting_specs[id].key, text);
		break;
	case SETTING_FORMAT_NAME:
		FUZZ_CHECK(one_of(text, formats, 6, false) && value.choice >= 0 &&
			   value.choice <= REPORT_NAGIOS &&
			   strcmp(text, formats[value.choice]) == 0,
			   "%s: \"%s\" accepted as %d", setting_specs[id].key,
			   text, value.choice);
		break;
	case SETTING_MODE_NAME:
		FUZZ_CHECK((strcmp(text, "test") == 0 && value.choice == MODE_TEST) ||
			   (strcmp(text, "anomaly") == 0 &&
			    value.choice == MODE_ANOMALY),
			   "%s: \"%s\" accepted", setting_specs[id].key, text);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);

	check_seconds(text);
	check_jobs(text);
	for (int id = 0; id < SETTING_COUNT; id++) {
		check_setting((enum setting_id)id, text, SOURCE_CONFIG);
		check_setting((enum setting_id)id, text, SOURCE_COMMAND_LINE);
		FUZZ_CHECK(settings_find_key(setting_specs[id].key) == id,
			   "settings_find_key");
	}
	/* A configuration key, as config.c looks it up. */
	{
		int id = settings_find_key(text);

		FUZZ_CHECK(id == -1 ||
			   (id >= 0 && id < SETTING_COUNT &&
			    strcmp(setting_specs[id].key, text) == 0),
			   "settings_find_key(\"%s\") = %d", text, id);
	}
	free(text);
	return 0;
}
