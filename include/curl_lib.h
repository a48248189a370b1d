/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * curl_lib: libcurl, loaded with dlopen by the checks that need it.
 * Linked in, its thirty libraries would cost every run of promise-run
 * some 6 ms to load, for checks most runs never use (systemd loads its
 * optional libraries the same way).  The types still come from
 * <curl/curl.h>.  Load once, then call through `curl_lib`.
 */
#ifndef PROMISE_RUN_CURL_LIB_H
#define PROMISE_RUN_CURL_LIB_H

#include <curl/curl.h>
#include <stdbool.h>

struct check_tls;

struct curl_lib {
	__typeof__(curl_global_init) *global_init;
	__typeof__(curl_global_cleanup) *global_cleanup;
	__typeof__(curl_easy_init) *easy_init;
	__typeof__(curl_easy_setopt) *easy_setopt;
	__typeof__(curl_easy_perform) *easy_perform;
	__typeof__(curl_easy_getinfo) *easy_getinfo;
	__typeof__(curl_easy_strerror) *easy_strerror;
	__typeof__(curl_easy_cleanup) *easy_cleanup;
	/* For many transfers in one event loop (see inline_checks). */
	__typeof__(curl_multi_init) *multi_init;
	__typeof__(curl_multi_setopt) *multi_setopt;
	__typeof__(curl_multi_add_handle) *multi_add_handle;
	__typeof__(curl_multi_remove_handle) *multi_remove_handle;
	__typeof__(curl_multi_socket_action) *multi_socket_action;
	__typeof__(curl_multi_info_read) *multi_info_read;
	__typeof__(curl_multi_cleanup) *multi_cleanup;
};

/* The functions, once curl_lib_load has succeeded. */
extern struct curl_lib curl_lib;

/* Loads libcurl (once); NULL, or why it cannot be loaded. */
const char *curl_lib_load(void);

/*
 * The options every check's handle has: the URL, an error buffer, a
 * timeout for the whole transfer, no signals, http and https only, and
 * TLS as `tls` says.
 */
CURLcode curl_lib_configure(CURL *handle, const char *url, char *curl_error,
                            double timeout, const struct check_tls *tls);

/*
 * The end of the server certificate's validity as libcurl wrote it
 * (CURLOPT_CERTINFO, "Expire date"), or NULL when the transfer had none.
 */
const char *curl_lib_expire_date(CURL *handle);

#endif
