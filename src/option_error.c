/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* option_error: a refused command line, said in one line. */
#include "option_error.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int option_fail(char *error, size_t error_size, const char *format, ...)
{
	va_list arguments;

	va_start(arguments, format);
	vsnprintf(error, error_size, format, arguments);
	va_end(arguments);
	return -1;
}

int option_needs_value(const char *option, char *error, size_t error_size)
{
	return option_fail(error, error_size, "option '%s' requires a value",
			   option);
}

int option_refused(const char *word, char *error, size_t error_size)
{
	const char *equals = strchr(word, '=');

	/* getopt names the option it knows in optopt, and no other. */
	if (strncmp(word, "--", 2) == 0 && equals && optopt)
		return option_fail(error, error_size,
				   "option '%.*s' takes no value",
				   (int)(equals - word), word);
	if (strncmp(word, "--", 2) == 0 || word[0] != '-')
		return option_fail(error, error_size, "unknown option '%s'",
				   word);
	/* A cluster of short options: getopt stopped on one of them. */
	return option_fail(error, error_size, "unknown option '-%c'",
			   optopt > 0 && optopt < 128 ? optopt : '?');
}
