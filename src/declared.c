/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* declared: a declared check's file to the options of one check. */
#include "declared.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "value.h"

enum key {
	KEY_URL,
	KEY_STATUS,
	KEY_BODY,
	KEY_FOLLOW_REDIRECTS,
	KEY_HOST,
	KEY_PORT,
	KEY_FILE,
	KEY_MAX_AGE,
	KEY_TIMEOUT,
	KEY_CERTIFICATE_DAYS,
	KEY_CA,
	KEY_CLIENT_CERTIFICATE,
	KEY_CLIENT_KEY,
	KEY_INSECURE,
	KEY_COUNT,
};

static const char *const key_names[KEY_COUNT] = {
	[KEY_URL] = "url",
	[KEY_STATUS] = "status",
	[KEY_BODY] = "body",
	[KEY_FOLLOW_REDIRECTS] = "follow-redirects",
	[KEY_HOST] = "host",
	[KEY_PORT] = "port",
	[KEY_FILE] = "file",
	[KEY_MAX_AGE] = "max-age",
	[KEY_TIMEOUT] = "timeout",
	[KEY_CERTIFICATE_DAYS] = "certificate-days",
	[KEY_CA] = "ca",
	[KEY_CLIENT_CERTIFICATE] = "client-certificate",
	[KEY_CLIENT_KEY] = "client-key",
	[KEY_INSECURE] = "insecure",
};

struct parse {
	const char *path;
	char *error;
	size_t error_size;
	const char *values[KEY_COUNT];  /* NULL: not given */
	int lines[KEY_COUNT];           /* where each was given */
};

/* Writes "PATH:LINE: message" (LINE 0: "PATH: message"); returns -1. */
static int reject(struct parse *parse, int line, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

static int reject(struct parse *parse, int line, const char *format, ...)
{
	va_list arguments;
	int used;

	used = line > 0 ? snprintf(parse->error, parse->error_size, "%s:%d: ",
				   parse->path, line)
			: snprintf(parse->error, parse->error_size, "%s: ",
				   parse->path);
	if (used < 0 || (size_t)used >= parse->error_size)
		return -1;
	va_start(arguments, format);
	vsnprintf(parse->error + used, parse->error_size - (size_t)used, format,
		  arguments);
	va_end(arguments);
	return -1;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Whether `text` holds a control character other than a tab. */
static bool has_control(const char *text)
{
	for (const unsigned char *c = (const unsigned char *)text; *c; c++)
		if ((*c < 0x20 && *c != '\t') || *c == 0x7f)
			return true;
	return false;
}

/* `text` without its leading and trailing blanks (and a final '\r'). */
static char *trim(char *text)
{
	char *end;

	while (blank(*text))
		text++;
	end = text + strlen(text);
	if (end > text && end[-1] == '\r')
		end--;
	while (end > text && blank(end[-1]))
		end--;
	*end = '\0';
	return text;
}

/*
 * "#!PATH check", as the kernel reads it: blanks after "#!", PATH up to
 * the next blank, then the rest of the line, blanks trimmed, as one
 * argument, which must be "check".
 */
static int first_line(struct parse *parse, char *line,
                      struct declared_check *check)
{
	char *interpreter, *argument;

	if (strlen(line) > DECLARED_MAX_FIRST_LINE)
		return reject(parse, 1,
			      "first line longer than %d characters, which the kernel cuts",
			      DECLARED_MAX_FIRST_LINE);
	if (strchr(line, '\r'))
		return reject(parse, 1,
			      "a carriage return on the first line, which the kernel would pass to the interpreter");
	if (has_control(line))
		return reject(parse, 1, "a control character, which a declared check cannot hold");
	if (strncmp(line, "#!", 2) != 0)
		return reject(parse, 1,
			      "expected '#!PATH " DECLARED_COMMAND "' as the first line");
	interpreter = line + 2;
	while (blank(*interpreter))
		interpreter++;
	argument = interpreter;
	while (*argument && !blank(*argument))
		argument++;
	if (*argument)
		*argument++ = '\0';
	argument = trim(argument);
	if (!*interpreter || strcmp(argument, DECLARED_COMMAND) != 0)
		return reject(parse, 1,
			      "expected '#!PATH " DECLARED_COMMAND "' as the first line");
	check->interpreter = interpreter;
	return 0;
}

static int find_key(const char *key)
{
	for (int i = 0; i < KEY_COUNT; i++)
		if (strcmp(key_names[i], key) == 0)
			return i;
	return -1;
}

/* One "key = value" line, recorded (its value checked later). */
static int key_line(struct parse *parse, char *line, int number)
{
	char *equals = strchr(line, '='), *key, *value;
	char expected[256];
	size_t used = 0;
	int id;

	if (!equals)
		return reject(parse, number, "expected 'key = value'");
	*equals = '\0';
	key = trim(line);
	value = trim(equals + 1);
	if (!*key)
		return reject(parse, number, "expected 'key = value'");
	id = find_key(key);
	if (id < 0) {
		for (int i = 0; i < KEY_COUNT; i++)
			used += (size_t)snprintf(expected + used,
						 sizeof expected - used, "%s%s",
						 i == 0 ? ""
						 : i == KEY_COUNT - 1 ? " or "
						 : ", ", key_names[i]);
		return reject(parse, number, "unknown key '%s' (expected %s)",
			      key, expected);
	}
	if (parse->values[id])
		return reject(parse, number, "'%s' given twice (first on line %d)",
			      key, parse->lines[id]);
	if (!*value)
		return reject(parse, number, "no value for '%s'", key);
	parse->values[id] = value;
	parse->lines[id] = number;
	return 0;
}

static int bad_value(struct parse *parse, int key, const char *expected)
{
	return reject(parse, parse->lines[key],
		      "bad value '%s' for '%s': expected %s", parse->values[key],
		      key_names[key], expected);
}

static int parse_boolean(struct parse *parse, int key, bool *flag)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
		if (strcasecmp(parse->values[key], yes[i]) == 0) {
			*flag = true;
			return 0;
		}
		if (strcasecmp(parse->values[key], no[i]) == 0) {
			*flag = false;
			return 0;
		}
	}
	return bad_value(parse, key, "yes or no");
}

