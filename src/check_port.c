/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* check_port: is something listening on HOST PORT?  A port_probe, waited for. */
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
#include "port_probe.h"

enum check_status check_port(const struct check_port_options *options,
                             char *message, size_t message_size)
{
	struct port_probe probe;
	enum check_status status;

	port_probe_start(&probe, options, monotime_now());
	while (!port_probe_done(&probe)) {
		struct pollfd wait;
		struct timespec left = monotime_until(monotime_now(),
						      port_probe_deadline(&probe));

		if (port_probe_poll(&probe, &wait) &&
		    ppoll(&wait, 1, &left, NULL) < 0 && errno != EINTR) {
			snprintf(message, message_size, "%s on %s isn't listening (%s)",
				 options->host, options->port, strerror(errno));
			port_probe_release(&probe);
			return CHECK_UNREACHABLE;
		}
		port_probe_step(&probe, monotime_now());
	}
	status = port_probe_message(&probe, message, message_size);
	port_probe_release(&probe);
	return status;
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
