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
	if (errno != 0 || end == text || *end != '\0' || !isfinite(parsed) ||
	    parsed < 0 || parsed > VALUE_MAX_SECONDS)
		return -1;
	*seconds = parsed;
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
	/* Durations are read from decimals: a few places always suffice. */
	for (int places = 0; places <= 17; places++) {
		snprintf(text, size, "%.*f", places, seconds);
		if (strtod(text, NULL) == seconds)
			return;
	}
}
