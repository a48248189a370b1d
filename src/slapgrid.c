/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* slapgrid: slapos.core's result, log and cache files. */
#include "slapgrid.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "json_read.h"

void slapgrid_transaction_id(time_t start, unsigned random, char *id,
                             size_t size)
{
	snprintf(id, size, "%lld-%u", (long long)start,
		 random >= 100 && random <= 999 ? random : 100 + random % 900);
}

void slapgrid_result_date(time_t when, char *buffer, size_t size)
{
	struct tm utc;

	gmtime_r(&when, &utc);
	strftime(buffer, size, "%Y-%m-%dT%H:%M:%S+0000", &utc);
}

int slapgrid_format_result(FILE *out, const struct slapgrid_result *result)
{
	char date[64];

	slapgrid_result_date(result->date, date, sizeof date);
	fputs("{\"title\": ", out);
	if (escape_json(out, result->title) < 0)
		return -1;
	fputs(", \"name\": ", out);
	if (escape_json(out, result->name) < 0)
		return -1;
	fputs(", \"path\": ", out);
	if (escape_json(out, result->path) < 0)
		return -1;
	fprintf(out,
		", \"execution-time\": %.6f, \"result\": {\"type\": \"%s\", \"failed\": %s, \"date\": \"%s\", \"message\": ",
		result->execution_time,
		result->anomaly_type ? "Anomaly Result" : "Test Result",
		result->failed ? "true" : "false", date);
	if (escape_json(out, result->message) < 0)
		return -1;
	fputs("}}\n", out);
	return 0;
}

int slapgrid_format_log_record(FILE *out, time_t when, const char *level,
                               const char *transaction, const char *message)
{
	char date[32];
	struct tm local;

	localtime_r(&when, &local);
	strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", &local);
	return fprintf(out, "%s - %s - %s - %s\n", date, level, transaction,
		       message) < 0 ? -1 : 0;
}

int slapgrid_format_terminating(FILE *out, time_t when,
                                const char *transaction, const char *name)
{
	char *message;
	int status;

	/* Python's repr of the name: in single quotes unless it holds one. */
	bool double_quotes = strchr(name, '\'') && !strchr(name, '"');

	if (asprintf(&message, "Terminating promise process %c%s%c",
		     double_quotes ? '"' : '\'', name,
		     double_quotes ? '"' : '\'') < 0)
		return -1;
	status = slapgrid_format_log_record(out, when, "INFO", transaction,
					    message);
	free(message);
	return status;
}

