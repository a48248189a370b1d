/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* complain: one-line messages on standard error. */
#include "complain.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "escape.h"

static void (*before_hook)(void *);
static void *before_context;

void complain_before(void (*hook)(void *), void *context)
{
	before_hook = hook;
	before_context = context;
}

/*
 * Writes "`who`: " and the message to `stream`, escaped whole: its names,
 * paths and values may be a user's bytes, and a raw control (a line feed,
 * CR, ESC) would forge or hide lines of what root's cron mails.
 */
static void say_to(FILE *stream, const char *who, const char *format,
                   va_list arguments)
{
	char *message;

	if (vasprintf(&message, format, arguments) < 0)
		message = NULL;
	fprintf(stream, "%s: ", who);
	if (!message || escape_terminal(stream, message, NULL) < 0)
		fputs("out of memory (a message was lost)", stream);
	free(message);
}

static void say(const char *who, const char *format, va_list arguments)
{
	if (before_hook)
		before_hook(before_context);
	say_to(stderr, who, format, arguments);
	fputc('\n', stderr);
}

void complain(const char *format, ...)
{
	va_list arguments;

	va_start(arguments, format);
	say("promise-run", format, arguments);
	va_end(arguments);
}

void complain_check(const char *check, const char *format, ...)
{
	va_list arguments;
	char *who;

	if (asprintf(&who, "promise-run %s", check) < 0)
		who = NULL;
	va_start(arguments, format);
	say(who ? who : "promise-run", format, arguments);
	va_end(arguments);
	free(who);
}

char *complain_check_text(const char *check, const char *format, ...)
{
	va_list arguments;
	char *text = NULL, *who;
	size_t size;
	FILE *stream;

	if (asprintf(&who, "promise-run %s", check) < 0)
		return NULL;
	stream = open_memstream(&text, &size);
	if (stream) {
		va_start(arguments, format);
		say_to(stream, who, format, arguments);
		va_end(arguments);
		if (fclose(stream) != 0) {
			free(text);
			text = NULL;
		}
	}
	free(who);
	return text;
}
