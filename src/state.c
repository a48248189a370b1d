/* state: slapgrid-compatible result files, logs, and the instance lock. */
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
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

/* The paths of a result file and of its spare; 0, or -1 (ENOMEM). */
static int result_paths(const struct state *state, const char *title,
                        char **path, char **spare)
{
	*spare = NULL;
	if (asprintf(path, "%s/result/%s.status.json", state->base, title) < 0) {
		*path = NULL;
		return -1;
	}
	if (asprintf(spare, "%s/result/" STATE_SPARE_PREFIX "%s", state->base,
		     title) < 0) {
		free(*path);
		*path = *spare = NULL;
		return -1;
	}
	return 0;
}

/*
 * Writes the new result of one promise into its spare file.  The spare is
 * the inode that held the result before last, overwritten in place: a run
 * allocates and frees no inode, where a fresh temporary file per result
 * made ext4 search ever longer for a free inode among the recently
 * deleted ones (perf: recently_deleted, most of the cost of the state).
 */
static int write_spare(const struct state *state,
                       const struct instance_report *instance, size_t index)
{
	char *path = report_promise_path(instance, index), *result = NULL,
	     *spare = NULL, *content = NULL;
	size_t length = 0;
	FILE *stream = NULL;
	ssize_t written;
	int fd = -1, status = -1;

	if (!path || result_paths(state, instance->list.promises[index].title,
				  &result, &spare) < 0)
		goto out;
	stream = open_memstream(&content, &length);
	if (!stream || write_result_file(stream, instance, index, path) < 0 ||
	    fclose(stream) == EOF) {
		stream = NULL;
		goto out;
	}
	stream = NULL;
	/*
	 * Overwritten, then cut to size, rather than truncated first: the
	 * file keeps its blocks, which ext4 then need not free and find again.
	 */
	fd = open(spare, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (fd < 0 || give_file(state, fd) < 0)
		goto out;
	do
		written = pwrite(fd, content, length, 0);
	while (written < 0 && errno == EINTR);
	if (written != (ssize_t)length) {
		if (written >= 0)
			errno = ENOSPC;
		goto out;
	}
	status = ftruncate(fd, (off_t)length);
out:
	if (fd >= 0 && close(fd) < 0)
		status = -1;
	if (stream)
		fclose(stream);
	free(content);
	free(result);
	free(spare);
	free(path);
	return status;
}

/*
 * Puts the new result of `title` in place, atomically: exchanged with the
 * old one, which becomes the spare.  The first time, or on a file system
 * that cannot exchange, a plain rename does.
 */
static int commit_result(const struct state *state, const char *title)
{
	char *path, *spare;
	int status;

	if (result_paths(state, title, &path, &spare) < 0)
		return -1;
	status = renameat2(AT_FDCWD, spare, AT_FDCWD, path, RENAME_EXCHANGE);
	if (status < 0 && (errno == ENOENT || errno == EINVAL ||
			   errno == ENOSYS || errno == EOPNOTSUPP))
		status = rename(spare, path);
	free(path);
	free(spare);
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

int state_record(struct state *state, const struct instance_report *instance,
                 size_t index)
{
	const struct promise_result *result = &instance->results[index];

	if (state->error || result->disabled)
		return state->error ? -1 : 0;
	if (!state->recorded) {
		state->recorded = calloc(instance->list.count, 1);
		if (!state->recorded) {
			state->error = ENOMEM;
			return -1;
		}
	}
	if (write_spare(state, instance, index) < 0 ||
	    append_log(state, instance, index) < 0) {
		state->error = errno ? errno : EIO;
		return -1;
	}
	state->recorded[index] = 1;
	return 0;
}

/*
 * Whether `index` is the first recorded promise of its title: promises of
 * one title share one result file and one spare (the last written wins, as
 * in slapgrid), which must be put in place once.
 */
static bool first_recorded_of_title(const struct state *state,
                                    const struct instance_report *instance,
                                    size_t index)
{
	const struct promise *promises = instance->list.promises;
	size_t head = promises[index].same_title_as;

	if (head == SCAN_TITLE_UNIQUE)
		return true;
	for (size_t i = head; i < index; i++)
		if ((i == head || promises[i].same_title_as == head) &&
		    state->recorded[i])
			return false;
	return true;
}

int state_commit(struct state *state, const struct instance_report *instance)
{
	char *result_dir;
	int status;

	if (state->error) {
		errno = state->error;
		return -1;
	}
	/* One syncfs makes every new file durable before any is put in place. */
	if (syncfs(state->lock_fd) < 0)
		return -1;
	for (size_t i = 0; state->recorded && i < instance->list.count; i++)
		if (state->recorded[i] &&
		    first_recorded_of_title(state, instance, i) &&
		    commit_result(state, instance->list.promises[i].title) < 0)
			return -1;
	if (asprintf(&result_dir, "%s/result", state->base) < 0)
		return -1;
	status = atomic_file_sync_dir(result_dir);
	free(result_dir);
	return status;
}

void state_close(struct state *state)
{
	free(state->recorded);
	if (state->lock_fd >= 0)
		close(state->lock_fd);
	free(state->base);
	free(state->lock_path);
	memset(state, 0, sizeof *state);
	state->lock_fd = -1;
}
