/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * fuzz_config: config_parse_text on any bytes, as an instance's own file
 * (home) and as the operator's --config file.
 *
 * Checks: no crash, no leak (config_release frees all, LeakSanitizer
 * tells); an error is one line "fuzz.conf:LINE: ..."; a success has
 * promise names that are not empty and hold no '/', and warnings only
 * in an instance's file, each naming the file; and inserting a comment
 * line at the start changes nothing: the same settings, field by field,
 * every line number (promise sections, warnings, the error) one more.
 * Inputs that start with a UTF-8 BOM are not given a comment in front:
 * a BOM is only skipped on the first line (inih), so moving it is a
 * real change.
 */
#include <inttypes.h>
#include <string.h>

#include "config.h"
#include "fuzz_common.h"
#include "settings.h"

#define NAME "fuzz.conf"

static const char *const comments[] = {
	"; anything\n",
	"# a comment, as the example file has\n",
	";\n",
	"\t  ; indented [run] timeout = 5\n",
	"; x = y\r\n",
};

/* "fuzz.conf:LINE: rest": LINE, and *rest; 0 when not so shaped. */
static long line_of(const char *message, const char **rest)
{
	const char *at = message;
	char *end;
	long line;

	if (strncmp(at, NAME ":", sizeof NAME) != 0)
		return 0;
	at += sizeof NAME;
	line = strtol(at, &end, 10);
	if (end == at || strncmp(end, ": ", 2) != 0)
		return 0;
	*rest = end + 2;
	return line;
}

static void same_value(enum setting_id id, const struct setting_value *a,
                       const struct setting_value *b, const char *where)
{
	FUZZ_CHECK(a->given == b->given && a->source == b->source &&
		   a->capped == b->capped,
		   "%s: setting %s: given/source/capped differ", where,
		   settings_spec(id)->key);
	switch (settings_spec(id)->kind) {
	case SETTING_SECONDS:
	case SETTING_SECONDS_ABOVE_ZERO:
		FUZZ_CHECK(memcmp(&a->seconds, &b->seconds, sizeof a->seconds) == 0,
			   "%s: %s: %.17g != %.17g", where, settings_spec(id)->key,
			   a->seconds, b->seconds);
		break;
	case SETTING_JOBS_COUNT:
		FUZZ_CHECK(a->count == b->count, "%s: %s: %u != %u", where,
			   settings_spec(id)->key, a->count, b->count);
		break;
	case SETTING_BOOLEAN:
		FUZZ_CHECK(a->flag == b->flag, "%s: %s differs", where,
			   settings_spec(id)->key);
		break;
	case SETTING_CHOICE:
		FUZZ_CHECK(a->choice == b->choice, "%s: %s: %d != %d", where,
			   settings_spec(id)->key, a->choice, b->choice);
		break;
	case SETTING_TEXT:
		/* The operator's plugin-python and plugin-runner. */
		FUZZ_CHECK(a->given == b->given &&
				   (!a->given || strcmp(a->text, b->text) == 0),
			   "%s: %s differs", where, settings_spec(id)->key);
		break;
	case SETTING_WORDS:
	case SETTING_ACTION:
		/* No key of a file is one. */
		FUZZ_CHECK(!a->given && !b->given, "%s: %s given", where,
			   settings_spec(id)->key);
		break;
	}
}

static void same_values(const struct setting_values *a,
                        const struct setting_values *b, const char *where)
{
	for (int id = 0; id < SETTING_COUNT; id++)
		same_value((enum setting_id)id, &a->values[id], &b->values[id],
			   where);
}

