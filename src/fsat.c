/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* fsat: openat beneath a folder, no symbolic link followed. */
#include "fsat.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fdio.h"

/* Whether the kernel has openat2 (Linux 5.6); learnt at the first call. */
static bool have_openat2 = true;

/* A component that would leave the folder, or mean nothing. */
static bool is_bad_component(const char *start, size_t length)
{
	return length == 0 || (length == 1 && start[0] == '.') ||
	       (length == 2 && start[0] == '.' && start[1] == '.');
}

/* The same walk as openat2 by hand: each component O_NOFOLLOW. */
static int open_by_components(int dir_fd, const char *path, int flags,
                              mode_t mode)
{
	int current = dir_fd;

	for (;;) {
		size_t length = strcspn(path, "/");
		bool last = path[length] == '\0';
		char component[256];
		int next;

		if (is_bad_component(path, length) ||
		    length >= sizeof component) {
			if (current != dir_fd)
				fdio_close_quietly(current);
			errno = length >= sizeof component ? ENAMETOOLONG : EXDEV;
			return -1;
		}
		memcpy(component, path, length);
		component[length] = '\0';
		next = last ? openat(current, component,
				     flags | O_NOFOLLOW | O_CLOEXEC, mode)
			    : openat(current, component,
				     O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && !last && errno == ENOTDIR) {
			/* O_PATH | O_NOFOLLOW on a link gives ENOTDIR: say ELOOP. */
			struct stat link;

			if (fstatat(current, component, &link,
				    AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISLNK(link.st_mode))
				errno = ELOOP;
		}
		if (current != dir_fd)
			fdio_close_quietly(current);
		if (next < 0 || last)
			return next;
		current = next;
		path += length + 1;
	}
}

/*
 * O_DIRECTORY with O_NOFOLLOW on a link to a folder fails with ENOTDIR:
 * say ELOOP, so that the message names the link.
 */
static int link_says_so(int fd, int dir_fd, const char *path, int flags)
{
	struct stat status;
	int saved = errno;

	if (fd < 0 && saved == ENOTDIR && (flags & O_DIRECTORY) &&
	    fstatat(dir_fd, path, &status, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(status.st_mode))
		saved = ELOOP;
	errno = saved;
	return fd;
}

int fsat_open(int dir_fd, const char *path, int flags, mode_t mode)
{
	if (path[0] == '/') {
		errno = EXDEV;
		return -1;
	}
	if (have_openat2) {
		struct open_how how = {
			.flags = (unsigned long long)(flags | O_NOFOLLOW |
						      O_CLOEXEC),
			.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0,
			.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
				   RESOLVE_NO_MAGICLINKS,
		};
		long fd;
		int tries = 0;

		/*
		 * EAGAIN: a rename raced with the walk; a user renaming in a
		 * loop may cause it again and again, so the tries are counted.
		 */
		do
			fd = syscall(SYS_openat2, dir_fd, path, &how, sizeof how);
		while (fd < 0 && errno == EAGAIN && ++tries < 100);
		if (fd >= 0 || errno != ENOSYS)
			return link_says_so((int)fd, dir_fd, path, flags);
		have_openat2 = false;
	}
	return link_says_so(open_by_components(dir_fd, path, flags, mode),
			    dir_fd, path, flags);
}

/* Sets exactly `mode` on what this call just created. */
static int set_mode(int fd, mode_t mode)
{
	if (fchmod(fd, mode) < 0) {
		fdio_close_quietly(fd);
		return -1;
	}
	return fd;
}

int fsat_open_folder(int dir_fd, const char *path, mode_t mode, bool create)
{
	const int flags = O_RDONLY | O_DIRECTORY;
	int fd = fsat_open(dir_fd, path, flags, 0);
	const char *slash;

	if (fd >= 0 || errno != ENOENT || !create)
		return fd;
	/* The parent first (it may be missing too), then this one in it. */
	slash = strrchr(path, '/');
	int parent = dir_fd;

	if (slash) {
		char *parent_path = strndup(path, (size_t)(slash - path));

		if (!parent_path)
			return -1;
		parent = fsat_open_folder(dir_fd, parent_path, mode, true);
		free(parent_path);
		if (parent < 0)
			return -1;
	}
	const char *name = slash ? slash + 1 : path;

	bool made = false;

	if (is_bad_component(name, strlen(name))) {
		errno = EXDEV;
		fd = -1;
	} else if (!(made = mkdirat(parent, name, mode) == 0) &&
		   errno != EEXIST) {
		fd = -1;
	} else {
		/* Only a folder made here gets the mode: another's is kept. */
		fd = fsat_open(parent, name, flags, 0);
		if (fd >= 0 && made)
			fd = set_mode(fd, mode);
	}
	if (parent != dir_fd)
		fdio_close_quietly(parent);
	return fd;
}

/* Refuses `fd` unless it is a regular file, alone, of `owner`. */
static int check_file(int fd, uid_t owner, bool writable)
{
	struct stat status;

	if (fstat(fd, &status) < 0)
		goto refuse;
	errno = FSAT_NOT_REGULAR;
	if (!S_ISREG(status.st_mode))
		goto refuse;
	errno = FSAT_LINKED;
	if (writable && status.st_nlink != 1)
		goto refuse;
	errno = FSAT_NOT_OWNED;
	if (owner != FSAT_ANY_OWNER && status.st_uid != owner)
		goto refuse;
	return fd;
refuse:
	fdio_close_quietly(fd);
	return -1;
}

int fsat_open_writable(int dir_fd, const char *name, int flags, mode_t mode,
                       uid_t owner, bool *created)
{
	/* A FIFO would block open(O_WRONLY) until a reader comes. */
	int fd = fsat_open(dir_fd, name, flags | O_CREAT | O_EXCL | O_NONBLOCK,
			   mode);
	bool made = fd >= 0;

	if (fd < 0 && errno == EEXIST)
		fd = fsat_open(dir_fd, name, flags | O_NONBLOCK, 0);
	/* ENXIO: a FIFO that no one reads (or a device gone). */
	if (fd < 0 && errno == ENXIO)
		errno = FSAT_NOT_REGULAR;
	if (fd < 0)
		return -1;
	if (made && set_mode(fd, mode) < 0)
		return -1;
	if (created)
		*created = made;
	return check_file(fd, owner, true);
}

int fsat_open_readable(int dir_fd, const char *path)
{
	int fd = fsat_open(dir_fd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY, 0);

	if (fd < 0)
		return -1;
	return check_file(fd, FSAT_ANY_OWNER, false);
}

int fsat_read_file(int dir_fd, const char *path, size_t limit, char **content,
                   size_t *size)
{
	int fd = fsat_open_readable(dir_fd, path);

	*content = NULL;
	*size = 0;
	if (fd < 0)
		return -1;
	return fsat_read_fd(fd, limit, content, size);
}

int fsat_read_fd(int fd, size_t limit, char **content, size_t *size)
{
	size_t used = 0, capacity = 4096;
	char *buffer;

	*content = NULL;
	*size = 0;
	buffer = malloc(capacity);
	while (buffer) {
		ssize_t got;

		if (used + 1 == capacity) {
			char *grown = capacity > limit ? NULL
						       : realloc(buffer, capacity * 2);

			if (!grown) {
				errno = capacity > limit ? FSAT_TOO_BIG : ENOMEM;
				break;
			}
			buffer = grown;
			capacity *= 2;
		}
		got = fdio_read(fd, buffer + used, capacity - 1 - used);
		if (got < 0)
			break;
		if (got == 0) {
			if (used > limit) {
				errno = FSAT_TOO_BIG;
				break;
			}
			buffer[used] = '\0';
			*content = buffer;
			*size = used;
			fdio_close_quietly(fd);
			return 0;
		}
		used += (size_t)got;
	}
	free(buffer);
	fdio_close_quietly(fd);
	return -1;
}
