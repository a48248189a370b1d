/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * fsat: files and folders reached relative to a directory descriptor,
 * never by a path that the kernel would resolve from the root.  Inside an
 * instance home everything belongs to its user, who may swap any part of
 * it for a symbolic link, a hard link, a FIFO or a device at any moment:
 *
 *   - a path is opened beneath its folder descriptor and follows no
 *     symbolic link (openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS, or
 *     one O_NOFOLLOW component at a time where the kernel lacks it);
 *   - files are opened O_NONBLOCK (a FIFO cannot hang the run) and used
 *     only when fstat shows a regular file;
 *   - a file written is one that has a single link and belongs to the
 *     expected owner; a new one gets exactly the mode asked for, whatever
 *     the umask, and its owner from the filesystem identity (see identity).
 *
 * Refusals come back as -1 with errno set to one of the FSAT_ codes below,
 * which failure_reason (see failure) words along with ordinary errno
 * values.
 */
#ifndef PROMISE_RUN_FSAT_H
#define PROMISE_RUN_FSAT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* errno values of refusals, above every errno of the kernel. */
enum {
	FSAT_NOT_REGULAR = 4096,    /* a FIFO, a device, a folder, ... */
	FSAT_LINKED,                /* a file with other hard links */
	FSAT_NOT_OWNED,             /* a file of another user */
	FSAT_TOO_BIG,               /* longer than the reader accepts */
};

/* No owner check (promise-run's own files outside any home). */
#define FSAT_ANY_OWNER ((uid_t)-1)

/*
 * Opens `path` ("a/b/c", relative) beneath `dir_fd`, following no symbolic
 * link; `flags` as for openat(2), O_CLOEXEC and O_NOFOLLOW added.  A path
 * that is absolute or climbs out with ".." is refused (EXDEV).
 */
int fsat_open(int dir_fd, const char *path, int flags, mode_t mode);

/*
 * Opens the folder `path` beneath `dir_fd`, creating it with exactly
 * `mode` when missing (each missing component).  O_DIRECTORY descriptor.
 */
int fsat_open_folder(int dir_fd, const char *path, mode_t mode, bool create);

/*
 * Opens the regular file `name` of the folder `dir_fd` for writing
 * (`flags`: O_WRONLY, maybe O_APPEND), creating it with exactly `mode`.
 * Refuses anything but a regular file with one link owned by `owner`.
 * *created says whether it was new (may be NULL).
 */
int fsat_open_writable(int dir_fd, const char *name, int flags, mode_t mode,
                       uid_t owner, bool *created);

/*
 * Opens `path` beneath `dir_fd` for reading, refusing what is not a
 * regular file; -1 with errno ENOENT when it does not exist.
 */
int fsat_open_readable(int dir_fd, const char *path);

/*
 * Reads the whole regular file `path` beneath `dir_fd` into a malloc'd,
 * NUL-terminated buffer of at most `limit` bytes (FSAT_TOO_BIG beyond).
 */
int fsat_read_file(int dir_fd, const char *path, size_t limit, char **content,
                   size_t *size);

/* The same from an open regular file, which it closes. */
int fsat_read_fd(int fd, size_t limit, char **content, size_t *size);

#endif
