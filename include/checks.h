/*
 * checks: the built-in checks a promise can exec, so that it needs no
 * shell logic, no curl binary and no Python:
 *
 *   #!/bin/sh
 *   exec promise-run check-url https://[::1]:8443/ --expect 200
 *
 * Each check fills a one-line message and returns its exit status, as
 * slapos' check_url_available does: 0 works (and says nothing), 1 not
 * reachable, 2 unexpected answer, 3 usage error.  They never print.
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

#endif
