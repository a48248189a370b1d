/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * port_probe: check-port as a state machine that never blocks, so that
 * the command (its own ppoll) and promise-run's event loop (one ppoll for
 * every check) run the same code and say the same words.
 *
 *   RESOLVING (getaddrinfo_a; an eventfd tells its end; a numeric host is
 *   resolved at once) -> CONNECTING (a non-blocking connect to each
 *   address in turn) -> DONE, all before one deadline.
 *
 * Lifecycle: port_probe_start; until port_probe_done, wait on the
 * descriptor port_probe_poll names (or until port_probe_deadline) and
 * call port_probe_step; then port_probe_message, port_probe_release.
 * A lookup still running at the release is left to glibc's thread, which
 * frees it when it ends.
 */
#ifndef PROMISE_RUN_PORT_PROBE_H
#define PROMISE_RUN_PORT_PROBE_H

#include <netdb.h>
#include <poll.h>
#include <stdbool.h>
#include <time.h>

#include "checks.h"

struct port_lookup;

enum port_probe_state {
	PORT_PROBE_RESOLVING,
	PORT_PROBE_CONNECTING,
	PORT_PROBE_DONE,
};

struct port_probe {
	enum port_probe_state state;
	const char *host, *port;
	struct timespec deadline;
	struct port_lookup *lookup;         /* while RESOLVING a name */
	struct addrinfo *addresses;
	const struct addrinfo *address;     /* the one being connected to */
	int fd;                             /* its socket, or -1 */
	enum check_status status;           /* once DONE */
	char reason[128];                   /* why not, once DONE */
};

/* Starts a probe of `options` at `now` (DONE at once on a bad port). */
void port_probe_start(struct port_probe *probe,
                      const struct check_port_options *options,
                      struct timespec now);

/* The descriptor to wait on; false when none (DONE). */
bool port_probe_poll(const struct port_probe *probe, struct pollfd *poll);

/* When the probe gives up. */
struct timespec port_probe_deadline(const struct port_probe *probe);

/* Goes on after its descriptor was ready or its deadline came. */
void port_probe_step(struct port_probe *probe, struct timespec now);

static inline bool port_probe_done(const struct port_probe *probe)
{
	return probe->state == PORT_PROBE_DONE;
}

/* The verdict of a DONE probe; its message ("" when it works). */
enum check_status port_probe_message(const struct port_probe *probe,
                                     char *message, size_t message_size);

/* Frees the probe, whatever its state. */
void port_probe_release(struct port_probe *probe);

#endif
