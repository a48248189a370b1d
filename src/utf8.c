/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* utf8: arbitrary bytes made into well-formed UTF-8. */
#include "utf8.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

static const unsigned char replacement[] = { 0xEF, 0xBF, 0xBD };

static bool is_continuation(unsigned char byte)
{
	return (byte & 0xC0) == 0x80;
}

/*
 * The length of the well-formed sequence at `bytes`, or 0 when it is
 * ill-formed; *consumed gets the length of its maximal invalid subpart
 * (at least 1), which is replaced as one character.
 */
static size_t sequence_length(const unsigned char *bytes, size_t size,
                              size_t *consumed)
{
	unsigned char lead = bytes[0];
	unsigned char low = 0x80, high = 0xBF;
	size_t expected;

	*consumed = 1;
	if (lead < 0x80)
		return lead == 0 ? 0 : 1;
	if (lead >= 0xC2 && lead <= 0xDF)
		expected = 2;
	else if (lead >= 0xE0 && lead <= 0xEF)
		expected = 3;
	else if (lead >= 0xF0 && lead <= 0xF4)
		expected = 4;
	else
		return 0;
	/* The second byte excludes overlong forms, surrogates and > U+10FFFF. */
	if (lead == 0xE0)
		low = 0xA0;
	else if (lead == 0xED)
		high = 0x9F;
	else if (lead == 0xF0)
		low = 0x90;
	else if (lead == 0xF4)
		high = 0x8F;
	for (size_t i = 1; i < expected; i++) {
		if (i >= size)
			return 0;
		if (i == 1 ? bytes[i] < low || bytes[i] > high
			   : !is_continuation(bytes[i]))
			return 0;
		*consumed = i + 1;
	}
	return expected;
}

char *utf8_sanitize(const unsigned char *bytes, size_t size, size_t *length)
{
	/* Each invalid byte grows to three at worst. */
	char *text = malloc(size * 3 + 1);
	size_t out = 0;

	if (!text) {
		errno = ENOMEM;
		return NULL;
	}
	for (size_t in = 0; in < size;) {
		size_t consumed;
		size_t valid = sequence_length(bytes + in, size - in, &consumed);

		if (valid) {
			for (size_t i = 0; i < valid; i++)
				text[out++] = (char)bytes[in + i];
			in += valid;
		} else {
			for (size_t i = 0; i < sizeof replacement; i++)
				text[out++] = (char)replacement[i];
			in += consumed;
		}
	}
	text[out] = '\0';
	if (length)
		*length = out;
	return text;
}

size_t utf8_put(unsigned char *out, uint32_t code)
{
	if (code < 0x80) {
		out[0] = (unsigned char)code;
		return 1;
	}
	if (code < 0x800) {
		out[0] = (unsigned char)(0xC0 | code >> 6);
		out[1] = (unsigned char)(0x80 | (code & 0x3F));
		return 2;
	}
	if (code < 0x10000) {
		out[0] = (unsigned char)(0xE0 | code >> 12);
		out[1] = (unsigned char)(0x80 | (code >> 6 & 0x3F));
		out[2] = (unsigned char)(0x80 | (code & 0x3F));
		return 3;
	}
	out[0] = (unsigned char)(0xF0 | code >> 18);
	out[1] = (unsigned char)(0x80 | (code >> 12 & 0x3F));
	out[2] = (unsigned char)(0x80 | (code >> 6 & 0x3F));
	out[3] = (unsigned char)(0x80 | (code & 0x3F));
	return 4;
}
