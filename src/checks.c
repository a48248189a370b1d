/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* checks: what the built-in checks share: option errors, what they say. */
#include "checks.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complain.h"
#include "option_error.h"
#include "value.h"

bool checks_tls_option(int option, const char *argument,
                       struct check_tls *tls)
{
	switch (option) {
	case CHECK_OPTION_CACERT:
		tls->cacert = argument;
		return true;
	case CHECK_OPTION_CERT:
		tls->cert = argument;
		return true;
	case CHECK_OPTION_KEY:
		tls->key = argument;
		return true;
	case CHECK_OPTION_INSECURE:
		tls->insecure = true;
		return true;
	}
	return false;
}

int checks_option_error(int option, char **argv, char *error,
                        size_t error_size)
{
	if (option == ':')
		return option_needs_value(argv[optind - 1], error, error_size);
	return option_refused(argv[optind - 1], error, error_size);
}

int checks_parse_timeout(const char *text, double *timeout, char *error,
                         size_t error_size)
{
	if (value_parse_seconds(text, timeout) < 0 || *timeout <= 0)
		return option_fail(error, error_size,
				   "option '--timeout' expects a number of seconds above 0, not '%s'",
				   text);
	return 0;
}

int checks_parse_status(const char *text, long *status)
{
	char *end;
	long code;

	if (text[0] >= '1' && text[0] <= '0' + CHECK_STATUS_CLASS_MAX &&
	    strcasecmp(text + 1, "xx") == 0) {
		*status = text[0] - '0';
		return 0;
	}
	if (text[0] < '0' || text[0] > '9')
		return -1;      /* strtol would take spaces and signs */
	errno = 0;
	code = strtol(text, &end, 10);
	if (*end || errno || code < 100 || code > 599)
		return -1;
	*status = code;
	return 0;
}

bool checks_valid_port(const char *port)
{
	long number = 0;

	if (!*port || strlen(port) > 5)
		return false;
	for (const char *c = port; *c; c++) {
		if (*c < '0' || *c > '9')
			return false;
		number = number * 10 + (*c - '0');
	}
	return number >= 1 && number <= 65535;
}

int checks_parse_days(const char *text, int *days)
{
	long number = 0;

	if (!*text || strlen(text) > 5)
		return -1;
	for (const char *c = text; *c; c++) {
		if (*c < '0' || *c > '9')
			return -1;
		number = number * 10 + (*c - '0');
	}
	if (number > CHECK_MAX_CERTIFICATE_DAYS)
		return -1;
	*days = (int)number;
	return 0;
}

int checks_parse_age(const char *text, double *seconds)
{
	static const struct { char suffix; double seconds; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
	};
	size_t length = strlen(text);
	double unit = 1, number;
	char copy[32];

	if (length == 0 || length >= sizeof copy)
		return -1;
	memcpy(copy, text, length + 1);
	for (size_t i = 0; i < sizeof units / sizeof *units; i++)
		if (copy[length - 1] == units[i].suffix) {
			unit = units[i].seconds;
			copy[--length] = '\0';
			break;
		}
	/* Seconds as everywhere else (a plain decimal), then scaled. */
	if (length == 0 || value_parse_seconds(copy, &number) < 0)
		return -1;
	number *= unit;
	if (number <= 0 || number > CHECK_MAX_AGE_SECONDS)
		return -1;
	*seconds = number;
	return 0;
}

int checks_parse_expire_date(const char *text, time_t *when)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct tm tm = { 0 };
	char month[4], zone[4];
	int used = 0;
	const char *found;

	while (*text == ' ')
		text++;
	if (sscanf(text, "%4d-%2d-%2d %2d:%2d:%2d %3s%n", &tm.tm_year,
		   &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
		   &tm.tm_sec, zone, &used) == 7 && !text[used]) {
		tm.tm_mon--;
	} else if (sscanf(text, "%3s %2d %2d:%2d:%2d %4d %3s%n", month,
			  &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
			  &tm.tm_year, zone, &used) == 7 && !text[used] &&
		   strlen(month) == 3 && (found = strstr(months, month)) &&
		   (found - months) % 3 == 0) {
		tm.tm_mon = (int)(found - months) / 3;
	} else {
		return -1;
	}
	if (strcmp(zone, "GMT") != 0 || tm.tm_mon < 0 || tm.tm_mon > 11 ||
	    tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
	    tm.tm_min > 59 || tm.tm_sec > 60 || tm.tm_year < 1950)
		return -1;
	tm.tm_year -= 1900;
	*when = timegm(&tm);
	return 0;
}

enum check_status checks_judge_certificate(const char *what,
                                           const char *expire_date,
                                           time_t now, int days,
                                           char *message,
                                           size_t message_size)
{
	time_t end;
	struct tm tm;
	char date[64], left[64];
	long long seconds, whole_days;

	if (!expire_date || checks_parse_expire_date(expire_date, &end) < 0 ||
	    !gmtime_r(&end, &tm)) {
		snprintf(message, message_size,
			 "the certificate of %s cannot be read (its end of validity is %s)",
			 what, expire_date ? expire_date : "missing");
		return CHECK_UNEXPECTED;
	}
	seconds = (long long)end - (long long)now;
	whole_days = seconds / 86400;
	if (seconds >= 0 && whole_days >= days)
		return CHECK_WORKS;
	strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S UTC", &tm);
	if (seconds < 0 && whole_days == 0)
		snprintf(left, sizeof left, "expired less than a day ago");
	else if (seconds < 0)
		snprintf(left, sizeof left, "expired %lld day%s ago",
			 -whole_days, -whole_days == 1 ? "" : "s");
	else if (whole_days == 0)
		snprintf(left, sizeof left, "expires in less than a day");
	else
		snprintf(left, sizeof left, "expires in %lld day%s",
			 whole_days, whole_days == 1 ? "" : "s");
	snprintf(message, message_size,
		 "the certificate of %s %s, on %s (expected at least %d day%s left).",
		 what, left, date, days, days == 1 ? "" : "s");
	return CHECK_UNEXPECTED;
}

/* Flushes stdout: a message that could not be written is a failure. */
static int flushed(int status)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		complain("cannot write: %s", strerror(errno));
		return status == CHECK_WORKS ? CHECK_UNREACHABLE : status;
	}
	return status;
}

int checks_say(const char *check, enum check_status status,
               const char *message)
{
	if (status == CHECK_USAGE) {
		complain_check(check, "%s (see --help)", message);
		return CHECK_USAGE;
	}
	if (*message)
		puts(message);
	return flushed(status);
}

int checks_help(const char *usage)
{
	fputs(usage, stdout);
	return flushed(CHECK_WORKS);
}
