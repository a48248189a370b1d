/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* check_wire: the records between root and a home's check helper. */
#include "check_wire.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The longest result header: three numbers, a duration, blanks. */
#define HEADER_MAX 80

/* Drops the record handed out last: its bytes were lent until now. */
static void drop_taken(struct check_wire_buffer *buffer)
{
	if (!buffer->taken)
		return;
	buffer->length -= buffer->taken;
	memmove(buffer->bytes, buffer->bytes + buffer->taken, buffer->length);
	buffer->taken = 0;
}

static int reserve(struct check_wire_buffer *buffer, size_t more)
{
	size_t capacity = buffer->capacity ? buffer->capacity : 256;
	char *grown;

	if (more > SIZE_MAX / 2 - buffer->length)
		return errno = ENOMEM, -1;
	while (capacity < buffer->length + more)
		capacity *= 2;
	if (capacity == buffer->capacity)
		return 0;
	grown = realloc(buffer->bytes, capacity);
	if (!grown)
		return -1;
	buffer->bytes = grown;
	buffer->capacity = capacity;
	return 0;
}

int check_wire_append(struct check_wire_buffer *in, const void *bytes,
                      size_t size)
{
	drop_taken(in);
	if (reserve(in, size) < 0)
		return -1;
	memcpy(in->bytes + in->length, bytes, size);
	in->length += size;
	return 0;
}

int check_wire_put_request(struct check_wire_buffer *out,
                           const struct check_wire_request *request)
{
	char header[32];
	int length = snprintf(header, sizeof header, "%c%" PRIu64 "%s",
			      request->cancel ? 'c' : 's', request->id,
			      request->cancel ? "" : " ");

	size_t before;

	drop_taken(out);
	before = out->length;
	/* The NUL after the path (or the id) ends the record. */
	if (check_wire_append(out, header, (size_t)length) < 0 ||
	    (!request->cancel &&
	     check_wire_append(out, request->path, strlen(request->path)) < 0) ||
	    check_wire_append(out, "", 1) < 0) {
		out->length = before;   /* never half a record */
		return -1;
	}
	return 0;
}

int check_wire_put_result(struct check_wire_buffer *out,
                          const struct check_wire_result *result)
{
	char header[HEADER_MAX];
	size_t length = result->message_length < CHECK_WIRE_MAX_MESSAGE
				? result->message_length
				: CHECK_WIRE_MAX_MESSAGE;
	long long microseconds = (long long)(result->duration * 1e6 + 0.5);
	int size = snprintf(header, sizeof header, "%" PRIu64 " %d %lld %zu\n",
			    result->id, result->status,
			    microseconds > 0 ? microseconds : 0, length);

	size_t before;

	drop_taken(out);
	before = out->length;
	if (check_wire_append(out, header, (size_t)size) < 0 ||
	    check_wire_append(out, result->message, length) < 0) {
		out->length = before;   /* never half a record */
		return -1;
	}
	return 0;
}

/* A decimal number without sign or leading blank; NULL when none. */
static const char *number(const char *text, uint64_t max, uint64_t *value)
{
	uint64_t result = 0;
	const char *start = text;

	for (; *text >= '0' && *text <= '9'; text++) {
		unsigned digit = (unsigned)(*text - '0');

		if (digit > max || result > (max - digit) / 10)
			return NULL;
		result = result * 10 + digit;
	}
	*value = result;
	return text > start && text - start <= 20 ? text : NULL;
}

int check_wire_next_request(struct check_wire_buffer *in,
                            struct check_wire_request *request)
{
	const char *end, *at;

	drop_taken(in);
	end = in->length ? memchr(in->bytes, '\0', in->length) : NULL;
	if (!end)
		return in->length > CHECK_WIRE_MAX_REQUEST ? -1 : 0;
	if (in->bytes[0] != 's' && in->bytes[0] != 'c')
		return -1;
	*request = (struct check_wire_request){ .cancel = in->bytes[0] == 'c' };
	at = number(in->bytes + 1, UINT64_MAX, &request->id);
	if (!at)
		return -1;
	if (request->cancel ? at != end : *at != ' ' || at + 1 == end)
		return -1;
	request->path = request->cancel ? NULL : at + 1;
	in->taken = (size_t)(end - in->bytes) + 1;
	return 1;
}

int check_wire_next_result(struct check_wire_buffer *in,
                           struct check_wire_result *result)
{
	uint64_t status, microseconds, length;
	const char *at, *end;

	drop_taken(in);
	end = in->length ? memchr(in->bytes, '\n', in->length) : NULL;
	if (!end)
		return in->length > HEADER_MAX ? -1 : 0;
	*result = (struct check_wire_result){ 0 };
	if (!(at = number(in->bytes, UINT64_MAX, &result->id)) ||
	    *at++ != ' ' || !(at = number(at, 3, &status)) || *at++ != ' ' ||
	    !(at = number(at, UINT64_MAX / 2, &microseconds)) || *at++ != ' ' ||
	    !(at = number(at, CHECK_WIRE_MAX_MESSAGE, &length)) || at != end)
		return -1;
	if ((size_t)(end + 1 - in->bytes) + length > in->length)
		return 0;
	result->status = (int)status;
	result->duration = (double)microseconds / 1e6;
	result->message = end + 1;
	result->message_length = (size_t)length;
	in->taken = (size_t)(end + 1 - in->bytes) + (size_t)length;
	return 1;
}

bool check_wire_empty(const struct check_wire_buffer *in)
{
	return in->length == in->taken;
}

void check_wire_consume(struct check_wire_buffer *out, size_t count)
{
	out->taken = count;
	drop_taken(out);
}

void check_wire_release(struct check_wire_buffer *buffer)
{
	free(buffer->bytes);
	*buffer = (struct check_wire_buffer){ 0 };
}
