/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* state: slapgrid's files in one home, through descriptors, as its user. */
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdio.h"
#include "failure.h"
#include "fsat.h"

#define FOLDER_MODE 0700
#define FILE_MODE 0644
#define LOCK_MODE 0600
#define LOCK_NAME "promise-run.lock"
#define SUCCESS_NAME "promise-run.last-success"
#define SUCCESS_SPARE ".promise-run-spare.last-success"

/* What ends a promise's file name in each folder: TITLE.status.json... */
static const char *const suffixes[] = {
	[STATE_RESULT] = SLAPGRID_RESULT_SUFFIX,
	[STATE_LOG] = SLAPGRID_LOG_SUFFIX,
	[STATE_CACHE] = "",
};

/* The name of a promise's file in `folder`, into `name`; 0 or -1. */
static int file_name(enum state_folder folder, const char *title,
                     char *name, size_t size)
{
	if (snprintf(name, size, "%s%s", title, suffixes[folder]) >= (int)size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

static int spare_name(const char *title, char *name, size_t size)
{
	if (snprintf(name, size, STATE_SPARE_PREFIX "%s", title) >= (int)size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

static int folder_fd(const struct state *state, enum state_folder folder)
{
	switch (folder) {
	case STATE_RESULT:
		return state->result_fd;
	case STATE_LOG:
		return state->log_fd;
	case STATE_CACHE:
		break;
	}
	return state->cache_fd;
}

char *state_folder_path(const struct state *state, enum state_folder folder)
{
	static const char *const folders[] = {
		[STATE_RESULT] = "/result",
		[STATE_LOG] = "",
		[STATE_CACHE] = "/cache",
	};
	char *path;

	if (asprintf(&path, "%s%s",
		     folder == STATE_LOG ? state->log_path : state->base_path,
		     folders[folder]) < 0)
		return NULL;
	return path;
}

char *state_path(const struct state *state, enum state_folder folder,
                 const char *title)
{
	char *dir = state_folder_path(state, folder), *path;

	if (!dir || asprintf(&path, "%s/%s%s", dir, title ? title : "",
			     suffixes[folder]) < 0)
		path = NULL;
	free(dir);
	return path;
}

/* Fills `failure` for a promise's file of `folder`; returns -1. */
static int fail_on_file(struct failure *failure, const char *doing,
                        const struct state *state, enum state_folder folder,
                        const char *title, int error)
{
	char *path = state_path(state, folder, title);

	failure_set(failure, doing, path, error);
	free(path);
	return -1;
}

/* Fills `failure` for the file `name` of .slapgrid/promise; returns -1. */
static int fail_on_own_file(struct failure *failure, const char *doing,
                            const struct state *state, const char *name,
                            int error)
{
	char *path;

	if (asprintf(&path, "%s/%s", state->base_path, name) < 0)
		path = NULL;
	failure_set(failure, doing, path, error);
	free(path);
	return -1;
}

/* Opens the log folder: the default, one in the home, or an absolute one. */
static int open_log_folder(struct state *state, int home_fd,
                           const char *log_folder, bool create)
{
	int fd;

	if (!log_folder)
		return fsat_open_folder(state->base_fd, "log", FOLDER_MODE,
					create);
	if (log_folder[0] != '/')
		return fsat_open_folder(home_fd, log_folder, FOLDER_MODE, create);
	/* The operator's folder, named on the command line. */
	fd = open(log_folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && create &&
	    mkdir(log_folder, FOLDER_MODE) == 0)
		fd = open(log_folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd;
}

void state_init(struct state *state)
{
	*state = (struct state){ .base_fd = -1, .result_fd = -1, .log_fd = -1,
				 .cache_fd = -1, .lock_fd = -1, .watch = -1,
				 .inotify_fd = -1 };
}

bool state_is_open(const struct state *state)
{
	/* state_open returns with the base folder open, or closes it all. */
	return state->base_fd >= 0;
}

int state_open(struct state *state, int home_fd, const char *home,
               const char *log_folder, uid_t owner, bool create,
               struct failure *failure)
{
	const char *failed_path = NULL;

	state_init(state);
	state->owner = owner;
	if (asprintf(&state->base_path, "%s/.slapgrid/promise", home) < 0)
		state->base_path = NULL;
	/* The log folder: the default, one in the home, or an absolute one. */
	if (asprintf(&state->log_path, "%s%s%s",
		     !log_folder ? home : log_folder[0] == '/' ? "" : home,
		     !log_folder || log_folder[0] != '/' ? "/" : "",
		     log_folder ? log_folder : ".slapgrid/promise/log") < 0)
		state->log_path = NULL;
	if (!state->base_path || !state->log_path)
		goto out_of_memory;
	state->base_fd = fsat_open_folder(home_fd, ".slapgrid/promise",
					  FOLDER_MODE, create);
	if (state->base_fd < 0)
		goto fail_at_base;
	/* Only to read: a folder that is missing has nothing to read. */
	state->result_fd = fsat_open_folder(state->base_fd, "result",
					    FOLDER_MODE, create);
	if (state->result_fd < 0 && (create || errno != ENOENT))
		goto fail_at_base;
	state->cache_fd = fsat_open_folder(state->base_fd, "cache", FOLDER_MODE,
					   create);
	if (state->cache_fd < 0 && (create || errno != ENOENT))
		goto fail_at_base;
	state->log_fd = open_log_folder(state, home_fd, log_folder, create);
	if (state->log_fd < 0 && (create || errno != ENOENT)) {
		failed_path = state->log_path;
		goto fail;
	}
	if (!create)
		return 0;
	/* Opened to write: a run that cannot take the lock still has the file. */
	state->lock_fd = fsat_open_writable(state->base_fd, LOCK_NAME, O_RDWR,
					    LOCK_MODE, owner, NULL);
	if (state->lock_fd < 0) {
		fail_on_own_file(failure, "open", state, LOCK_NAME, errno);
		state_close(state);
		return -1;
	}
	return 0;
out_of_memory:
	errno = ENOMEM;
	goto fail;
fail_at_base:
	failed_path = state->base_path;
fail:
	failure_set(failure, "open", failed_path, errno);
	state_close(state);
	return -1;
}

int state_try_lock(struct state *state, struct failure *failure)
{
	int status;

	do
		status = flock(state->lock_fd, LOCK_EX | LOCK_NB);
	while (status < 0 && errno == EINTR);
	if (status < 0)
		return fail_on_own_file(failure, "lock", state, LOCK_NAME,
					errno);
	return 0;
}

int state_watch_lock(struct state *state, int inotify_fd,
                     struct failure *failure)
{
	char path[64];

	/*
	 * The lock file as promise-run holds it open: the descriptor's own
	 * link in /proc, so that no path in the home is resolved again.
	 */
	snprintf(path, sizeof path, "/proc/self/fd/%d", state->lock_fd);
	/*
	 * Every close, not only a writer's: flock(1) holds a lock on a file
	 * it opened to read.
	 */
	state->watch = inotify_add_watch(inotify_fd, path,
					 IN_CLOSE_WRITE | IN_CLOSE_NOWRITE);
	if (state->watch < 0)
		return fail_on_own_file(failure, "wait for", state, LOCK_NAME,
					errno);
	state->inotify_fd = inotify_fd;
	return 0;
}

void state_unwatch_lock(struct state *state)
{
	if (state->watch >= 0)
		(void)inotify_rm_watch(state->inotify_fd, state->watch);
	state->watch = -1;
	state->inotify_fd = -1;
}

int state_read_runs(const struct state *state, const char *title,
                    bool *failed, size_t wanted, size_t *found)
{
	char name[NAME_MAX + 1];
	struct stat status;
	char *tail = NULL;
	size_t size;
	off_t from;
	ssize_t got;
	int fd;

	*found = 0;
	if (state->log_fd < 0)
		return 0;
	if (file_name(STATE_LOG, title, name, sizeof name) < 0)
		return -1;
	fd = fsat_open_readable(state->log_fd, name);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	if (fstat(fd, &status) < 0)
		goto fail;
	size = (size_t)status.st_size < STATE_LOG_TAIL ? (size_t)status.st_size
						       : STATE_LOG_TAIL;
	from = status.st_size - (off_t)size;
	tail = malloc(size ? size : 1);
	if (!tail)
		goto fail;
	got = fdio_pread(fd, tail, size, from);
	if (got < 0)
		goto fail;
	*found = slapgrid_parse_log(tail, (size_t)got, from == 0, failed,
				    wanted);
	free(tail);
	fdio_close_quietly(fd);
	return 0;
fail:
	free(tail);
	fdio_close_quietly(fd);
	return -1;
}

/* Reads a small file of a folder of the state; the same errors as fsat. */
static int read_small(int dir_fd, const char *name, char **text, size_t *size)
{
	if (dir_fd < 0) {
		errno = ENOENT;
		return -1;
	}
	/* A result holds at most 5003 characters of message, escaped. */
	return fsat_read_file(dir_fd, name, 256 * 1024, text, size);
}

int state_read_previous(const struct state *state, const char *title,
                        struct slapgrid_previous *previous)
{
	char name[NAME_MAX + 1], *text;
	size_t size;
	int status;

	memset(previous, 0, sizeof *previous);
	if (file_name(STATE_RESULT, title, name, sizeof name) < 0 ||
	    read_small(state->result_fd, name, &text, &size) < 0)
		return -1;
	status = slapgrid_parse_result(text, size, previous);
	free(text);
	if (status < 0)
		errno = EINVAL;
	return status;
}

int state_read_cache(const struct state *state, const char *title,
                     double *next_run_after)
{
	char name[NAME_MAX + 1], *text;
	size_t size;
	int status;

	if (file_name(STATE_CACHE, title, name, sizeof name) < 0 ||
	    read_small(state->cache_fd, name, &text, &size) < 0)
		return -1;
	status = slapgrid_parse_cache(text, size, next_run_after);
	free(text);
	if (status < 0)
		errno = EINVAL;
	return status;
}

/*
 * Writes `content` as the whole of the spare file `name` of `dir_fd`,
 * made durable at once with `datasync`.  Overwritten, then cut to size,
 * rather than truncated first: the file keeps its blocks, which ext4 then
 * need not free and find again.
 */
static int write_spare_at(const struct state *state, int dir_fd,
                          const char *name, const char *content, size_t size,
                          bool datasync)
{
	int fd = fsat_open_writable(dir_fd, name, O_WRONLY, FILE_MODE,
				    state->owner, NULL);
	int status;

	if (fd < 0)
		return -1;
	status = fdio_pwrite_all(fd, content, size, 0);
	if (status == 0)
		status = ftruncate(fd, (off_t)size);
	if (status == 0 && datasync)
		status = fdatasync(fd);
	if (status < 0) {
		fdio_close_quietly(fd);
		return -1;
	}
	return close(fd);
}

int state_write_spare(const struct state *state, enum state_folder folder,
                      const char *title, const char *content, size_t size,
                      struct failure *failure)
{
	char spare[NAME_MAX + 1];

	/* Made durable later, with every other spare of the home (state_sync). */
	if (spare_name(title, spare, sizeof spare) < 0 ||
	    write_spare_at(state, folder_fd(state, folder), spare, content,
			   size, false) < 0)
		return fail_on_file(failure, "write", state, folder, title,
				    errno);
	return 0;
}

/* How swap_in put a file in place, which says how to take it back. */
enum swap {
	SWAP_EXCHANGED,     /* the old file is the spare now */
	SWAP_NEW,           /* there was no old file */
	SWAP_REPLACED,      /* the old file is gone: no undo */
};

static int swap_in(int dir_fd, const char *spare, const char *name,
                   enum swap *how);

int state_read_successes(const struct state *state,
                         struct last_success **entries, size_t *count)
{
	char *text;
	size_t size;
	int status;

	*entries = NULL;
	*count = 0;
	if (state->base_fd < 0 ||
	    fsat_read_file(state->base_fd, SUCCESS_NAME, 4 * 1024 * 1024,
			   &text, &size) < 0)
		return errno == ENOENT ? 0 : -1;
	status = last_success_parse(text, size, entries, count);
	free(text);
	return status;
}

int state_write_successes(const struct state *state, const char *content,
                          size_t size, struct failure *failure)
{
	enum swap how;

	/* Written after state_sync: made durable on its own. */
	if (write_spare_at(state, state->base_fd, SUCCESS_SPARE, content, size,
			   true) < 0 ||
	    swap_in(state->base_fd, SUCCESS_SPARE, SUCCESS_NAME, &how) < 0)
		return fail_on_own_file(failure, "write", state, SUCCESS_NAME,
					errno);
	return 0;
}

int state_sync(const struct state *state, struct failure *failure)
{
	if (syncfs(state->base_fd) < 0)
		return failure_set(failure, "sync", state->base_path, errno);
	return 0;
}

/*
 * Puts the file `spare` of the folder `dir_fd` in place as `name`,
 * atomically: exchanged with the old file, which becomes the spare.  The
 * first time (no old file), or on a file system that cannot exchange, a
 * plain rename does.  *how says which, for an undo.
 */
static int swap_in(int dir_fd, const char *spare, const char *name,
                   enum swap *how)
{
	*how = SWAP_EXCHANGED;
	if (renameat2(dir_fd, spare, dir_fd, name, RENAME_EXCHANGE) == 0)
		return 0;
	if (errno == ENOENT)
		*how = SWAP_NEW;
	else if (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP)
		*how = SWAP_REPLACED;
	else
		return -1;
	return renameat(dir_fd, spare, dir_fd, name);
}

/* Puts the spare of `title` in place in `folder` (see swap_in). */
static int put_in_place(const struct state *state, enum state_folder folder,
                        const char *title, enum swap *how)
{
	char name[NAME_MAX + 1], spare[NAME_MAX + 1];

	if (file_name(folder, title, name, sizeof name) < 0 ||
	    spare_name(title, spare, sizeof spare) < 0)
		return -1;
	return swap_in(folder_fd(state, folder), spare, name, how);
}

/*
 * Takes back put_in_place where it can: the old file (or its absence)
 * returns and the new one is the spare again.  A file that replaced the
 * old one stays: the old is gone.
 */
static void take_back(const struct state *state, enum state_folder folder,
                      const char *title, enum swap how)
{
	char name[NAME_MAX + 1], spare[NAME_MAX + 1];
	int dir_fd = folder_fd(state, folder);

	if (how == SWAP_REPLACED ||
	    file_name(folder, title, name, sizeof name) < 0 ||
	    spare_name(title, spare, sizeof spare) < 0)
		return;
	(void)renameat2(dir_fd, name, dir_fd, spare,
			how == SWAP_EXCHANGED ? RENAME_EXCHANGE : 0);
}

/*
 * Appends `records` to a log whose descriptor is `fd`, after a newline
 * when a record of an earlier run was cut (a crash): *start gets where
 * the append began, for an undo.
 */
static int append_records(int fd, const char *records, size_t size,
                          off_t *start)
{
	struct stat status;
	char last = '\n';

	if (fstat(fd, &status) < 0)
		return -1;
	*start = status.st_size;
	if (status.st_size > 0 &&
	    fdio_pread(fd, &last, 1, status.st_size - 1) != 1)
		return -1;
	if (last != '\n' && fdio_write_all(fd, "\n", 1) < 0)
		return -1;
	return fdio_write_all(fd, records, size);
}

int state_commit(const struct state *state, const char *title,
                 const char *records, size_t size, bool cache,
                 struct failure *failure)
{
	char name[NAME_MAX + 1];
	enum state_folder failed = STATE_LOG;
	enum swap how;
	off_t start = -1;
	int fd, error, closed;

	if (file_name(STATE_LOG, title, name, sizeof name) < 0)
		return fail_on_file(failure, "write", state, STATE_LOG, title,
				    errno);
	/* Read and write: the last byte says whether a record was cut. */
	fd = fsat_open_writable(state->log_fd, name, O_RDWR | O_APPEND,
				FILE_MODE, state->owner, NULL);
	if (fd < 0)
		return fail_on_file(failure, "write", state, STATE_LOG, title,
				    errno);
	/*
	 * The result first, then its record: a crash between the two leaves
	 * a result whose record is missing, never a record of a result that
	 * is not there.  A record that cannot be written takes the result
	 * back, so that both stay as they were.
	 */
	if (put_in_place(state, STATE_RESULT, title, &how) < 0) {
		failed = STATE_RESULT;
		goto undo;
	}
	if (append_records(fd, records, size, &start) < 0) {
		error = errno;
		take_back(state, STATE_RESULT, title, how);
		errno = error;
		goto undo;
	}
	/* Both are in place: what fails from here on is told, not undone. */
	closed = close(fd);
	error = errno;
	if (cache && put_in_place(state, STATE_CACHE, title, &how) < 0)
		return fail_on_file(failure, "write", state, STATE_CACHE,
				    title, errno);
	if (closed < 0)
		return fail_on_file(failure, "write", state, STATE_LOG, title,
				    error);
	return 0;
undo:
	error = errno;
	/* Never half a record. */
	if (start >= 0 && ftruncate(fd, start) < 0) {
		/* The first error is the one told: nothing more can be undone. */
	}
	fdio_close_quietly(fd);
	return fail_on_file(failure, "write", state, failed, title, error);
}

int state_finish(const struct state *state, struct failure *failure)
{
	static const enum state_folder order[] = { STATE_RESULT, STATE_CACHE,
						   STATE_LOG };

	for (size_t i = 0; i < sizeof order / sizeof *order; i++)
		if (fsync(folder_fd(state, order[i])) < 0) {
			int error = errno;
			char *path = state_folder_path(state, order[i]);

			failure_set(failure, "sync", path, error);
			free(path);
			return -1;
		}
	if (fsync(state->base_fd) < 0)
		return failure_set(failure, "sync", state->base_path, errno);
	return 0;
}

void state_close(struct state *state)
{
	int fds[] = { state->lock_fd, state->base_fd, state->result_fd,
		      state->log_fd, state->cache_fd };

	state_unwatch_lock(state);
	/* Closing the lock file releases the lock (and wakes a waiter). */
	for (size_t i = 0; i < sizeof fds / sizeof *fds; i++)
		fdio_close_quietly(fds[i]);
	free(state->base_path);
	free(state->log_path);
	state_init(state);
}
