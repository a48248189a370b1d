/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* inline_checks: declared checks in an event loop, no process each. */
#include "inline_checks.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_transfer.h"
#include "curl_lib.h"
#include "fdio.h"
#include "monotime.h"
#include "port_probe.h"

/* The longest message a check writes (check_url_main's buffer). */
#define MESSAGE_SIZE 2048

struct inline_check {
	struct inline_check *next;
	struct inline_checks *owner;
	size_t id;
	struct declared_check declared;
	struct timespec started;
	bool transfer_running;              /* in the multi handle */
	bool socket_awaited;                /* ... and its socket not open yet */
	struct check_transfer transfer;     /* URL and certificate checks */
	struct port_probe probe;            /* port checks */
	enum check_status status;           /* once ended */
	double duration;
	char *message;
};

void inline_checks_init(struct inline_checks *checks)
{
	*checks = (struct inline_checks){ 0 };
	checks->ended_tail = &checks->ended;
}

/* Unlinks `check` from the running list. */
static void unlink_running(struct inline_checks *checks,
                           struct inline_check *check)
{
	for (struct inline_check **at = &checks->running; *at;
	     at = &(*at)->next)
		if (*at == check) {
			*at = check->next;
			checks->count--;
			return;
		}
}

/* Ends `check` (running or new) with its verdict, queued for the caller. */
static void end(struct inline_checks *checks, struct inline_check *check,
                enum check_status status, const char *message,
                struct timespec now)
{
	check->status = status;
	check->duration = monotime_seconds(check->started, now);
	check->message = strdup(message);
	if (!check->message)
		checks->out_of_memory = true;
	check->next = NULL;
	*checks->ended_tail = check;
	checks->ended_tail = &check->next;
}

/* The transfer of `check` has its socket, or needs none any more. */
static void socket_had(struct inline_check *check)
{
	if (check->socket_awaited)
		check->owner->unopened--;
	check->socket_awaited = false;
}

/*
 * libcurl's CURLOPT_OPENSOCKETFUNCTION: the socket, opened as libcurl
 * would, noted as had (see inline_checks_room).
 */
static curl_socket_t open_socket(void *client, curlsocktype purpose,
                                 struct curl_sockaddr *address)
{
	(void)purpose;
	socket_had(client);
	return socket(address->family, address->socktype | SOCK_CLOEXEC,
		      address->protocol);
}

/* Frees a check that is in no list any more. */
static void free_check(struct inline_checks *checks,
                       struct inline_check *check)
{
	char message[MESSAGE_SIZE];

	socket_had(check);
	if (check->transfer_running) {
		curl_lib.multi_remove_handle(checks->multi,
					     check->transfer.handle);
		/* Frees the handle; the verdict is dropped. */
		if (check->declared.kind == DECLARED_URL)
			check_url_end(&check->transfer, CURLE_ABORTED_BY_CALLBACK,
				      message, sizeof message);
		else
			check_cert_end(&check->transfer,
				       CURLE_ABORTED_BY_CALLBACK, message,
				       sizeof message);
	}
	port_probe_release(&check->probe);
	declared_release(&check->declared);
	free(check->message);
	free(check);
}

/* libcurl's CURLMOPT_SOCKETFUNCTION: the sockets to wait on. */
static int socket_changed(CURL *easy, curl_socket_t fd, int what,
                          void *user, void *socket_data)
{
	struct inline_checks *checks = user;
	size_t i;

	(void)easy;
	(void)socket_data;
	for (i = 0; i < checks->socket_count; i++)
		if (checks->sockets[i].fd == fd)
			break;
	if (what == CURL_POLL_REMOVE) {
		if (i < checks->socket_count)
			checks->sockets[i] = checks->sockets[--checks->socket_count];
		return 0;
	}
	if (i == checks->socket_count) {
		if (checks->socket_count == checks->socket_capacity) {
			size_t capacity = checks->socket_capacity
						  ? 2 * checks->socket_capacity
						  : 16;
			struct inline_socket *grown = reallocarray(
				checks->sockets, capacity, sizeof *grown);

			if (!grown) {
				checks->out_of_memory = true;
				return -1;
			}
			checks->sockets = grown;
			checks->socket_capacity = capacity;
		}
		checks->socket_count++;
	}
	checks->sockets[i] = (struct inline_socket){
		.fd = fd,
		.events = (short)((what & CURL_POLL_IN ? POLLIN : 0) |
				  (what & CURL_POLL_OUT ? POLLOUT : 0)),
	};
	return 0;
}

/* libcurl's CURLMOPT_TIMERFUNCTION: when to call it with no socket. */
static int timer_changed(CURLM *multi, long milliseconds, void *user)
{
	struct inline_checks *checks = user;

	(void)multi;
	checks->timer_set = milliseconds >= 0;
	if (checks->timer_set)
		checks->timer = monotime_add(monotime_now(),
					     (double)milliseconds / 1000);
	return 0;
}

