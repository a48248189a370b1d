/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* check_url: is a URL available?  One request through libcurl_lib. */
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

static size_t search_body(char *data, size_t size, size_t count, void *user)
{
	struct body_search *search = user;
	size_t length = size * count, keep = search->needle_length - 1;

	if (search->found || !search->needle)
		return length;
	/* Search the window joined to the head of the new data. */
	size_t head = length < keep ? length : keep;

	memcpy(search->window + search->window_length, data, head);
	if (memmem(search->window, search->window_length + head,
		   search->needle, search->needle_length) ||
	    memmem(data, length, search->needle, search->needle_length)) {
		search->found = true;
		return length;
	}
	/* Keep the last `keep` bytes of window + data. */
	if (length >= keep) {
		memcpy(search->window, data + length - keep, keep);
		search->window_length = keep;
	} else {
		size_t total = search->window_length + length;
		size_t drop = total > keep ? total - keep : 0;

		memmove(search->window, search->window + drop,
			search->window_length + length - drop);
		search->window_length = total - drop;
	}
	return length;
}

static bool expected(const struct check_url_options *options, long code)
{
	if (options->accept_unauthorized && code == 401)
		return true;
	if (options->expected_count == 0)
		return code == 200;
	for (size_t i = 0; i < options->expected_count; i++)
		if (options->expected[i] == code ||
		    (options->expected[i] <= CHECK_STATUS_CLASS_MAX &&
		     options->expected[i] == code / 100))
			return true;
	return false;
}

/* "200" or "200, 204, 3xx": the statuses the URL should have answered. */
static void list_expected(const struct check_url_options *options,
                          char *text, size_t size)
{
	size_t used = 0;

	if (options->expected_count == 0) {
		snprintf(text, size, "200");
		return;
	}
	text[0] = '\0';
	for (size_t i = 0; i < options->expected_count && used < size; i++)
		used += (size_t)snprintf(text + used, size - used,
					 options->expected[i] <=
						 CHECK_STATUS_CLASS_MAX
						 ? "%s%ldxx" : "%s%ld",
					 i ? ", " : "", options->expected[i]);
}

/* Applies every option to the handle; a CURLcode other than CURLE_OK. */
static CURLcode configure(CURL *handle, const struct check_url_options *options,
                          struct body_search *search, char *curl_error)
{
	CURLcode code = curl_lib_configure(handle, options->url, curl_error,
					   options->timeout, &options->tls);

#define SET(option, value) \
	if (code == CURLE_OK) \
		code = curl_lib.easy_setopt(handle, option, value)
	if (!options->no_follow_redirects) {
		SET(CURLOPT_FOLLOWLOCATION, 1L);
		SET(CURLOPT_MAXREDIRS, 10L);
	}
	SET(CURLOPT_WRITEFUNCTION, search_body);
	SET(CURLOPT_WRITEDATA, search);
	if (options->certificate)
		SET(CURLOPT_CERTINFO, 1L);
#undef SET
	return code;
}

enum check_status check_url_begin(struct check_transfer *transfer,
                                  const struct check_url_options *options,
                                  char *message, size_t message_size)
{
	const char *load_error = curl_lib_load();
	struct body_search *search = &transfer->search;

	*transfer = (struct check_transfer){ .url = options };
	message[0] = '\0';
	if (load_error) {
		snprintf(message, message_size, "cannot load libcurl: %s",
			 load_error);
		return CHECK_UNREACHABLE;
	}
	search->needle = options->contains;
	if (search->needle && !*search->needle)
		search->needle = NULL;  /* every body contains "" */
	if (search->needle) {
		search->needle_length = strlen(search->needle);
		search->window = malloc(2 * search->needle_length + 1);
		if (!search->window) {
			snprintf(message, message_size, "out of memory");
			return CHECK_UNREACHABLE;
		}
	}
	if (curl_lib.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    !(transfer->handle = curl_lib.easy_init())) {
		snprintf(message, message_size, "cannot start libcurl");
		free(search->window);
		return CHECK_UNREACHABLE;
	}
	transfer->setup = configure(transfer->handle, options, search,
				    transfer->curl_error);
	return CHECK_WORKS;
}

