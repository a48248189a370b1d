/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* json_read: JSON values found by path, the whole text checked. */
#include "json_read.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#define MAX_DEPTH 64

struct cursor {
	const char *at, *end;
};

static void skip_blanks(struct cursor *c)
{
	while (c->at < c->end && (*c->at == ' ' || *c->at == '\t' ||
				  *c->at == '\n' || *c->at == '\r'))
		c->at++;
}

static bool take(struct cursor *c, char expected)
{
	if (c->at < c->end && *c->at == expected) {
		c->at++;
		return true;
	}
	return false;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Four hex digits at `at` (checked to be there); -1 when not hex. */
static long hex4(const char *at)
{
	long value = 0;

	for (int i = 0; i < 4; i++) {
		int digit = hex_value(at[i]);

		if (digit < 0)
			return -1;
		value = value * 16 + digit;
	}
	return value;
}

/* Skips a string, quotes included; false when it is not one. */
static bool skip_string(struct cursor *c)
{
	if (!take(c, '"'))
		return false;
	while (c->at < c->end) {
		unsigned char byte = (unsigned char)*c->at++;

		if (byte == '"')
			return true;
		if (byte < 0x20)
			return false;
		if (byte != '\\')
			continue;
		if (c->at >= c->end)
			return false;
		switch (*c->at++) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n':
		case 'r': case 't':
			break;
		case 'u':
			if (c->end - c->at < 4 || hex4(c->at) < 0)
				return false;
			c->at += 4;
			break;
		default:
			return false;
		}
	}
	return false;
}

static bool skip_digits(struct cursor *c)
{
	const char *start = c->at;

	while (c->at < c->end && is_digit(*c->at))
		c->at++;
	return c->at > start;
}

static bool skip_number(struct cursor *c)
{
	take(c, '-');
	if (take(c, '0')) {
		/* no leading zeros */
	} else if (!skip_digits(c)) {
		return false;
	}
	if (take(c, '.') && !skip_digits(c))
		return false;
	if (take(c, 'e') || take(c, 'E')) {
		if (!take(c, '+'))
			take(c, '-');
		if (!skip_digits(c))
			return false;
	}
	return true;
}

static bool skip_literal(struct cursor *c, const char *word)
{
	size_t length = strlen(word);

	if ((size_t)(c->end - c->at) < length ||
	    memcmp(c->at, word, length) != 0)
		return false;
	c->at += length;
	return true;
}

/* Whether the string value at `key` (quotes included) equals `name`. */
static bool key_is(const char *key, size_t length, const char *name)
{
	struct json_value value = { JSON_STRING, key, length };
	char *text = json_string(&value);
	bool same = text && strcmp(text, name) == 0;

	free(text);
	return same;
}

/*
 * Reads one value; when `path` still has keys and the value is an
 * object, notes in *found the last member that matches them all.
 */
static bool read_value(struct cursor *c, int depth, const char *const *path,
                       size_t path_depth, struct json_value *found,
                       bool *matched)
{
	struct json_value value = { .start = c->at };
	bool ok;

	if (c->at >= c->end ||
	    (depth >= MAX_DEPTH && (*c->at == '{' || *c->at == '[')))
		return false;
	switch (*c->at) {
	case '{':
		value.type = JSON_OBJECT;
		c->at++;
		skip_blanks(c);
		if (take(c, '}'))
			break;
		do {
			const char *key;
			bool wanted;

			skip_blanks(c);
			key = c->at;
			if (!skip_string(c))
				return false;
			wanted = path_depth > 0 &&
				 key_is(key, (size_t)(c->at - key), path[0]);
			/* A later member of a key replaces the earlier one. */
			if (wanted)
				*matched = false;
			skip_blanks(c);
			if (!take(c, ':'))
				return false;
			skip_blanks(c);
			if (!read_value(c, depth + 1, wanted ? path + 1 : NULL,
					wanted ? path_depth - 1 : 0, found,
					matched))
				return false;
			skip_blanks(c);
		} while (take(c, ','));
		if (!take(c, '}'))
			return false;
		break;
	case '[':
		value.type = JSON_ARRAY;
		c->at++;
		skip_blanks(c);
		if (take(c, ']'))
			break;
		do {
			skip_blanks(c);
			if (!read_value(c, depth + 1, NULL, 0, found, matched))
				return false;
			skip_blanks(c);
		} while (take(c, ','));
		if (!take(c, ']'))
			return false;
		break;
	case '"':
		value.type = JSON_STRING;
		if (!skip_string(c))
			return false;
		break;
	case 't':
		value.type = JSON_TRUE;
		if (!skip_literal(c, "true"))
			return false;
		break;
	case 'f':
		value.type = JSON_FALSE;
		if (!skip_literal(c, "false"))
			return false;
		break;
	case 'n':
		value.type = JSON_NULL;
		if (!skip_literal(c, "null"))
			return false;
		break;
	default:
		value.type = JSON_NUMBER;
		ok = skip_number(c);
		if (!ok)
			return false;
		break;
	}
	value.length = (size_t)(c->at - value.start);
	if (path && path_depth == 0) {
		*found = value;
		*matched = true;
	}
	return true;
}

int json_find(const char *text, size_t size, const char *const *path,
              size_t depth, struct json_value *value)
{
	struct cursor c = { text, text + size };
	bool matched = false;

	skip_blanks(&c);
	if (!read_value(&c, 0, path, depth, value, &matched)) {
		errno = EINVAL;
		return -1;
	}
	skip_blanks(&c);
	if (c.at != c.end) {
		errno = EINVAL;
		return -1;
	}
	if (!matched) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

char *json_string(const struct json_value *value)
{
	/* A checked string: quotes around, escapes well formed. */
	const char *at = value->start + 1, *end = value->start + value->length - 1;
	unsigned char *raw = malloc(value->length + 1);
	size_t used = 0;
	char *text;

	if (!raw || value->type != JSON_STRING) {
		free(raw);
		errno = value->type != JSON_STRING ? EINVAL : ENOMEM;
		return NULL;
	}
	while (at < end) {
		if (*at != '\\') {
			raw[used++] = (unsigned char)*at++;
			continue;
		}
		at++;
		switch (*at++) {
		case 'b': raw[used++] = '\b'; break;
		case 'f': raw[used++] = '\f'; break;
		case 'n': raw[used++] = '\n'; break;
		case 'r': raw[used++] = '\r'; break;
		case 't': raw[used++] = '\t'; break;
		case 'u': {
			uint32_t code = (uint32_t)hex4(at);

			at += 4;
			if (code >= 0xD800 && code <= 0xDBFF && end - at >= 6 &&
			    at[0] == '\\' && at[1] == 'u') {
				long low = hex4(at + 2);

				if (low >= 0xDC00 && low <= 0xDFFF) {
					code = 0x10000 + ((code - 0xD800) << 10) +
					       (uint32_t)(low - 0xDC00);
					at += 6;
				}
			}
			/* A lone surrogate is no character: U+FFFD. */
			if (code >= 0xD800 && code <= 0xDFFF)
				code = 0xFFFD;
			used += utf8_put(raw + used, code);
			break;
		}
		default: raw[used++] = (unsigned char)at[-1]; break;
		}
	}
	text = utf8_sanitize(raw, used, NULL);
	free(raw);
	return text;
}

int json_number(const struct json_value *value, double *number)
{
	char buffer[64];
	char *end;

	if (value->type != JSON_NUMBER || value->length >= sizeof buffer)
		return -1;
	memcpy(buffer, value->start, value->length);
	buffer[value->length] = '\0';
	*number = strtod(buffer, &end);
	return *end == '\0' ? 0 : -1;
}
