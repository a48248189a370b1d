/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * The helpers every unit suite shares: temporary folders, files written
 * in them, and output captured in memory.  They assert with Check, so a
 * helper that cannot do its job fails the test that called it.
 */
#ifndef PROMISE_RUN_TEST_HELPERS_H
#define PROMISE_RUN_TEST_HELPERS_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

/* A new empty folder under $TMPDIR (or /tmp); malloc'd path. */
char *helper_temp_folder(void);

/* Removes `path` and everything beneath it, then frees `path`. */
void helper_remove_tree(char *path);

/* Opens the folder `path` as an O_DIRECTORY descriptor. */
int helper_open_folder(const char *path);

/* Writes `text` into the new file `name` of folder `dir_fd`, with `mode`. */
void helper_write_file(int dir_fd, const char *name, const char *text,
                       mode_t mode);

/* The whole content of the file `name` of folder `dir_fd`; malloc'd. */
char *helper_read_file(int dir_fd, const char *name);

/* Output written to a FILE and read back as one string. */
struct helper_output {
	FILE *out;
	char *text;
	size_t size;
};

/* Opens `output->out` on memory. */
void helper_output_open(struct helper_output *output);

/* Closes the stream; the text is `output->text` (free it). */
char *helper_output_close(struct helper_output *output);

/*
 * Fails unless `got` is exactly `expected`, naming the first line that
 * differs (Check cannot carry two whole documents in one message).
 */
void helper_assert_same_text(const char *got, const char *expected);

/* A point in time, for fake clocks. */
struct timespec helper_time(time_t seconds, long nanoseconds);

#endif
