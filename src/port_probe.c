/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* port_probe: is something listening on HOST PORT?  Never blocking. */
#include "port_probe.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fdio.h"
#include "monotime.h"

/*
 * A name lookup through getaddrinfo_a.  Its end is told by a thread of
 * glibc's (SIGEV_THREAD), which writes to an eventfd.  The probe and that
 * thread share the lookup: whichever lets go of it last frees it (the
 * exchange on `released`), so that a probe may end before its lookup.
 */
struct port_lookup {
	struct gaicb request;
	struct addrinfo hints;
	int notify_fd;
	int status;                 /* the lookup's, once told */
	atomic_int released;
	char names[];               /* host, then port */
};

static void lookup_free(struct port_lookup *lookup)
{
	if (lookup->request.ar_result)
		freeaddrinfo(lookup->request.ar_result);
	close(lookup->notify_fd);
	free(lookup);
}

/* In glibc's thread, once the lookup is over. */
static void lookup_ended(union sigval value)
{
	struct port_lookup *lookup = value.sival_ptr;
	uint64_t one = 1;

	if (atomic_exchange(&lookup->released, 1)) {
		lookup_free(lookup);    /* the probe is gone */
		return;
	}
	/* The probe reads it; it waits for it before freeing the lookup. */
	if (fdio_write(lookup->notify_fd, &one, sizeof one) < 0)
		abort();                /* an eventfd write does not fail */
}

/* Starts looking `host` up; NULL with errno, or an EAI_* in *status. */
static struct port_lookup *lookup_start(const char *host, const char *port,
                                        int *status)
{
	size_t host_size = strlen(host) + 1, port_size = strlen(port) + 1;
	struct port_lookup *lookup = calloc(1, sizeof *lookup + host_size +
						   port_size);
	struct gaicb *requests[1];
	struct sigevent event = { .sigev_notify = SIGEV_THREAD,
				  .sigev_notify_function = lookup_ended };

	*status = EAI_MEMORY;
	if (!lookup)
		return NULL;
	memcpy(lookup->names, host, host_size);
	memcpy(lookup->names + host_size, port, port_size);
	lookup->hints = (struct addrinfo){ .ai_family = AF_UNSPEC,
					   .ai_socktype = SOCK_STREAM,
					   .ai_flags = AI_NUMERICSERV };
	lookup->request = (struct gaicb){
		.ar_name = lookup->names,
		.ar_service = lookup->names + host_size,
		.ar_request = &lookup->hints,
	};
	lookup->notify_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (lookup->notify_fd < 0) {
		*status = EAI_SYSTEM;
		free(lookup);
		return NULL;
	}
	event.sigev_value.sival_ptr = lookup;
	requests[0] = &lookup->request;
	*status = getaddrinfo_a(GAI_NOWAIT, requests, 1, &event);
	if (*status != 0) {
		close(lookup->notify_fd);
		free(lookup);
		return NULL;
	}
	return lookup;
}

/* Lets go of a lookup; `told`: its end was read from the eventfd. */
static void lookup_release(struct port_lookup *lookup, bool told)
{
	struct pollfd wait = { .fd = lookup->notify_fd, .events = POLLIN };

	/* Its thread has written: it touches the lookup no more. */
	if (told || gai_cancel(&lookup->request) == EAI_CANCELED) {
		lookup_free(lookup);
		return;
	}
	/* Ended or ending: its thread frees it, unless it is already told. */
	if (!atomic_exchange(&lookup->released, 1))
		return;
	/* Told, its write is a moment away: wait for it. */
	while (poll(&wait, 1, -1) < 0 && errno == EINTR)
		;
	lookup_free(lookup);
}

/* Ends the probe with a reason ("" when it works). */
static void finish(struct port_probe *probe, enum check_status status,
                   const char *reason)
{
	probe->state = PORT_PROBE_DONE;
	probe->status = status;
	snprintf(probe->reason, sizeof probe->reason, "%s", reason);
	if (probe->fd >= 0) {
		close(probe->fd);
		probe->fd = -1;
	}
}

/* Starts connecting to the current address, or the next ones. */
static void connect_next(struct port_probe *probe, int error)
{
	for (; probe->address; probe->address = probe->address->ai_next) {
		const struct addrinfo *address = probe->address;

		probe->fd = socket(address->ai_family,
				   address->ai_socktype | SOCK_NONBLOCK |
					   SOCK_CLOEXEC,
				   address->ai_protocol);
		if (probe->fd < 0) {
			error = errno;
			continue;
		}
		if (connect(probe->fd, address->ai_addr,
			    address->ai_addrlen) == 0) {
			finish(probe, CHECK_WORKS, "");
			return;
		}
		if (errno == EINPROGRESS) {
			probe->state = PORT_PROBE_CONNECTING;
			return;
		}
		error = errno;
		close(probe->fd);
		probe->fd = -1;
	}
	finish(probe, CHECK_UNREACHABLE,
	       error == ETIMEDOUT ? "timed out" : strerror(error));
}

