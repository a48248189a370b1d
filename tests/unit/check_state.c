/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * state: slapgrid's files in a real temporary home, created, locked,
 * committed (and taken back), read, and refused when the user laid a
 * trap in their place.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "failure.h"
#include "fsat.h"
#include "helpers.h"
#include "state.h"
#include "suites.h"

#define BASE ".slapgrid/promise"
#define RESULT BASE "/result/"
#define LOG BASE "/log/"
#define CACHE BASE "/cache/"
#define LOCK BASE "/promise-run.lock"

/* An instance home in a temporary folder, and its state once opened. */
struct home {
	char *path;
	int fd;
	struct state state;
	struct failure failure;
};

static void home_make(struct home *home)
{
	*home = (struct home){ .path = helper_temp_folder() };
	home->fd = helper_open_folder(home->path);
	state_init(&home->state);
}

/* The folders .slapgrid/promise/{result,log,cache}, before any open. */
static void home_make_folders(struct home *home)
{
	static const char *const folders[] = {
		".slapgrid", BASE, BASE "/result", BASE "/log", BASE "/cache",
	};

	for (size_t i = 0; i < sizeof folders / sizeof *folders; i++)
		ck_assert_int_eq(mkdirat(home->fd, folders[i], 0700), 0);
}

static void home_remove(struct home *home)
{
	state_close(&home->state);
	failure_release(&home->failure);
	close(home->fd);
	helper_remove_tree(home->path);
}

/* `name` of the home, absolute, for the paths failures name; malloc'd. */
static char *home_path(const struct home *home, const char *name)
{
	char *path;

	ck_assert_int_ge(asprintf(&path, "%s/%s", home->path, name), 0);
	return path;
}

/* Opens the state of the home, creating it: it must work. */
static void open_state(struct home *home)
{
	ck_assert_msg(state_open(&home->state, home->fd, home->path, NULL,
				 geteuid(), true, &home->failure) == 0,
		      "state_open: %s", failure_reason(home->failure.error));
}

/* The failure recorded must be `doing` `name` (in the home): `error`. */
static void assert_failure(struct home *home, const char *doing,
                           const char *name, int error)
{
	char *expected = home_path(home, name);

	ck_assert_str_eq(home->failure.doing, doing);
	ck_assert_pstr_eq(home->failure.path, expected);
	ck_assert_msg(home->failure.error == error, "error %d (%s), not %d (%s)",
		      home->failure.error, failure_reason(home->failure.error),
		      error, failure_reason(error));
	free(expected);
	failure_release(&home->failure);
}

static void assert_content(const struct home *home, const char *name,
                           const char *expected)
{
	char *text = helper_read_file(home->fd, name);

	ck_assert_msg(strcmp(text, expected) == 0, "%s: \"%s\", not \"%s\"",
		      name, text, expected);
	free(text);
}

static void assert_missing(const struct home *home, const char *name)
{
	struct stat status;

	ck_assert_msg(fstatat(home->fd, name, &status, AT_SYMLINK_NOFOLLOW) < 0 &&
		      errno == ENOENT, "%s exists", name);
}

static void assert_mode(const struct home *home, const char *name,
                        mode_t type, mode_t mode)
{
	struct stat status;

	ck_assert_msg(fstatat(home->fd, name, &status, AT_SYMLINK_NOFOLLOW) == 0,
		      "%s: %s", name, strerror(errno));
	ck_assert_msg((status.st_mode & S_IFMT) == type, "%s: type", name);
	ck_assert_msg((status.st_mode & 07777) == mode, "%s: mode %o, not %o",
		      name, status.st_mode & 07777, mode);
}

/* Writes the spares of promise `title` (result and cache), as a run does. */
static void write_spares(struct home *home, const char *title,
                         const char *result, const char *cache)
{
	ck_assert_int_eq(state_write_spare(&home->state, STATE_RESULT, title,
					   result, strlen(result),
					   &home->failure), 0);
	if (cache)
		ck_assert_int_eq(state_write_spare(&home->state, STATE_CACHE,
						   title, cache, strlen(cache),
						   &home->failure), 0);
	ck_assert_int_eq(state_sync(&home->state, &home->failure), 0);
}

static int commit(struct home *home, const char *title, const char *records)
{
	return state_commit(&home->state, title, records, strlen(records), true,
			    &home->failure);
}

