/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* declared: a declared check's file to a check's options, or file:line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "declared.h"
#include "suites.h"

#define PATH "etc/promise/web"

static struct declared_check check;
static char error[512];

/* Parses `text`; the status, with `check` and `error` set. */
static int parse(const char *text)
{
	error[0] = '\0';
	return declared_parse(text, strlen(text), PATH, &check, error,
			      sizeof error);
}

/* Fails unless `text` is refused with exactly `expected`. */
static void refused(const char *text, const char *expected)
{
	ck_assert_msg(parse(text) == -1, "accepted: %s", text);
	ck_assert_str_eq(error, expected);
	ck_assert_ptr_null(check.storage);
}

START_TEST(test_declared_url_check_with_every_key)
{
	const struct check_url_options *url = &check.options.url;

	ck_assert_int_eq(parse("#!/usr/bin/promise-run check\n"
			       "# written by the recipe\n"
			       "; another comment\n"
			       "\n"
			       "  url = https://[::1]:8443/a#b;c \n"
			       "status = 200   204\t3xx\n"
			       "body = it works; really # not a comment\n"
			       "follow-redirects = no\n"
			       "timeout = 2.5\n"
			       "certificate-days = 15\n"
			       "ca = /srv/ca.crt\n"
			       "client-certificate = /srv/client.crt\n"
			       "client-key = /srv/client.key\n"
			       "insecure = No\n"), 0);
	ck_assert_int_eq(check.kind, DECLARED_URL);
	ck_assert_str_eq(check.interpreter, "/usr/bin/promise-run");
	ck_assert_str_eq(url->url, "https://[::1]:8443/a#b;c");
	ck_assert_uint_eq(url->expected_count, 3);
	ck_assert_int_eq(url->expected[0], 200);
	ck_assert_int_eq(url->expected[1], 204);
	ck_assert_int_eq(url->expected[2], 3);
	ck_assert_str_eq(url->contains, "it works; really # not a comment");
	ck_assert(url->no_follow_redirects);
	ck_assert(url->timeout == 2.5);
	ck_assert(url->certificate);
	ck_assert_int_eq(url->certificate_days, 15);
	ck_assert_str_eq(url->tls.cacert, "/srv/ca.crt");
	ck_assert_str_eq(url->tls.cert, "/srv/client.crt");
	ck_assert_str_eq(url->tls.key, "/srv/client.key");
	ck_assert(!url->tls.insecure);
	ck_assert(!url->accept_unauthorized);
	declared_release(&check);
}
END_TEST

START_TEST(test_declared_url_defaults_any_2xx_redirects_followed)
{
	const struct check_url_options *url = &check.options.url;

	ck_assert_int_eq(parse("#!build/promise-run check\n"
			       "url=http://127.0.0.1/\r\n"), 0);
	ck_assert_int_eq(check.kind, DECLARED_URL);
	ck_assert_str_eq(check.interpreter, "build/promise-run");
	ck_assert_str_eq(url->url, "http://127.0.0.1/");
	ck_assert_uint_eq(url->expected_count, 1);
	ck_assert_int_eq(url->expected[0], 2);
	ck_assert(!url->no_follow_redirects);
	ck_assert(url->timeout == CHECK_URL_DEFAULT_TIMEOUT);
	ck_assert(!url->certificate);
	ck_assert_ptr_null(url->contains);
	ck_assert_ptr_null(url->tls.cacert);
	declared_release(&check);
}
END_TEST

START_TEST(test_declared_port_and_certificate_checks)
{
	ck_assert_int_eq(parse("#!  /usr/bin/promise-run \t check  \n"
			       "port = 5432\nhost = 2001:db8::12\n"), 0);
	ck_assert_int_eq(check.kind, DECLARED_PORT);
	ck_assert_str_eq(check.options.port.host, "2001:db8::12");
	ck_assert_str_eq(check.options.port.port, "5432");
	ck_assert(check.options.port.timeout == CHECK_PORT_DEFAULT_TIMEOUT);
	declared_release(&check);

	ck_assert_int_eq(parse("#!/p check\nhost = localhost\nport = 443\n"
			       "certificate-days = 0\ninsecure = yes\n"
			       "timeout = 3\n"), 0);
	ck_assert_int_eq(check.kind, DECLARED_CERT);
	ck_assert_str_eq(check.options.cert.host, "localhost");
	ck_assert_str_eq(check.options.cert.port, "443");
	ck_assert_ptr_null(check.options.cert.url);
	ck_assert_int_eq(check.options.cert.days, 0);
	ck_assert(check.options.cert.tls.insecure);
	ck_assert(check.options.cert.timeout == 3);
	declared_release(&check);
}
END_TEST

