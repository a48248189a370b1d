/*
 * state: what promise-run leaves in an instance home for others to read,
 * in slapgrid's layout under INSTANCE_HOME/.slapgrid/promise/:
 *
 *   promise-run.lock          flock'd while promise-run checks the instance
 *   result/TITLE.status.json  the last result of each promise
 *   log/TITLE.log             one line appended per run of each promise
 *
 * Folders it creates are mode 0700.  Result files are replaced atomically:
 * each new result is written in a spare file (result/.promise-run-spare.
 * TITLE, which holds the result before), all of one run's are made durable
 * with a single syncfs, not one fsync each, then each is exchanged with
 * its result file (renameat2 RENAME_EXCHANGE).
 *
 * Lifecycle: state_open, state_lock, state_record for each result as it
 * comes (the files are written while other promises still run), then
 * state_commit, state_close.
 */
#ifndef PROMISE_RUN_STATE_H
#define PROMISE_RUN_STATE_H

#include <stdbool.h>
#include <sys/types.h>

#include "report.h"

/* The spare of result/TITLE.status.json is result/.promise-run-spare.TITLE. */
#define STATE_SPARE_PREFIX ".promise-run-spare."

struct credentials;

struct state {
	char *base;         /* INSTANCE_HOME/.slapgrid/promise */
	char *lock_path;
	int lock_fd;
	uid_t owner;        /* of what it creates, or (uid_t)-1 to keep */
	gid_t group;
	int error;          /* the first errno of state_record, or 0 */
	unsigned char *recorded;    /* per promise: its files are written */
};

/*
 * Creates the folders and opens the lock file; 0, or -1 with errno.  What
 * it creates belongs to `user` when not NULL (promise-run as root).
 */
int state_open(struct state *state, const char *home,
               const struct credentials *user);

/*
 * Takes the instance lock.  Without `wait`, fails at once with errno
 * EWOULDBLOCK when another run holds it.  With `wait`, waits until it is
 * free, or until SIGINT, SIGTERM or SIGHUP arrives on `signal_fd` (then -1
 * with errno EINTR and the signal in *signo).  0, or -1 with errno.
 */
int state_lock(struct state *state, bool wait, int signal_fd, int *signo);

/*
 * Writes the new result file (not yet in place) and the log line of the
 * promise `index`; nothing for a disabled one.  After a failure, it does
 * nothing more and state_commit fails with the same errno.  0, or -1.
 */
int state_record(struct state *state, const struct instance_report *instance,
                 size_t index);

/*
 * Makes every recorded result durable (one syncfs) and puts them in
 * place.  0, or -1 with errno.
 */
int state_commit(struct state *state, const struct instance_report *instance);

/* Releases the lock and frees the state. */
void state_close(struct state *state);

/* The date of a result file: "2026-11-24T21:54:46+0000" (UTC). */
void state_format_date(time_t when, char *buffer, size_t size);

#endif
