/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * utf8: making arbitrary bytes into text every report format can carry.
 */
#ifndef PROMISE_RUN_UTF8_H
#define PROMISE_RUN_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Returns a NUL-terminated copy of `bytes` in which every ill-formed UTF-8
 * sequence (each maximal invalid subpart, as Unicode recommends) and every
 * NUL byte is replaced by U+FFFD.  Its length is stored in *length when
 * `length` is not NULL.  NULL with errno ENOMEM on allocation failure.
 */
char *utf8_sanitize(const unsigned char *bytes, size_t size, size_t *length);

/*
 * Writes the UTF-8 of code point `code` (at most U+10FFFF, no surrogate)
 * to `out`, which has room for 4 bytes; returns how many it wrote.
 */
size_t utf8_put(unsigned char *out, uint32_t code);

#endif
