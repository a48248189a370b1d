/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* outq: queued output, written when the descriptor takes it. */
#include "outq.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdio.h"

/* Below this many bytes queued, a terminal reports POLLOUT (n_tty). */
#define TERMINAL_CHUNK 256

static ssize_t append(void *cookie, const char *data, size_t size)
{
	struct outq *queue = cookie;

	if (queue->start && queue->start + queue->length + size >
				    queue->capacity) {
		/* Move what is left to the front first, then grow if needed. */
		memmove(queue->data, queue->data + queue->start, queue->length);
		queue->start = 0;
	}
	if (queue->length + size > queue->capacity) {
		size_t capacity = queue->capacity ? queue->capacity : 4096;
		char *grown;

		while (capacity < queue->length + size)
			capacity *= 2;
		grown = realloc(queue->data, capacity);
		if (!grown) {
			errno = ENOMEM;
			return -1;
		}
		queue->data = grown;
		queue->capacity = capacity;
	}
	memcpy(queue->data + queue->start + queue->length, data, size);
	queue->length += size;
	return (ssize_t)size;
}

int outq_init(struct outq *queue, int fd)
{
	cookie_io_functions_t functions = { .write = append };
	struct stat status;

	memset(queue, 0, sizeof *queue);
	queue->fd = fd;
	queue->chunk = (size_t)-1;
	if (fstat(fd, &status) == 0) {
		if (S_ISFIFO(status.st_mode) || S_ISSOCK(status.st_mode))
			queue->chunk = PIPE_BUF;
		else if (S_ISCHR(status.st_mode))
			queue->chunk = TERMINAL_CHUNK;
	}
	queue->stream = fopencookie(queue, "w", functions);
	return queue->stream ? 0 : -1;
}

FILE *outq_stream(struct outq *queue)
{
	return queue->stream;
}

bool outq_pending(struct outq *queue)
{
	(void)fflush(queue->stream);
	return queue->fd >= 0 && queue->length > 0 && !queue->error;
}

struct pollfd outq_poll(const struct outq *queue)
{
	return (struct pollfd){ .fd = queue->fd, .events = POLLOUT };
}

void outq_write_ready(struct outq *queue)
{
	size_t size = queue->length < queue->chunk ? queue->length
						   : queue->chunk;
	ssize_t written;

	if (size == 0 || queue->error)
		return;
	written = fdio_write(queue->fd, queue->data + queue->start, size);
	if (written < 0) {
		if (errno != EAGAIN)
			queue->error = errno;
		return;
	}
	queue->start += (size_t)written;
	queue->length -= (size_t)written;
	if (queue->length == 0)
		queue->start = 0;
}

int outq_copy(struct outq *queue, FILE *to)
{
	if (fflush(queue->stream) == EOF)
		return -1;
	if (fwrite(queue->data + queue->start, 1, queue->length, to) !=
	    queue->length)
		return -1;
	return 0;
}

int outq_drain(struct outq *queue)
{
	(void)fflush(queue->stream);
	if (!queue->error && queue->length > 0 &&
	    fdio_write_all(queue->fd, queue->data + queue->start,
			   queue->length) < 0)
		queue->error = errno;
	queue->start = queue->length = 0;
	if (queue->error) {
		errno = queue->error;
		return -1;
	}
	return 0;
}

void outq_release(struct outq *queue)
{
	if (queue->stream)
		(void)fclose(queue->stream);
	free(queue->data);
	memset(queue, 0, sizeof *queue);
	queue->fd = -1;
}
