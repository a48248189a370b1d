/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * inline_checks: declared checks in one event loop give the verdicts and
 * messages of the commands' own code, against a real HTTP server on
 * loopback (a child of the test) and real closed ports.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_declared.h"
#include "inline_checks.h"
#include "monotime.h"
#include "suites.h"

static pid_t server;
static int server_port;

/*
 * Serves one connection at a time: /ok 200 "hello world", /hang never
 * answers (its connection kept open), anything else 404.
 */
static void serve(int listener)
{
	for (;;) {
		char request[4096];
		size_t got = 0;
		int fd = accept(listener, NULL, NULL);

		if (fd < 0)
			continue;
		while (got < sizeof request - 1 && !memmem(request, got, "\r\n\r\n", 4)) {
			ssize_t n = read(fd, request + got, sizeof request - 1 - got);

			if (n <= 0)
				break;
			got += (size_t)n;
		}
		request[got] = '\0';
		/* Its descriptor stays open, never answered, until the end. */
		if (strncmp(request, "GET /hang ", 10) == 0)
			continue;
		const char *answer = strncmp(request, "GET /ok ", 8) == 0
			? "HTTP/1.1 200 OK\r\nContent-Length: 12\r\nConnection: close\r\n\r\nhello world\n"
			: "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

		if (write(fd, answer, strlen(answer)) < 0)
			_exit(1);
		close(fd);
	}
}

