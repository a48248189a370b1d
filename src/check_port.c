/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* check_port: is something listening on HOST PORT?  A TCP connect. */
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checks.h"
#include "monotime.h"
#include "option_error.h"

/*
 * Connects to one address before `deadline`: 0, or an errno value saying
 * why not (ETIMEDOUT when the deadline passed).
 */
static int connect_before(const struct addrinfo *address,
                          struct timespec deadline)
{
	int fd = socket(address->ai_family,
			address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
			address->ai_protocol);
	int error = 0;
	socklen_t length = sizeof error;

	if (fd < 0)
		return errno;
	if (connect(fd, address->ai_addr, address->ai_addrlen) == 0)
		goto out;
	if (errno != EINPROGRESS) {
		error = errno;
		goto out;
	}
	for (;;) {
		struct pollfd poll_fd = { .fd = fd, .events = POLLOUT };
		struct timespec left = monotime_until(monotime_now(), deadline);
		int ready;

		if (left.tv_sec == 0 && left.tv_nsec == 0) {
			error = ETIMEDOUT;
			goto out;
		}
		ready = ppoll(&poll_fd, 1, &left, NULL);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready < 0) {
			error = errno;
			goto out;
		}
		if (ready > 0)
			break;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) < 0)
		error = errno;
out:
	close(fd);
	return error;
}

/*
 * Resolves HOST PORT before `deadline`: getaddrinfo_a, waited for with
 * gai_suspend, since a resolver that does not answer would hold a plain
 * getaddrinfo for its own timeouts (seconds, times the servers and
 * attempts).  0, or an EAI_* code: EAI_AGAIN when the deadline came.
 */
static int resolve_before(const char *host, const char *port,
                          const struct addrinfo *hints,
                          struct timespec deadline,
                          struct addrinfo **addresses)
{
	/*
	 * Static: at the deadline the lookup may still run in glibc's
	 * thread, which writes here; the check ends right after, with it.
	 */
	static struct gaicb request;
	struct gaicb *requests[] = { &request };
	int status;

	request = (struct gaicb){ .ar_name = host, .ar_service = port,
				  .ar_request = hints };
	status = getaddrinfo_a(GAI_NOWAIT, requests, 1, NULL);
	if (status != 0)
		return status;
	while ((status = gai_error(&request)) == EAI_INPROGRESS) {
		struct timespec left = monotime_until(monotime_now(), deadline);

		if (left.tv_sec == 0 && left.tv_nsec == 0) {
			(void)gai_cancel(&request);
			return EAI_AGAIN;
		}
		/* Its own return says nothing gai_error will not. */
		(void)gai_suspend((const struct gaicb *const *)requests, 1,
				  &left);
	}
	if (status == 0)
		*addresses = request.ar_result;
	return status;
}

enum check_status check_port(const struct check_port_options *options,
                             char *message, size_t message_size)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC,
				  .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV };
	struct timespec deadline = monotime_add(monotime_now(),
						options->timeout);
	struct addrinfo *addresses;
	int error = 0, resolved;

	message[0] = '\0';
	if (!checks_valid_port(options->port)) {
		snprintf(message, message_size,
			 "'%s' is not a port: expected a number from 1 to 65535",
			 options->port);
		return CHECK_USAGE;
	}
	resolved = resolve_before(options->host, options->port, &hints,
				  deadline, &addresses);
	if (resolved != 0) {
		snprintf(message, message_size, "%s on %s isn't listening (%s)",
			 options->host, options->port,
			 resolved == EAI_SYSTEM ? strerror(errno)
			 : !monotime_before(monotime_now(), deadline)
				 ? "name resolution timed out"
				 : gai_strerror(resolved));
		return CHECK_UNREACHABLE;
	}
	/* Each address in turn, within one deadline for them all. */
	for (const struct addrinfo *address = addresses; address;
	     address = address->ai_next) {
		error = connect_before(address, deadline);
		if (error == 0 || !monotime_before(monotime_now(), deadline))
			break;
	}
	freeaddrinfo(addresses);
	if (error == 0)
		return CHECK_WORKS;
	snprintf(message, message_size, "%s on %s isn't listening (%s)",
		 options->host, options->port,
		 error == ETIMEDOUT ? "timed out" : strerror(error));
	return CHECK_UNREACHABLE;
}

static const char check_port_usage[] =
	"Usage: promise-run check-port HOST PORT [--timeout=SECONDS]\n"
	"Works (exit 0, silent) when a TCP connection to PORT on some address\n"
	"of HOST (IPv4 or IPv6) succeeds within SECONDS (default 10).\n"
	"Exit status: 0 works, 1 not listening, 3 usage error.\n";

enum {
	CHECK_TIMEOUT = 256,
	CHECK_HELP,
};

static const struct option check_port_options_table[] = {
	{ "timeout", required_argument, NULL, CHECK_TIMEOUT },
	{ "help",    no_argument,       NULL, CHECK_HELP },
	{ NULL, 0, NULL, 0 },
};

int check_port_parse(int argc, char **argv, struct check_port_options *options,
                     bool *help, char *error, size_t error_size)
{
	int option;

	*options = (struct check_port_options){
		.timeout = CHECK_PORT_DEFAULT_TIMEOUT,
	};
	*help = false;
	optind = 0;
	opterr = 0;
	while ((option = getopt_long(argc, argv, ":", check_port_options_table,
				     NULL)) != -1) {
		switch (option) {
		case CHECK_TIMEOUT:
			if (checks_parse_timeout(optarg, &options->timeout, error,
						 error_size) < 0)
				return -1;
			break;
		case CHECK_HELP:
			*help = true;
			return 0;
		default:
			return checks_option_error(option, argv, error,
						   error_size);
		}
	}
	if (argc - optind != 2)
		return option_fail(error, error_size, "HOST and PORT expected");
	options->host = argv[optind];
	options->port = argv[optind + 1];
	return 0;
}

int check_port_main(int argc, char **argv)
{
	struct check_port_options options;
	char message[2048];
	bool help;

	if (check_port_parse(argc, argv, &options, &help, message,
			     sizeof message) < 0)
		return checks_say(argv[0], CHECK_USAGE, message);
	if (help)
		return checks_help(check_port_usage);
	return checks_say(argv[0],
			  check_port(&options, message, sizeof message), message);
}