/* A path, which must be absolute: a check's working folder is no anchor. */
static int parse_path(struct parse *parse, int key, const char **path)
{
	if (parse->values[key][0] != '/')
		return bad_value(parse, key, "an absolute path");
	*path = parse->values[key];
	return 0;
}

static int parse_timeout(struct parse *parse, double *timeout)
{
	if (!parse->values[KEY_TIMEOUT])
		return 0;
	if (value_parse_seconds(parse->values[KEY_TIMEOUT], timeout) < 0 ||
	    *timeout <= 0)
		return bad_value(parse, KEY_TIMEOUT,
				 "a number of seconds above 0");
	return 0;
}

/* The space-separated statuses of a URL check (default: any 2xx). */
static int parse_statuses(struct parse *parse,
                          struct check_url_options *options)
{
	const char *at = parse->values[KEY_STATUS];

	options->expected[0] = 2;
	options->expected_count = 1;
	if (!at)
		return 0;
	options->expected_count = 0;
	while (*at) {
		size_t length = strcspn(at, " \t");
		char word[8];

		if (options->expected_count == CHECK_MAX_EXPECTED)
			return bad_value(parse, KEY_STATUS,
					 "at most 16 statuses");
		if (length >= sizeof word)
			return bad_value(parse, KEY_STATUS,
					 "HTTP statuses from 100 to 599 or classes from 1xx to 5xx, separated by spaces");
		memcpy(word, at, length);
		word[length] = '\0';
		if (checks_parse_status(word,
					&options->expected[options->expected_count++]) < 0)
			return bad_value(parse, KEY_STATUS,
					 "HTTP statuses from 100 to 599 or classes from 1xx to 5xx, separated by spaces");
		at += length;
		at += strspn(at, " \t");
	}
	return 0;
}

/* The TLS keys of a URL check or a certificate check. */
static int parse_tls(struct parse *parse, struct check_tls *tls)
{
	if (parse->values[KEY_CLIENT_KEY] &&
	    !parse->values[KEY_CLIENT_CERTIFICATE])
		return reject(parse, parse->lines[KEY_CLIENT_KEY],
			      "'client-key' needs 'client-certificate'");
	if ((parse->values[KEY_CA] &&
	     parse_path(parse, KEY_CA, &tls->cacert) < 0) ||
	    (parse->values[KEY_CLIENT_CERTIFICATE] &&
	     parse_path(parse, KEY_CLIENT_CERTIFICATE, &tls->cert) < 0) ||
	    (parse->values[KEY_CLIENT_KEY] &&
	     parse_path(parse, KEY_CLIENT_KEY, &tls->key) < 0) ||
	    (parse->values[KEY_INSECURE] &&
	     parse_boolean(parse, KEY_INSECURE, &tls->insecure) < 0))
		return -1;
	return 0;
}

