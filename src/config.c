/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* config: a configuration file, parsed by inih with exact errors. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "failure.h"
#include "fsat.h"

static const char promise_prefix[] = "promise:";

/*
 * inih as packaged tells its handler no line number, and cuts a line
 * longer than its buffer in two (the rest parsed as a line of its own).
 * So the text is fed by this reader, one whole physical line at a time:
 * it counts lines and refuses a line that does not fit.
 */
struct parse {
	struct config *config;
	const char *text, *end;     /* what is left to read */
	int line;                   /* the line being parsed */
	/* The first error found, and its line. */
	int error_line;
	char message[256];
};

/* Records the first error; returns 0, which tells inih so. */
static int reject(struct parse *parse, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

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

static char *read_line(char *buffer, int size, void *stream)
{
	struct parse *parse = stream;
	const char *newline;
	size_t length, content;

	if (parse->text >= parse->end || parse->error_line)
		return NULL;
	parse->line++;
	newline = memchr(parse->text, '\n', (size_t)(parse->end - parse->text));
	length = newline ? (size_t)(newline - parse->text) + 1
			 : (size_t)(parse->end - parse->text);
	if (memchr(parse->text, '\0', length)) {
		reject(parse, "a NUL byte, which a configuration file cannot hold");
		return NULL;
	}
	/*
	 * The characters of the line, its end not counted: with room left
	 * for a "\r\n" and the NUL, as inih's own limit counts.
	 */
	content = length - (newline != NULL);
	if (content > 0 && parse->text[content - 1] == '\r')
		content--;
	if (content > (size_t)size - 3) {
		reject(parse, "line longer than %d characters", size - 3);
		return NULL;
	}
	memcpy(buffer, parse->text, length);
	buffer[length] = '\0';
	parse->text += length;
	return buffer;
}

static int add_warning(struct parse *parse, const char *key)
{
	struct config *config = parse->config;
	char **grown = reallocarray(config->warnings, config->warning_count + 1,
				    sizeof *grown);

	if (!grown)
		return reject(parse, "out of memory");
	config->warnings = grown;
	if (asprintf(&grown[config->warning_count], "%s:%d: '%s' is a setting of the whole run: give it on the command line or in --config (ignored here)",
		     config->path, parse->line, key) < 0)
		return reject(parse, "out of memory");
	config->warning_count++;
	return 1;
}

/* Sets `key` in `values`, a section that takes the keys of `place`. */
static int set_key(struct parse *parse, struct setting_values *values,
                   unsigned place, const char *section, const char *key,
                   const char *value)
{
	int id = settings_find_key(key);
	unsigned places = id >= 0 ? settings_spec(id)->places : 0;
	char allowed[256], expected[128];

	if (place == SETTING_HOME && (places & SETTING_OPERATOR) &&
	    !(places & SETTING_HOME))
		return add_warning(parse, key);
	if (!(places & place)) {
		settings_keys_allowed(place, allowed, sizeof allowed);
		return reject(parse, "unknown key '%s' in [%s] (expected %s)",
			      key, section, allowed);
	}
	/* A text is kept by the value: the configuration owns a copy. */
	if (settings_spec(id)->kind == SETTING_TEXT) {
		char **texts = reallocarray(parse->config->texts,
					    parse->config->text_count + 1,
					    sizeof *texts);

		if (!texts)
			return reject(parse, "out of memory");
		parse->config->texts = texts;
		value = texts[parse->config->text_count] = strdup(value);
		if (!value)
			return reject(parse, "out of memory");
		parse->config->text_count++;
	}
	if (settings_parse(id, value, SOURCE_CONFIG, &values->values[id]) < 0)
		return reject(parse, "bad value '%s' for '%s': expected %s",
			      value, key,
			      settings_expected(id, expected, sizeof expected));
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

static int handle(void *user, const char *section, const char *key,
                  const char *value)
{
	struct parse *parse = user;
	bool operator = parse->config->operator;

	if (strcmp(section, "run") == 0)
		return set_key(parse, &parse->config->run,
			       operator ? SETTING_OPERATOR : SETTING_HOME,
			       section, key, value);
	if (strncmp(section, promise_prefix, strlen(promise_prefix)) == 0) {
		const char *name = section + strlen(promise_prefix);
		struct promise_config *promise;

		if (!*name || strchr(name, '/'))
			return reject(parse, "bad section [%s]: expected [promise:FILE NAME]",
				      section);
		promise = promise_section(parse, name);
		if (!promise)
			return reject(parse, "out of memory");
		return set_key(parse, &promise->values, SETTING_PROMISE,
			       section, key, value);
	}
	if (!*section)
		return reject(parse, "key '%s' outside any section (expected [run] or [promise:NAME] first)",
			      key);
	return reject(parse, "unknown section [%s] (expected [run] or [promise:NAME])",
		      section);
}

int config_parse_text(const char *text, size_t size, const char *name,
                      bool operator, struct config *config, char *error,
                      size_t error_size)
{
	struct parse parse = { .config = config, .text = text,
			       .end = text + size };
	int first_error;

	memset(config, 0, sizeof *config);
	config->operator = operator;
	config->path = strdup(name);
	if (!config->path) {
		snprintf(error, error_size, "%s: out of memory", name);
		return -1;
	}
	first_error = ini_parse_stream(read_line, &parse, handle, &parse);
	if (first_error == 0 && !parse.error_line)
		return 0;
	if (first_error < 0)
		snprintf(error, error_size, "%s: out of memory", name);
	else if (parse.error_line &&
		 (first_error == 0 || first_error >= parse.error_line))
		snprintf(error, error_size, "%s:%d: %s", name, parse.error_line,
			 parse.message);
	else
		snprintf(error, error_size,
			 "%s:%d: syntax error (expected [section], key = value or a ; comment)",
			 name, first_error);
	config_release(config);
	return -1;
}

int config_load_file(const char *path, struct config *config, char *error,
                     size_t error_size)
{
	char *text;
	size_t size;
	int status;

	memset(config, 0, sizeof *config);
	/* The operator's own file, named on the command line: AT_FDCWD. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

	if (fd < 0) {
		snprintf(error, error_size, "cannot read '%s': %s", path,
			 strerror(errno));
		return -1;
	}
	status = fsat_read_fd(fd, CONFIG_MAX_SIZE, &text, &size);
	if (status < 0) {
		snprintf(error, error_size, "cannot read '%s': %s", path,
			 failure_reason(errno));
		return -1;
	}
	status = config_parse_text(text, size, path, true, config, error,
				   error_size);
	free(text);
	return status;
}

const struct promise_config *config_find_promise(const struct config *config,
                                                 const char *name)
{
	for (size_t i = 0; i < config->promise_count; i++)
		if (strcmp(config->promises[i].name, name) == 0)
			return &config->promises[i];
	return NULL;
}

void config_release(struct config *config)
{
	for (size_t i = 0; i < config->text_count; i++)
		free(config->texts[i]);
	free(config->texts);
	for (size_t i = 0; i < config->promise_count; i++)
		free(config->promises[i].name);
	for (size_t i = 0; i < config->warning_count; i++)
		free(config->warnings[i]);
	free(config->promises);
	free(config->warnings);
	free(config->path);
	memset(config, 0, sizeof *config);
}
