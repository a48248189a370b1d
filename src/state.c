/* state: slapgrid-compatible result files, logs, and the instance lock. */
#include "state.h"

#include <dirent.h>
#include <limits.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "credentials.h"
#include "escape.h"

static const char *const state_folders[] = {
	"/.slapgrid", "/.slapgrid/promise", "/.slapgrid/promise/result",
	"/.slapgrid/promise/log",
};

static void close_keeping_errno(int fd)
{
	int saved = errno;

	close(fd);
	errno = saved;
}

/* Gives a file promise-run (as root) created to the promises' user. */
static int give_file(const struct state *state, int fd)
{
	if (state->owner == (uid_t)-1)
		return 0;
	return fchown(fd, state->owner, state->group);
}

/* The same for a folder it just created. */
static int give_folder(const struct state *state, const char *path)
{
	if (state->owner == (uid_t)-1)
		return 0;
	return lchown(path, state->owner, state->group);
}

int state_open(struct state *state, const char *home,
               const struct credentials *user)
{
	static bool seeded;
	char path[PATH_MAX];

	/* For the log lines' transaction ids, which need no strength. */
	if (!seeded) {
		srandom((unsigned)time(NULL) ^ (unsigned)getpid());
		seeded = true;
	}
	memset(state, 0, sizeof *state);
	state->lock_fd = -1;
	state->owner = user ? user->uid : (uid_t)-1;
	state->group = user ? user->gid : (gid_t)-1;
	for (size_t i = 0; i < sizeof state_folders / sizeof *state_folders;
	     i++) {
		if (snprintf(path, sizeof path, "%s%s", home,
			     state_folders[i]) >= (int)sizeof path) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (mkdir(path, 0700) == 0) {
			if (give_folder(state, path) < 0)
				return -1;
		} else if (errno != EEXIST) {
			return -1;
		}
	}
	if (asprintf(&state->base, "%s/.slapgrid/promise", home) < 0 ||
	    asprintf(&state->lock_path, "%s/promise-run.lock",
		     state->base) < 0) {
		state_close(state);
		errno = ENOMEM;
		return -1;
	}
	/* Opened for writing: its close wakes a --wait run (IN_CLOSE_WRITE). */
	state->lock_fd = open(state->lock_path,
			      O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (state->lock_fd < 0 || give_file(state, state->lock_fd) < 0) {
		int saved = errno;

		state_close(state);
		errno = saved;
		return -1;
	}
	return 0;
}

/* Removes the temporary result files of a run that crashed while writing. */
static void remove_stale_temporaries(const struct state *state)
{
	char *result_dir;
	struct dirent *entry;
	DIR *dir;

	if (asprintf(&result_dir, "%s/result", state->base) < 0)
		return;
	dir = opendir(result_dir);
	free(result_dir);
	if (!dir)
		return;
	while ((entry = readdir(dir)) != NULL)
		if (strncmp(entry->d_name, ATOMIC_FILE_TEMP_PREFIX,
			    strlen(ATOMIC_FILE_TEMP_PREFIX)) == 0)
			(void)unlinkat(dirfd(dir), entry->d_name, 0);
	closedir(dir);
}

/* Reads the signal fd: the number of a stopping signal, or 0. */
static int stopping_signal(int signal_fd)
{
	struct signalfd_siginfo info;

	while (read(signal_fd, &info, sizeof info) == (ssize_t)sizeof info)
		if (info.ssi_signo != SIGCHLD)
			return (int)info.ssi_signo;
	return 0;
}

/*
 * Waits for the lock without polling: every close of the lock file by a
 * writer (the holder's exit among them) is an inotify event, after which
 * the lock is tried again.  The watch is set before the try, so no
 * release can slip between them.
 */
static int wait_for_lock(struct state *state, int signal_fd, int *signo)
{
	int watch = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	char events[4096];
	int status = -1;

	if (watch < 0)
		return -1;
	if (inotify_add_watch(watch, state->lock_path, IN_CLOSE_WRITE) < 0)
		goto out;
	for (;;) {
		struct pollfd polls[2] = {
			{ .fd = signal_fd, .events = POLLIN },
			{ .fd = watch, .events = POLLIN },
		};

		if (flock(state->lock_fd, LOCK_EX | LOCK_NB) == 0) {
			status = 0;
			goto out;
		}
		if (errno != EWOULDBLOCK && errno != EINTR)
			goto out;
		if (poll(polls, 2, -1) < 0 && errno != EINTR)
			goto out;
		if (polls[0].revents && (*signo = stopping_signal(signal_fd))) {
			errno = EINTR;
			goto out;
		}
		while (read(watch, events, sizeof events) > 0)
			;
	}
out:
	close_keeping_errno(watch);
	return status;
}

int state_lock(struct state *state, bool wait, int signal_fd, int *signo)
{
	int status;

	*signo = 0;
	if (wait) {
		status = wait_for_lock(state, signal_fd, signo);
	} else {
		do
			status = flock(state->lock_fd, LOCK_EX | LOCK_NB);
		while (status < 0 && errno == EINTR);
	}
	if (status == 0)
		remove_stale_temporaries(state);
	return status;
}

void state_format_date(time_t when, char *buffer, size_t size)
{
	struct tm utc;

	gmtime_r(&when, &utc);
	strftime(buffer, size, "%Y-%m-%dT%H:%M:%S+0000", &utc);
}

static int write_result_file(FILE *out, const struct instance_report *instance,
                             size_t index, const char *path)
{
	const struct promise *promise = &instance->list.promises[index];
	const struct promise_result *result = &instance->results[index];
	char date[64];

	state_format_date(result->ended, date, sizeof date);
	fputs("{\"title\": ", out);
	if (escape_json(out, promise->title) < 0)
		return -1;
	fputs(", \"name\": ", out);
	if (escape_json(out, promise->name) < 0)
		return -1;
	fputs(", \"path\": ", out);
	if (escape_json(out, path) < 0)
		return -1;
	fprintf(out,
		", \"execution-time\": %.6f, \"result\": {\"type\": \"Test Result\", \"failed\": %s, \"date\": \"%s\", \"message\": ",
		result->execution_time, result_works(result) ? "false" : "true",
		date);
	if (escape_json(out, result->message) < 0)
		return -1;
	fputs("}}\n", out);
	return 0;
}

/* Starts the result file of one promise, written but not yet renamed. */
static int prepare_result(const struct state *state,
                          const struct instance_report *instance, size_t index,
                          struct atomic_file *file)
{
	char *path = report_promise_path(instance, index), *result_path;
	int status = -1;

	if (!path)
		return -1;
	if (asprintf(&result_path, "%s/result/%s.status.json", state->base,
		     instance->list.promises[index].title) < 0) {
		free(path);
		return -1;
	}
	if (atomic_file_open(file, result_path) == 0) {
		if (give_file(state, fileno(file->stream)) < 0 ||
		    write_result_file(file->stream, instance, index, path) < 0)
			atomic_file_discard(file);
		else if (atomic_file_close(file, false) < 0)
			atomic_file_discard(file);
		else
			status = 0;
	}
	free(result_path);
	free(path);
	return status;
}

/* Appends slapgrid's log line for one promise, in one write(2). */
static int append_log(const struct state *state,
                      const struct instance_report *instance, size_t index)
{
	const struct promise_result *result = &instance->results[index];
	char *path, *line;
	char when[32];
	struct tm local;
	int fd, length;
	ssize_t written;

	localtime_r(&result->ended, &local);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &local);
	/* slapgrid's transaction id: the epoch and a number from 100 to 999. */
	length = asprintf(&line, "%s - %s - %lld-%ld - %s\n", when,
			  result_works(result) ? "INFO" : "ERROR",
			  (long long)result->ended, 100 + random() % 900,
			  result->message);
	if (length < 0)
		return -1;
	if (asprintf(&path, "%s/log/%s.log", state->base,
		     instance->list.promises[index].title) < 0) {
		free(line);
		return -1;
	}
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
		  0666);
	free(path);
	if (fd < 0 || give_file(state, fd) < 0) {
		if (fd >= 0)
			close_keeping_errno(fd);
		free(line);
		return -1;
	}
	do
		written = write(fd, line, (size_t)length);
	while (written < 0 && errno == EINTR);
	free(line);
	if (written != length) {
		if (written >= 0)
			errno = ENOSPC;
		close_keeping_errno(fd);
		return -1;
	}
	return close(fd);
}