/* Refuses each of `keys` that was given: it does not apply to `kind`. */
static int refuse_keys(struct parse *parse, const int *keys, size_t count,
                       const char *kind)
{
	int first = 0;

	/* The first in the file, so that the error names the first line. */
	for (size_t i = 0; i < count; i++)
		if (parse->values[keys[i]] &&
		    (!first || parse->lines[keys[i]] < parse->lines[keys[first - 1]]))
			first = (int)i + 1;
	if (!first)
		return 0;
	return reject(parse, parse->lines[keys[first - 1]],
		      "'%s' does not apply to %s", key_names[keys[first - 1]],
		      kind);
}

static int url_check(struct parse *parse, struct declared_check *check)
{
	static const int refused[] = { KEY_MAX_AGE };
	struct check_url_options *options = &check->options.url;
	const char *url = parse->values[KEY_URL];
	bool follow = true;

	check->kind = DECLARED_URL;
	*options = (struct check_url_options){
		.url = url, .timeout = CHECK_URL_DEFAULT_TIMEOUT,
		.contains = parse->values[KEY_BODY],
	};
	if (refuse_keys(parse, refused, 1, "a url check") < 0)
		return -1;
	if (strncasecmp(url, "http://", 7) != 0 &&
	    strncasecmp(url, "https://", 8) != 0)
		return bad_value(parse, KEY_URL, "an http:// or https:// URL");
	if (parse_statuses(parse, options) < 0 ||
	    parse_timeout(parse, &options->timeout) < 0 ||
	    (parse->values[KEY_FOLLOW_REDIRECTS] &&
	     parse_boolean(parse, KEY_FOLLOW_REDIRECTS, &follow) < 0) ||
	    parse_tls(parse, &options->tls) < 0)
		return -1;
	options->no_follow_redirects = !follow;
	if (parse->values[KEY_CERTIFICATE_DAYS]) {
		if (checks_parse_days(parse->values[KEY_CERTIFICATE_DAYS],
				      &options->certificate_days) < 0)
			return bad_value(parse, KEY_CERTIFICATE_DAYS,
					 "a number of days from 0 to 36500");
		if (strncasecmp(url, "https://", 8) != 0)
			return reject(parse,
				      parse->lines[KEY_CERTIFICATE_DAYS],
				      "'certificate-days' needs an https url");
		options->certificate = true;
	}
	return 0;
}

static int host_check(struct parse *parse, struct declared_check *check)
{
	static const int url_keys[] = {
		KEY_STATUS, KEY_BODY, KEY_FOLLOW_REDIRECTS, KEY_MAX_AGE,
	};
	static const int tls_keys[] = {
		KEY_CA, KEY_CLIENT_CERTIFICATE, KEY_CLIENT_KEY, KEY_INSECURE,
	};
	const char *host = parse->values[KEY_HOST];
	const char *port = parse->values[KEY_PORT];

	if (!host || !port)
		return reject(parse, parse->lines[host ? KEY_HOST : KEY_PORT],
			      host ? "'host' needs 'port'" : "'port' needs 'host'");
	if (refuse_keys(parse, url_keys, 4, "a host and port check") < 0)
		return -1;
	if (!checks_valid_port(port))
		return bad_value(parse, KEY_PORT, "a port from 1 to 65535");
	if (!parse->values[KEY_CERTIFICATE_DAYS]) {
		check->kind = DECLARED_PORT;
		check->options.port = (struct check_port_options){
			.host = host, .port = port,
			.timeout = CHECK_PORT_DEFAULT_TIMEOUT,
		};
		if (refuse_keys(parse, tls_keys, 4,
				"a port check (without certificate-days)") < 0)
			return -1;
		return parse_timeout(parse, &check->options.port.timeout);
	}
	check->kind = DECLARED_CERT;
	check->options.cert = (struct check_cert_options){
		.host = host, .port = port,
		.timeout = CHECK_CERT_DEFAULT_TIMEOUT,
	};
	if (checks_parse_days(parse->values[KEY_CERTIFICATE_DAYS],
			      &check->options.cert.days) < 0)
		return bad_value(parse, KEY_CERTIFICATE_DAYS,
				 "a number of days from 0 to 36500");
	return parse_timeout(parse, &check->options.cert.timeout) < 0 ||
	       parse_tls(parse, &check->options.cert.tls) < 0 ? -1 : 0;
}