/* The multi handle, made once; NULL when libcurl cannot be had. */
static CURLM *multi_of(struct inline_checks *checks)
{
	if (checks->multi)
		return checks->multi;
	if (curl_lib_load() || !(checks->multi = curl_lib.multi_init()))
		return NULL;
	curl_lib.multi_setopt(checks->multi, CURLMOPT_SOCKETFUNCTION,
			      socket_changed);
	curl_lib.multi_setopt(checks->multi, CURLMOPT_SOCKETDATA, checks);
	curl_lib.multi_setopt(checks->multi, CURLMOPT_TIMERFUNCTION,
			      timer_changed);
	curl_lib.multi_setopt(checks->multi, CURLMOPT_TIMERDATA, checks);
	return checks->multi;
}

/* Starts a URL or certificate check's transfer; false when it ended. */
static bool start_transfer(struct inline_checks *checks,
                           struct inline_check *check, char *message)
{
	bool url = check->declared.kind == DECLARED_URL;
	enum check_status status =
		url ? check_url_begin(&check->transfer,
				      &check->declared.options.url, message,
				      MESSAGE_SIZE)
		    : check_cert_begin(&check->transfer,
				       &check->declared.options.cert, message,
				       MESSAGE_SIZE);
	CURLcode result = check->transfer.setup;
	CURLM *multi;

	if (status != CHECK_WORKS) {
		check->status = status;
		return false;
	}
	multi = multi_of(checks);
	if (!multi)
		result = CURLE_FAILED_INIT;
	if (result == CURLE_OK)
		result = curl_lib.easy_setopt(check->transfer.handle,
					      CURLOPT_PRIVATE, check);
	if (result == CURLE_OK)
		result = curl_lib.easy_setopt(check->transfer.handle,
					      CURLOPT_OPENSOCKETFUNCTION,
					      open_socket);
	if (result == CURLE_OK)
		result = curl_lib.easy_setopt(check->transfer.handle,
					      CURLOPT_OPENSOCKETDATA, check);
	if (result == CURLE_OK &&
	    curl_lib.multi_add_handle(multi, check->transfer.handle) !=
		    CURLM_OK)
		result = CURLE_FAILED_INIT;
	if (result == CURLE_OK) {
		check->transfer_running = check->socket_awaited = true;
		checks->unopened++;
		return true;
	}
	check->status = url ? check_url_end(&check->transfer, result, message,
					    MESSAGE_SIZE)
			    : check_cert_end(&check->transfer, result, message,
					     MESSAGE_SIZE);
	return false;
}

int inline_checks_start(struct inline_checks *checks,
                        struct declared_check *declared, size_t id,
                        struct timespec now)
{
	struct inline_check *check = calloc(1, sizeof *check);
	char message[MESSAGE_SIZE] = "";
	bool running = false;

	if (!check) {
		declared_release(declared);
		errno = ENOMEM;
		return -1;
	}
	check->id = id;
	check->owner = checks;
	check->declared = *declared;
	*declared = (struct declared_check){ 0 };
	check->started = now;
	check->probe.fd = -1;
	switch (check->declared.kind) {
	case DECLARED_URL:
	case DECLARED_CERT:
		running = start_transfer(checks, check, message);
		break;
	case DECLARED_PORT:
		port_probe_start(&check->probe, &check->declared.options.port,
				 now);
		running = !port_probe_done(&check->probe);
		if (!running)
			check->status = port_probe_message(&check->probe,
							   message,
							   sizeof message);
		break;
	case DECLARED_FILE:
		check->status = check_file(&check->declared.options.file,
					   message, sizeof message);
		break;
	}
	if (!running) {
		end(checks, check, check->status, message, now);
		return 0;
	}
	check->next = checks->running;
	checks->running = check;
	checks->count++;
	return 0;
}

size_t inline_checks_poll_count(const struct inline_checks *checks)
{
	return checks->socket_count + checks->count;
}

size_t inline_checks_polls(const struct inline_checks *checks,
                           struct pollfd *polls)
{
	size_t filled = 0;

	for (size_t i = 0; i < checks->socket_count; i++)
		polls[filled++] = (struct pollfd){
			.fd = checks->sockets[i].fd,
			.events = checks->sockets[i].events };
	for (const struct inline_check *check = checks->running; check;
	     check = check->next)
		if (check->declared.kind == DECLARED_PORT &&
		    port_probe_poll(&check->probe, &polls[filled]))
			filled++;
	return filled;
}

bool inline_checks_deadline(const struct inline_checks *checks,
                            struct timespec *when)
{
	bool any = checks->timer_set;

	if (any)
		*when = checks->timer;
	for (const struct inline_check *check = checks->running; check;
	     check = check->next) {
		if (check->declared.kind != DECLARED_PORT)
			continue;
		struct timespec due = port_probe_deadline(&check->probe);

		if (!any || monotime_before(due, *when))
			*when = due;
		any = true;
	}
	/* Ended checks wait to be taken: now. */
	if (checks->ended) {
		*when = monotime_now();
		any = true;
	}
	return any;
}

/* Takes the transfers libcurl has finished. */
static void collect_transfers(struct inline_checks *checks,
                              struct timespec now)
{
	char message[MESSAGE_SIZE];
	CURLMsg *done;
	int left;

