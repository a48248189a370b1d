/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * declared: a declared check, a promise file that names one built-in
 * check instead of running a program of its own:
 *
 *   #!/usr/bin/promise-run check
 *   # written by the recipe
 *   url = https://[::1]:8443/
 *   status = 200 204
 *   timeout = 5
 *
 * Executed, the kernel runs `/usr/bin/promise-run check FILE`.  The
 * first line is "#!PATH check"; then `key = value` lines, blank lines and
 * comment lines (their first character, blanks aside, '#' or ';').  A
 * value is the rest of its line, blanks trimmed: no comment after it (a
 * URL may hold '#' and ';').  The keys are in doc/promise-run.md.
 *
 * declared_parse is pure: text in, the options of one check out (the very
 * options check-url, check-port, check-cert and check-file parse from
 * their command lines), or one line naming the file and the line.
 */
#ifndef PROMISE_RUN_DECLARED_H
#define PROMISE_RUN_DECLARED_H

#include <stdbool.h>
#include <stddef.h>

#include "checks.h"

/* The largest declared check, as a configuration file. */
#define DECLARED_MAX_SIZE (64 * 1024)

/* The longest first line the kernel reads whole (BINPRM_BUF_SIZE - 1). */
#define DECLARED_MAX_FIRST_LINE 255

/* The word after the interpreter on the first line. */
#define DECLARED_COMMAND "check"

enum declared_kind {
	DECLARED_URL,           /* url: check-url (certificate-days too) */
	DECLARED_PORT,          /* host and port: check-port */
	DECLARED_CERT,          /* host, port and certificate-days: check-cert */
	DECLARED_FILE,          /* file: check-file */
};

struct declared_check {
	enum declared_kind kind;
	const char *interpreter;        /* the PATH of "#!PATH check" */
	union {
		struct check_url_options url;
		struct check_port_options port;
		struct check_cert_options cert;
		struct check_file_options file;
	} options;
	char *storage;                  /* every string above points here */
};

/*
 * Parses `size` bytes of `text`, the file `path`, into *check; 0, or -1
 * with "PATH:LINE: reason" (or "PATH: reason" for the file as a whole) in
 * `error`, and nothing to release.
 */
int declared_parse(const char *text, size_t size, const char *path,
                   struct declared_check *check, char *error,
                   size_t error_size);

/* Frees what declared_parse kept. */
void declared_release(struct declared_check *check);

#endif