int slapgrid_format_cache(FILE *out, const struct slapgrid_cache *cache)
{
	double minutes = cache->periodicity / 60;

	fputs("{\"is_tested\": true, \"is_anomaly_detected\": true, \"periodicity\": ",
	      out);
	/* slapos.core writes whole minutes as an integer. */
	if (minutes == (double)(long long)minutes)
		fprintf(out, "%lld", (long long)minutes);
	else
		fprintf(out, "%.6g", minutes);
	fprintf(out, ", \"next_run_after\": %.6f, \"timestamp\": %.6f, \"module_file\": ",
		cache->timestamp + cache->periodicity, cache->timestamp);
	if (escape_json(out, cache->module_file) < 0)
		return -1;
	fprintf(out, ", \"module_file_mtime\": %.6f}\n", cache->module_file_mtime);
	return 0;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_word(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '_';
}

/* Skips `count` digits; false when they are not there. */
static bool digits(const char **at, const char *end, int count)
{
	for (int i = 0; i < count; i++, (*at)++)
		if (*at >= end || !is_digit(**at))
			return false;
	return true;
}

static size_t spaces(const char **at, const char *end)
{
	size_t count = 0;

	while (*at < end && is_space(**at))
		(*at)++, count++;
	return count;
}

static bool literal(const char **at, const char *end, char c)
{
	if (*at < end && **at == c) {
		(*at)++;
		return true;
	}
	return false;
}

/*
 * Matches slapos.core's record pattern at the start of a line,
 *   (\d{4}-\d{2}-\d{2}\s+\d{2}:\d{2}:\d{2})\s+\-?\s*(\w+)\s+\-?\s+
 *   (\d+\-\d{3})\s+\-?\s*(.*)
 * and gives its level and transaction id (as spans of the line).
 */
static bool match_record(const char *at, const char *end, const char **level,
                         size_t *level_length, const char **id,
                         size_t *id_length)
{
	size_t before, after;

	if (!digits(&at, end, 4) || !literal(&at, end, '-') ||
	    !digits(&at, end, 2) || !literal(&at, end, '-') ||
	    !digits(&at, end, 2) || spaces(&at, end) == 0 ||
	    !digits(&at, end, 2) || !literal(&at, end, ':') ||
	    !digits(&at, end, 2) || !literal(&at, end, ':') ||
	    !digits(&at, end, 2) || spaces(&at, end) == 0)
		return false;
	literal(&at, end, '-');
	spaces(&at, end);
	*level = at;
	while (at < end && is_word(*at))
		at++;
	*level_length = (size_t)(at - *level);
	if (*level_length == 0)
		return false;
	/* \s+\-?\s+: blanks, a dash between blanks, or two blanks at least. */
	before = spaces(&at, end);
	if (literal(&at, end, '-')) {
		after = spaces(&at, end);
		if (before == 0 || after == 0)
			return false;
	} else if (before < 2) {
		return false;
	}
	*id = at;
	if (!(at < end && is_digit(*at)))
		return false;
	while (at < end && is_digit(*at))
		at++;
	if (!literal(&at, end, '-') || !digits(&at, end, 3))
		return false;
	*id_length = (size_t)(at - *id);
	return spaces(&at, end) > 0;
}

static bool is_failure_level(const char *level, size_t length)
{
	return (length == 5 && memcmp(level, "ERROR", 5) == 0) ||
	       (length == 8 && memcmp(level, "CRITICAL", 8) == 0);
}

size_t slapgrid_parse_log(const char *text, size_t size, bool whole,
                          bool *failed, size_t wanted)
{
	const char *line_end = text + size, *current_id = NULL;
	size_t current_length = 0, found = 0;

	/* From the last line up, as slapos.core reads the file. */
	while (line_end > text) {
		const char *start = line_end;
		const char *level, *id;
		size_t level_length, id_length;

		while (start > text && start[-1] != '\n')
			start--;
		/* A first line that the read cut is not a line. */
		if (start == text && !whole)
			break;
		if (match_record(start, line_end, &level, &level_length, &id,
				 &id_length)) {
			bool same = current_id && id_length == current_length &&
				    memcmp(id, current_id, id_length) == 0;

			if (!same) {
				if (found == wanted)
					break;
				failed[found++] = false;
				current_id = id;
				current_length = id_length;
			}
			if (is_failure_level(level, level_length))
				failed[found - 1] = true;
		}
		line_end = start > text ? start - 1 : text;
	}
	return found;
}

int slapgrid_parse_result(const char *text, size_t size,
                          struct slapgrid_previous *previous)
{
	static const char *const failed_path[] = { "result", "failed" };
	static const char *const message_path[] = { "result", "message" };
	static const char *const date_path[] = { "result", "date" };
	static const char *const type_path[] = { "result", "type" };
	static const char *const time_path[] = { "execution-time" };
	struct json_value value;
	struct tm date = { 0 };

	memset(previous, 0, sizeof *previous);
	if (json_find(text, size, failed_path, 2, &value) < 0 ||
	    (value.type != JSON_TRUE && value.type != JSON_FALSE))
		return -1;
	previous->failed = value.type == JSON_TRUE;
	if (json_find(text, size, type_path, 2, &value) == 0 &&
	    value.type == JSON_STRING) {
		char *type = json_string(&value);

		previous->anomaly_type = type &&
					 strcmp(type, "Anomaly Result") == 0;
		free(type);
	}
	if (json_find(text, size, time_path, 1, &value) == 0 &&
	    json_number(&value, &previous->execution_time) < 0)
		previous->execution_time = 0;
	if (json_find(text, size, message_path, 2, &value) == 0 &&
	    value.type == JSON_STRING)
		previous->message = json_string(&value);
	if (json_find(text, size, date_path, 2, &value) == 0 &&
	    value.type == JSON_STRING) {
		char *when = json_string(&value);
		const char *end = when ? strptime(when, "%Y-%m-%dT%H:%M:%S+0000",
						  &date) : NULL;

		if (end && *end == '\0')
			previous->date = timegm(&date);
		free(when);
	}
	return 0;
}

int slapgrid_parse_cache(const char *text, size_t size,
                         double *next_run_after)
{
	static const char *const path[] = { "next_run_after" };
	struct json_value value;

	if (json_find(text, size, path, 1, &value) < 0)
		return -1;
	return json_number(&value, next_run_after);
}
