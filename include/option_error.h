/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * option_error: what a command line's parser refused, as one line for
 * its user.  Shared by promise-run's own options and its built-in checks,
 * so that both say the same thing of the same mistake.
 */
#ifndef PROMISE_RUN_OPTION_ERROR_H
#define PROMISE_RUN_OPTION_ERROR_H

#include <stddef.h>

/* Writes the message into `error`; returns -1, for `return option_fail(...)`. */
int option_fail(char *error, size_t error_size, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

/* An option given without the value it needs (getopt_long returned ':'). */
int option_needs_value(const char *option, char *error, size_t error_size);

/*
 * What getopt_long refused (it returned '?') in `word`, the last word it
 * read: an option it does not know, or a value given to an option that
 * takes none ("--wait=1").  Returns -1.
 */
int option_refused(const char *word, char *error, size_t error_size);

#endif
