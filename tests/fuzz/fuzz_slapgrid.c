/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * fuzz_slapgrid: the readers of slapgrid's files, which belong to the
 * instance's user, on any bytes: slapgrid_parse_log (whole and not,
 * 0 to 3 runs wanted), slapgrid_parse_result, slapgrid_parse_cache, and
 * json_find, json_string and json_number under a few paths.  Each gets
 * an exact-size malloc'd copy, with no NUL after it, so that a read past
 * the text is an overflow AddressSanitizer reports (and the JSON readers
 * get prefixes cut where a token may end early, too); the failed[] array
 * is malloc'd with exactly `wanted` elements.
 *
 * Checks: no crash; found <= wanted, and the runs found for fewer wanted
 * are the first of those found for more; a value found lies inside the
 * text and reads back alone as the same JSON value; json_string gives
 * well-formed UTF-8 without NUL, equal to what a reference unescaper in
 * this file gives; json_number succeeds on every number shorter than its
 * buffer, with strtod's value; parse_result's and parse_cache's answers
 * agree with json_find's.  And a round trip: slapgrid_format_result of a
 * title, name, path and message taken from the input (split at NUL
 * bytes) reads back with slapgrid_parse_result as the same failed flag,
 * date and sanitized message, and json_find finds the title, name and
 * path back.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "fuzz_common.h"
#include "json_read.h"
#include "slapgrid.h"
#include "utf8.h"

static void check_log(const char *text, size_t size)
{
	for (int whole = 0; whole <= 1; whole++) {
		bool first[3] = { false, false, false };
		size_t first_found = 0;

		for (size_t wanted = 3;; wanted--) {
			/* Exactly `wanted` elements, for AddressSanitizer. */
			bool *failed = malloc(wanted * sizeof *failed);
			size_t found;

			FUZZ_CHECK(failed || !wanted, "out of memory");
			found = slapgrid_parse_log(text, size, whole, failed,
						   wanted);
			FUZZ_CHECK(found <= wanted, "found %zu > wanted %zu",
				   found, wanted);
			if (wanted == 3) {
				first_found = found;
				memcpy(first, failed, found * sizeof *failed);
			} else {
				size_t expect = first_found < wanted ? first_found
								     : wanted;

				FUZZ_CHECK(found == expect,
					   "%zu runs for %zu wanted, %zu for 3",
					   found, wanted, first_found);
				for (size_t i = 0; i < found; i++)
					FUZZ_CHECK(failed[i] == first[i],
						   "run %zu differs with %zu wanted",
						   i, wanted);
			}
			free(failed);
			if (wanted == 0)
				break;
		}
	}
}

/*
 * The reference: a JSON string's text (quotes included, already checked)
 * unescaped, then sanitized (lone surrogates as U+FFFD, NUL too).
 */
static char *reference_string(const char *start, size_t length)
{
	unsigned char *raw = malloc(length + 1);
	size_t used = 0;
	char *text;

	FUZZ_CHECK(raw, "out of memory");
	for (size_t i = 1; i + 1 < length;) {
		unsigned long code, low;
		char escape;

		if (start[i] != '\\') {
			raw[used++] = (unsigned char)start[i++];
			continue;
		}
		escape = start[i + 1];
		i += 2;
		switch (escape) {
		case 'b': raw[used++] = '\b'; continue;
		case 'f': raw[used++] = '\f'; continue;
		case 'n': raw[used++] = '\n'; continue;
		case 'r': raw[used++] = '\r'; continue;
		case 't': raw[used++] = '\t'; continue;
		case 'u': break;
		default: raw[used++] = (unsigned char)escape; continue;
		}
		code = strtoul((char[]){ start[i], start[i + 1], start[i + 2],
					 start[i + 3], 0 }, NULL, 16);
		i += 4;
		if (code >= 0xD800 && code <= 0xDBFF && i + 6 < length &&
		    start[i] == '\\' && start[i + 1] == 'u') {
			low = strtoul((char[]){ start[i + 2], start[i + 3],
						start[i + 4], start[i + 5], 0 },
				      NULL, 16);
			if (low >= 0xDC00 && low <= 0xDFFF) {
				code = 0x10000 + ((code - 0xD800) << 10) +
				       (low - 0xDC00);
				i += 6;
			}
		}
		if (code >= 0xD800 && code <= 0xDFFF)
			code = 0xFFFD;
		used += utf8_put(raw + used, (uint32_t)code);
	}
	text = utf8_sanitize(raw, used, NULL);
	FUZZ_CHECK(text, "out of memory");
	free(raw);
	return text;
}