static int file_check(struct parse *parse, struct declared_check *check)
{
	static const int refused[] = {
		KEY_STATUS, KEY_BODY, KEY_FOLLOW_REDIRECTS, KEY_TIMEOUT,
		KEY_CERTIFICATE_DAYS, KEY_CA, KEY_CLIENT_CERTIFICATE,
		KEY_CLIENT_KEY, KEY_INSECURE,
	};
	struct check_file_options *options = &check->options.file;

	check->kind = DECLARED_FILE;
	*options = (struct check_file_options){ 0 };
	if (refuse_keys(parse, refused, sizeof refused / sizeof *refused,
			"a file check") < 0 ||
	    parse_path(parse, KEY_FILE, &options->path) < 0)
		return -1;
	if (parse->values[KEY_MAX_AGE] &&
	    checks_parse_age(parse->values[KEY_MAX_AGE], &options->max_age) < 0)
		return bad_value(parse, KEY_MAX_AGE,
				 "an age above 0 such as 90, 15m, 26h or 7d");
	return 0;
}

/* Which check the keys declare: exactly one of url, host/port, file. */
static int declare(struct parse *parse, struct declared_check *check)
{
	static const int targets[] = { KEY_URL, KEY_HOST, KEY_PORT, KEY_FILE };
	const size_t count = sizeof targets / sizeof *targets;
	int first = -1, conflict = -1;

	/* The first in the file declares; the earliest other one conflicts. */
	for (size_t i = 0; i < count; i++)
		if (parse->values[targets[i]] &&
		    (first < 0 || parse->lines[targets[i]] < parse->lines[first]))
			first = targets[i];
	for (size_t i = 0; i < count; i++) {
		int key = targets[i];
		bool partner = (first == KEY_HOST && key == KEY_PORT) ||
			       (first == KEY_PORT && key == KEY_HOST);

		if (parse->values[key] && key != first && !partner &&
		    (conflict < 0 || parse->lines[key] < parse->lines[conflict]))
			conflict = key;
	}
	if (conflict >= 0)
		return reject(parse, parse->lines[conflict],
			      "'%s' cannot be declared with '%s' (line %d): one check per file",
			      key_names[conflict], key_names[first],
			      parse->lines[first]);
	switch (first) {
	case KEY_URL:
		return url_check(parse, check);
	case KEY_HOST:
	case KEY_PORT:
		return host_check(parse, check);
	case KEY_FILE:
		return file_check(parse, check);
	default:
		return reject(parse, 0,
			      "no check declared: expected 'url', 'host' and 'port', or 'file'");
	}
}

int declared_parse(const char *text, size_t size, const char *path,
                   struct declared_check *check, char *error,
                   size_t error_size)
{
	struct parse parse = { .path = path, .error = error,
			       .error_size = error_size };
	char *line, *next;
	int number = 0;

	*check = (struct declared_check){ 0 };
	if (size > DECLARED_MAX_SIZE)
		return reject(&parse, 0, "larger than %d bytes",
			      DECLARED_MAX_SIZE);
	check->storage = malloc(size + 1);
	if (!check->storage)
		return reject(&parse, 0, "out of memory");
	memcpy(check->storage, text, size);
	check->storage[size] = '\0';
	for (line = check->storage; line && line < check->storage + size;
	     line = next) {
		next = memchr(line, '\n', size - (size_t)(line - check->storage));
		if (next)
			*next++ = '\0';
		number++;
		if (strlen(line) != (size_t)((next ? next - 1 : check->storage + size) - line)) {
			reject(&parse, number, "a NUL byte, which a declared check cannot hold");
			goto fail;
		}
		if (number == 1) {
			if (first_line(&parse, line, check) < 0)
				goto fail;
			continue;
		}
		line = trim(line);
		if (has_control(line)) {
			reject(&parse, number, "a control character, which a declared check cannot hold");
			goto fail;
		}
		if (!*line || *line == '#' || *line == ';')
			continue;
		if (key_line(&parse, line, number) < 0)
			goto fail;
	}
	if (number == 0) {
		reject(&parse, 0, "empty: expected '#!PATH " DECLARED_COMMAND "' as the first line");
		goto fail;
	}
	if (declare(&parse, check) == 0)
		return 0;
fail:
	declared_release(check);
	return -1;
}

void declared_release(struct declared_check *check)
{
	free(check->storage);
	*check = (struct declared_check){ 0 };
}
