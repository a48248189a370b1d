/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * fuzz_declared: declared_parse on any bytes, as a declared check's file.
 *
 * Checks: no crash, no leak (declared_release frees all, LeakSanitizer
 * tells); an error is one line "fuzz.check:LINE: ..." or "fuzz.check:
 * ..." and leaves nothing to release; a success declares one known
 * check whose strings hold no line break, with values in their ranges;
 * and inserting a comment line after the first line changes nothing: the
 * same check, field by field, or the same error on a line one further
 * (one on line 1, or of the whole file, stays).
 */
#include <math.h>
#include <string.h>

#include "declared.h"
#include "fuzz_common.h"

#define NAME "fuzz.check"

static const char *const comments[] = {
	"# a comment\n", ";\n", "\n", "   \t# indented url = x\n", "\r\n",
};

/* "fuzz.check:LINE: rest": LINE; "fuzz.check: rest": 0; else -1. */
static long line_of(const char *message, const char **rest)
{
	const char *at = message;
	char *end;
	long line;

	if (strncmp(at, NAME ":", sizeof NAME) != 0)
		return -1;
	at += sizeof NAME;
	if (*at == ' ') {
		*rest = at + 1;
		return 0;
	}
	line = strtol(at, &end, 10);
	if (end == at || line < 1 || strncmp(end, ": ", 2) != 0)
		return -1;
	*rest = end + 2;
	return line;
}

static void clean_string(const char *text, const char *what)
{
	if (!text)
		return;
	FUZZ_CHECK(!strchr(text, '\n') && !strchr(text, '\r'),
		   "%s holds a line break", what);
}

static void check_one(int status, const struct declared_check *check,
                      const char *error)
{
	const char *rest;

	if (status < 0) {
		FUZZ_CHECK(status == -1, "status %d", status);
		FUZZ_CHECK(line_of(error, &rest) >= 0, "error \"%s\"", error);
		FUZZ_CHECK(!strchr(error, '\n'), "error of several lines");
		FUZZ_CHECK(!check->storage, "not released on error");
		return;
	}
	FUZZ_CHECK(status == 0, "status %d", status);
	FUZZ_CHECK(check->storage && check->interpreter && *check->interpreter,
		   "no interpreter");
	clean_string(check->interpreter, "interpreter");
	switch (check->kind) {
	case DECLARED_URL: {
		const struct check_url_options *url = &check->options.url;

		FUZZ_CHECK(url->url && (!strncasecmp(url->url, "http://", 7) ||
					!strncasecmp(url->url, "https://", 8)),
			   "url");
		FUZZ_CHECK(url->expected_count >= 1 &&
			   url->expected_count <= CHECK_MAX_EXPECTED, "statuses");
		for (size_t i = 0; i < url->expected_count; i++)
			FUZZ_CHECK((url->expected[i] >= 1 && url->expected[i] <= 5) ||
				   (url->expected[i] >= 100 && url->expected[i] <= 599),
				   "status %ld", url->expected[i]);
		FUZZ_CHECK(url->timeout > 0 && isfinite(url->timeout), "timeout");
		FUZZ_CHECK(!url->certificate ||
			   (url->certificate_days >= 0 &&
			    url->certificate_days <= CHECK_MAX_CERTIFICATE_DAYS),
			   "days");
		clean_string(url->url, "url");
		clean_string(url->contains, "body");
		clean_string(url->tls.cacert, "ca");
		FUZZ_CHECK(!url->tls.key || url->tls.cert, "a key without a certificate");
		break;
	}
	case DECLARED_PORT:
		FUZZ_CHECK(checks_valid_port(check->options.port.port), "port");
		FUZZ_CHECK(*check->options.port.host, "host");
		FUZZ_CHECK(check->options.port.timeout > 0, "timeout");
		clean_string(check->options.port.host, "host");
		break;
	case DECLARED_CERT:
		FUZZ_CHECK(checks_valid_port(check->options.cert.port), "port");
		FUZZ_CHECK(!check->options.cert.url, "url");
		FUZZ_CHECK(check->options.cert.days >= 0 &&
			   check->options.cert.days <= CHECK_MAX_CERTIFICATE_DAYS,
			   "days");
		break;
	case DECLARED_FILE:
		FUZZ_CHECK(check->options.file.path &&
			   check->options.file.path[0] == '/', "path");
		FUZZ_CHECK(check->options.file.max_age >= 0 &&
			   check->options.file.max_age <= CHECK_MAX_AGE_SECONDS,
			   "max-age");
		clean_string(check->options.file.path, "path");
		break;
	default:
		FUZZ_CHECK(0, "kind %d", (int)check->kind);
	}
}