/* The URL's verdict, once its transfer is over. */
static enum check_status judge(struct check_transfer *transfer,
                               CURLcode result, char *message,
                               size_t message_size)
{
	const struct check_url_options *options = transfer->url;
	const char *curl_error = transfer->curl_error;
	CURL *handle = transfer->handle;
	long code = 0, redirects = 0;
	char wanted[128];

	/* A redirect to another scheme is the server's doing, not a usage error. */
	(void)curl_lib.easy_getinfo(handle, CURLINFO_REDIRECT_COUNT, &redirects);
	if ((result == CURLE_URL_MALFORMAT ||
	     result == CURLE_UNSUPPORTED_PROTOCOL) && redirects == 0) {
		snprintf(message, message_size, "%s is not a valid URL: %s",
			 options->url, *curl_error ? curl_error
						   : curl_lib.easy_strerror(result));
		return CHECK_USAGE;
	}
	if (result != CURLE_OK) {
		snprintf(message, message_size,
			 "%s is not available (server not reachable). %s",
			 options->url, *curl_error ? curl_error
					       : curl_lib.easy_strerror(result));
		return CHECK_UNREACHABLE;
	}
	(void)curl_lib.easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &code);
	if (!expected(options, code)) {
		list_expected(options, wanted, sizeof wanted);
		snprintf(message, message_size,
			 "%s is not available (returned %ld, expected %s).",
			 options->url, code, wanted);
		return CHECK_UNEXPECTED;
	}
	if (transfer->search.needle && !transfer->search.found) {
		snprintf(message, message_size,
			 "%s is not available (returned %ld, but its content does not contain '%s').",
			 options->url, code, transfer->search.needle);
		return CHECK_UNEXPECTED;
	}
	if (options->certificate)
		return checks_judge_certificate(options->url,
						curl_lib_expire_date(handle),
						time(NULL),
						options->certificate_days,
						message, message_size);
	return CHECK_WORKS;
}

enum check_status check_url_end(struct check_transfer *transfer,
                                CURLcode result, char *message,
                                size_t message_size)
{
	enum check_status status;

	message[0] = '\0';
	status = judge(transfer, result, message, message_size);

	curl_lib.easy_cleanup(transfer->handle);
	curl_lib.global_cleanup();
	free(transfer->search.window);
	transfer->handle = NULL;
	return status;
}

enum check_status check_url(const struct check_url_options *options,
                            char *message, size_t message_size)
{
	struct check_transfer transfer;
	enum check_status status = check_url_begin(&transfer, options,
						   message, message_size);
	CURLcode result;

	if (status != CHECK_WORKS)
		return status;
	result = transfer.setup;
	if (result == CURLE_OK)
		result = curl_lib.easy_perform(transfer.handle);
	return check_url_end(&transfer, result, message, message_size);
}

static const char check_url_usage[] =
	"Usage: promise-run check-url URL [OPTION]...\n"
	"Works (exit 0, silent) when one request to URL, redirects followed,\n"
	"answers an expected HTTP status.\n"
	"\n"
	"      --expect=CODE        a status that works, or a class such as 2xx\n"
	"                           (repeatable; default 200)\n"
	"      --timeout=SECONDS    for the whole request (default 20)\n"
	"      --accept-unauthorized  401 works too\n"
	"      --no-follow-redirects  a redirect is the answer\n"
	"      --contains=TEXT      the body must contain TEXT\n"
	"      --certificate-days=DAYS  the server's certificate must have DAYS\n"
	"                           left at least\n"
	"      --cacert=FILE        CA certificates to verify the server with\n"
	"      --cert=FILE          client certificate\n"
	"      --key=FILE           client certificate's key\n"
	"      --insecure           do not verify the server's certificate\n"
	"\n"
	"Exit status: 0 works, 1 server not reachable, 2 unexpected status,\n"
	"content or certificate, 3 usage error.\n";