START_TEST(test_state_open_creates_its_folders_and_the_lock)
{
	struct home home;
	char *base, *folder;

	home_make(&home);
	open_state(&home);
	ck_assert(state_is_open(&home.state));
	assert_mode(&home, ".slapgrid", S_IFDIR, 0700);
	assert_mode(&home, BASE, S_IFDIR, 0700);
	assert_mode(&home, BASE "/result", S_IFDIR, 0700);
	assert_mode(&home, BASE "/log", S_IFDIR, 0700);
	assert_mode(&home, BASE "/cache", S_IFDIR, 0700);
	assert_mode(&home, LOCK, S_IFREG, 0600);
	base = home_path(&home, BASE);
	ck_assert_str_eq(home.state.base_path, base);
	folder = state_folder_path(&home.state, STATE_LOG);
	ck_assert_str_eq(folder, home.state.log_path);
	free(folder);
	folder = state_path(&home.state, STATE_RESULT, "p");
	ck_assert_str_eq(folder + strlen(base), "/result/p.status.json");
	free(folder);
	state_close(&home.state);
	ck_assert(!state_is_open(&home.state));
	free(base);
	home_remove(&home);
}
END_TEST

START_TEST(test_state_open_a_log_folder_in_the_home_or_elsewhere)
{
	struct home home, elsewhere;
	char *log;

	home_make(&home);
	home_make(&elsewhere);
	ck_assert_int_eq(state_open(&home.state, home.fd, home.path, "var/log",
				    geteuid(), true, &home.failure), 0);
	assert_mode(&home, "var/log", S_IFDIR, 0700);
	assert_missing(&home, BASE "/log");
	log = home_path(&home, "var/log");
	ck_assert_str_eq(home.state.log_path, log);
	free(log);
	state_close(&home.state);

	log = home_path(&elsewhere, "log");
	ck_assert_int_eq(state_open(&home.state, home.fd, home.path, log,
				    geteuid(), true, &home.failure), 0);
	ck_assert_str_eq(home.state.log_path, log);
	assert_mode(&elsewhere, "log", S_IFDIR, 0700);
	free(log);
	home_remove(&elsewhere);
	home_remove(&home);
}
END_TEST

START_TEST(test_state_open_without_creating_creates_nothing)
{
	struct home home;
	size_t found = 1;
	bool failed[2];
	double next;

	home_make(&home);
	ck_assert_int_eq(state_open(&home.state, home.fd, home.path, NULL,
				    geteuid(), false, &home.failure), -1);
	assert_failure(&home, "open", BASE, ENOENT);
	ck_assert(!state_is_open(&home.state));
	assert_missing(&home, ".slapgrid");

	/* Only the base: the missing folders have nothing to read. */
	ck_assert_int_eq(mkdirat(home.fd, ".slapgrid", 0700), 0);
	ck_assert_int_eq(mkdirat(home.fd, BASE, 0700), 0);
	ck_assert_int_eq(state_open(&home.state, home.fd, home.path, NULL,
				    geteuid(), false, &home.failure), 0);
	ck_assert_int_eq(state_read_runs(&home.state, "p", failed, 2, &found), 0);
	ck_assert_uint_eq(found, 0);
	ck_assert_int_eq(state_read_cache(&home.state, "p", &next), -1);
	ck_assert_int_eq(errno, ENOENT);
	assert_missing(&home, BASE "/result");
	assert_missing(&home, BASE "/log");
	assert_missing(&home, LOCK);
	home_remove(&home);
}
END_TEST

