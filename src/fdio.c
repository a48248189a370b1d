/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* fdio: system calls on descriptors, retried on EINTR. */
#include "fdio.h"

#include <errno.h>
#include <unistd.h>

void fdio_close_quietly(int fd)
{
	int saved = errno;

	if (fd >= 0)
		(void)close(fd);
	errno = saved;
}

ssize_t fdio_read(int fd, void *buffer, size_t size)
{
	ssize_t got;

	do
		got = read(fd, buffer, size);
	while (got < 0 && errno == EINTR);
	return got;
}

ssize_t fdio_write(int fd, const void *buffer, size_t size)
{
	ssize_t written;

	do
		written = write(fd, buffer, size);
	while (written < 0 && errno == EINTR);
	return written;
}

ssize_t fdio_pread(int fd, void *buffer, size_t size, off_t offset)
{
	ssize_t got;

	do
		got = pread(fd, buffer, size, offset);
	while (got < 0 && errno == EINTR);
	return got;
}

/* Writes with `offset`, or appends where the file offset is (offset < 0). */
static int write_all(int fd, const char *buffer, size_t size, off_t offset)
{
	while (size > 0) {
		ssize_t done = offset < 0 ? write(fd, buffer, size)
					  : pwrite(fd, buffer, size, offset);

		if (done < 0 && errno == EINTR)
			continue;
		if (done < 0)
			return -1;
		if (done == 0) {
			errno = ENOSPC;
			return -1;
		}
		buffer += done;
		size -= (size_t)done;
		if (offset >= 0)
			offset += done;
	}
	return 0;
}

int fdio_write_all(int fd, const void *buffer, size_t size)
{
	return write_all(fd, buffer, size, -1);
}

int fdio_pwrite_all(int fd, const void *buffer, size_t size, off_t offset)
{
	return write_all(fd, buffer, size, offset);
}
