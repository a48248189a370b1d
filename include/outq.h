/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * outq: output for a descriptor promise-run inherited (its standard
 * output, a terminal, a pipe to a slow reader), queued in memory and
 * written only when the descriptor is writable, so that a reader that
 * does not read never stalls the event loop.  The descriptor itself is
 * never made non-blocking (it is shared with whoever gave it): after
 * POLLOUT, one write of at most what the kernel then takes without
 * blocking (PIPE_BUF for a pipe, a terminal's wake-up threshold for a
 * terminal).
 *
 * Lifecycle: outq_init; write to outq_stream; in the loop, outq_poll and
 * outq_write_ready after POLLOUT; outq_drain once the run is over;
 * outq_release.
 */
#ifndef PROMISE_RUN_OUTQ_H
#define PROMISE_RUN_OUTQ_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct outq {
	int fd;
	char *data;
	size_t start, length, capacity;
	size_t chunk;               /* the most written after one POLLOUT */
	int error;                  /* the first write error, or 0 */
	FILE *stream;               /* writes append to the queue */
};

/* 0, or -1 with errno. */
int outq_init(struct outq *queue, int fd);

/* Where renderers write; flushed into the queue. */
FILE *outq_stream(struct outq *queue);

/* Whether bytes wait (and the descriptor still takes them). */
bool outq_pending(struct outq *queue);

/* The poll entry for the descriptor, POLLOUT. */
struct pollfd outq_poll(const struct outq *queue);

/* One write, after POLLOUT. */
void outq_write_ready(struct outq *queue);

/*
 * Copies what is queued to `to` (--output: the whole report to a file),
 * leaving the queue as it is; 0, or -1 with errno.
 */
int outq_copy(struct outq *queue, FILE *to);

/* Writes everything left, blocking; 0, or -1 with the error in errno. */
int outq_drain(struct outq *queue);

void outq_release(struct outq *queue);

#endif