static void check_value(const char *text, size_t size,
                        const struct json_value *value)
{
	static const char *const top[1] = { NULL };
	struct json_value again;
	double number;

	FUZZ_CHECK(value->start >= text && value->length > 0 &&
		   value->length <= size &&
		   value->start <= text + size - value->length,
		   "value outside the text");
	FUZZ_CHECK(json_find(value->start, value->length, top, 0, &again) == 0 &&
		   again.type == value->type && again.start == value->start &&
		   again.length == value->length,
		   "the value found does not read back alone");
	if (value->type == JSON_STRING) {
		char *string = json_string(value), *expected;

		FUZZ_CHECK(string, "json_string");
		FUZZ_CHECK(fuzz_utf8_valid(string, strlen(string)),
			   "json_string: not well-formed UTF-8");
		expected = reference_string(value->start, value->length);
		FUZZ_CHECK(strcmp(string, expected) == 0,
			   "json_string differs from the reference");
		free(expected);
		free(string);
	} else {
		errno = 0;
		FUZZ_CHECK(json_string(value) == NULL,
			   "json_string of a non-string");
	}
	if (value->type == JSON_NUMBER && value->length < 64) {
		char buffer[64];

		memcpy(buffer, value->start, value->length);
		buffer[value->length] = '\0';
		FUZZ_CHECK(json_number(value, &number) == 0,
			   "json_number refuses a number");
		FUZZ_CHECK(memcmp(&number, &(double){ strtod(buffer, NULL) },
				  sizeof number) == 0, "json_number's value");
	} else if (value->type != JSON_NUMBER) {
		FUZZ_CHECK(json_number(value, &number) < 0,
			   "json_number of a non-number");
	}
}

static void check_json(const char *text, size_t size)
{
	static const char *const paths[][3] = {
		{ NULL }, { "result" }, { "result", "message" },
		{ "result", "failed" }, { "result", "date" },
		{ "next_run_after" }, { "" }, { "a", "b", "c" },
	};
	static const size_t depths[] = { 0, 1, 2, 2, 2, 1, 1, 3 };
	struct json_value value, message, failed, cache;
	struct slapgrid_previous previous;
	double next_run_after;
	int found[8];

	for (size_t i = 0; i < sizeof depths / sizeof *depths; i++) {
		errno = 0;
		found[i] = json_find(text, size, paths[i], depths[i], &value);
		if (found[i] == 0)
			check_value(text, size, &value);
		else
			FUZZ_CHECK(found[i] == -1 &&
				   (errno == EINVAL || errno == ENOENT),
				   "json_find: %d, errno %d", found[i], errno);
		/* Not JSON is not JSON whatever the path. */
		if (i > 0)
			FUZZ_CHECK((found[i] == -1 && errno == EINVAL) ==
				   (found[0] == -1), "json_find: EINVAL");
	}

	if (slapgrid_parse_result(text, size, &previous) == 0) {
		FUZZ_CHECK(json_find(text, size, paths[3], 2, &failed) == 0 &&
			   (failed.type == JSON_TRUE || failed.type == JSON_FALSE) &&
			   previous.failed == (failed.type == JSON_TRUE),
			   "parse_result: failed");
		if (previous.message) {
			FUZZ_CHECK(json_find(text, size, paths[2], 2, &message) == 0 &&
				   message.type == JSON_STRING,
				   "parse_result: a message from nowhere");
			FUZZ_CHECK(fuzz_utf8_valid(previous.message,
						   strlen(previous.message)),
				   "parse_result: message not UTF-8");
		}
		free(previous.message);
	} else {
		FUZZ_CHECK(!previous.message, "parse_result: message on error");
		FUZZ_CHECK(json_find(text, size, paths[3], 2, &failed) < 0 ||
			   (failed.type != JSON_TRUE && failed.type != JSON_FALSE),
			   "parse_result refuses a result");
	}

	if (slapgrid_parse_cache(text, size, &next_run_after) == 0)
		FUZZ_CHECK(json_find(text, size, paths[5], 1, &cache) == 0 &&
			   cache.type == JSON_NUMBER && !isnan(next_run_after),
			   "parse_cache");
}

