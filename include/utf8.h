/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * utf8: making arbitrary bytes into text every report format can carry.
 */
#ifndef PROMISE_RUN_UTF8_H
#define PROMISE_RUN_UTF8_H

#include <stddef.h>

/*
 * Returns a NUL-terminated copy of `bytes` in which every ill-formed UTF-8
 * sequence (each maximal invalid subpart, as Unicode recommends) and every
 * NUL byte is replaced by U+FFFD.  Its length is stored in *length when
 * `length` is not NULL.  NULL with errno ENOMEM on allocation failure.
 */
char *utf8_sanitize(const unsigned char *bytes, size_t size, size_t *length);

/* The number of characters in valid UTF-8 text of `size` bytes. */
size_t utf8_count(const char *text, size_t size);

#endif
