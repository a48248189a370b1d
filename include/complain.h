/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * complain: promise-run's one-line messages on standard error,
 * "promise-run: cannot read 'x': Permission denied".  Only main and the
 * scheduler that drives a run say anything; library modules return errors.
 * A message is written escaped whole, as the text report writes a name:
 * every control (C0, DEL and C1) shows as '?', bytes that are not UTF-8
 * as U+FFFD, so that no name, title, path or configuration value of a
 * user can forge a line or move the cursor.
 */
#ifndef PROMISE_RUN_COMPLAIN_H
#define PROMISE_RUN_COMPLAIN_H

/* Writes "promise-run: " and the formatted message, on one line. */
void complain(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* The same for a built-in check: "promise-run check-url: ...". */
void complain_check(const char *check, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The line complain_check would write, without its line feed, malloc'd
 * (NULL out of memory): what a check's process would have said, for a
 * check run without one.
 */
char *complain_check_text(const char *check, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

/* Calls `hook` before each message (to erase a progress line). */
void complain_before(void (*hook)(void *), void *context);

#endif
