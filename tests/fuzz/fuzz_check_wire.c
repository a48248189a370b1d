/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * fuzz_check_wire: what a check helper (the home's user's process) or
 * root may send, parsed as root and the helper parse it.  The first byte
 * chooses results or requests and how the rest arrives: in pieces of 1
 * to 16 bytes, or whole.
 *
 * Checks, for each record taken: a result's status is 0 to 3, its
 * message no longer than CHECK_WIRE_MAX_MESSAGE and inside what arrived;
 * a request's path is not empty and holds no NUL; written again, a
 * record reads back the same.  Once a parse says -1 (never a record),
 * nothing is taken any more.
 */
#include <string.h>

#include "check_wire.h"
#include "fuzz_common.h"

/* Writes `result` again and reads it back: the same record. */
static void round_trip_result(const struct check_wire_result *result)
{
	struct check_wire_buffer out = { 0 };
	struct check_wire_result back;

	FUZZ_CHECK(check_wire_put_result(&out, result) == 0, "put_result");
	FUZZ_CHECK(check_wire_next_result(&out, &back) == 1,
		   "a written result does not read back");
	FUZZ_CHECK(back.id == result->id && back.status == result->status &&
		   back.message_length == result->message_length &&
		   memcmp(back.message, result->message,
			  back.message_length) == 0,
		   "a result reads back different");
	check_wire_release(&out);
}

static void round_trip_request(const struct check_wire_request *request)
{
	struct check_wire_buffer out = { 0 };
	struct check_wire_request back;

	FUZZ_CHECK(check_wire_put_request(&out, request) == 0, "put_request");
	FUZZ_CHECK(check_wire_next_request(&out, &back) == 1,
		   "a written request does not read back");
	FUZZ_CHECK(back.id == request->id && back.cancel == request->cancel &&
		   (back.cancel || strcmp(back.path, request->path) == 0),
		   "a request reads back different");
	check_wire_release(&out);
}

/* Takes every whole record; false once the input is refused. */
static bool take(struct check_wire_buffer *in, bool results)
{
	struct check_wire_result result;
	struct check_wire_request request;
	int status;

	for (;;) {
		if (results) {
			status = check_wire_next_result(in, &result);
			if (status != 1)
				break;
			FUZZ_CHECK(result.status >= 0 && result.status <= 3,
				   "status %d", result.status);
			FUZZ_CHECK(result.message_length <= CHECK_WIRE_MAX_MESSAGE,
				   "a message too long");
			FUZZ_CHECK(result.message >= in->bytes &&
				   result.message + result.message_length <=
					   in->bytes + in->length,
				   "a message outside what arrived");
			round_trip_result(&result);
		} else {
			status = check_wire_next_request(in, &request);
			if (status != 1)
				break;
			FUZZ_CHECK(request.cancel || *request.path,
				   "an empty path");
			round_trip_request(&request);
		}
	}
	return status == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct check_wire_buffer in = { 0 };
	bool results, alive = true;
	size_t piece;

	if (size == 0)
		return 0;
	results = data[0] & 1;
	piece = data[0] & 2 ? (size_t)(data[0] >> 4) + 1 : size;
	data++, size--;
	while (size && alive) {
		size_t now = size < piece ? size : piece;

		FUZZ_CHECK(check_wire_append(&in, data, now) == 0, "append");
		data += now, size -= now;
		alive = take(&in, results);
	}
	check_wire_release(&in);
	return 0;
}
