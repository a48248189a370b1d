/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * json_read: a small, strict reader of JSON text, for the few values
 * promise-run reads back from slapgrid's files (a previous result, a
 * periodicity cache).  Those files belong to the instance's user: the
 * reader takes any bytes, checks the whole text (RFC 8259, nesting at
 * most 64 deep) and never reads past `size`.
 */
#ifndef PROMISE_RUN_JSON_READ_H
#define PROMISE_RUN_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>

enum json_type {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_OBJECT,
	JSON_ARRAY,
};

/* A value: its type and its text in the document. */
struct json_value {
	enum json_type type;
	const char *start;
	size_t length;
};

/*
 * Finds the value at `path` (the keys of nested objects, `depth` of
 * them) in the JSON text.  0; -1 with errno EINVAL when the text is not
 * JSON, or ENOENT when it has no such value.  With several members of one
 * key, the last wins (as Python's json does).
 */
int json_find(const char *text, size_t size, const char *const *path,
              size_t depth, struct json_value *value);

/* The string value, unescaped, as malloc'd UTF-8 (NUL as U+FFFD). */
char *json_string(const struct json_value *value);

/* The number value; 0, or -1 when it is not a number. */
int json_number(const struct json_value *value, double *number);

#endif