START_TEST(test_state_try_lock_fails_while_another_holds_the_lock)
{
	struct home home;
	int holder;

	home_make(&home);
	open_state(&home);
	/* Another open file description of the file: another run's. */
	holder = openat(home.fd, LOCK, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(holder, 0);
	ck_assert_int_eq(flock(holder, LOCK_EX | LOCK_NB), 0);
	ck_assert_int_eq(state_try_lock(&home.state, &home.failure), -1);
	assert_failure(&home, "lock", LOCK, EWOULDBLOCK);
	ck_assert_int_eq(close(holder), 0);
	ck_assert_int_eq(state_try_lock(&home.state, &home.failure), 0);
	/* Now ours: the other run cannot have it. */
	holder = openat(home.fd, LOCK, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(holder, 0);
	ck_assert_int_eq(flock(holder, LOCK_EX | LOCK_NB), -1);
	ck_assert_int_eq(errno, EWOULDBLOCK);
	state_close(&home.state);
	ck_assert_int_eq(flock(holder, LOCK_EX | LOCK_NB), 0);
	close(holder);
	home_remove(&home);
}
END_TEST

/* The events waiting on `inotify_fd`, OR'd; 0 when none. */
static uint32_t pending_events(int inotify_fd)
{
	_Alignas(struct inotify_event) char buffer[4096];
	uint32_t mask = 0;
	ssize_t got = read(inotify_fd, buffer, sizeof buffer);

	if (got < 0) {
		ck_assert_int_eq(errno, EAGAIN);
		return 0;
	}
	for (char *at = buffer; at < buffer + got;) {
		const struct inotify_event *event = (const void *)at;

		mask |= event->mask;
		at += sizeof *event + event->len;
	}
	return mask;
}

START_TEST(test_state_watch_lock_sees_the_holder_close)
{
	struct home home;
	int inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC), holder;

	ck_assert_int_ge(inotify_fd, 0);
	home_make(&home);
	open_state(&home);
	holder = openat(home.fd, LOCK, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(holder, 0);
	ck_assert_int_eq(flock(holder, LOCK_EX | LOCK_NB), 0);
	ck_assert_int_eq(state_try_lock(&home.state, &home.failure), -1);
	failure_release(&home.failure);
	ck_assert_int_eq(state_watch_lock(&home.state, inotify_fd,
					  &home.failure), 0);
	ck_assert_int_eq(pending_events(inotify_fd), 0);
	/* A holder that opened the file only to read (flock(1) does). */
	ck_assert_int_eq(close(holder), 0);
	ck_assert_uint_eq(pending_events(inotify_fd), IN_CLOSE_NOWRITE);
	ck_assert_int_eq(state_try_lock(&home.state, &home.failure), 0);

	state_unwatch_lock(&home.state);
	ck_assert_int_eq(home.state.watch, -1);
	holder = openat(home.fd, LOCK, O_WRONLY | O_CLOEXEC);
	ck_assert_int_ge(holder, 0);
	ck_assert_int_eq(close(holder), 0);
	/* The watch's removal is all there is to read. */
	ck_assert_uint_eq(pending_events(inotify_fd), IN_IGNORED);
	close(inotify_fd);
	home_remove(&home);
}
END_TEST

START_TEST(test_state_commit_puts_the_spares_in_place_and_appends_the_record)
{
	struct home home;

	home_make(&home);
	open_state(&home);
	write_spares(&home, "p", "result 1", "cache 1");
	ck_assert_int_eq(commit(&home, "p", "record 1\n"), 0);
	assert_content(&home, RESULT "p.status.json", "result 1");
	assert_content(&home, CACHE "p", "cache 1");
	assert_content(&home, LOG "p.log", "record 1\n");
	assert_mode(&home, RESULT "p.status.json", S_IFREG, 0644);
	/* The first time, a rename: no spare is left. */
	assert_missing(&home, RESULT STATE_SPARE_PREFIX "p");
	assert_missing(&home, CACHE STATE_SPARE_PREFIX "p");

	/* Then an exchange: the spare keeps the version before. */
	write_spares(&home, "p", "result 2", "cache 2");
	ck_assert_int_eq(commit(&home, "p", "record 2\n"), 0);
	assert_content(&home, RESULT "p.status.json", "result 2");
	assert_content(&home, RESULT STATE_SPARE_PREFIX "p", "result 1");
	assert_content(&home, CACHE "p", "cache 2");
	assert_content(&home, CACHE STATE_SPARE_PREFIX "p", "cache 1");
	assert_content(&home, LOG "p.log", "record 1\nrecord 2\n");
	ck_assert_int_eq(state_finish(&home.state, &home.failure), 0);
	home_remove(&home);
}
END_TEST

START_TEST(test_state_commit_after_a_cut_record_starts_a_new_line)
{
	struct home home;

	home_make(&home);
	home_make_folders(&home);
	helper_write_file(home.fd, LOG "p.log", "whole\ncut sho", 0644);
	open_state(&home);
	write_spares(&home, "p", "result", NULL);
	ck_assert_int_eq(state_commit(&home.state, "p", "next\n", 5, false,
				      &home.failure), 0);
	assert_content(&home, LOG "p.log", "whole\ncut sho\nnext\n");
	assert_missing(&home, CACHE "p");
	home_remove(&home);
}
END_TEST

/*
 * Commits `title` while no file may grow beyond `limit` bytes: a write
 * beyond is cut short, then EFBIG (not a signal).  Nothing else is
 * written meanwhile: Check's own messages would not fit either.
 */
static int commit_limited(struct home *home, const char *title,
                          const char *records, rlim_t limit)
{
	struct rlimit before, during;
	int status;

	ck_assert(signal(SIGXFSZ, SIG_IGN) != SIG_ERR);
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &before), 0);
	during = before;
	during.rlim_cur = limit;
	if (setrlimit(RLIMIT_FSIZE, &during) < 0)
		ck_abort_msg("setrlimit: %s", strerror(errno));
	status = commit(home, title, records);
	if (setrlimit(RLIMIT_FSIZE, &before) < 0)
		ck_abort_msg("setrlimit: %s", strerror(errno));
	ck_assert(signal(SIGXFSZ, SIG_DFL) != SIG_ERR);
	return status;
}

