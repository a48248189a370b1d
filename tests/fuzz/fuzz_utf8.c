/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * fuzz_utf8: utf8_sanitize on any bytes, given as an
 * exact-size copy.
 *
 * Checks: the output is well-formed UTF-8 without NUL (own validator),
 * its length is the one stored in *length; sanitizing it again changes
 * nothing; valid input without NUL comes out unchanged; and the output
 * equals a reference written apart from it: the WHATWG Encoding
 * standard's UTF-8 decoder (a byte-at-a-time state machine, which
 * replaces each maximal invalid subpart with one U+FFFD, as Unicode
 * recommends), with NUL as U+FFFD too.
 */
#include <string.h>

#include "fuzz_common.h"
#include "utf8.h"

/* The WHATWG "UTF-8 decoder", re-encoding as it goes; its size in *out_size. */
static unsigned char *reference(const uint8_t *bytes, size_t size,
                                size_t *out_size)
{
	unsigned char *out = malloc(3 * size + 1);
	size_t used = 0, needed = 0, seen = 0;
	uint32_t code = 0;
	unsigned lower = 0x80, upper = 0xBF;

	FUZZ_CHECK(out, "out of memory");
	for (size_t i = 0; i <= size;) {
		unsigned byte;

		if (i == size) {                /* end of queue */
			if (needed) {
				used += utf8_put(out + used, 0xFFFD);
				needed = 0;
			}
			break;
		}
		byte = bytes[i];
		if (needed == 0) {
			i++;
			if (byte <= 0x7F) {
				used += utf8_put(out + used,
						      byte ? byte : 0xFFFD);
			} else if (byte >= 0xC2 && byte <= 0xDF) {
				needed = 1;
				code = byte & 0x1F;
			} else if (byte >= 0xE0 && byte <= 0xEF) {
				if (byte == 0xE0)
					lower = 0xA0;
				if (byte == 0xED)
					upper = 0x9F;
				needed = 2;
				code = byte & 0xF;
			} else if (byte >= 0xF0 && byte <= 0xF4) {
				if (byte == 0xF0)
					lower = 0x90;
				if (byte == 0xF4)
					upper = 0x8F;
				needed = 3;
				code = byte & 0x7;
			} else {
				used += utf8_put(out + used, 0xFFFD);
			}
			continue;
		}
		if (byte < lower || byte > upper) {
			/* Error; the byte is read again ("prepended"). */
			code = 0;
			needed = seen = 0;
			lower = 0x80;
			upper = 0xBF;
			used += utf8_put(out + used, 0xFFFD);
			continue;
		}
		i++;
		lower = 0x80;
		upper = 0xBF;
		code = code << 6 | (byte & 0x3F);
		if (++seen != needed)
			continue;
		used += utf8_put(out + used, code);
		code = 0;
		needed = seen = 0;
	}
	*out_size = used;
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *input = fuzz_copy(data, size);
	size_t length = (size_t)-1, again_length = (size_t)-1;
	size_t expected_size;
	char *clean = utf8_sanitize((const unsigned char *)input, size, &length);
	char *again;
	unsigned char *expected;

	FUZZ_CHECK(clean, "utf8_sanitize");
	FUZZ_CHECK(length == strlen(clean), "length %zu, strlen %zu", length,
		   strlen(clean));
	FUZZ_CHECK(fuzz_utf8_valid(clean, length), "output not well-formed");
	again = utf8_sanitize((const unsigned char *)input, size, NULL);
	FUZZ_CHECK(again && strcmp(again, clean) == 0,
		   "utf8_sanitize without length");
	free(again);

	again = utf8_sanitize((const unsigned char *)clean, length,
			      &again_length);
	FUZZ_CHECK(again && again_length == length &&
		   memcmp(again, clean, length) == 0, "not idempotent");
	free(again);

	if (fuzz_utf8_valid(input, size))
		FUZZ_CHECK(length == size && memcmp(clean, input, size) == 0,
			   "valid input changed");

	expected = reference(data, size, &expected_size);
	FUZZ_CHECK(expected_size == length &&
		   memcmp(expected, clean, length) == 0,
		   "differs from the WHATWG decoder");
	free(expected);
	free(clean);
	free(input);
	return 0;
}
