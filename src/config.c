/* config: the configuration file, parsed by inih with exact errors. */
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

static const char promise_prefix[] = "promise:";

/*
 * inih as packaged does not tell its handler the line number, so lines
 * are counted by the reader that feeds it, one physical line at a time.
 */
struct parse {
	struct config *config;
	/* The source: a FILE, or the rest of a text. */
	FILE *file;
	const char *text;
	int lines_done;             /* lines fully read */
	int line;                   /* the line being parsed */
	/* The first error the handler found, and its line. */
	int error_line;
	char message[200];
};

static char *read_line(char *buffer, int size, void *stream)
{
	struct parse *parse = stream;
	char *line;

	parse->line = parse->lines_done + 1;
	if (parse->file) {
		line = fgets(buffer, size, parse->file);
	} else {
		size_t length = strcspn(parse->text, "\n");

		if (!*parse->text)
			return NULL;
		if (parse->text[length] == '\n')
			length++;
		if (length > (size_t)size - 1)
			length = (size_t)size - 1;
		memcpy(buffer, parse->text, length);
		buffer[length] = '\0';
		parse->text += length;
		line = buffer;
	}
	/* A long line comes in pieces: only its last one ends the line. */
	if (line && strchr(line, '\n'))
		parse->lines_done++;
	return line;
}

/* Records the handler's first error; returns 0, which tells inih so. */
static int reject(struct parse *parse, const char *format, ...)
{
	va_list arguments;

	if (parse->error_line)
		return 0;
	parse->error_line = parse->line;
	va_start(arguments, format);
	vsnprintf(parse->message, sizeof parse->message, format, arguments);
	va_end(arguments);
	return 0;
}

/* yes/no, true/false, on/off, 1/0. */
static int parse_boolean(const char *text, bool *value)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
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

static int bad_value(struct parse *parse, const char *key, const char *value,
                     const char *expected)
{
	return reject(parse, "bad value '%s' for '%s': expected %s", value, key,
		      expected);
}

static int set_run_key(struct parse *parse, const char *key, const char *value)
{
	struct config *config = parse->config;

	if (strcmp(key, "timeout") == 0) {
		if (value_parse_seconds(value, &config->timeout) < 0 ||
		    config->timeout <= 0)
			return bad_value(parse, key, value,
					 "a number of seconds above 0");
		config->has_timeout = true;
	} else if (strcmp(key, "kill-after") == 0) {
		if (value_parse_seconds(value, &config->kill_after) < 0)
			return bad_value(parse, key, value, "a number of seconds");
		config->has_kill_after = true;
	} else if (strcmp(key, "jobs") == 0) {
		if (value_parse_jobs(value, &config->jobs) < 0)
			return bad_value(parse, key, value,
					 "a whole number from 1 to 4096");
		config->has_jobs = true;
	} else if (strcmp(key, "format") == 0) {
		if (report_parse_format(value, &config->format) < 0)
			return bad_value(parse, key, value,
					 "text, json, tap, junit or prometheus");
		config->has_format = true;
	} else if (strcmp(key, "clean-env") == 0) {
		if (parse_boolean(value, &config->clean_env) < 0)
			return bad_value(parse, key, value, "yes or no");
		config->has_clean_env = true;
	} else if (strcmp(key, "state") == 0) {
		if (parse_boolean(value, &config->state) < 0)
			return bad_value(parse, key, value, "yes or no");
		config->has_state = true;
	} else {
		return reject(parse,
			      "unknown key '%s' in [run] (expected timeout, kill-after, jobs, format, clean-env or state)",
			      key);
	}
	return 1;
}

/* The settings of [promise:NAME], added on first sight. */
static struct promise_config *promise_section(struct parse *parse,
                                              const char *name)
{
	struct config *config = parse->config;
	struct promise_config *found =
		(struct promise_config *)config_find_promise(config, name);

	if (found)
		return found;
	found = reallocarray(config->promises, config->promise_count + 1,
			     sizeof *found);
	if (!found)
		return NULL;
	config->promises = found;
	found = &config->promises[config->promise_count];
	*found = (struct promise_config){ .name = strdup(name),
					  .line = parse->line };
	if (!found->name)
		return NULL;
	config->promise_count++;
	return found;
}

