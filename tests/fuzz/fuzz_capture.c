/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * fuzz_capture: a promise's output fed to capture_append in chunks of
 * sizes derived from the input, then capture_finish.
 *
 * Input: byte 0 chooses the chunking, byte 1 how many times the rest is
 * repeated (so that a small input still overflows the 20 kB tail ring)
 * and how long a run of blanks goes in the middle (to overflow the ring
 * of pending blanks), and whether to check capture_release too; the rest
 * is the output.
 *
 * Checks: the message is well-formed UTF-8 (own validator), has no NUL,
 * no leading or trailing ASCII white space, at most CAPTURE_MESSAGE_CHARS
 * characters after a "..." prefix when cut, and equals what a plain
 * reference computes from the whole output at once: strip, fold "\r\n",
 * utf8_sanitize, keep the last CAPTURE_MESSAGE_CHARS characters.  Also
 * that capture_release alone frees everything (LeakSanitizer).
 */
#include <string.h>

#include "capture.h"
#include "fuzz_common.h"
#include "utf8.h"

/* Enough to overflow the ring several times, few enough to stay fast. */
#define MAX_OUTPUT (2 * CAPTURE_TAIL_BYTES + 4096)

/* capture.c's blanks: the white space Python's str.strip() removes. */
static bool is_blank(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x1F);
}

/* The message, computed from the whole output at once. */
static char *reference(const unsigned char *output, size_t size)
{
	size_t start = 0, end = size, folded_size = 0, clean_size, chars, from;
	unsigned char *folded;
	char *clean, *message;

	while (start < end && is_blank(output[start]))
		start++;
	while (end > start && is_blank(output[end - 1]))
		end--;
	folded = malloc(end - start + 1);
	FUZZ_CHECK(folded, "out of memory");
	for (size_t i = start; i < end; i++) {
		if (output[i] == '\r' && i + 1 < end && output[i + 1] == '\n')
			continue;
		folded[folded_size++] = output[i];
	}
	clean = utf8_sanitize(folded, folded_size, &clean_size);
	free(folded);
	FUZZ_CHECK(clean, "out of memory");
	chars = fuzz_utf8_chars(clean, clean_size);
	if (chars <= CAPTURE_MESSAGE_CHARS)
		return clean;
	/* Skip the first chars - CAPTURE_MESSAGE_CHARS characters. */
	from = 0;
	for (size_t skip = chars - CAPTURE_MESSAGE_CHARS; skip > 0; skip--) {
		from++;
		while (from < clean_size &&
		       ((unsigned char)clean[from] & 0xC0) == 0x80)
			from++;
	}
	message = malloc(3 + clean_size - from + 1);
	FUZZ_CHECK(message, "out of memory");
	memcpy(message, "...", 3);
	memcpy(message + 3, clean + from, clean_size - from + 1);
	free(clean);
	return message;
}

/*
 * Feeds `output` in chunks chosen by `mode`; -1 on failure.  At most
 * MAX_WRITES writes, then the rest at once, to keep each run fast.
 */
#define MAX_WRITES 4096

static int feed(struct capture *capture, const unsigned char *output,
                size_t size, uint8_t mode, uint64_t seed)
{
	uint64_t state = seed | 1;
	size_t at = 0, most, writes = 0;

	switch (mode & 3) {
	case 0:                         /* all at once */
		return capture_append(capture, output, size);
	case 1:                         /* byte by byte, with empty writes */
		most = 1;
		break;
	default:                        /* random sizes up to 2^(mode>>2) */
		most = (size_t)1 << (mode >> 2 & 15);
		break;
	}
	while (at < size) {
		size_t chunk = (size_t)(fuzz_next(&state) % (most + 1));

		if ((mode & 3) == 1)
			chunk = writes % 2;
		else if ((mode & 3) == 3 && fuzz_next(&state) % 8 == 0)
			/* The ring's own size, give or take one byte. */
			chunk = CAPTURE_TAIL_BYTES - 1 +
				(size_t)(fuzz_next(&state) % 3);
		if (++writes >= MAX_WRITES || chunk > size - at)
			chunk = size - at;
		if (capture_append(capture, output + at, chunk) < 0)
			return -1;
		at += chunk;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct capture capture;
	uint8_t mode, repeat_byte;
	size_t repeat, payload_size, output_size, message_size, blank_run;
	unsigned char *output, *at;
	char *message, *expected;

	if (size < 2)
		return 0;
	mode = data[0];
	repeat_byte = data[1];
	data += 2;
	payload_size = size - 2;
	repeat = 1 + (repeat_byte & 7);
	if (repeat_byte & 0x80)
		repeat *= 16;
	if (payload_size && repeat > MAX_OUTPUT / payload_size)
		repeat = MAX_OUTPUT / payload_size ? MAX_OUTPUT / payload_size : 1;
	blank_run = (size_t)(repeat_byte >> 3 & 7) * 4000;
	output_size = payload_size * repeat + blank_run;
	output = malloc(output_size ? output_size : 1);
	FUZZ_CHECK(output, "out of memory");
	at = output;
	for (size_t i = 0; i < repeat; i++) {
		if (i == repeat / 2) {
			/* Blanks, "\r\n" among them, chosen by the payload. */
			static const char blanks[] = " \t\r\n\v\f\r\n";
			uint64_t state = fuzz_hash(data, payload_size);

			for (size_t j = 0; j < blank_run; j++)
				*at++ = (unsigned char)blanks[fuzz_next(&state) %
					(sizeof blanks - 1)];
		}
		if (payload_size)
			memcpy(at, data, payload_size);
		at += payload_size;
	}
	FUZZ_CHECK((size_t)(at - output) == output_size, "output size");

	capture_init(&capture);
	FUZZ_CHECK(feed(&capture, output, output_size, mode,
			fuzz_hash(data, payload_size)) == 0, "capture_append");
	message = capture_finish(&capture);
	FUZZ_CHECK(message, "capture_finish");

	message_size = strlen(message);
	FUZZ_CHECK(fuzz_utf8_valid(message, message_size),
		   "message is not valid UTF-8");
	if (message_size) {
		FUZZ_CHECK(!is_blank((unsigned char)message[0]),
			   "leading white space");
		FUZZ_CHECK(!is_blank((unsigned char)message[message_size - 1]),
			   "trailing white space");
	}
	if (fuzz_utf8_chars(message, message_size) > CAPTURE_MESSAGE_CHARS) {
		FUZZ_CHECK(strncmp(message, "...", 3) == 0,
			   "more than %d characters without \"...\"",
			   CAPTURE_MESSAGE_CHARS);
		FUZZ_CHECK(fuzz_utf8_chars(message + 3, message_size - 3) <=
			   CAPTURE_MESSAGE_CHARS, "too long after \"...\"");
	}
	expected = reference(output, output_size);
	FUZZ_CHECK(strlen(expected) == message_size &&
		   memcmp(expected, message, message_size) == 0,
		   "message (%zu bytes) differs from the reference (%zu bytes), output of %zu bytes",
		   message_size, strlen(expected), output_size);
	free(expected);
	free(message);

	/* A capture released without a message frees all it holds. */
	if (repeat_byte & 0x40) {
		capture_init(&capture);
		FUZZ_CHECK(feed(&capture, output, output_size,
				(uint8_t)(mode ^ 2),
				~fuzz_hash(data, payload_size)) == 0,
			   "capture_append");
		capture_release(&capture);
	}
	free(output);
	return 0;
}