/* Input split at NUL bytes into title, name, path and message. */
static void check_round_trip(const uint8_t *data, size_t size)
{
	static const char *const keys[3] = { "title", "name", "path" };
	char *fields[4];
	const uint8_t *at = data, *end = data + size;
	uint64_t hash = fuzz_hash(data, size);
	struct slapgrid_result result;
	struct slapgrid_previous previous;
	char *out = NULL, *copy, *clean;
	size_t out_size;
	FILE *stream;

	for (int i = 0; i < 4; i++) {
		fields[i] = fuzz_string(at, (size_t)(end - at));
		at += strlen(fields[i]);
		if (at < end)
			at++;
	}
	result = (struct slapgrid_result){
		.title = fields[0], .name = fields[1], .path = fields[2],
		.message = fields[3],
		.execution_time = (double)(hash >> 40) / 1000.0,
		.anomaly_type = hash & 1, .failed = hash >> 1 & 1,
		/* From 1970 to 9999. */
		.date = (time_t)(hash % 253402300800u),
	};
	stream = open_memstream(&out, &out_size);
	FUZZ_CHECK(stream, "open_memstream");
	FUZZ_CHECK(slapgrid_format_result(stream, &result) == 0,
		   "slapgrid_format_result");
	FUZZ_CHECK(fclose(stream) == 0, "fclose");

	copy = fuzz_copy((const uint8_t *)out, out_size);
	FUZZ_CHECK(slapgrid_parse_result(copy, out_size, &previous) == 0,
		   "a result file does not read back: %s", out);
	FUZZ_CHECK(previous.failed == result.failed, "failed does not read back");
	FUZZ_CHECK(previous.date == result.date,
		   "date %lld read back as %lld", (long long)result.date,
		   (long long)previous.date);
	clean = utf8_sanitize((const unsigned char *)fields[3],
			      strlen(fields[3]), NULL);
	FUZZ_CHECK(clean && previous.message &&
		   strcmp(previous.message, clean) == 0,
		   "message does not read back");
	free(clean);
	free(previous.message);
	for (int i = 0; i < 3; i++) {
		struct json_value value;
		char *back;

		FUZZ_CHECK(json_find(copy, out_size, &keys[i], 1, &value) == 0 &&
			   value.type == JSON_STRING, "no %s", keys[i]);
		back = json_string(&value);
		clean = utf8_sanitize((const unsigned char *)fields[i],
				      strlen(fields[i]), NULL);
		FUZZ_CHECK(back && clean && strcmp(back, clean) == 0,
			   "%s does not read back", keys[i]);
		free(back);
		free(clean);
	}
	check_json(copy, out_size);
	free(copy);
	free(out);
	for (int i = 0; i < 4; i++)
		free(fields[i]);
}

/*
 * The JSON readers on prefixes of the input cut right after a byte where
 * a token may end early ('\\', '"', "\\u", a number's sign or exponent,
 * a literal's first letter): reads past the end are found there at once.
 */
static void check_cuts(const uint8_t *data, size_t size)
{
	static const char *const result_path[2] = { "result", "message" };
	size_t cuts = 0;

	for (size_t i = size; i-- > 0 && cuts < 12;) {
		struct json_value value;
		struct slapgrid_previous previous;
		double number;
		char *prefix;

		if (!strchr("\\\"u-+eE.tfn", data[i]) || data[i] == 0)
			continue;
		cuts++;
		prefix = fuzz_copy(data, i + 1);
		if (json_find(prefix, i + 1, result_path, 2, &value) == 0)
			check_value(prefix, i + 1, &value);
		if (slapgrid_parse_result(prefix, i + 1, &previous) == 0)
			free(previous.message);
		(void)slapgrid_parse_cache(prefix, i + 1, &number);
		free(prefix);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_copy(data, size);

	check_log(text, size);
	check_json(text, size);
	free(text);
	check_cuts(data, size);
	check_round_trip(data, size);
	return 0;
}
