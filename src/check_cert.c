/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * check_cert: how many days are left to a server's TLS certificate?  One
 * TLS handshake through libcurl (CURLOPT_CONNECT_ONLY: nothing is sent
 * after it), to a URL's server or to HOST PORT.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "check_transfer.h"
#include "checks.h"
#include "curl_lib.h"
#include "option_error.h"

/* "https://HOST:PORT/", HOST in brackets when it is an IPv6 address. */
static int host_url(const struct check_cert_options *options, char *url,
                    size_t size)
{
	bool bracket = strchr(options->host, ':') && options->host[0] != '[';
	int length = snprintf(url, size, "https://%s%s%s:%s/",
			      bracket ? "[" : "", options->host,
			      bracket ? "]" : "", options->port);

	return length < 0 || (size_t)length >= size ? -1 : 0;
}

enum check_status check_cert_begin(struct check_transfer *transfer,
                                   const struct check_cert_options *options,
                                   char *message, size_t message_size)
{
	const char *load_error = curl_lib_load();
	CURLcode result;

	*transfer = (struct check_transfer){ .cert = options };
	message[0] = '\0';
	if (options->url) {
		snprintf(transfer->target, sizeof transfer->target, "%s",
			 options->url);
		snprintf(transfer->what, sizeof transfer->what, "%s",
			 options->url);
	} else {
		if (!checks_valid_port(options->port)) {
			snprintf(message, message_size,
				 "'%s' is not a port: expected a number from 1 to 65535",
				 options->port);
			return CHECK_USAGE;
		}
		if (host_url(options, transfer->target,
			     sizeof transfer->target) < 0) {
			snprintf(message, message_size, "host name too long");
			return CHECK_USAGE;
		}
		snprintf(transfer->what, sizeof transfer->what, "%s on %s",
			 options->host, options->port);
	}
	if (load_error) {
		snprintf(message, message_size, "cannot load libcurl: %s",
			 load_error);
		return CHECK_UNREACHABLE;
	}
	if (curl_lib.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    !(transfer->handle = curl_lib.easy_init())) {
		snprintf(message, message_size, "cannot start libcurl");
		return CHECK_UNREACHABLE;
	}
	result = curl_lib_configure(transfer->handle, transfer->target,
				    transfer->curl_error, options->timeout,
				    &options->tls);
	if (result == CURLE_OK)
		result = curl_lib.easy_setopt(transfer->handle,
					      CURLOPT_PROTOCOLS_STR, "https");
	if (result == CURLE_OK)
		result = curl_lib.easy_setopt(transfer->handle,
					      CURLOPT_CONNECT_ONLY, 1L);
	if (result == CURLE_OK)
		result = curl_lib.easy_setopt(transfer->handle,
					      CURLOPT_CERTINFO, 1L);
	transfer->setup = result;
	return CHECK_WORKS;
}

enum check_status check_cert_end(struct check_transfer *transfer,
                                 CURLcode result, char *message,
                                 size_t message_size)
{
	const char *curl_error = transfer->curl_error;
	enum check_status status;

	message[0] = '\0';
	if (result == CURLE_URL_MALFORMAT ||
	    result == CURLE_UNSUPPORTED_PROTOCOL) {
		snprintf(message, message_size, "%s is not a valid https URL: %s",
			 transfer->target, *curl_error ? curl_error
				 : curl_lib.easy_strerror(result));
		status = CHECK_USAGE;
	} else if (result != CURLE_OK) {
		snprintf(message, message_size,
			 "%s is not available (server not reachable). %s",
			 transfer->what, *curl_error ? curl_error
				 : curl_lib.easy_strerror(result));
		status = CHECK_UNREACHABLE;
	} else {
		status = checks_judge_certificate(transfer->what,
				curl_lib_expire_date(transfer->handle),
				time(NULL), transfer->cert->days, message,
				message_size);
	}
	curl_lib.easy_cleanup(transfer->handle);
	curl_lib.global_cleanup();
	transfer->handle = NULL;
	return status;
}

