/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * fuzz_common: small helpers shared by the harnesses of tests/fuzz.  They
 * are written here again, apart from src/, so that a check never trusts
 * the code it checks: a UTF-8 validator after Unicode's table 3-7, exact
 * copies of the input, and a check that aborts with a message (libFuzzer
 * then keeps the input as a crash).
 */
#ifndef PROMISE_RUN_FUZZ_COMMON_H
#define PROMISE_RUN_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(condition, ...)                                        \
	do {                                                              \
		if (!(condition)) {                                       \
			fprintf(stderr, "%s:%d: check failed: %s: ",      \
				__FILE__, __LINE__, #condition);          \
			fprintf(stderr, __VA_ARGS__);                     \
			fputc('\n', stderr);                              \
			abort();                                          \
		}                                                         \
	} while (0)

/* An exact-size copy (no NUL after it): a read past it is an overflow. */
static inline char *fuzz_copy(const uint8_t *data, size_t size)
{
	char *copy = malloc(size ? size : 1);

	FUZZ_CHECK(copy, "out of memory");
	if (size)
		memcpy(copy, data, size);
	return copy;
}

/* A NUL-terminated copy of `data`, cut at its first NUL byte. */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t length = nul ? (size_t)(nul - data) : size;
	char *copy = malloc(length + 1);

	FUZZ_CHECK(copy, "out of memory");
	memcpy(copy, data, length);
	copy[length] = '\0';
	return copy;
}

/*
 * The length of the well-formed UTF-8 character at `s` (Unicode 15,
 * table 3-7), or 0 when none starts there.
 */
static inline size_t fuzz_utf8_char(const unsigned char *s, size_t size)
{
	unsigned char b0, lo = 0x80, hi = 0xBF;
	size_t n;

	if (size == 0)
		return 0;
	b0 = s[0];
	if (b0 <= 0x7F)
		return 1;
	if (b0 >= 0xC2 && b0 <= 0xDF)
		n = 2;
	else if (b0 == 0xE0)
		n = 3, lo = 0xA0;
	else if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF)
		n = 3;
	else if (b0 == 0xED)
		n = 3, hi = 0x9F;
	else if (b0 == 0xF0)
		n = 4, lo = 0x90;
	else if (b0 >= 0xF1 && b0 <= 0xF3)
		n = 4;
	else if (b0 == 0xF4)
		n = 4, hi = 0x8F;
	else
		return 0;
	if (size < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return n;
}

/* Whether `size` bytes are well-formed UTF-8 with no NUL. */
static inline bool fuzz_utf8_valid(const void *text, size_t size)
{
	const unsigned char *s = text;

	for (size_t i = 0; i < size;) {
		size_t n = fuzz_utf8_char(s + i, size - i);

		if (n == 0 || s[i] == 0)
			return false;
		i += n;
	}
	return true;
}

/* The number of characters in well-formed UTF-8. */
static inline size_t fuzz_utf8_chars(const void *text, size_t size)
{
	const unsigned char *s = text;
	size_t count = 0;

	for (size_t i = 0; i < size; i++)
		count += (s[i] & 0xC0) != 0x80;
	return count;
}

/* A tiny deterministic generator (xorshift64*), seeded from the input. */
static inline uint64_t fuzz_next(uint64_t *state)
{
	uint64_t x = *state ? *state : 0x9E3779B97F4A7C15u;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1Du;
}

static inline uint64_t fuzz_hash(const uint8_t *data, size_t size)
{
	uint64_t hash = 0xCBF29CE484222325u;

	for (size_t i = 0; i < size; i++)
		hash = (hash ^ data[i]) * 0x100000001B3u;
	return hash;
}

#endif