static int set_promise_key(struct parse *parse, const char *section,
                           const char *key, const char *value)
{
	const char *name = section + strlen(promise_prefix);
	struct promise_config *promise;

	if (!*name || strchr(name, '/'))
		return reject(parse, "bad section [%s]: expected [promise:FILE NAME]",
			      section);
	promise = promise_section(parse, name);
	if (!promise)
		return reject(parse, "out of memory");
	if (strcmp(key, "timeout") == 0) {
		if (value_parse_seconds(value, &promise->timeout) < 0 ||
		    promise->timeout <= 0)
			return bad_value(parse, key, value,
					 "a number of seconds above 0");
		promise->has_timeout = true;
	} else if (strcmp(key, "skip") == 0) {
		if (parse_boolean(value, &promise->skip) < 0)
			return bad_value(parse, key, value, "yes or no");
	} else {
		return reject(parse,
			      "unknown key '%s' in [%s] (expected timeout or skip)",
			      key, section);
	}
	return 1;
}

static int handle(void *user, const char *section, const char *key,
                  const char *value)
{
	struct parse *parse = user;

	if (strcmp(section, "run") == 0)
		return set_run_key(parse, key, value);
	if (strncmp(section, promise_prefix, strlen(promise_prefix)) == 0)
		return set_promise_key(parse, section, key, value);
	if (!*section)
		return reject(parse, "key '%s' outside any section (expected [run] or [promise:NAME] first)",
			      key);
	return reject(parse, "unknown section [%s] (expected [run] or [promise:NAME])",
		      section);
}

/* Runs inih over the source in *parse and turns its verdict into a message. */
static int parse_source(struct parse *parse, const char *name,
                        struct config *config, char *error, size_t error_size)
{
	int first_error;

	memset(config, 0, sizeof *config);
	parse->config = config;
	config->path = strdup(name);
	if (!config->path) {
		snprintf(error, error_size, "%s: out of memory", name);
		return -1;
	}
	first_error = ini_parse_stream(read_line, parse, handle, parse);
	if (first_error == 0)
		return 0;
	if (first_error < 0)
		snprintf(error, error_size, "%s: out of memory", name);
	else if (first_error == parse->error_line)
		snprintf(error, error_size, "%s:%d: %s", name, first_error,
			 parse->message);
	else
		snprintf(error, error_size,
			 "%s:%d: syntax error (expected [section], key = value or a ; comment)",
			 name, first_error);
	config_free(config);
	return -1;
}

int config_load_file(const char *path, struct config *config, char *error,
                     size_t error_size)
{
	struct parse parse = { 0 };
	int status;

	parse.file = fopen(path, "re");
	if (!parse.file) {
		memset(config, 0, sizeof *config);
		snprintf(error, error_size, "cannot read '%s': %s", path,
			 strerror(errno));
		return -1;
	}
	status = parse_source(&parse, path, config, error, error_size);
	if (status == 0 && ferror(parse.file)) {
		snprintf(error, error_size, "cannot read '%s': %s", path,
			 strerror(errno));
		config_free(config);
		status = -1;
	}
	fclose(parse.file);
	return status;
}

int config_parse_text(const char *text, const char *name,
                      struct config *config, char *error, size_t error_size)
{
	struct parse parse = { .text = text };

	return parse_source(&parse, name, config, error, error_size);
}

const struct promise_config *config_find_promise(const struct config *config,
                                                 const char *name)
{
	for (size_t i = 0; i < config->promise_count; i++)
		if (strcmp(config->promises[i].name, name) == 0)
			return &config->promises[i];
	return NULL;
}

void config_free(struct config *config)
{
	for (size_t i = 0; i < config->promise_count; i++)
		free(config->promises[i].name);
	free(config->promises);
	free(config->path);
	memset(config, 0, sizeof *config);
}
