/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * atomic_file: a file replaced whole or not at all.  It is written under a
 * temporary name in the same folder, then renamed over the real one, so a
 * reader (or a crash) only ever sees the old complete file or the new one.
 *
 * Lifecycle: atomic_file_open; write to `stream`; atomic_file_close (with
 * or without its own fsync: callers that write many files sync them in one
 * batch instead); atomic_file_commit, or atomic_file_discard on any error.
 */
#ifndef PROMISE_RUN_ATOMIC_FILE_H
#define PROMISE_RUN_ATOMIC_FILE_H

#include <stdbool.h>
#include <stdio.h>

/* Temporary names start with this, so a crashed run's can be removed. */
#define ATOMIC_FILE_TEMP_PREFIX ".promise-run-tmp."

struct atomic_file {
	char *path;
	char *temp_path;
	FILE *stream;
};

/* 0, or -1 with errno. */
int atomic_file_open(struct atomic_file *file, const char *path);

/* Flushes and closes the stream, with fsync when `sync`; 0 or -1. */
int atomic_file_close(struct atomic_file *file, bool sync);

/* Renames the closed temporary file over the real one; 0 or -1. */
int atomic_file_commit(struct atomic_file *file);

/* Removes the temporary file and frees everything; keeps errno. */
void atomic_file_discard(struct atomic_file *file);

/* fsync of a folder, so that renames in it are durable; 0 or -1. */
int atomic_file_sync_dir(const char *dir);

#endif