START_TEST(test_state_commit_takes_the_result_back_when_the_record_fails)
{
	static const char record[] = "a record longer than the room left\n";
	struct home home;

	home_make(&home);
	home_make_folders(&home);
	helper_write_file(home.fd, LOG "old.log", "old record\n", 0644);
	helper_write_file(home.fd, RESULT "old.status.json", "old result", 0644);
	helper_write_file(home.fd, CACHE "old", "old cache", 0644);
	helper_write_file(home.fd, LOG "new.log", "old record\n", 0644);
	open_state(&home);
	write_spares(&home, "old", "new result", "new cache");
	write_spares(&home, "new", "first result", "first cache");

	/* Room for 5 bytes of the record: the rest fails. */
	ck_assert_int_eq(commit_limited(&home, "old", record, 11 + 5), -1);
	assert_failure(&home, "write", LOG "old.log", EFBIG);
	ck_assert_int_eq(commit_limited(&home, "new", record, 11 + 5), -1);
	assert_failure(&home, "write", LOG "new.log", EFBIG);

	/* No half record; the result as it was; the cache not put in place. */
	assert_content(&home, LOG "old.log", "old record\n");
	assert_content(&home, RESULT "old.status.json", "old result");
	assert_content(&home, RESULT STATE_SPARE_PREFIX "old", "new result");
	assert_content(&home, CACHE "old", "old cache");
	assert_content(&home, CACHE STATE_SPARE_PREFIX "old", "new cache");
	/* A promise with no result before has none again. */
	assert_content(&home, LOG "new.log", "old record\n");
	assert_missing(&home, RESULT "new.status.json");
	assert_content(&home, RESULT STATE_SPARE_PREFIX "new", "first result");
	assert_missing(&home, CACHE "new");
	home_remove(&home);
}
END_TEST

START_TEST(test_state_commit_a_result_not_put_in_place_writes_no_record)
{
	struct home home;

	home_make(&home);
	open_state(&home);
	/* No spare was written: there is nothing to put in place. */
	ck_assert_int_eq(commit(&home, "p", "record\n"), -1);
	assert_failure(&home, "write", RESULT "p.status.json", ENOENT);
	assert_content(&home, LOG "p.log", "");
	assert_missing(&home, CACHE "p");
	home_remove(&home);
}
END_TEST

START_TEST(test_state_commit_a_cache_not_put_in_place_is_told_not_undone)
{
	struct home home;

	home_make(&home);
	open_state(&home);
	write_spares(&home, "p", "result", NULL);
	ck_assert_int_eq(commit(&home, "p", "record\n"), -1);
	assert_failure(&home, "write", CACHE "p", ENOENT);
	assert_content(&home, RESULT "p.status.json", "result");
	assert_content(&home, LOG "p.log", "record\n");
	home_remove(&home);
}
END_TEST

