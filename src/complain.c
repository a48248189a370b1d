/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* complain: one-line messages on standard error. */
#include "complain.h"

#include <stdarg.h>
#include <stdio.h>

static void (*before_hook)(void *);
static void *before_context;

void complain_before(void (*hook)(void *), void *context)
{
	before_hook = hook;
	before_context = context;
}

void complain(const char *format, ...)
{
	va_list arguments;

	if (before_hook)
		before_hook(before_context);
	fputs("promise-run: ", stderr);
	va_start(arguments, format);
	vfprintf(stderr, format, arguments);
	va_end(arguments);
	fputc('\n', stderr);
}
