/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * last_success: the text of promise-run.last-success, promise-run's own
 * file of when each promise last worked, one line per title:
 *
 *   UNIX-SECONDS TITLE\n
 *
 * Pure functions: formatting into a stream, parsing from memory.  The
 * parser takes any bytes (the file is the instance user's): a line that
 * is not a positive number, one space and a title is no entry.  Where
 * the file lives, and how it is replaced, is state's concern.
 */
#ifndef PROMISE_RUN_LAST_SUCCESS_H
#define PROMISE_RUN_LAST_SUCCESS_H

#include <stddef.h>
#include <stdio.h>

/* When a promise last worked. */
struct last_success {
	char *title;
	long long when;             /* Unix seconds, > 0 */
};

/*
 * Writes the line of `title`, which last worked at `when`, to `out`;
 * nothing when there is no such line: `when` not positive, or a title
 * that is empty or holds a newline.  0, or -1 when `out` fails.
 */
int last_success_format(FILE *out, const char *title, long long when);

/*
 * Reads the file's `size` bytes of `text` into *entries (malloc'd,
 * sorted by title, one per title; free with last_success_free) and their
 * count.  A title given twice is the later line's.  A number too big is
 * LLONG_MAX (strtoll's reading); a last line without its newline counts.
 * 0, or -1 (ENOMEM).
 */
int last_success_parse(const char *text, size_t size,
                       struct last_success **entries, size_t *count);

/* The time `title` last worked in parsed `entries`, or 0 (unknown). */
long long last_success_of(const struct last_success *entries, size_t count,
                          const char *title);

void last_success_free(struct last_success *entries, size_t count);

#endif
