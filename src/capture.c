/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* capture: a promise's output, in bounded memory, made into its message. */
#include "capture.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static const char cut_mark[] = "...";

/* The white space Python's str.strip() removes from ASCII text. */
static bool is_blank(unsigned char byte)
{
	return byte == ' ' || (byte >= '\t' && byte <= '\r') ||
	       (byte >= 0x1C && byte <= 0x1F);
}

static int ring_append(struct tail_ring *ring, const unsigned char *data,
                       size_t size)
{
	if (size == 0)
		return 0;
	if (!ring->bytes) {
		ring->bytes = malloc(CAPTURE_TAIL_BYTES);
		if (!ring->bytes) {
			errno = ENOMEM;
			return -1;
		}
	}
	if (size >= CAPTURE_TAIL_BYTES) {
		/* Only the last CAPTURE_TAIL_BYTES can survive: keep those. */
		ring->overflowed |= size > CAPTURE_TAIL_BYTES || ring->length > 0;
		memcpy(ring->bytes, data + size - CAPTURE_TAIL_BYTES,
		       CAPTURE_TAIL_BYTES);
		ring->head = 0;
		ring->length = CAPTURE_TAIL_BYTES;
		return 0;
	}
	while (size > 0) {
		size_t tail = (ring->head + ring->length) % CAPTURE_TAIL_BYTES;
		size_t chunk = CAPTURE_TAIL_BYTES - tail;

		if (chunk > size)
			chunk = size;
		memcpy(ring->bytes + tail, data, chunk);
		ring->length += chunk;
		if (ring->length > CAPTURE_TAIL_BYTES) {
			size_t dropped = ring->length - CAPTURE_TAIL_BYTES;

			ring->head = (ring->head + dropped) % CAPTURE_TAIL_BYTES;
			ring->length = CAPTURE_TAIL_BYTES;
			ring->overflowed = true;
		}
		data += chunk;
		size -= chunk;
	}
	return 0;
}

/* Appends the contents of `from`, oldest first, to `to`. */
static int ring_append_ring(struct tail_ring *to, const struct tail_ring *from)
{
	size_t first = CAPTURE_TAIL_BYTES - from->head;

	if (from->length == 0)
		return 0;
	if (first > from->length)
		first = from->length;
	if (ring_append(to, from->bytes + from->head, first) < 0 ||
	    ring_append(to, from->bytes, from->length - first) < 0)
		return -1;
	to->overflowed |= from->overflowed;
	return 0;
}

static void ring_clear(struct tail_ring *ring)
{
	ring->head = 0;
	ring->length = 0;
	ring->overflowed = false;
}

static void ring_free(struct tail_ring *ring)
{
	free(ring->bytes);
	ring->bytes = NULL;
	ring_clear(ring);
}

void capture_init(struct capture *capture)
{
	memset(capture, 0, sizeof *capture);
}

int capture_append(struct capture *capture, const void *data, size_t size)
{
	const unsigned char *start = data, *end = start + size, *text_end = end;

	if (!capture->text_started) {
		while (start < end && is_blank(*start))
			start++;
		if (start == end)
			return 0;
		capture->text_started = true;
	}
	while (text_end > start && is_blank(text_end[-1]))
		text_end--;
	if (text_end > start) {
		/* Text follows the pending blanks: they are inside the message. */
		if (ring_append_ring(&capture->text, &capture->blanks) < 0)
			return -1;
		ring_clear(&capture->blanks);
		if (ring_append(&capture->text, start,
				(size_t)(text_end - start)) < 0)
			return -1;
	}
	return ring_append(&capture->blanks, text_end, (size_t)(end - text_end));
}

/* Folds every "\r\n" into "\n", in place; returns the new size. */
static size_t fold_crlf(unsigned char *bytes, size_t size)
{
	size_t out = 0;

	for (size_t in = 0; in < size; in++) {
		if (bytes[in] == '\r' && in + 1 < size && bytes[in + 1] == '\n')
			continue;
		bytes[out++] = bytes[in];
	}
	return out;
}

/* The offset in `text` where its last `chars` characters begin. */
static size_t last_chars_offset(const char *text, size_t size, size_t chars)
{
	size_t offset = size;

	while (offset > 0 && chars > 0) {
		offset--;
		if (((unsigned char)text[offset] & 0xC0) != 0x80)
			chars--;
	}
	return offset;
}

char *capture_finish(struct capture *capture)
{
	const struct tail_ring *ring = &capture->text;
	unsigned char *raw = malloc(ring->length ? ring->length : 1);
	char *clean = NULL, *message = NULL;
	size_t size = 0, clean_size, keep_from;
	bool cut = ring->overflowed;

	if (!raw)
		goto out;
	if (ring->length) {
		size_t first = CAPTURE_TAIL_BYTES - ring->head;

		if (first > ring->length)
			first = ring->length;
		memcpy(raw, ring->bytes + ring->head, first);
		memcpy(raw + first, ring->bytes, ring->length - first);
		size = ring->length;
	}
	size = fold_crlf(raw, size);
	clean = utf8_sanitize(raw, size, &clean_size);
	if (!clean)
		goto out;
	keep_from = last_chars_offset(clean, clean_size, CAPTURE_MESSAGE_CHARS);
	cut |= keep_from > 0;
	if (!cut) {
		message = clean;
		clean = NULL;
		goto out;
	}
	message = malloc(sizeof cut_mark + clean_size - keep_from);
	if (message) {
		memcpy(message, cut_mark, sizeof cut_mark - 1);
		memcpy(message + sizeof cut_mark - 1, clean + keep_from,
		       clean_size - keep_from + 1);
	}
out:
	free(raw);
	free(clean);
	capture_release(capture);
	if (!message)
		errno = ENOMEM;
	return message;
}

void capture_release(struct capture *capture)
{
	ring_free(&capture->text);
	ring_free(&capture->blanks);
	capture->text_started = false;
}
