/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * check_transfer: a URL check or a certificate check as one libcurl
 * transfer, in two halves around whoever runs it: check_*_begin prepares
 * an easy handle, the caller performs it (curl_easy_perform for the
 * commands, a multi handle in promise-run's event loop), check_*_end
 * judges what came and frees the handle.  So both ways of running a check
 * give the same verdict and the same words.
 *
 * Lifecycle: check_url_begin (or check_cert_begin); when it returns
 * CHECK_WORKS, the transfer of `transfer->handle` (unless `setup` is
 * not CURLE_OK: that is then its result), then check_url_end
 * (check_cert_end) with its CURLcode, always.
 */
#ifndef PROMISE_RUN_CHECK_TRANSFER_H
#define PROMISE_RUN_CHECK_TRANSFER_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>

#include "checks.h"

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

struct check_transfer {
	CURL *handle;
	const struct check_url_options *url;    /* a URL check, or */
	const struct check_cert_options *cert;  /* a certificate check */
	struct body_search search;
	CURLcode setup;                         /* not CURLE_OK: no transfer */
	char curl_error[CURL_ERROR_SIZE];
	char target[1024];                      /* the URL handshaken with */
	char what[1024];                        /* the URL, or "HOST on PORT" */
};

/*
 * Loads libcurl and prepares the transfer: CHECK_WORKS, or the status and
 * message of a check that cannot even start (nothing to release then).
 */
enum check_status check_url_begin(struct check_transfer *transfer,
                                  const struct check_url_options *options,
                                  char *message, size_t message_size);
enum check_status check_cert_begin(struct check_transfer *transfer,
                                   const struct check_cert_options *options,
                                   char *message, size_t message_size);

/* Judges the finished transfer (`result`) and frees it. */
enum check_status check_url_end(struct check_transfer *transfer,
                                CURLcode result, char *message,
                                size_t message_size);
enum check_status check_cert_end(struct check_transfer *transfer,
                                 CURLcode result, char *message,
                                 size_t message_size);

#endif