int state_write(struct state *state, const struct instance_report *instance)
{
	struct atomic_file *files = calloc(instance->list.count + 1,
					   sizeof *files);
	size_t prepared = 0;
	char *result_dir = NULL;
	int status = -1;

	if (!files)
		return -1;
	for (size_t i = 0; i < instance->list.count; i++) {
		if (!instance->results[i].done || instance->results[i].disabled)
			continue;
		if (prepare_result(state, instance, i, &files[prepared]) < 0)
			goto out;
		prepared++;
		if (append_log(state, instance, i) < 0)
			goto out;
	}
	/* One syncfs makes every new file durable before any rename. */
	if (prepared && syncfs(state->lock_fd) < 0)
		goto out;
	while (prepared > 0)
		if (atomic_file_commit(&files[--prepared]) < 0)
			goto out;
	if (asprintf(&result_dir, "%s/result", state->base) < 0) {
		result_dir = NULL;
		goto out;
	}
	status = atomic_file_sync_dir(result_dir);
out:
	while (prepared > 0)
		atomic_file_discard(&files[--prepared]);
	free(files);
	free(result_dir);
	return status;
}

void state_close(struct state *state)
{
	if (state->lock_fd >= 0)
		close(state->lock_fd);
	free(state->base);
	free(state->lock_path);
	memset(state, 0, sizeof *state);
	state->lock_fd = -1;
}