static void start_server(void)
{
	struct sockaddr_in address = { .sin_family = AF_INET,
				       .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t length = sizeof address;
	int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(listener, 0);
	ck_assert_int_eq(bind(listener, (struct sockaddr *)&address,
			      sizeof address), 0);
	ck_assert_int_eq(listen(listener, 1024), 0);
	ck_assert_int_eq(getsockname(listener, (struct sockaddr *)&address,
				     &length), 0);
	server_port = ntohs(address.sin_port);
	server = fork();
	ck_assert_int_ge(server, 0);
	if (server == 0) {
		serve(listener);
		_exit(0);
	}
	close(listener);
}

static void stop_server(void)
{
	kill(server, SIGKILL);
	waitpid(server, NULL, 0);
}

/* A port nothing listens on (bound, then closed). */
static int closed_port(void)
{
	struct sockaddr_in address = { .sin_family = AF_INET,
				       .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t length = sizeof address;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_eq(bind(fd, (struct sockaddr *)&address, sizeof address), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&address, &length), 0);
	close(fd);
	return ntohs(address.sin_port);
}

static void parse(const char *body, struct declared_check *check)
{
	char text[1024], error[512];

	snprintf(text, sizeof text, "#!/usr/bin/promise-run check\n%s", body);
	ck_assert_msg(declared_parse(text, strlen(text), "test", check, error,
				     sizeof error) == 0, "%s", error);
}

/* `template` with its "@" replaced by `port`, into `text`. */
static void fill(char *text, size_t size, const char *template, int port)
{
	const char *at = strchr(template, '@');

	ck_assert_ptr_nonnull(at);
	snprintf(text, size, "%.*s%d%s", (int)(at - template), template, port,
		 at + 1);
}

#define MAX_CHECKS 300

/* What the engine said of each check, by id. */
static struct inline_result results[MAX_CHECKS];

/* Runs the loop until `count` checks ended (or 15 s passed). */
static void run_until(struct inline_checks *engine, size_t count)
{
	struct timespec give_up = monotime_add(monotime_now(), 15);
	size_t ended = 0;

	while (ended < count) {
		struct pollfd *polls = calloc(inline_checks_poll_count(engine) + 1,
					      sizeof *polls);
		size_t filled = inline_checks_polls(engine, polls);
		struct timespec when, left;
		bool timed = inline_checks_deadline(engine, &when);
		struct inline_result result;

		ck_assert_ptr_nonnull(polls);
		ck_assert(monotime_before(monotime_now(), give_up));
		if (timed)
			left = monotime_until(monotime_now(), when);
		ck_assert(timed || filled > 0);
		ppoll(polls, filled, timed ? &left : NULL, NULL);
		inline_checks_handle(engine, polls, filled, monotime_now());
		free(polls);
		while (inline_checks_next(engine, &result)) {
			ck_assert_uint_lt(result.id, MAX_CHECKS);
			results[result.id] = result;
			ended++;
		}
	}
}

START_TEST(test_inline_checks_say_what_the_commands_say)
{
	static const char *const bodies[] = {
		"url = http://127.0.0.1:@/ok\nbody = hello\n",
		"url = http://127.0.0.1:@/missing\n",
		"url = http://127.0.0.1:@/ok\nbody = goodbye\n",
		"url = http://127.0.0.1:@/ok\nstatus = 204\n",
		"host = 127.0.0.1\nport = @\n",
		"host = localhost\nport = @\n",
		"host = 127.0.0.1\nport = @\n",            /* closed */
		"url = http://127.0.0.1:@/\n",             /* closed */
		"file = /nonexistent/promise-run-test-@\n",
		"file = /proc/self/status\n# @\n",
	};
	const size_t count = sizeof bodies / sizeof *bodies;
	struct inline_checks engine;
	int closed = closed_port();

	start_server();
	inline_checks_init(&engine);
	for (size_t i = 0; i < count; i++) {
		struct declared_check check;
		char body[256];

		fill(body, sizeof body, bodies[i],
		     i == 6 || i == 7 ? closed : server_port);
		parse(body, &check);
		ck_assert_int_eq(inline_checks_start(&engine, &check, i,
						     monotime_now()), 0);
	}
	run_until(&engine, count);
	for (size_t i = 0; i < count; i++) {
		struct declared_check check;
		char body[256], message[2048];
		enum check_status status;

		fill(body, sizeof body, bodies[i],
		     i == 6 || i == 7 ? closed : server_port);
		parse(body, &check);
		status = check_declared(&check, message, sizeof message);
		declared_release(&check);
		ck_assert_msg(results[i].status == status,
			      "check %zu: %d in the loop, %d as a command", i,
			      results[i].status, status);
		/* libcurl counts milliseconds in one message: not those. */
		if (i != 7)
			ck_assert_str_eq(results[i].message, message);
		inline_result_release(&results[i]);
	}
	ck_assert_int_eq(results[0].status, CHECK_WORKS);
	ck_assert_int_eq(results[1].status, CHECK_UNEXPECTED);
	ck_assert_int_eq(results[4].status, CHECK_WORKS);
	ck_assert_int_eq(results[5].status, CHECK_WORKS);
	ck_assert_int_eq(results[6].status, CHECK_UNREACHABLE);
	ck_assert_int_eq(results[7].status, CHECK_UNREACHABLE);
	ck_assert_int_eq(results[8].status, CHECK_UNREACHABLE);
	ck_assert_int_eq(results[9].status, CHECK_WORKS);
	inline_checks_release(&engine);
	stop_server();
}
END_TEST

START_TEST(test_inline_checks_run_side_by_side_each_with_its_timeout)
{
	struct inline_checks engine;
	const size_t count = 250;

	start_server();
	inline_checks_init(&engine);
	for (size_t i = 0; i < count; i++) {
		struct declared_check check;
		char body[256];

		/* Every tenth hangs: its own 0.3 s timeout ends it. */
		fill(body, sizeof body,
		     i % 10 ? (i % 2 ? "url = http://127.0.0.1:@/ok\n"
				     : "host = 127.0.0.1\nport = @\n")
			    : "url = http://127.0.0.1:@/hang\ntimeout = 0.3\n",
		     server_port);
		parse(body, &check);
		ck_assert_int_eq(inline_checks_start(&engine, &check, i,
						     monotime_now()), 0);
	}
	run_until(&engine, count);
	for (size_t i = 0; i < count; i++) {
		if (i % 10) {
			ck_assert_msg(results[i].status == CHECK_WORKS,
				      "%zu: %s", i, results[i].message);
		} else {
			ck_assert_int_eq(results[i].status, CHECK_UNREACHABLE);
			ck_assert_msg(strstr(results[i].message, "timed out") ||
				      strstr(results[i].message, "Timeout"),
				      "%s", results[i].message);
			ck_assert(results[i].duration >= 0.3);
		}
		inline_result_release(&results[i]);
	}
	inline_checks_release(&engine);
	stop_server();
}
END_TEST

START_TEST(test_inline_checks_cancelled_or_dropped_leave_nothing)
{
	struct inline_checks engine;
	struct declared_check check;
	char body[128];

	start_server();
	inline_checks_init(&engine);
	fill(body, sizeof body, "url = http://127.0.0.1:@/hang\n", server_port);
	parse(body, &check);
	ck_assert_int_eq(inline_checks_start(&engine, &check, 1, monotime_now()), 0);
	parse(body, &check);
	ck_assert_int_eq(inline_checks_start(&engine, &check, 2, monotime_now()), 0);
	parse("host = localhost\nport = 9\n", &check);
	ck_assert_int_eq(inline_checks_start(&engine, &check, 3, monotime_now()), 0);
	parse("file = /\n", &check);
	ck_assert_int_eq(inline_checks_start(&engine, &check, 4, monotime_now()), 0);
	inline_checks_cancel(&engine, 1);
	/* 2 and 3 still run, 4 ended and not taken: all dropped. */
	inline_checks_release(&engine);
	stop_server();
}
END_TEST

/*
 * A check stopped after it ended but before its result was taken gives
 * no result: the task that takes its id next must not get it.
 */
START_TEST(test_inline_checks_cancelled_once_ended_give_no_result)
{
	struct inline_checks engine;
	struct declared_check check;
	struct inline_result result;

	inline_checks_init(&engine);
	parse("file = /\n", &check);
	ck_assert_int_eq(inline_checks_start(&engine, &check, 4, monotime_now()), 0);
	parse("file = /\n", &check);
	ck_assert_int_eq(inline_checks_start(&engine, &check, 5, monotime_now()), 0);
	parse("file = /\n", &check);
	ck_assert_int_eq(inline_checks_start(&engine, &check, 6, monotime_now()), 0);
	inline_checks_cancel(&engine, 6);       /* the last ended */
	inline_checks_cancel(&engine, 4);       /* the first ended */
	ck_assert(inline_checks_next(&engine, &result));
	ck_assert_uint_eq(result.id, 5);
	inline_result_release(&result);
	ck_assert(!inline_checks_next(&engine, &result));
	/* The list's end is right: a check ending now is still given. */
	parse("file = /\n", &check);
	ck_assert_int_eq(inline_checks_start(&engine, &check, 7, monotime_now()), 0);
	ck_assert(inline_checks_next(&engine, &result));
	ck_assert_uint_eq(result.id, 7);
	inline_result_release(&result);
	inline_checks_release(&engine);
}
END_TEST

Suite *inline_checks_suite(void)
{
	Suite *suite = suite_create("inline_checks");
	TCase *tc = tcase_create("inline_checks");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_inline_checks_say_what_the_commands_say);
	tcase_add_test(tc, test_inline_checks_run_side_by_side_each_with_its_timeout);
	tcase_add_test(tc, test_inline_checks_cancelled_or_dropped_leave_nothing);
	tcase_add_test(tc, test_inline_checks_cancelled_once_ended_give_no_result);
	suite_add_tcase(suite, tc);
	return suite;
}
