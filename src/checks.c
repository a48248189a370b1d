/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* checks: what the built-in checks share: option errors, what they say. */
#include "checks.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "complain.h"
#include "option_error.h"
#include "value.h"

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
