/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * check_wire: what root and a home's check helper (see check_helper) say
 * to each other, on two pipes.  Pure: bytes in, records out.
 *
 * Root to helper, one record per check, ended by a NUL byte (a file name
 * may hold any other byte):
 *
 *   "s" ID " " PATH "\0"     run the declared check in the file PATH
 *   "c" ID "\0"              drop check ID: root no longer waits for it
 *
 * Helper to root, one record per check that ended, a header line and the
 * message's bytes (which may hold line feeds):
 *
 *   ID " " STATUS " " MICROSECONDS " " LENGTH "\n" MESSAGE
 *
 * ID is root's (decimal, never reused in a run), STATUS the check's exit
 * status (0 to 3), MICROSECONDS how long it ran.  The helper is the home's
 * user's process: root takes nothing from it on trust, and a record that
 * does not parse ends the helper.
 */
#ifndef PROMISE_RUN_CHECK_WIRE_H
#define PROMISE_RUN_CHECK_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest message a result may carry (a check's is at most 2 KiB). */
#define CHECK_WIRE_MAX_MESSAGE 16384

/* The longest request: a path and its header. */
#define CHECK_WIRE_MAX_REQUEST (4096 + 32)

/* Bytes received and not yet parsed into records. */
struct check_wire_buffer {
	char *bytes;
	size_t length, capacity;
	size_t taken;           /* the record last handed out, dropped next */
};

struct check_wire_request {
	bool cancel;            /* "c": drop it; else "s": run it */
	uint64_t id;
	const char *path;       /* "s": in the buffer until the next call */
};

struct check_wire_result {
	uint64_t id;
	int status;
	double duration;        /* seconds */
	const char *message;    /* in the buffer, until the next call */
	size_t message_length;
};

/* Appends one request to `out`; 0, or -1 with errno ENOMEM. */
int check_wire_put_request(struct check_wire_buffer *out,
                           const struct check_wire_request *request);

/* Appends one result to `out`; 0, or -1 with errno ENOMEM. */
int check_wire_put_result(struct check_wire_buffer *out,
                          const struct check_wire_result *result);

/* Appends received bytes to `in`; 0, or -1 (ENOMEM). */
int check_wire_append(struct check_wire_buffer *in, const void *bytes,
                      size_t size);

/*
 * Takes the next whole record off the front of `in`: 1 with *request or
 * *result filled, 0 when none is whole yet, -1 when what is there can
 * never be one (the sender is broken or hostile).
 */
int check_wire_next_request(struct check_wire_buffer *in,
                            struct check_wire_request *request);
int check_wire_next_result(struct check_wire_buffer *in,
                           struct check_wire_result *result);

/* Whether nothing is left in `in` but the record handed out last. */
bool check_wire_empty(const struct check_wire_buffer *in);

/* Drops `count` bytes from the front of `out` (written). */
void check_wire_consume(struct check_wire_buffer *out, size_t count);

void check_wire_release(struct check_wire_buffer *buffer);

#endif