/* What holds of any one parse. */
static void check_one(int status, const struct config *config,
                      const char *error, bool operator)
{
	const char *rest;

	if (status < 0) {
		FUZZ_CHECK(status == -1, "status %d", status);
		FUZZ_CHECK(line_of(error, &rest) > 0,
			   "error without a line: \"%s\"", error);
		FUZZ_CHECK(!strchr(error, '\n'), "error of several lines");
		/* Released on error. */
		FUZZ_CHECK(!config->path && !config->promises &&
			   !config->warnings && !config->promise_count,
			   "config not released on error");
		return;
	}
	FUZZ_CHECK(status == 0, "status %d", status);
	FUZZ_CHECK(config->path && strcmp(config->path, NAME) == 0, "path");
	FUZZ_CHECK(config->operator == operator, "operator flag");
	FUZZ_CHECK(!operator || config->warning_count == 0,
		   "a warning in the operator's file");
	for (size_t i = 0; i < config->promise_count; i++) {
		const char *name = config->promises[i].name;

		FUZZ_CHECK(*name && !strchr(name, '/'), "promise name \"%s\"",
			   name);
		FUZZ_CHECK(config->promises[i].line > 0, "promise line");
		FUZZ_CHECK(config_find_promise(config, name) ==
			   &config->promises[i], "promise \"%s\" twice", name);
	}
	for (size_t i = 0; i < config->warning_count; i++)
		FUZZ_CHECK(line_of(config->warnings[i], &rest) > 0,
			   "warning \"%s\"", config->warnings[i]);
}

static void same_error(const char *plain, const char *commented)
{
	const char *plain_rest, *commented_rest;
	long plain_line = line_of(plain, &plain_rest);
	long commented_line = line_of(commented, &commented_rest);

	FUZZ_CHECK(commented_line == plain_line + 1,
		   "error line %ld, then %ld with a comment in front: \"%s\" / \"%s\"",
		   plain_line, commented_line, plain, commented);
	FUZZ_CHECK(strcmp(plain_rest, commented_rest) == 0,
		   "errors differ: \"%s\" / \"%s\"", plain, commented);
}

static void same_config(const struct config *a, const struct config *b)
{
	same_values(&a->run, &b->run, "[run]");
	FUZZ_CHECK(a->promise_count == b->promise_count, "promise count %zu/%zu",
		   a->promise_count, b->promise_count);
	for (size_t i = 0; i < a->promise_count; i++) {
		const struct promise_config *pa = &a->promises[i];
		const struct promise_config *pb = &b->promises[i];

		FUZZ_CHECK(strcmp(pa->name, pb->name) == 0, "promise name");
		FUZZ_CHECK(pb->line == pa->line + 1, "promise line %d/%d",
			   pa->line, pb->line);
		same_values(&pa->values, &pb->values, pa->name);
	}
	FUZZ_CHECK(a->warning_count == b->warning_count, "warning count");
	for (size_t i = 0; i < a->warning_count; i++)
		same_error(a->warnings[i], b->warnings[i]);
}

static void check(const uint8_t *data, size_t size, bool operator)
{
	static const uint8_t bom[] = { 0xEF, 0xBB, 0xBF };
	struct config plain, commented;
	char plain_error[1024], commented_error[1024];
	const char *comment = comments[size % (sizeof comments / sizeof *comments)];
	size_t comment_size = strlen(comment);
	char *text = fuzz_copy(data, size);
	char *with_comment;
	int plain_status, commented_status;

	plain_status = config_parse_text(text, size, NAME, operator, &plain,
					 plain_error, sizeof plain_error);
	check_one(plain_status, &plain, plain_error, operator);
	free(text);
	if (size >= sizeof bom && memcmp(data, bom, sizeof bom) == 0) {
		config_release(&plain);
		return;
	}

	with_comment = malloc(comment_size + size);
	FUZZ_CHECK(with_comment, "out of memory");
	memcpy(with_comment, comment, comment_size);
	if (size)
		memcpy(with_comment + comment_size, data, size);
	commented_status = config_parse_text(with_comment, comment_size + size,
					     NAME, operator, &commented,
					     commented_error,
					     sizeof commented_error);
	free(with_comment);
	check_one(commented_status, &commented, commented_error, operator);

	FUZZ_CHECK(plain_status == commented_status,
		   "status %d, then %d with a comment in front (%s)",
		   plain_status, commented_status,
		   plain_status ? plain_error : commented_error);
	if (plain_status < 0)
		same_error(plain_error, commented_error);
	else
		same_config(&plain, &commented);
	config_release(&plain);
	config_release(&commented);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > CONFIG_MAX_SIZE)
		return 0;
	check(data, size, false);
	check(data, size, true);
	return 0;
}
