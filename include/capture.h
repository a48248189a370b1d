/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * capture: a promise's merged output, kept in bounded memory.
 *
 * The message of a promise is its output with the surrounding white space
 * stripped, "\r\n" folded to "\n", invalid UTF-8 replaced, and only the last
 * CAPTURE_MESSAGE_CHARS characters kept ("..." in front when cut).  A capture
 * stores only the tail that can still reach the message, so a promise that
 * prints gigabytes costs a fixed amount of memory, and nothing when it prints
 * nothing (buffers are allocated on first output).
 *
 * Lifecycle: capture_init, capture_append as bytes arrive, then either
 * capture_finish (which returns the message) or capture_release.
 */
#ifndef PROMISE_RUN_CAPTURE_H
#define PROMISE_RUN_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>

#define CAPTURE_MESSAGE_CHARS 5000

/*
 * Raw bytes that always hold more than CAPTURE_MESSAGE_CHARS characters:
 * a character takes at most 4 bytes, and a partial sequence may lead.
 */
#define CAPTURE_TAIL_BYTES (4 * (CAPTURE_MESSAGE_CHARS + 1) + 4)

/* The last CAPTURE_TAIL_BYTES bytes written into it. */
struct tail_ring {
	unsigned char *bytes;   /* NULL until the first byte */
	size_t head;            /* index of the oldest byte kept */
	size_t length;          /* bytes kept */
	bool overflowed;        /* older bytes were dropped */
};

struct capture {
	/* Output from its first to its last non-blank byte. */
	struct tail_ring text;
	/* Blank bytes after that: text only if more text follows them. */
	struct tail_ring blanks;
	/* Leading blanks are dropped until the first non-blank byte. */
	bool text_started;
};

void capture_init(struct capture *capture);

/* Adds output; 0, or -1 with errno ENOMEM. */
int capture_append(struct capture *capture, const void *data, size_t size);

/*
 * Returns the message (malloc'd, valid UTF-8 without NUL bytes) and
 * releases the capture.  NULL with errno ENOMEM on allocation failure.
 */
char *capture_finish(struct capture *capture);

/* Frees the buffers without building a message. */
void capture_release(struct capture *capture);

#endif
