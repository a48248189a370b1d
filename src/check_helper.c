/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* check_helper: a home's declared checks, run as its user, one process. */
#include "check_helper.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_declared.h"
#include "check_wire.h"
#include "complain.h"
#include "fdio.h"
#include "inline_checks.h"
#include "monotime.h"

/* The longest message of a check that could not be read (see checks). */
#define MESSAGE_SIZE 2048

struct helper {
	struct inline_checks checks;
	struct check_wire_buffer requests, results;
	bool input_ended;
	bool waiting;           /* a request waits for descriptors */
	struct pollfd *polls;
	size_t poll_capacity;
};

/* Writes every result queued; false when root is gone. */
static bool flush_results(struct helper *helper)
{
	bool written = fdio_write_all(STDOUT_FILENO, helper->results.bytes,
				      helper->results.length) == 0;

	check_wire_consume(&helper->results, helper->results.length);
	return written;
}

/* Queues a result; false out of memory. */
static bool put_result(struct helper *helper, uint64_t id, int status,
                       const char *message, double duration)
{
	struct check_wire_result result = {
		.id = id,
		.status = status,
		.duration = duration,
		.message = message,
		.message_length = strlen(message),
	};

	return check_wire_put_result(&helper->results, &result) == 0;
}

/*
 * Starts the check of `request`: a file that is no valid declared check
 * ends at once, with the complaint and status `promise-run check` gives.
 */
static bool start(struct helper *helper,
                  const struct check_wire_request *request)
{
	struct declared_check declared;
	char message[MESSAGE_SIZE];
	bool ok;

	if (check_declared_read(request->path, &declared, message,
				sizeof message) < 0) {
		char *complaint = complain_check_text(DECLARED_COMMAND, "%s",
						      message);

		ok = complaint && put_result(helper, request->id, CHECK_USAGE,
					     complaint, 0);
		free(complaint);
		return ok;
	}
	return inline_checks_start(&helper->checks, &declared, request->id,
				   monotime_now()) == 0;
}

/*
 * Acts on root's requests one after another; the next waits, unread,
 * while the checks started leave no descriptors for it (as root's own
 * checks wait).  False: broken.
 */
static bool take_requests(struct helper *helper)
{
	struct check_wire_request request;
	int status = 1;

	helper->waiting = false;
	while (!check_wire_empty(&helper->requests)) {
		if (helper->checks.count &&
		    !inline_checks_room(&helper->checks, STDIN_FILENO)) {
			helper->waiting = true;
			return true;
		}
		status = check_wire_next_request(&helper->requests, &request);
		if (status != 1)
			break;
		if (request.cancel)
			inline_checks_cancel(&helper->checks, request.id);
		else if (!start(helper, &request))
			return false;
	}
	/* A request cut by the end of input can never be whole. */
	return status == 1 || (status == 0 && !helper->input_ended);
}

/* Reads what root sent and acts on it; false: broken. */
static bool read_requests(struct helper *helper)
{
	char buffer[4096];
	ssize_t got = fdio_read(STDIN_FILENO, buffer, sizeof buffer);

	if (got < 0 && errno == EAGAIN)
		return true;
	if (got <= 0)
		helper->input_ended = true;
	else if (check_wire_append(&helper->requests, buffer,
				   (size_t)got) < 0)
		return false;
	return take_requests(helper);
}

/* Waits once for root or the checks; false: broken. */
static bool wait_once(struct helper *helper)
{
	size_t count = 1 + inline_checks_poll_count(&helper->checks);
	struct timespec due, timeout;
	bool timed = inline_checks_deadline(&helper->checks, &due);

	if (count > helper->poll_capacity) {
		struct pollfd *polls = reallocarray(helper->polls, count,
						    sizeof *polls);

		if (!polls)
			return false;
		helper->polls = polls;
		helper->poll_capacity = count;
	}
	helper->polls[0] = (struct pollfd){
		.fd = helper->input_ended || helper->waiting ? -1 : STDIN_FILENO,
		.events = POLLIN,
	};
	count = 1 + inline_checks_polls(&helper->checks, helper->polls + 1);
	if (timed)
		timeout = monotime_until(monotime_now(), due);
	if (ppoll(helper->polls, count, timed ? &timeout : NULL, NULL) < 0) {
		if (errno != EINTR)
			return false;
		for (size_t i = 0; i < count; i++)
			helper->polls[i].revents = 0;
	}
	if (helper->polls[0].revents && !read_requests(helper))
		return false;
	inline_checks_handle(&helper->checks, helper->polls + 1, count - 1,
			     monotime_now());
	if (helper->waiting && !take_requests(helper))
		return false;
	return !helper->checks.out_of_memory;
}

/* Queues the results of the checks that ended; false: broken. */
static bool put_ended(struct helper *helper)
{
	struct inline_result result;
	bool ok = true;

	while (inline_checks_next(&helper->checks, &result)) {
		ok = ok && put_result(helper, result.id, (int)result.status,
				      result.message, result.duration);
		inline_result_release(&result);
	}
	return ok;
}

int check_helper_main(int argc, char **argv)
{
	struct helper helper = { 0 };
	struct rlimit files;
	struct stat input;
	bool ok = true;

	(void)argv;
	/*
	 * Only root's run starts it, its requests on a pipe: a person who
	 * types it gets a word, not a process waiting on the terminal.
	 */
	if (argc != 2 || fstat(STDIN_FILENO, &input) < 0 ||
	    !S_ISFIFO(input.st_mode)) {
		fputs("promise-run: " CHECK_HELPER_COMMAND
		      " is promise-run's own, not a command to use\n", stderr);
		return 1;
	}
	inline_checks_init(&helper.checks);
	if (fcntl(STDIN_FILENO, F_SETFL, O_NONBLOCK) < 0)
		ok = false;
	/* A socket a check: as many as the user may have (root bounds -j). */
	if (getrlimit(RLIMIT_NOFILE, &files) == 0 &&
	    files.rlim_cur < files.rlim_max) {
		files.rlim_cur = files.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &files);
	}
	while (ok && !(helper.input_ended && helper.checks.count == 0 &&
		       check_wire_empty(&helper.requests))) {
		ok = wait_once(&helper) && put_ended(&helper) &&
		     flush_results(&helper);
	}
	ok = ok && put_ended(&helper) && flush_results(&helper);
	inline_checks_release(&helper.checks);
	check_wire_release(&helper.requests);
	check_wire_release(&helper.results);
	free(helper.polls);
	return ok ? 0 : 1;
}
