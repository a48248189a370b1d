/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * state: slapgrid's files in one instance home, reached only through
 * descriptors opened from the home down (see fsat), as the instance's user
 * (the caller holds its identity, see identity):
 *
 *   .slapgrid/promise/promise-run.lock   flock'd while promise-run checks
 *                                        the instance
 *   .slapgrid/promise/result/TITLE.status.json
 *   .slapgrid/promise/log/TITLE.log      (or --log-folder)
 *   .slapgrid/promise/cache/TITLE
 *   .slapgrid/promise/promise-run.last-success
 *                                        promise-run's own: when each
 *                                        promise last worked (its text:
 *                                        see last_success)
 *
 * Folders it creates are mode 0700, files 0644 (the lock 0600), whatever
 * the umask.  A result or cache file is never written in place: its new
 * version goes to a spare file (result/.promise-run-spare.TITLE, the
 * inode of the version before last, so a run allocates no inode), then,
 * after one syncfs for the whole home, is exchanged with it
 * (renameat2 RENAME_EXCHANGE).  A promise's result and its log record are
 * committed together: the result is put in place, then the record
 * appended; a record that cannot be written whole is cut off again
 * (ftruncate to where it began) and the result taken back (exchanged
 * again), so a log never holds half a record, nor a record whose result
 * is not in place.  (On a file system that cannot exchange, the result
 * replaced cannot be taken back: it stays, without its record, as after
 * a crash between the two.)
 *
 * A function that fails fills the caller's zeroed struct failure (see
 * failure): what it was doing ("open", "lock", "write", ...) to which
 * path; the reads, whose failures only leave something unknown, set
 * errno.
 *
 * Lifecycle: state_open, state_try_lock (or state_watch_lock and wait),
 * reads, state_write_spare for each result, state_sync, state_commit for
 * each, state_finish, state_close.
 */
#ifndef PROMISE_RUN_STATE_H
#define PROMISE_RUN_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "failure.h"
#include "last_success.h"
#include "slapgrid.h"

/* The spare of result/TITLE.status.json is result/.promise-run-spare.TITLE. */
#define STATE_SPARE_PREFIX ".promise-run-spare."

/* The most of a log read back for its last runs. */
#define STATE_LOG_TAIL (64 * 1024)

struct state {
	int base_fd;                /* .slapgrid/promise */
	int result_fd, log_fd, cache_fd;
	int lock_fd;
	int watch;                  /* inotify watch of the lock, or -1 */
	int inotify_fd;             /* the watch's, or -1 */
	uid_t owner;                /* every file written must be its */
	char *base_path;            /* for messages */
	char *log_path;
};

/* The folder a file of the state lives in. */
enum state_folder { STATE_RESULT, STATE_LOG, STATE_CACHE };

/* A state that is not open: every descriptor -1 (state_close is a no-op). */
void state_init(struct state *state);

/* Whether state_open succeeded and state_close has not come since. */
bool state_is_open(const struct state *state);

/*
 * Opens the state folders of the home open as `home_fd` (`home` names it
 * in messages) and, with `create`, creates what is missing and opens the
 * lock file; without, only reads will follow.  `log_folder`: NULL
 * for .slapgrid/promise/log, else a folder relative to the home or
 * absolute.  0, or -1 with *failure: "open" and the folder that failed
 * (.slapgrid/promise for its result and cache folders too), or the lock
 * file; no path when out of memory.
 */
int state_open(struct state *state, int home_fd, const char *home,
               const char *log_folder, uid_t owner, bool create,
               struct failure *failure);

/* Takes the instance lock at once: 0, or -1 ("lock", EWOULDBLOCK: held). */
int state_try_lock(struct state *state, struct failure *failure);

/*
 * Watches the lock file with `inotify_fd`: each close of it (the holder's
 * exit among them, whether it opened the file to read or to write) is an
 * event, after which the lock is tried again.  Set before the next try,
 * so no release slips between.  A holder that unlocks without closing
 * (flock LOCK_UN) makes no event: the caller also tries now and then.
 * 0, or -1 ("wait for" the lock file).
 */
int state_watch_lock(struct state *state, int inotify_fd,
                     struct failure *failure);

/* Removes the watch, if any (state_close does it too). */
void state_unwatch_lock(struct state *state);

/* The newest runs of a promise's log, newest first (see slapgrid). */
int state_read_runs(const struct state *state, const char *title,
                    bool *failed, size_t wanted, size_t *found);

/* The previous result of a promise; -1 with errno ENOENT when none. */
int state_read_previous(const struct state *state, const char *title,
                        struct slapgrid_previous *previous);

/* A promise's next_run_after from its cache; -1 when none. */
int state_read_cache(const struct state *state, const char *title,
                     double *next_run_after);

/*
 * Reads promise-run.last-success (see last_success): *entries (free with
 * last_success_free) and their count.  A missing file is no entry.  0,
 * or -1 with errno.
 */
int state_read_successes(const struct state *state,
                         struct last_success **entries, size_t *count);

/* Replaces promise-run.last-success with `content`, atomically ("write"). */
int state_write_successes(const struct state *state, const char *content,
                          size_t size, struct failure *failure);

/*
 * Writes the new version of a result or cache file to its spare.  A
 * failure ("write") names the file, not its spare: the spare is how it
 * is written.
 */
int state_write_spare(const struct state *state, enum state_folder folder,
                      const char *title, const char *content, size_t size,
                      struct failure *failure);

/* Makes every file written so far durable: one syncfs ("sync" the base). */
int state_sync(const struct state *state, struct failure *failure);

/*
 * Commits one promise: puts its result spare in place, appends its log
 * records, then puts its cache spare in place (when `cache`).  When the
 * result or the records fail, the result is taken back and the records
 * cut off; once both are in place, a failure (closing the log, putting
 * the cache in place) is told but not undone: the cache only schedules
 * the next run.  0, or -1 with *failure: "write" and the promise's file
 * that failed (its log, result or cache).
 */
int state_commit(const struct state *state, const char *title,
                 const char *records, size_t size, bool cache,
                 struct failure *failure);

/*
 * Makes the renames of the run durable: fsyncs the result, cache, log and
 * state folders.  The records appended to the logs since state_sync are
 * left to the kernel's writeback: a crash may lose the newest, as a crash
 * between a result and its record would.  0, or -1 ("sync" the folder).
 */
int state_finish(const struct state *state, struct failure *failure);

/* The path of `folder`, for messages and documents; malloc'd. */
char *state_folder_path(const struct state *state, enum state_folder folder);

/* The path of a file of the state, for messages; malloc'd. */
char *state_path(const struct state *state, enum state_folder folder,
                 const char *title);

/* Releases the lock and closes everything. */
void state_close(struct state *state);

#endif
