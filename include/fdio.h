/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * fdio: reads, writes and closes that retry on EINTR, say a short write
 * plainly, and keep errno where a clean-up must not hide the real error.
 * The one place where promise-run loops on EINTR.
 */
#ifndef PROMISE_RUN_FDIO_H
#define PROMISE_RUN_FDIO_H

#include <stddef.h>
#include <sys/types.h>

/* Closes `fd` (when >= 0) and keeps errno: for clean-up paths. */
void fdio_close_quietly(int fd);

/* read(2) retried on EINTR. */
ssize_t fdio_read(int fd, void *buffer, size_t size);

/* write(2) retried on EINTR: once, a short write is the caller's. */
ssize_t fdio_write(int fd, const void *buffer, size_t size);

/* pread(2) retried on EINTR. */
ssize_t fdio_pread(int fd, void *buffer, size_t size, off_t offset);

/*
 * Writes all of `buffer`; 0, or -1 with errno (ENOSPC for a write that
 * the kernel cut short without an error).
 */
int fdio_write_all(int fd, const void *buffer, size_t size);

/* The same at `offset`, with pwrite(2). */
int fdio_pwrite_all(int fd, const void *buffer, size_t size, off_t offset);

#endif
