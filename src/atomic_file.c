/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* atomic_file: write under a temporary name, then rename. */
#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Tries this many temporary names before giving up (EEXIST). */
#define TEMP_NAME_TRIES 100

/*
 * Creates the temporary file.  Its name holds the pid and a counter: unique
 * among live processes, and a crashed run's leftover is only skipped.
 * Created with 0666 and the umask, as a plain creat would, in one call
 * (mkstemp would need an fchmod after).
 */
static int create_temporary(struct atomic_file *file, const char *dir,
                            const char *base)
{
	static unsigned long counter;

	for (int try = 0; try < TEMP_NAME_TRIES; try++) {
		int fd;

		free(file->temp_path);
		if (asprintf(&file->temp_path,
			     "%s/" ATOMIC_FILE_TEMP_PREFIX "%s.%ld.%lu", dir, base,
			     (long)getpid(), counter++) < 0) {
			file->temp_path = NULL;
			errno = ENOMEM;
			return -1;
		}
		fd = open(file->temp_path,
			  O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
			  0666);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	free(file->temp_path);
	file->temp_path = NULL;
	return -1;
}

int atomic_file_open(struct atomic_file *file, const char *path)
{
	char *copy = strdup(path);
	int fd;

	memset(file, 0, sizeof *file);
	file->path = strdup(path);
	if (!copy || !file->path) {
		free(copy);
		atomic_file_discard(file);
		errno = ENOMEM;
		return -1;
	}
	fd = create_temporary(file, dirname(copy), basename(file->path));
	free(copy);
	if (fd < 0) {
		atomic_file_discard(file);
		return -1;
	}
	file->stream = fdopen(fd, "w");
	if (!file->stream) {
		close(fd);
		atomic_file_discard(file);
		return -1;
	}
	return 0;
}

int atomic_file_close(struct atomic_file *file, bool sync)
{
	FILE *stream = file->stream;
	int failed;

	file->stream = NULL;
	if (fflush(stream) == EOF) {
		failed = 1;
	} else if (ferror(stream)) {
		failed = 1;             /* an earlier write failed */
		errno = EIO;
	} else {
		failed = sync && fsync(fileno(stream)) < 0;
	}
	if (fclose(stream) == EOF)
		failed = 1;
	return failed ? -1 : 0;
}

int atomic_file_commit(struct atomic_file *file)
{
	if (rename(file->temp_path, file->path) < 0) {
		atomic_file_discard(file);
		return -1;
	}
	free(file->temp_path);
	file->temp_path = NULL;
	atomic_file_discard(file);
	return 0;
}

void atomic_file_discard(struct atomic_file *file)
{
	int saved = errno;

	if (file->stream)
		fclose(file->stream);
	if (file->temp_path)
		unlink(file->temp_path);
	free(file->temp_path);
	free(file->path);
	memset(file, 0, sizeof *file);
	errno = saved;
}

int atomic_file_sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int status;

	if (fd < 0)
		return -1;
	status = fsync(fd);
	if (status < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}