/*
 * The lookup's end: its addresses, or why none.  `error` words
 * EAI_SYSTEM: errno where the lookup failed, or 0 when that was in the
 * resolver's thread, whose errno is not ours to read.
 */
static void resolved(struct port_probe *probe, int status, int error,
                     bool timed_out)
{
	if (status != 0) {
		finish(probe, CHECK_UNREACHABLE,
		       timed_out ? "name resolution timed out"
		       : status == EAI_SYSTEM
			       ? error ? strerror(error)
				       : "name resolution failed: a system error"
			       : gai_strerror(status));
		return;
	}
	probe->address = probe->addresses;
	connect_next(probe, ENOENT);
}

void port_probe_start(struct port_probe *probe,
                      const struct check_port_options *options,
                      struct timespec now)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC,
				  .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV | AI_NUMERICHOST };
	int status;

	*probe = (struct port_probe){
		.state = PORT_PROBE_RESOLVING,
		.host = options->host, .port = options->port,
		.deadline = monotime_add(now, options->timeout),
		.fd = -1,
	};
	if (!checks_valid_port(options->port)) {
		finish(probe, CHECK_USAGE, "");
		return;
	}
	/* An address needs no lookup: it never blocks. */
	status = getaddrinfo(options->host, options->port, &hints,
			     &probe->addresses);
	if (status == 0) {
		resolved(probe, 0, 0, false);
		return;
	}
	probe->lookup = lookup_start(options->host, options->port, &status);
	if (!probe->lookup)
		resolved(probe, status, errno, false);
}

bool port_probe_poll(const struct port_probe *probe, struct pollfd *poll)
{
	if (probe->state == PORT_PROBE_RESOLVING) {
		*poll = (struct pollfd){ .fd = probe->lookup->notify_fd,
					 .events = POLLIN };
		return true;
	}
	if (probe->state == PORT_PROBE_CONNECTING) {
		*poll = (struct pollfd){ .fd = probe->fd, .events = POLLOUT };
		return true;
	}
	return false;
}

struct timespec port_probe_deadline(const struct port_probe *probe)
{
	return probe->deadline;
}

void port_probe_step(struct port_probe *probe, struct timespec now)
{
	bool late = !monotime_before(now, probe->deadline);
	struct port_lookup *lookup = probe->lookup;
	uint64_t count;
	int error = 0;
	socklen_t length = sizeof error;

	if (probe->state == PORT_PROBE_RESOLVING) {
		bool told = read(lookup->notify_fd, &count, sizeof count) ==
			    (ssize_t)sizeof count;

		if (!told && !late)
			return;
		probe->lookup = NULL;
		if (told) {
			int status = gai_error(&lookup->request);

			probe->addresses = lookup->request.ar_result;
			lookup->request.ar_result = NULL;
			lookup_release(lookup, true);
			resolved(probe, status, 0, false);
		} else {
			lookup_release(lookup, false);
			resolved(probe, EAI_AGAIN, 0, true);
		}
		return;
	}
	if (probe->state != PORT_PROBE_CONNECTING)
		return;
	struct pollfd ready = { .fd = probe->fd, .events = POLLOUT };

	if (poll(&ready, 1, 0) <= 0) {
		if (late)
			finish(probe, CHECK_UNREACHABLE, "timed out");
		return;
	}
	if (getsockopt(probe->fd, SOL_SOCKET, SO_ERROR, &error, &length) < 0)
		error = errno;
	if (error == 0) {
		finish(probe, CHECK_WORKS, "");
		return;
	}
	close(probe->fd);
	probe->fd = -1;
	if (late) {
		finish(probe, CHECK_UNREACHABLE, strerror(error));
		return;
	}
	probe->address = probe->address->ai_next;
	connect_next(probe, error);
}

enum check_status port_probe_message(const struct port_probe *probe,
                                     char *message, size_t message_size)
{
	message[0] = '\0';
	if (probe->status == CHECK_USAGE)
		snprintf(message, message_size,
			 "'%s' is not a port: expected a number from 1 to 65535",
			 probe->port);
	else if (probe->status != CHECK_WORKS)
		snprintf(message, message_size, "%s on %s isn't listening (%s)",
			 probe->host, probe->port, probe->reason);
	return probe->status;
}

void port_probe_release(struct port_probe *probe)
{
	if (probe->lookup)
		lookup_release(probe->lookup, false);
	if (probe->fd >= 0)
		close(probe->fd);
	if (probe->addresses)
		freeaddrinfo(probe->addresses);
	*probe = (struct port_probe){ .fd = -1 };
}