static bool same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void same_check(const struct declared_check *a,
                       const struct declared_check *b)
{
	FUZZ_CHECK(a->kind == b->kind, "kind");
	FUZZ_CHECK(same_text(a->interpreter, b->interpreter), "interpreter");
	switch (a->kind) {
	case DECLARED_URL: {
		const struct check_url_options *x = &a->options.url;
		const struct check_url_options *y = &b->options.url;

		FUZZ_CHECK(same_text(x->url, y->url) &&
			   same_text(x->contains, y->contains) &&
			   same_text(x->tls.cacert, y->tls.cacert) &&
			   same_text(x->tls.cert, y->tls.cert) &&
			   same_text(x->tls.key, y->tls.key) &&
			   x->expected_count == y->expected_count &&
			   !memcmp(x->expected, y->expected,
				   x->expected_count * sizeof *x->expected) &&
			   x->timeout == y->timeout &&
			   x->no_follow_redirects == y->no_follow_redirects &&
			   x->tls.insecure == y->tls.insecure &&
			   x->certificate == y->certificate &&
			   x->certificate_days == y->certificate_days,
			   "url checks differ");
		break;
	}
	case DECLARED_PORT:
		FUZZ_CHECK(same_text(a->options.port.host, b->options.port.host) &&
			   same_text(a->options.port.port, b->options.port.port) &&
			   a->options.port.timeout == b->options.port.timeout,
			   "port checks differ");
		break;
	case DECLARED_CERT:
		FUZZ_CHECK(same_text(a->options.cert.host, b->options.cert.host) &&
			   same_text(a->options.cert.port, b->options.cert.port) &&
			   same_text(a->options.cert.tls.cacert, b->options.cert.tls.cacert) &&
			   a->options.cert.days == b->options.cert.days &&
			   a->options.cert.tls.insecure == b->options.cert.tls.insecure &&
			   a->options.cert.timeout == b->options.cert.timeout,
			   "certificate checks differ");
		break;
	case DECLARED_FILE:
		FUZZ_CHECK(same_text(a->options.file.path, b->options.file.path) &&
			   a->options.file.max_age == b->options.file.max_age,
			   "file checks differ");
		break;
	}
}

static void same_error(const char *plain, const char *commented)
{
	const char *plain_rest, *commented_rest;
	long plain_line = line_of(plain, &plain_rest);
	long commented_line = line_of(commented, &commented_rest);
	long expected = plain_line <= 1 ? plain_line : plain_line + 1;

	FUZZ_CHECK(commented_line == expected,
		   "error line %ld, then %ld with a comment: \"%s\" / \"%s\"",
		   plain_line, commented_line, plain, commented);
	/* "given twice (first on line N)" and "(line N)" move too. */
	if (!strstr(plain_rest, "line "))
		FUZZ_CHECK(strcmp(plain_rest, commented_rest) == 0,
			   "errors differ: \"%s\" / \"%s\"", plain, commented);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct declared_check plain, commented;
	char plain_error[1024], commented_error[1024];
	const char *comment = comments[size % (sizeof comments / sizeof *comments)];
	size_t comment_size = strlen(comment), head;
	const uint8_t *newline;
	char *text, *with_comment;
	int plain_status, commented_status;

	if (size > DECLARED_MAX_SIZE + 1)
		return 0;
	text = fuzz_copy(data, size);
	plain_status = declared_parse(text, size, NAME, &plain, plain_error,
				      sizeof plain_error);
	free(text);
	check_one(plain_status, &plain, plain_error);
	newline = memchr(data, '\n', size);
	if (!newline || size + comment_size > DECLARED_MAX_SIZE) {
		declared_release(&plain);
		return 0;
	}
	head = (size_t)(newline - data) + 1;
	with_comment = malloc(size + comment_size);
	FUZZ_CHECK(with_comment, "out of memory");
	memcpy(with_comment, data, head);
	memcpy(with_comment + head, comment, comment_size);
	memcpy(with_comment + head + comment_size, data + head, size - head);
	commented_status = declared_parse(with_comment, size + comment_size,
					  NAME, &commented, commented_error,
					  sizeof commented_error);
	free(with_comment);
	check_one(commented_status, &commented, commented_error);
	FUZZ_CHECK(plain_status == commented_status,
		   "status %d, then %d with a comment (%s)", plain_status,
		   commented_status,
		   plain_status ? plain_error : commented_error);
	if (plain_status < 0)
		same_error(plain_error, commented_error);
	else
		same_check(&plain, &commented);
	declared_release(&plain);
	declared_release(&commented);
	return 0;
}