enum {
	CHECK_EXPECT = 256,
	CHECK_TIMEOUT,
	CHECK_ACCEPT_UNAUTHORIZED,
	CHECK_CONTAINS,
	CHECK_NO_FOLLOW,
	CHECK_CERTIFICATE_DAYS,
	CHECK_HELP,
};

static const struct option check_url_options_table[] = {
	{ "expect",              required_argument, NULL, CHECK_EXPECT },
	{ "timeout",             required_argument, NULL, CHECK_TIMEOUT },
	{ "accept-unauthorized", no_argument,       NULL, CHECK_ACCEPT_UNAUTHORIZED },
	{ "contains",            required_argument, NULL, CHECK_CONTAINS },
	{ "no-follow-redirects", no_argument,       NULL, CHECK_NO_FOLLOW },
	{ "certificate-days",    required_argument, NULL, CHECK_CERTIFICATE_DAYS },
	{ "cacert",              required_argument, NULL, CHECK_OPTION_CACERT },
	{ "cert",                required_argument, NULL, CHECK_OPTION_CERT },
	{ "key",                 required_argument, NULL, CHECK_OPTION_KEY },
	{ "insecure",            no_argument,       NULL, CHECK_OPTION_INSECURE },
	{ "help",                no_argument,       NULL, CHECK_HELP },
	{ NULL, 0, NULL, 0 },
};

int check_url_parse(int argc, char **argv, struct check_url_options *options,
                    bool *help, char *error, size_t error_size)
{
	int option;

	*options = (struct check_url_options){
		.timeout = CHECK_URL_DEFAULT_TIMEOUT,
	};
	*help = false;
	optind = 0;
	opterr = 0;
	while ((option = getopt_long(argc, argv, ":", check_url_options_table,
				     NULL)) != -1) {
		switch (option) {
		case CHECK_EXPECT: {
			long code;

			if (checks_parse_status(optarg, &code) < 0)
				return option_fail(error, error_size,
					    "option '--expect' expects an HTTP status from 100 to 599 or a class from 1xx to 5xx, not '%s'",
					    optarg);
			if (options->expected_count == CHECK_MAX_EXPECTED)
				return option_fail(error, error_size,
					    "option '--expect' is given more than %d times",
					    CHECK_MAX_EXPECTED);
			options->expected[options->expected_count++] = code;
			break;
		}
		case CHECK_TIMEOUT:
			if (checks_parse_timeout(optarg, &options->timeout, error,
						 error_size) < 0)
				return -1;
			break;
		case CHECK_ACCEPT_UNAUTHORIZED:
			options->accept_unauthorized = true;
			break;
		case CHECK_CONTAINS:
			options->contains = optarg;
			break;
		case CHECK_NO_FOLLOW:
			options->no_follow_redirects = true;
			break;
		case CHECK_CERTIFICATE_DAYS:
			if (checks_parse_days(optarg,
					      &options->certificate_days) < 0)
				return option_fail(error, error_size,
					    "option '--certificate-days' expects a number of days from 0 to %d, not '%s'",
					    CHECK_MAX_CERTIFICATE_DAYS, optarg);
			options->certificate = true;
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
	if (argc - optind != 1)
		return option_fail(error, error_size, argc == optind
				    ? "no URL given"
				    : "one URL expected, not %d words",
			    argc - optind);
	options->url = argv[optind];
	if (!*options->url)
		return option_fail(error, error_size, "no URL given");
	if (options->certificate && strncasecmp(options->url, "https://", 8))
		return option_fail(error, error_size,
			    "option '--certificate-days' needs an https URL, not '%s'",
			    options->url);
	return 0;
}

int check_url_main(int argc, char **argv)
{
	struct check_url_options options;
	char message[2048];
	bool help;

	if (check_url_parse(argc, argv, &options, &help, message,
			    sizeof message) < 0)
		return checks_say(argv[0], CHECK_USAGE, message);
	if (help)
		return checks_help(check_url_usage);
	return checks_say(argv[0], check_url(&options, message, sizeof message),
			  message);
}
