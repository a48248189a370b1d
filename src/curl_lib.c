/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* curl_lib: libcurl through dlopen, for the checks that need it. */
#include "curl_lib.h"

#include <dlfcn.h>
#include <string.h>

#include "checks.h"

#define CURL_LIBRARY "libcurl.so.4"     /* the ABI of libcurl since 2006 */

struct curl_lib curl_lib;

const char *curl_lib_load(void)
{
	static bool loaded;
	void *library;

	if (loaded)
		return NULL;
	library = dlopen(CURL_LIBRARY, RTLD_LAZY | RTLD_LOCAL);
	if (!library)
		return dlerror();
	/* POSIX lets a data pointer from dlsym become a function pointer. */
#define LOAD(field, symbol) \
	if (!(*(void **)&curl_lib.field = dlsym(library, symbol))) \
		return dlerror()
	LOAD(global_init, "curl_global_init");
	LOAD(global_cleanup, "curl_global_cleanup");
	LOAD(easy_init, "curl_easy_init");
	LOAD(easy_setopt, "curl_easy_setopt");
	LOAD(easy_perform, "curl_easy_perform");
	LOAD(easy_getinfo, "curl_easy_getinfo");
	LOAD(easy_strerror, "curl_easy_strerror");
	LOAD(easy_cleanup, "curl_easy_cleanup");
	LOAD(multi_init, "curl_multi_init");
	LOAD(multi_setopt, "curl_multi_setopt");
	LOAD(multi_add_handle, "curl_multi_add_handle");
	LOAD(multi_remove_handle, "curl_multi_remove_handle");
	LOAD(multi_socket_action, "curl_multi_socket_action");
	LOAD(multi_info_read, "curl_multi_info_read");
	LOAD(multi_cleanup, "curl_multi_cleanup");
#undef LOAD
	/* Never closed: a check's process ends soon after its request. */
	loaded = true;
	return NULL;
}

/* Seconds to whole milliseconds, rounded up (without libm). */
static long milliseconds_up(double seconds)
{
	double milliseconds = seconds * 1000;
	long whole = (long)milliseconds;

	return whole < milliseconds ? whole + 1 : whole;
}

CURLcode curl_lib_configure(CURL *handle, const char *url, char *curl_error,
                            double timeout, const struct check_tls *tls)
{
	CURLcode code = CURLE_OK;

#define SET(option, value) \
	if (code == CURLE_OK) \
		code = curl_lib.easy_setopt(handle, option, value)
	SET(CURLOPT_URL, url);
	SET(CURLOPT_ERRORBUFFER, curl_error);
	/* No SIGALRM for DNS timeouts: promise-run's signals stay its own. */
	SET(CURLOPT_NOSIGNAL, 1L);
	/*
	 * A connection of its own each time: inside promise-run one multi
	 * handle serves every check, and a reused connection has no
	 * handshake, so no certificate to judge.
	 */
	SET(CURLOPT_FRESH_CONNECT, 1L);
	SET(CURLOPT_FORBID_REUSE, 1L);
	/* Rounded up: 0 would mean no timeout at all to libcurl. */
	SET(CURLOPT_TIMEOUT_MS, milliseconds_up(timeout));
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_USERAGENT, "promise-run");
	if (tls->insecure) {
		SET(CURLOPT_SSL_VERIFYPEER, 0L);
		SET(CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (tls->cacert)
		SET(CURLOPT_CAINFO, tls->cacert);
	if (tls->cert)
		SET(CURLOPT_SSLCERT, tls->cert);
	if (tls->key)
		SET(CURLOPT_SSLKEY, tls->key);
#undef SET
	/*
	 * At the timeout, the cleanup does not wait for a name lookup that
	 * still runs (libcurl 7.87 and later; an older one refuses the
	 * option, and then waits).
	 */
	if (code == CURLE_OK)
		(void)curl_lib.easy_setopt(handle, CURLOPT_QUICK_EXIT, 1L);
	return code;
}

const char *curl_lib_expire_date(CURL *handle)
{
	static const char field[] = "Expire date:";
	struct curl_certinfo *info = NULL;

	if (curl_lib.easy_getinfo(handle, CURLINFO_CERTINFO, &info) !=
	    CURLE_OK || !info || info->num_of_certs < 1)
		return NULL;
	/* The first certificate of the chain is the server's own. */
	for (struct curl_slist *item = info->certinfo[0]; item;
	     item = item->next)
		if (strncmp(item->data, field, sizeof field - 1) == 0)
			return item->data + sizeof field - 1;
	return NULL;
}
