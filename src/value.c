/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* value: option and configuration values, parsed the same way everywhere. */
#include "value.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int value_parse_seconds(const char *text, double *seconds)
{
	char *end;
	double parsed;

	/* strtod also takes "nan", "inf", hex and leading blanks: refuse them. */
	if (!isdigit((unsigned char)text[0]) && text[0] != '.')
		return -1;
	for (const char *c = text; *c; c++)
		if (!isdigit((unsigned char)*c) && *c != '.')
			return -1;
	errno = 0;
	parsed = strtod(text, &end);
	/* A decimal too small for a double is a duration of 0 all the same. */
	if (errno == ERANGE && parsed < 1)
		errno = 0;
	if (errno != 0 || end == text || *end != '\0' || !isfinite(parsed) ||
	    parsed < 0 || parsed > VALUE_MAX_SECONDS)
		return -1;
	/*
	 * To the nearest nanosecond, the clocks' own resolution (exact below
	 * 2^53), rounded by hand: libm would cost every run its pages.
	 */
	*seconds = (double)(long long)(parsed * 1e9 + 0.5) / 1e9;
	return 0;
}

int value_parse_jobs(const char *text, unsigned *jobs)
{
	unsigned long parsed = 0;

	if (!*text)
		return -1;
	for (const char *c = text; *c; c++) {
		if (!isdigit((unsigned char)*c))
			return -1;
		parsed = parsed * 10 + (unsigned long)(*c - '0');
		if (parsed > VALUE_MAX_JOBS)
			return -1;
	}
	if (parsed < 1)
		return -1;
	*jobs = (unsigned)parsed;
	return 0;
}

void value_format_seconds(double seconds, char *text, size_t size)
{
	/* The fewest places that read back the same: nine at most. */
	for (int places = 0; places < 9; places++) {
		snprintf(text, size, "%.*f", places, seconds);
		if (strtod(text, NULL) == seconds)
			return;
	}
	snprintf(text, size, "%.9f", seconds);
}