	while ((done = curl_lib.multi_info_read(checks->multi, &left))) {
		struct inline_check *check = NULL;

		if (done->msg != CURLMSG_DONE)
			continue;
		curl_lib.easy_getinfo(done->easy_handle, CURLINFO_PRIVATE,
				      (char **)&check);
		if (!check)
			continue;
		CURLcode result = done->data.result;

		/* `done` is libcurl's until the handle is removed. */
		curl_lib.multi_remove_handle(checks->multi,
					     check->transfer.handle);
		check->transfer_running = false;
		socket_had(check);
		check->status = check->declared.kind == DECLARED_URL
			? check_url_end(&check->transfer, result, message,
					sizeof message)
			: check_cert_end(&check->transfer, result, message,
					 sizeof message);
		unlink_running(checks, check);
		end(checks, check, check->status, message, now);
	}
}

void inline_checks_handle(struct inline_checks *checks,
                          const struct pollfd *polls, size_t count,
                          struct timespec now)
{
	char message[MESSAGE_SIZE];
	int running;

	if (checks->multi) {
		for (size_t i = 0; i < count; i++) {
			int flags = 0;

			if (!polls[i].revents)
				continue;
			/* Only libcurl's own sockets: a probe's is not. */
			bool curls = false;

			for (size_t s = 0; s < checks->socket_count; s++)
				curls |= checks->sockets[s].fd == polls[i].fd;
			if (!curls)
				continue;
			flags |= polls[i].revents & POLLIN ? CURL_CSELECT_IN : 0;
			flags |= polls[i].revents & POLLOUT ? CURL_CSELECT_OUT : 0;
			flags |= polls[i].revents & (POLLERR | POLLHUP)
					 ? CURL_CSELECT_ERR : 0;
			curl_lib.multi_socket_action(checks->multi, polls[i].fd,
						     flags, &running);
		}
		if (checks->timer_set && !monotime_before(now, checks->timer)) {
			checks->timer_set = false;
			curl_lib.multi_socket_action(checks->multi,
						     CURL_SOCKET_TIMEOUT, 0,
						     &running);
		}
		collect_transfers(checks, now);
	}
	for (struct inline_check *check = checks->running, *next; check;
	     check = next) {
		next = check->next;
		if (check->declared.kind != DECLARED_PORT)
			continue;
		port_probe_step(&check->probe, now);
		if (!port_probe_done(&check->probe))
			continue;
		check->status = port_probe_message(&check->probe, message,
						   sizeof message);
		unlink_running(checks, check);
		end(checks, check, check->status, message, now);
	}
}

bool inline_checks_next(struct inline_checks *checks,
                        struct inline_result *result)
{
	struct inline_check *check = checks->ended;

	if (!check)
		return false;
	checks->ended = check->next;
	if (!checks->ended)
		checks->ended_tail = &checks->ended;
	*result = (struct inline_result){
		.id = check->id, .status = check->status,
		.message = check->message, .duration = check->duration,
	};
	check->message = NULL;
	free_check(checks, check);
	return true;
}

bool inline_checks_room(struct inline_checks *checks, int fd)
{
	size_t wanted, held = 0;
	int *spare, error;
	bool room;

	/* libcurl's turn first: the sockets it opens then are counted. */
	if (checks->unopened)
		inline_checks_handle(checks, NULL, 0, monotime_now());
	wanted = checks->unopened + 2;
	spare = calloc(wanted, sizeof *spare);
	if (!spare)
		return false;
	while (held < wanted &&
	       (spare[held] = fcntl(fd, F_DUPFD_CLOEXEC, 0)) >= 0)
		held++;
	room = held == wanted;
	error = errno;
	while (held)
		fdio_close_quietly(spare[--held]);
	free(spare);
	errno = error;
	return room;
}

void inline_result_release(struct inline_result *result)
{
	free(result->message);
	result->message = NULL;
}

void inline_checks_cancel(struct inline_checks *checks, size_t id)
{
	struct inline_check *previous = NULL;

	for (struct inline_check *check = checks->running; check;
	     check = check->next)
		if (check->id == id) {
			unlink_running(checks, check);
			free_check(checks, check);
			return;
		}
	/*
	 * Ended but not collected yet: its result must not reach the task
	 * that takes its place next.
	 */
	for (struct inline_check *check = checks->ended; check;
	     previous = check, check = check->next)
		if (check->id == id) {
			*(previous ? &previous->next : &checks->ended) =
				check->next;
			if (checks->ended_tail == &check->next)
				checks->ended_tail = previous ? &previous->next
							      : &checks->ended;
			free_check(checks, check);
			return;
		}
}

void inline_checks_release(struct inline_checks *checks)
{
	struct inline_result result;

	while (checks->running) {
		struct inline_check *check = checks->running;

		unlink_running(checks, check);
		free_check(checks, check);
	}
	while (inline_checks_next(checks, &result))
		inline_result_release(&result);
	if (checks->multi)
		curl_lib.multi_cleanup(checks->multi);
	free(checks->sockets);
	inline_checks_init(checks);
}