START_TEST(test_declared_file_check_ages_take_units)
{
	static const struct { const char *age; double seconds; } ages[] = {
		{ "90", 90 }, { "1.5m", 90 }, { "26h", 93600 }, { "7d", 604800 },
		{ "30s", 30 },
	};
	char text[128];

	ck_assert_int_eq(parse("#!/p check\nfile = /srv/backup.tar\n"), 0);
	ck_assert_int_eq(check.kind, DECLARED_FILE);
	ck_assert_str_eq(check.options.file.path, "/srv/backup.tar");
	ck_assert(check.options.file.max_age == 0);
	declared_release(&check);
	for (size_t i = 0; i < sizeof ages / sizeof *ages; i++) {
		snprintf(text, sizeof text, "#!/p check\nfile = /f\nmax-age = %s\n",
			 ages[i].age);
		ck_assert_int_eq(parse(text), 0);
		ck_assert_msg(check.options.file.max_age == ages[i].seconds,
			      "%s gave %g", ages[i].age,
			      check.options.file.max_age);
		declared_release(&check);
	}
}
END_TEST

START_TEST(test_declared_first_line_is_the_kernels)
{
	refused("", PATH ": empty: expected '#!PATH check' as the first line");
	refused("url = http://x/\n",
		PATH ":1: expected '#!PATH check' as the first line");
	refused("#!/usr/bin/promise-run\nurl = http://x/\n",
		PATH ":1: expected '#!PATH check' as the first line");
	refused("#!/usr/bin/promise-run check-url\nurl = http://x/\n",
		PATH ":1: expected '#!PATH check' as the first line");
	refused("#!/usr/bin/promise-run check x\nurl = http://x/\n",
		PATH ":1: expected '#!PATH check' as the first line");
	refused("#! check\nurl = http://x/\n",
		PATH ":1: expected '#!PATH check' as the first line");
	refused("#!/usr/bin/promise-run check\r\nurl = http://x/\n",
		PATH ":1: a carriage return on the first line, which the kernel would pass to the interpreter");
}
END_TEST

START_TEST(test_declared_first_line_longer_than_the_kernel_reads)
{
	char text[512];

	snprintf(text, sizeof text, "#!/%0*d check\nfile = /f\n", 246, 0);
	ck_assert_int_eq(parse(text), 0);  /* 255 characters */
	declared_release(&check);
	snprintf(text, sizeof text, "#!/%0*d check\nfile = /f\n", 247, 0);
	refused(text, PATH ":1: first line longer than 255 characters, which the kernel cuts");
}
END_TEST

START_TEST(test_declared_unknown_keys_and_bad_lines_name_the_line)
{
	refused("#!/p check\nurl = http://x/\n\nbogus = 1\n",
		PATH ":4: unknown key 'bogus' (expected url, status, body, follow-redirects, host, port, file, max-age, timeout, certificate-days, ca, client-certificate, client-key or insecure)");
	refused("#!/p check\n# fine\nurl http://x/\n",
		PATH ":3: expected 'key = value'");
	refused("#!/p check\n = http://x/\n", PATH ":2: expected 'key = value'");
	refused("#!/p check\nurl =\n", PATH ":2: no value for 'url'");
	refused("#!/p check\nurl = http://x/\nURL = http://y/\n",
		PATH ":3: unknown key 'URL' (expected url, status, body, follow-redirects, host, port, file, max-age, timeout, certificate-days, ca, client-certificate, client-key or insecure)");
	refused("#!/p check\nurl = http://x/\ntimeout = 1\nurl = http://y/\n",
		PATH ":4: 'url' given twice (first on line 2)");
	refused("#!/p check\nurl = http://x/\nbody = a\rb\n",
		PATH ":3: a control character, which a declared check cannot hold");
	refused("#!/p check\nurl = http://x/\nbody = a\033[1A\n",
		PATH ":3: a control character, which a declared check cannot hold");
	ck_assert_int_eq(declared_parse("#!/p check\nurl = http://x/\0\n", 27,
					PATH, &check, error, sizeof error), -1);
	ck_assert_str_eq(error, PATH ":2: a NUL byte, which a declared check cannot hold");
}
END_TEST

