/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * checks: the built-in checks a promise can exec, so that it needs no
 * shell logic, no curl binary and no Python:
 *
 *   #!/bin/sh
 *   exec promise-run check-url https://[::1]:8443/ --expect 200
 *
 * Each check owns its options: check_NAME_parse reads them (a usage
 * error is a message, never printed there), check_NAME runs the check and
 * fills a one-line message, and check_NAME_main does both for
 * `promise-run check-NAME ...`: the message of a check that does not work
 * on standard output (a promise's message is its output), a usage error
 * on standard error.  Exit statuses as slapos' check_url_available: 0
 * works (and says nothing), 1 not reachable, 2 unexpected answer, 3 usage
 * error.
 */
#ifndef PROMISE_RUN_CHECKS_H
#define PROMISE_RUN_CHECKS_H

#include <stdbool.h>
#include <stddef.h>

enum check_status {
	CHECK_WORKS = 0,
	CHECK_UNREACHABLE = 1,
	CHECK_UNEXPECTED = 2,
	CHECK_USAGE = 3,
};

#define CHECK_MAX_EXPECTED 16

struct check_url_options {
	const char *url;
	long expected[CHECK_MAX_EXPECTED];  /* HTTP statuses that work */
	size_t expected_count;              /* 0: just 200 */
	double timeout;                     /* seconds, the whole request */
	bool accept_unauthorized;           /* 401 works too */
	const char *contains;               /* the body must hold it */
	const char *cacert, *cert, *key;
	bool insecure;                      /* no TLS verification */
};

struct check_port_options {
	const char *host;
	const char *port;
	double timeout;                     /* seconds, for every address */
};

#define CHECK_URL_DEFAULT_TIMEOUT 20.0
#define CHECK_PORT_DEFAULT_TIMEOUT 10.0

/* One request with libcurl, redirects followed. */
enum check_status check_url(const struct check_url_options *options,
                            char *message, size_t message_size);

/* A TCP connection to each address of HOST in turn, until one answers. */
enum check_status check_port(const struct check_port_options *options,
                             char *message, size_t message_size);

/* The options of `check-url` (argv[0]); 0, or -1 with the reason. */
int check_url_parse(int argc, char **argv, struct check_url_options *options,
                    bool *help, char *error, size_t error_size);
int check_port_parse(int argc, char **argv, struct check_port_options *options,
                     bool *help, char *error, size_t error_size);

/* promise-run check-url ... (argv[0] is "check-url"): the exit status. */
int check_url_main(int argc, char **argv);
int check_port_main(int argc, char **argv);

/* The reason getopt stopped on a bad option, in `error`; returns -1. */
int checks_option_error(int option, char **argv, char *error,
                        size_t error_size);

/* --timeout SECONDS, above 0; 0, or -1 with the reason. */
int checks_parse_timeout(const char *text, double *timeout, char *error,
                         size_t error_size);

/* Says what a check found (see above) and returns its exit status. */
int checks_say(const char *check, enum check_status status,
               const char *message);

/* Prints a check's --help; exit status 0 (1 if stdout fails). */
int checks_help(const char *usage);

#endif
