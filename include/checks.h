/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * checks: the built-in checks a promise can exec, so that it needs no
 * shell logic, no curl binary and no Python:
 *
 *   #!/bin/sh
 *   exec promise-run check-url https://[::1]:8443/ --expect 200
 *
 * or that a promise declares in a file of its own (see declared.h):
 *
 *   #!/usr/bin/promise-run check
 *   url = https://[::1]:8443/
 *
 * Each check owns its options: check_NAME_parse reads them (a usage
 * error is a message, never printed there), check_NAME runs the check and
 * fills a one-line message, and check_NAME_main does both for
 * `promise-run check-NAME ...`: the message of a check that does not work
 * on standard output (a promise's message is its output), a usage error
 * on standard error.  Exit statuses as slapos' check_url_available: 0
 * works (and says nothing), 1 not reachable, 2 unexpected answer, 3 usage
 * error.  check-cert and check-file say 2 for a certificate too close
 * to its end and a file too old.
 */
#ifndef PROMISE_RUN_CHECKS_H
#define PROMISE_RUN_CHECKS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

enum check_status {
	CHECK_WORKS = 0,
	CHECK_UNREACHABLE = 1,
	CHECK_UNEXPECTED = 2,
	CHECK_USAGE = 3,
};

#define CHECK_MAX_EXPECTED 16

/* How a TLS connection is verified, and the client's certificate. */
struct check_tls {
	const char *cacert;                 /* NULL: the system's CAs */
	const char *cert, *key;             /* a client certificate */
	bool insecure;                      /* no TLS verification */
};

/* The getopt values of --cacert, --cert, --key and --insecure. */
enum {
	CHECK_OPTION_CACERT = 512,
	CHECK_OPTION_CERT,
	CHECK_OPTION_KEY,
	CHECK_OPTION_INSECURE,
};

/* An expected status from 1 to 5 stands for a class: 2 is any 2xx. */
#define CHECK_STATUS_CLASS_MAX 5

/* The most days a certificate may be asked to have left (100 years). */
#define CHECK_MAX_CERTIFICATE_DAYS 36500

struct check_url_options {
	const char *url;
	long expected[CHECK_MAX_EXPECTED];  /* HTTP statuses that work */
	size_t expected_count;              /* 0: just 200 */
	double timeout;                     /* seconds, the whole request */
	bool accept_unauthorized;           /* 401 works too */
	bool no_follow_redirects;           /* a 3xx is the answer */
	const char *contains;               /* the body must hold it */
	struct check_tls tls;
	bool certificate;                   /* check the days left too: */
	int certificate_days;               /* at least these */
};

struct check_port_options {
	const char *host;
	const char *port;
	double timeout;                     /* seconds, for every address */
};

/* A certificate's days left: of a URL's server, or of HOST PORT's. */
struct check_cert_options {
	const char *url;                    /* https://..., or NULL */
	const char *host, *port;            /* when url is NULL */
	int days;                           /* days left at least */
	double timeout;                     /* seconds, the whole handshake */
	struct check_tls tls;
};

/* A file that exists, modified at most max_age seconds ago. */
struct check_file_options {
	const char *path;
	double max_age;                     /* seconds; 0: any age */
};

#define CHECK_URL_DEFAULT_TIMEOUT 20.0
#define CHECK_PORT_DEFAULT_TIMEOUT 10.0
#define CHECK_CERT_DEFAULT_TIMEOUT 10.0
#define CHECK_CERT_DEFAULT_DAYS 15

/* The longest max-age: 100 years, in seconds. */
#define CHECK_MAX_AGE_SECONDS (36500 * 86400.0)

/* One request with libcurl, redirects followed. */
enum check_status check_url(const struct check_url_options *options,
                            char *message, size_t message_size);

/* A TCP connection to each address of HOST in turn, until one answers. */
enum check_status check_port(const struct check_port_options *options,
                             char *message, size_t message_size);

/* A TLS handshake (libcurl, nothing sent after it), then the days left. */
enum check_status check_cert(const struct check_cert_options *options,
                             char *message, size_t message_size);

/* stat(2) of the path, then its age. */
enum check_status check_file(const struct check_file_options *options,
                             char *message, size_t message_size);

/* The options of `check-url` (argv[0]); 0, or -1 with the reason. */
int check_url_parse(int argc, char **argv, struct check_url_options *options,
                    bool *help, char *error, size_t error_size);
int check_port_parse(int argc, char **argv, struct check_port_options *options,
                     bool *help, char *error, size_t error_size);
int check_cert_parse(int argc, char **argv, struct check_cert_options *options,
                     bool *help, char *error, size_t error_size);
int check_file_parse(int argc, char **argv, struct check_file_options *options,
                     bool *help, char *error, size_t error_size);

/* promise-run check-url ... (argv[0] is "check-url"): the exit status. */
int check_url_main(int argc, char **argv);
int check_port_main(int argc, char **argv);
int check_cert_main(int argc, char **argv);
int check_file_main(int argc, char **argv);

/* The reason getopt stopped on a bad option, in `error`; returns -1. */
/*
 * Takes `option` (with its `argument`) into `tls` when it is one of the
 * TLS options (CHECK_OPTION_...); false when it is not.
 */
bool checks_tls_option(int option, const char *argument,
                       struct check_tls *tls);

int checks_option_error(int option, char **argv, char *error,
                        size_t error_size);

/* --timeout SECONDS, above 0; 0, or -1 with the reason. */
int checks_parse_timeout(const char *text, double *timeout, char *error,
                         size_t error_size);

/*
 * An HTTP status from 100 to 599, or a class "2xx" (read as 2, see
 * CHECK_STATUS_CLASS_MAX); 0, or -1 when `text` is neither.
 */
int checks_parse_status(const char *text, long *status);

/* Whether `port` is a number from 1 to 65535. */
bool checks_valid_port(const char *port);

/* Days a certificate must have left: 0 to CHECK_MAX_CERTIFICATE_DAYS. */
int checks_parse_days(const char *text, int *days);

/*
 * An age: a number of seconds, or of minutes, hours or days with the
 * suffix m, h or d ("90", "15m", "26h", "7d"), above 0 and at most
 * CHECK_MAX_AGE_SECONDS; 0, or -1.
 */
int checks_parse_age(const char *text, double *seconds);

/*
 * The end of a certificate's validity as libcurl writes it: "Dec  4
 * 13:30:57 2026 GMT" (OpenSSL) or "2026-12-04 13:30:57 GMT" (its other
 * TLS libraries); 0, or -1.
 */
int checks_parse_expire_date(const char *text, time_t *when);

/*
 * Whether the certificate of `what` (a URL, "HOST on PORT"), valid until
 * `expire_date` (libcurl's text, NULL when the server sent none), has
 * `days` left at `now`; the message says why not.
 */
enum check_status checks_judge_certificate(const char *what,
                                           const char *expire_date,
                                           time_t now, int days,
                                           char *message,
                                           size_t message_size);

/* Says what a check found (see above) and returns its exit status. */
int checks_say(const char *check, enum check_status status,
               const char *message);

/* Prints a check's --help; exit status 0 (1 if stdout fails). */
int checks_help(const char *usage);

#endif