START_TEST(test_state_commit_a_title_too_long_names_its_file)
{
	struct home home;
	char title[NAME_MAX + 1];

	memset(title, 'x', NAME_MAX);
	title[NAME_MAX] = '\0';
	home_make(&home);
	open_state(&home);
	ck_assert_int_eq(state_write_spare(&home.state, STATE_RESULT, title,
					   "r", 1, &home.failure), -1);
	ck_assert_int_eq(home.failure.error, ENAMETOOLONG);
	ck_assert_ptr_nonnull(strstr(home.failure.path, "/result/xxx"));
	ck_assert_str_eq(home.failure.path + strlen(home.failure.path) - 12,
			 ".status.json");
	failure_release(&home.failure);
	ck_assert_int_eq(commit(&home, title, "record\n"), -1);
	ck_assert_int_eq(home.failure.error, ENAMETOOLONG);
	ck_assert_str_eq(home.failure.path + strlen(home.failure.path) - 8,
			 "xxxx.log");
	home_remove(&home);
}
END_TEST

START_TEST(test_state_reads_slapos_cores_files)
{
	struct home home;
	struct slapgrid_previous previous;
	struct last_success *entries;
	bool failed[4];
	size_t found, count;
	double next;

	home_make(&home);
	home_make_folders(&home);
	helper_write_file(home.fd, RESULT "p.status.json",
			  "{\"title\": \"p\", \"name\": \"p.py\", \"path\": \"/srv/p.py\", "
			  "\"execution-time\": 0.1, \"result\": {\"type\": \"Test Result\", "
			  "\"failed\": true, \"date\": \"2026-11-24T21:54:46+0000\", "
			  "\"message\": \"Error: disk full\"}}", 0644);
	helper_write_file(home.fd, LOG "p.log",
			  "2024-01-01 10:00:00 - ERROR - 1704103200-111 - boom\n"
			  "2024-01-01 10:01:00 - INFO - 1704103260-222 - fine\n"
			  "2024-01-01 10:02:01 - CRITICAL - 1704103320-333 - bad\n",
			  0644);
	helper_write_file(home.fd, CACHE "p",
			  "{\"is_tested\": true, \"is_anomaly_detected\": false, "
			  "\"periodicity\": 2, \"next_run_after\": 1700000120.5, "
			  "\"timestamp\": 1700000000.5, \"module_file\": \"/srv/p.py\", "
			  "\"module_file_mtime\": 1700000000.0}", 0644);
	helper_write_file(home.fd, BASE "/promise-run.last-success",
			  "1700000000 p\n", 0644);
	ck_assert_int_eq(state_open(&home.state, home.fd, home.path, NULL,
				    geteuid(), false, &home.failure), 0);

	ck_assert_int_eq(state_read_previous(&home.state, "p", &previous), 0);
	ck_assert(previous.failed);
	ck_assert_str_eq(previous.message, "Error: disk full");
	ck_assert_int_eq(previous.date, 1795557286);
	free(previous.message);
	ck_assert_int_eq(state_read_runs(&home.state, "p", failed, 4, &found), 0);
	ck_assert_uint_eq(found, 3);
	ck_assert(failed[0] && !failed[1] && failed[2]);
	ck_assert_int_eq(state_read_cache(&home.state, "p", &next), 0);
	ck_assert(next == 1700000120.5);
	ck_assert_int_eq(state_read_successes(&home.state, &entries, &count), 0);
	ck_assert_int_eq(last_success_of(entries, count, "p"), 1700000000);
	last_success_free(entries, count);

	/* A promise that never ran has no file: nothing is known. */
	ck_assert_int_eq(state_read_previous(&home.state, "q", &previous), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(state_read_runs(&home.state, "q", failed, 4, &found), 0);
	ck_assert_uint_eq(found, 0);
	ck_assert_int_eq(state_read_cache(&home.state, "q", &next), -1);
	home_remove(&home);
}
END_TEST

START_TEST(test_state_last_successes_are_replaced_whole)
{
	static const char text[] = "1700000000 p\n1700000001 q r\n";
	struct home home;
	struct last_success *entries;
	size_t count;

	home_make(&home);
	open_state(&home);
	ck_assert_int_eq(state_read_successes(&home.state, &entries, &count), 0);
	ck_assert_uint_eq(count, 0);
	last_success_free(entries, count);
	ck_assert_int_eq(state_write_successes(&home.state, text, sizeof text - 1,
					       &home.failure), 0);
	ck_assert_int_eq(state_write_successes(&home.state, text, 13,
					       &home.failure), 0);
	assert_content(&home, BASE "/promise-run.last-success", "1700000000 p\n");
	assert_mode(&home, BASE "/promise-run.last-success", S_IFREG, 0644);
	ck_assert_int_eq(state_read_successes(&home.state, &entries, &count), 0);
	ck_assert_uint_eq(count, 1);
	last_success_free(entries, count);

	ck_assert_int_eq(unlinkat(home.fd, BASE "/.promise-run-spare.last-success",
				  0), 0);
	ck_assert_int_eq(mkfifoat(home.fd, BASE "/.promise-run-spare.last-success",
				  0600), 0);
	ck_assert_int_eq(state_write_successes(&home.state, text, 13,
					       &home.failure), -1);
	assert_failure(&home, "write", BASE "/promise-run.last-success",
		       FSAT_NOT_REGULAR);
	home_remove(&home);
}
END_TEST

/* What replaces a file or folder of the state: a trap the user laid. */
enum trap { SYMLINK, FIFO, HARD_LINK };

/* Lays `trap` at `name` of the home (which must not exist yet). */
static void lay(struct home *home, const char *name, enum trap trap)
{
	switch (trap) {
	case SYMLINK:
		ck_assert_int_eq(symlinkat("/etc/passwd", home->fd, name), 0);
		break;
	case FIFO:
		ck_assert_int_eq(mkfifoat(home->fd, name, 0600), 0);
		break;
	case HARD_LINK:
		helper_write_file(home->fd, "outside", "not the state's\n", 0644);
		ck_assert_int_eq(linkat(home->fd, "outside", home->fd, name, 0), 0);
		break;
	}
}

static const int refusals[] = {
	[SYMLINK] = ELOOP, [FIFO] = FSAT_NOT_REGULAR, [HARD_LINK] = FSAT_LINKED,
};

START_TEST(test_state_open_refuses_a_trap_in_place_of_a_folder)
{
	static const char *const folders[] = { BASE "/result", BASE "/cache" };
	struct home home;

	for (size_t i = 0; i < sizeof folders / sizeof *folders; i++) {
		home_make(&home);
		ck_assert_int_eq(mkdirat(home.fd, ".slapgrid", 0700), 0);
		ck_assert_int_eq(mkdirat(home.fd, BASE, 0700), 0);
		ck_assert_int_eq(symlinkat("/tmp", home.fd, folders[i]), 0);
		ck_assert_int_eq(state_open(&home.state, home.fd, home.path,
					    NULL, geteuid(), true,
					    &home.failure), -1);
		/* Told as the state's folder, as before. */
		assert_failure(&home, "open", BASE, ELOOP);
		ck_assert(!state_is_open(&home.state));
		home_remove(&home);
	}
	home_make(&home);
	ck_assert_int_eq(symlinkat("/tmp", home.fd, ".slapgrid"), 0);
	ck_assert_int_eq(state_open(&home.state, home.fd, home.path, NULL,
				    geteuid(), true, &home.failure), -1);
	assert_failure(&home, "open", BASE, ELOOP);
	home_remove(&home);

	home_make(&home);
	home_make_folders(&home);
	ck_assert_int_eq(unlinkat(home.fd, BASE "/log", AT_REMOVEDIR), 0);
	lay(&home, BASE "/log", FIFO);
	ck_assert_int_eq(state_open(&home.state, home.fd, home.path, NULL,
				    geteuid(), true, &home.failure), -1);
	assert_failure(&home, "open", BASE "/log", ENOTDIR);
	home_remove(&home);
}
END_TEST

START_TEST(test_state_open_refuses_a_trap_in_place_of_the_lock)
{
	for (enum trap trap = SYMLINK; trap <= HARD_LINK; trap++) {
		struct home home;

		home_make(&home);
		home_make_folders(&home);
		lay(&home, LOCK, trap);
		ck_assert_int_eq(state_open(&home.state, home.fd, home.path,
					    NULL, geteuid(), true,
					    &home.failure), -1);
		assert_failure(&home, "open", LOCK, refusals[trap]);
		ck_assert(!state_is_open(&home.state));
		home_remove(&home);
	}
}
END_TEST

START_TEST(test_state_commit_refuses_a_trap_in_place_of_the_log)
{
	for (enum trap trap = SYMLINK; trap <= HARD_LINK; trap++) {
		struct home home;

		home_make(&home);
		home_make_folders(&home);
		lay(&home, LOG "p.log", trap);
		open_state(&home);
		write_spares(&home, "p", "result", "cache");
		ck_assert_int_eq(commit(&home, "p", "record\n"), -1);
		assert_failure(&home, "write", LOG "p.log", refusals[trap]);
		/* Nothing was put in place. */
		assert_missing(&home, RESULT "p.status.json");
		assert_missing(&home, CACHE "p");
		if (trap == HARD_LINK)
			assert_content(&home, "outside", "not the state's\n");
		home_remove(&home);
	}
}
END_TEST

START_TEST(test_state_write_spare_refuses_a_trap_in_place_of_the_spare)
{
	for (enum trap trap = SYMLINK; trap <= HARD_LINK; trap++) {
		struct home home;

		home_make(&home);
		home_make_folders(&home);
		lay(&home, CACHE STATE_SPARE_PREFIX "p", trap);
		open_state(&home);
		ck_assert_int_eq(state_write_spare(&home.state, STATE_CACHE,
						   "p", "c", 1,
						   &home.failure), -1);
		/* Told as the promise's file: the spare is how it is written. */
		assert_failure(&home, "write", CACHE "p", refusals[trap]);
		if (trap == HARD_LINK)
			assert_content(&home, "outside", "not the state's\n");
		home_remove(&home);
	}
}
END_TEST

START_TEST(test_state_reads_refuse_a_trap_in_place_of_a_file)
{
	for (enum trap trap = SYMLINK; trap <= FIFO; trap++) {
		struct home home;
		struct slapgrid_previous previous;
		bool failed[2];
		size_t found;
		double next;

		home_make(&home);
		home_make_folders(&home);
		lay(&home, RESULT "p.status.json", trap);
		lay(&home, LOG "p.log", trap);
		lay(&home, CACHE "p", trap);
		ck_assert_int_eq(state_open(&home.state, home.fd, home.path,
					    NULL, geteuid(), false,
					    &home.failure), 0);
		errno = 0;
		ck_assert_int_eq(state_read_previous(&home.state, "p",
						     &previous), -1);
		ck_assert_int_eq(errno, refusals[trap]);
		errno = 0;
		ck_assert_int_eq(state_read_runs(&home.state, "p", failed, 2,
						 &found), -1);
		ck_assert_int_eq(errno, refusals[trap]);
		errno = 0;
		ck_assert_int_eq(state_read_cache(&home.state, "p", &next), -1);
		ck_assert_int_eq(errno, refusals[trap]);
		home_remove(&home);
	}
}
END_TEST

Suite *state_suite(void)
{
	Suite *suite = suite_create("state");
	TCase *tc = tcase_create("state");

	tcase_add_test(tc, test_state_open_creates_its_folders_and_the_lock);
	tcase_add_test(tc, test_state_open_a_log_folder_in_the_home_or_elsewhere);
	tcase_add_test(tc, test_state_open_without_creating_creates_nothing);
	tcase_add_test(tc, test_state_try_lock_fails_while_another_holds_the_lock);
	tcase_add_test(tc, test_state_watch_lock_sees_the_holder_close);
	tcase_add_test(tc, test_state_commit_puts_the_spares_in_place_and_appends_the_record);
	tcase_add_test(tc, test_state_commit_after_a_cut_record_starts_a_new_line);
	tcase_add_test(tc, test_state_commit_takes_the_result_back_when_the_record_fails);
	tcase_add_test(tc, test_state_commit_a_result_not_put_in_place_writes_no_record);
	tcase_add_test(tc, test_state_commit_a_cache_not_put_in_place_is_told_not_undone);
	tcase_add_test(tc, test_state_commit_a_title_too_long_names_its_file);
	tcase_add_test(tc, test_state_reads_slapos_cores_files);
	tcase_add_test(tc, test_state_last_successes_are_replaced_whole);
	tcase_add_test(tc, test_state_open_refuses_a_trap_in_place_of_a_folder);
	tcase_add_test(tc, test_state_open_refuses_a_trap_in_place_of_the_lock);
	tcase_add_test(tc, test_state_commit_refuses_a_trap_in_place_of_the_log);
	tcase_add_test(tc, test_state_write_spare_refuses_a_trap_in_place_of_the_spare);
	tcase_add_test(tc, test_state_reads_refuse_a_trap_in_place_of_a_file);
	suite_add_tcase(suite, tc);
	return suite;
}