START_TEST(test_declared_bad_values_name_the_line)
{
	refused("#!/p check\nurl = ftp://x/\n",
		PATH ":2: bad value 'ftp://x/' for 'url': expected an http:// or https:// URL");
	refused("#!/p check\nurl = http://x/\nstatus = 200 99\n",
		PATH ":3: bad value '200 99' for 'status': expected HTTP statuses from 100 to 599 or classes from 1xx to 5xx, separated by spaces");
	refused("#!/p check\nurl = http://x/\nstatus = 6xx\n",
		PATH ":3: bad value '6xx' for 'status': expected HTTP statuses from 100 to 599 or classes from 1xx to 5xx, separated by spaces");
	refused("#!/p check\nurl = http://x/\nstatus = 1xx 2xx 3xx 4xx 5xx 1xx 2xx 3xx 4xx 5xx 1xx 2xx 3xx 4xx 5xx 1xx 2xx\n",
		PATH ":3: bad value '1xx 2xx 3xx 4xx 5xx 1xx 2xx 3xx 4xx 5xx 1xx 2xx 3xx 4xx 5xx 1xx 2xx' for 'status': expected at most 16 statuses");
	refused("#!/p check\nurl = http://x/\ntimeout = 0\n",
		PATH ":3: bad value '0' for 'timeout': expected a number of seconds above 0");
	refused("#!/p check\nurl = http://x/\nfollow-redirects = maybe\n",
		PATH ":3: bad value 'maybe' for 'follow-redirects': expected yes or no");
	refused("#!/p check\nhost = x\nport = 0\n",
		PATH ":3: bad value '0' for 'port': expected a port from 1 to 65535");
	refused("#!/p check\nhost = x\nport = 443\ncertificate-days = -1\n",
		PATH ":4: bad value '-1' for 'certificate-days': expected a number of days from 0 to 36500");
	refused("#!/p check\nfile = backup.tar\n",
		PATH ":2: bad value 'backup.tar' for 'file': expected an absolute path");
	refused("#!/p check\nfile = /f\nmax-age = 1w\n",
		PATH ":3: bad value '1w' for 'max-age': expected an age above 0 such as 90, 15m, 26h or 7d");
	refused("#!/p check\nurl = https://x/\nca = ca.crt\n",
		PATH ":3: bad value 'ca.crt' for 'ca': expected an absolute path");
}
END_TEST

START_TEST(test_declared_one_check_per_file_and_keys_that_apply)
{
	refused("#!/p check\n",
		PATH ": no check declared: expected 'url', 'host' and 'port', or 'file'");
	refused("#!/p check\ntimeout = 3\n",
		PATH ": no check declared: expected 'url', 'host' and 'port', or 'file'");
	refused("#!/p check\nhost = x\nurl = http://x/\nport = 1\n",
		PATH ":3: 'url' cannot be declared with 'host' (line 2): one check per file");
	refused("#!/p check\nfile = /f\nport = 1\n",
		PATH ":3: 'port' cannot be declared with 'file' (line 2): one check per file");
	refused("#!/p check\nhost = x\n", PATH ":2: 'host' needs 'port'");
	refused("#!/p check\nport = 1\n", PATH ":2: 'port' needs 'host'");
	refused("#!/p check\nhost = x\nport = 1\nbody = x\nstatus = 200\n",
		PATH ":4: 'body' does not apply to a host and port check");
	refused("#!/p check\nhost = x\nport = 1\nca = /ca\n",
		PATH ":4: 'ca' does not apply to a port check (without certificate-days)");
	refused("#!/p check\nurl = http://x/\nmax-age = 1\n",
		PATH ":3: 'max-age' does not apply to a url check");
	refused("#!/p check\nfile = /f\ntimeout = 1\n",
		PATH ":3: 'timeout' does not apply to a file check");
	refused("#!/p check\nurl = http://x/\ncertificate-days = 3\n",
		PATH ":3: 'certificate-days' needs an https url");
	refused("#!/p check\nurl = https://x/\nclient-key = /k\n",
		PATH ":3: 'client-key' needs 'client-certificate'");
}
END_TEST

START_TEST(test_declared_larger_than_64_kib_is_refused)
{
	size_t size = DECLARED_MAX_SIZE + 1;
	char *text = malloc(size);

	ck_assert_ptr_nonnull(text);
	memset(text, '\n', size);
	memcpy(text, "#!/p check\nfile = /f\n", 21);
	ck_assert_int_eq(declared_parse(text, size - 1, PATH, &check, error,
					sizeof error), 0);
	declared_release(&check);
	ck_assert_int_eq(declared_parse(text, size, PATH, &check, error,
					sizeof error), -1);
	ck_assert_str_eq(error, PATH ": larger than 65536 bytes");
	free(text);
}
END_TEST

Suite *declared_suite(void)
{
	Suite *suite = suite_create("declared");
	TCase *tc = tcase_create("declared");

	tcase_add_test(tc, test_declared_url_check_with_every_key);
	tcase_add_test(tc, test_declared_url_defaults_any_2xx_redirects_followed);
	tcase_add_test(tc, test_declared_port_and_certificate_checks);
	tcase_add_test(tc, test_declared_file_check_ages_take_units);
	tcase_add_test(tc, test_declared_first_line_is_the_kernels);
	tcase_add_test(tc, test_declared_first_line_longer_than_the_kernel_reads);
	tcase_add_test(tc, test_declared_unknown_keys_and_bad_lines_name_the_line);
	tcase_add_test(tc, test_declared_bad_values_name_the_line);
	tcase_add_test(tc, test_declared_one_check_per_file_and_keys_that_apply);
	tcase_add_test(tc, test_declared_larger_than_64_kib_is_refused);
	suite_add_tcase(suite, tc);
	return suite;
}