enum check_status check_cert(const struct check_cert_options *options,
                             char *message, size_t message_size)
{
	struct check_transfer transfer;
	enum check_status status = check_cert_begin(&transfer, options,
						    message, message_size);
	CURLcode result;

	if (status != CHECK_WORKS)
		return status;
	result = transfer.setup;
	if (result == CURLE_OK)
		result = curl_lib.easy_perform(transfer.handle);
	return check_cert_end(&transfer, result, message, message_size);
}

static const char check_cert_usage[] =
	"Usage: promise-run check-cert URL [OPTION]...\n"
	"   or: promise-run check-cert HOST PORT [OPTION]...\n"
	"Works (exit 0, silent) when the TLS certificate of the https URL's\n"
	"server, or of the server on PORT of HOST, has DAYS left at least.\n"
	"\n"
	"      --days=DAYS          days left at least (default 15)\n"
	"      --timeout=SECONDS    for the whole handshake (default 10)\n"
	"      --cacert=FILE        CA certificates to verify the server with\n"
	"      --cert=FILE          client certificate\n"
	"      --key=FILE           client certificate's key\n"
	"      --insecure           do not verify the server's certificate\n"
	"\n"
	"Exit status: 0 works, 1 server not reachable (or its certificate not\n"
	"valid), 2 too few days left, 3 usage error.\n";

enum {
	CHECK_DAYS = 256,
	CHECK_TIMEOUT,
	CHECK_HELP,
};

static const struct option check_cert_options_table[] = {
	{ "days",     required_argument, NULL, CHECK_DAYS },
	{ "timeout",  required_argument, NULL, CHECK_TIMEOUT },
	{ "cacert",   required_argument, NULL, CHECK_OPTION_CACERT },
	{ "cert",     required_argument, NULL, CHECK_OPTION_CERT },
	{ "key",      required_argument, NULL, CHECK_OPTION_KEY },
	{ "insecure", no_argument,       NULL, CHECK_OPTION_INSECURE },
	{ "help",     no_argument,       NULL, CHECK_HELP },
	{ NULL, 0, NULL, 0 },
};

int check_cert_parse(int argc, char **argv, struct check_cert_options *options,
                     bool *help, char *error, size_t error_size)
{
	int option;

	*options = (struct check_cert_options){
		.days = CHECK_CERT_DEFAULT_DAYS,
		.timeout = CHECK_CERT_DEFAULT_TIMEOUT,
	};
	*help = false;
	optind = 0;
	opterr = 0;
	while ((option = getopt_long(argc, argv, ":", check_cert_options_table,
				     NULL)) != -1) {
		switch (option) {
		case CHECK_DAYS:
			if (checks_parse_days(optarg, &options->days) < 0)
				return option_fail(error, error_size,
					    "option '--days' expects a number of days from 0 to %d, not '%s'",
					    CHECK_MAX_CERTIFICATE_DAYS, optarg);
			break;
		case CHECK_TIMEOUT:
			if (checks_parse_timeout(optarg, &options->timeout, error,
						 error_size) < 0)
				return -1;
			break;
		case CHECK_HELP:
			*help = true;
			return 0;
		default:
			if (checks_tls_option(option, optarg, &options->tls))
				break;
			return checks_option_error(option, argv, error,
						   error_size);
		}
	}
	if (argc - optind == 1) {
		options->url = argv[optind];
		if (strncasecmp(options->url, "https://", 8) != 0)
			return option_fail(error, error_size,
				    "'%s' is not an https URL",
				    options->url);
		return 0;
	}
	if (argc - optind != 2)
		return option_fail(error, error_size,
				   "an https URL, or HOST and PORT, expected");
	options->host = argv[optind];
	options->port = argv[optind + 1];
	if (!*options->host)
		return option_fail(error, error_size, "no HOST given");
	return 0;
}

int check_cert_main(int argc, char **argv)
{
	struct check_cert_options options;
	char message[2048];
	bool help;

	if (check_cert_parse(argc, argv, &options, &help, message,
			     sizeof message) < 0)
		return checks_say(argv[0], CHECK_USAGE, message);
	if (help)
		return checks_help(check_cert_usage);
	return checks_say(argv[0],
			  check_cert(&options, message, sizeof message), message);
}
