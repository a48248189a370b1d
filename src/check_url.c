/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* check_url: is a URL available?  One request through libcurl. */
#include <curl/curl.h>
#include <dlfcn.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "option_error.h"

/*
 * libcurl is loaded with dlopen, only by check-url: linked in, its thirty
 * libraries would cost every run of promise-run some 6 ms to load, for a
 * command most runs never use (systemd loads its optional libraries the
 * same way).  The types still come from <curl/curl.h>.
 */
#define CURL_LIBRARY "libcurl.so.4"     /* the ABI of libcurl since 2006 */

static struct {
	__typeof__(curl_global_init) *global_init;
	__typeof__(curl_global_cleanup) *global_cleanup;
	__typeof__(curl_easy_init) *easy_init;
	__typeof__(curl_easy_setopt) *easy_setopt;
	__typeof__(curl_easy_perform) *easy_perform;
	__typeof__(curl_easy_getinfo) *easy_getinfo;
	__typeof__(curl_easy_strerror) *easy_strerror;
	__typeof__(curl_easy_cleanup) *easy_cleanup;
} curl;

/* Loads libcurl; NULL, or why it cannot be loaded. */
static const char *load_curl(void)
{
	void *library = dlopen(CURL_LIBRARY, RTLD_LAZY | RTLD_LOCAL);

	if (!library)
		return dlerror();
	/* POSIX lets a data pointer from dlsym become a function pointer. */
#define LOAD(field, symbol) \
	if (!(*(void **)&curl.field = dlsym(library, symbol))) \
		return dlerror()
	LOAD(global_init, "curl_global_init");
	LOAD(global_cleanup, "curl_global_cleanup");
	LOAD(easy_init, "curl_easy_init");
	LOAD(easy_setopt, "curl_easy_setopt");
	LOAD(easy_perform, "curl_easy_perform");
	LOAD(easy_getinfo, "curl_easy_getinfo");
	LOAD(easy_strerror, "curl_easy_strerror");
	LOAD(easy_cleanup, "curl_easy_cleanup");
#undef LOAD
	/* Never closed: the process ends soon after the one request. */
	return NULL;
}

/*
 * Looks for the --contains text in the body as it streams by, keeping only
 * the last bytes that could start a match: the body is never stored.
 */
struct body_search {
	const char *needle;
	size_t needle_length;
	char *window;           /* the tail of the body seen so far */
	size_t window_length;
	bool found;
};

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
		if (options->expected[i] == code)
			return true;
	return false;
}

/* "200" or "200, 204": the statuses the URL should have answered. */
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
		used += (size_t)snprintf(text + used, size - used, "%s%ld",
					 i ? ", " : "", options->expected[i]);
}

/* Seconds to whole milliseconds, rounded up (without libm). */
static long milliseconds_up(double seconds)
{
	double milliseconds = seconds * 1000;
	long whole = (long)milliseconds;

	return whole < milliseconds ? whole + 1 : whole;
}

/* Applies every option to the handle; a CURLcode other than CURLE_OK. */
static CURLcode configure(CURL *handle, const struct check_url_options *options,
                          struct body_search *search, char *curl_error)
{
	CURLcode code = CURLE_OK;

#define SET(option, value) \
	if (code == CURLE_OK) \
		code = curl.easy_setopt(handle, option, value)
	SET(CURLOPT_URL, options->url);
	SET(CURLOPT_ERRORBUFFER, curl_error);
	/* No SIGALRM for DNS timeouts: promise-run's signals stay its own. */
	SET(CURLOPT_NOSIGNAL, 1L);
	/* Rounded up: 0 would mean no timeout at all to libcurl. */
	SET(CURLOPT_TIMEOUT_MS, milliseconds_up(options->timeout));
	SET(CURLOPT_FOLLOWLOCATION, 1L);
	SET(CURLOPT_MAXREDIRS, 10L);
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_USERAGENT, "promise-run check-url");
	SET(CURLOPT_WRITEFUNCTION, search_body);
	SET(CURLOPT_WRITEDATA, search);
	if (options->insecure) {
		SET(CURLOPT_SSL_VERIFYPEER, 0L);
		SET(CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (options->cacert)
		SET(CURLOPT_CAINFO, options->cacert);
	if (options->cert)
		SET(CURLOPT_SSLCERT, options->cert);
	if (options->key)
		SET(CURLOPT_SSLKEY, options->key);
#undef SET
	/*
	 * At the timeout, the cleanup does not wait for a name lookup that
	 * still runs (libcurl 7.87 and later; an older one refuses the
	 * option, and then waits).
	 */
	if (code == CURLE_OK)
		(void)curl.easy_setopt(handle, CURLOPT_QUICK_EXIT, 1L);
	return code;
}

enum check_status check_url(const struct check_url_options *options,
                            char *message, size_t message_size)
{
	char curl_error[CURL_ERROR_SIZE] = "";
	struct body_search search = { .needle = options->contains };
	enum check_status status = CHECK_WORKS;
	const char *load_error = load_curl();
	char wanted[128];
	long code = 0, redirects = 0;
	CURLcode result;
	CURL *handle;

	message[0] = '\0';
	if (load_error) {
		snprintf(message, message_size, "cannot load libcurl: %s",
			 load_error);
		return CHECK_UNREACHABLE;
	}
	if (search.needle && !*search.needle)
		search.needle = NULL;   /* every body contains "" */
	if (search.needle) {
		search.needle_length = strlen(search.needle);
		search.window = malloc(2 * search.needle_length + 1);
		if (!search.window) {
			snprintf(message, message_size, "out of memory");
			return CHECK_UNREACHABLE;
		}
	}
	if (curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    !(handle = curl.easy_init())) {
		snprintf(message, message_size, "cannot start libcurl");
		free(search.window);
		return CHECK_UNREACHABLE;
	}
	result = configure(handle, options, &search, curl_error);
	if (result == CURLE_OK)
		result = curl.easy_perform(handle);
	/* A redirect to another scheme is the server's doing, not a usage error. */
	(void)curl.easy_getinfo(handle, CURLINFO_REDIRECT_COUNT, &redirects);
	if ((result == CURLE_URL_MALFORMAT ||
	     result == CURLE_UNSUPPORTED_PROTOCOL) && redirects == 0) {
		snprintf(message, message_size, "%s is not a valid URL: %s",
			 options->url, *curl_error ? curl_error
						   : curl.easy_strerror(result));
		status = CHECK_USAGE;
	} else if (result != CURLE_OK) {
		snprintf(message, message_size,
			 "%s is not available (server not reachable). %s",
			 options->url, *curl_error ? curl_error
					       : curl.easy_strerror(result));
		status = CHECK_UNREACHABLE;
	} else if (curl.easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &code),
		   !expected(options, code)) {
		list_expected(options, wanted, sizeof wanted);
		snprintf(message, message_size,
			 "%s is not available (returned %ld, expected %s).",
			 options->url, code, wanted);
		status = CHECK_UNEXPECTED;
	} else if (search.needle && !search.found) {
		snprintf(message, message_size,
			 "%s is not available (returned %ld, but its content does not contain '%s').",
			 options->url, code, search.needle);
		status = CHECK_UNEXPECTED;
	}
	curl.easy_cleanup(handle);
	curl.global_cleanup();
	free(search.window);
	return status;
}

static const char check_url_usage[] =
	"Usage: promise-run check-url URL [OPTION]...\n"
	"Works (exit 0, silent) when one request to URL, redirects followed,\n"
	"answers an expected HTTP status.\n"
	"\n"
	"      --expect=CODE        a status that works (repeatable; default 200)\n"
	"      --timeout=SECONDS    for the whole request (default 20)\n"
	"      --accept-unauthorized  401 works too\n"
	"      --contains=TEXT      the body must contain TEXT\n"
	"      --cacert=FILE        CA certificates to verify the server with\n"
	"      --cert=FILE          client certificate\n"
	"      --key=FILE           client certificate's key\n"
	"      --insecure           do not verify the server's certificate\n"
	"\n"
	"Exit status: 0 works, 1 server not reachable, 2 unexpected status or\n"
	"content, 3 usage error.\n";

enum {
	CHECK_EXPECT = 256,
	CHECK_TIMEOUT,
	CHECK_ACCEPT_UNAUTHORIZED,
	CHECK_CONTAINS,
	CHECK_CACERT,
	CHECK_CERT,
	CHECK_KEY,
	CHECK_INSECURE,
	CHECK_HELP,
};

static const struct option check_url_options_table[] = {
	{ "expect",              required_argument, NULL, CHECK_EXPECT },
	{ "timeout",             required_argument, NULL, CHECK_TIMEOUT },
	{ "accept-unauthorized", no_argument,       NULL, CHECK_ACCEPT_UNAUTHORIZED },
	{ "contains",            required_argument, NULL, CHECK_CONTAINS },
	{ "cacert",              required_argument, NULL, CHECK_CACERT },
	{ "cert",                required_argument, NULL, CHECK_CERT },
	{ "key",                 required_argument, NULL, CHECK_KEY },
	{ "insecure",            no_argument,       NULL, CHECK_INSECURE },
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
			char *end;
			long code = strtol(optarg, &end, 10);

			if (*end || end == optarg || code < 100 || code > 599)
				return option_fail(error, error_size,
					    "option '--expect' expects an HTTP status from 100 to 599, not '%s'",
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
		case CHECK_CACERT:
			options->cacert = optarg;
			break;
		case CHECK_CERT:
			options->cert = optarg;
			break;
		case CHECK_KEY:
			options->key = optarg;
			break;
		case CHECK_INSECURE:
			options->insecure = true;
			break;
		case CHECK_HELP:
			*help = true;
			return 0;
		default:
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
