/*
 * state: what promise-run leaves in an instance home for others to read,
 * in slapgrid's layout under INSTANCE_HOME/.slapgrid/promise/:
 *
 *   promise-run.lock          flock'd while promise-run checks the instance
 *   result/TITLE.status.json  the last result of each promise
 *   log/TITLE.log             one line appended per run of each promise
 *
 * Folders it creates are mode 0700.  Result files are replaced atomically;
 * all of one run's are made durable with a single syncfs, not one fsync
 * each, then renamed into place.
 *
 * Lifecycle: state_open, state_lock, (the run), state_write, state_close.
 */
#ifndef PROMISE_RUN_STATE_H
#define PROMISE_RUN_STATE_H

#include <stdbool.h>
#include <sys/types.h>

#include "report.h"

struct credentials;

struct state {
	char *base;         /* INSTANCE_HOME/.slapgrid/promise */
	char *lock_path;
	int lock_fd;
	uid_t owner;        /* of what it creates, or (uid_t)-1 to keep */
	gid_t group;
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
 * with errno EINTR and the signal in *signo).  Also removes the temporary
 * files a crashed run left.  0, or -1 with errno.
 */
int state_lock(struct state *state, bool wait, int signal_fd, int *signo);

/* Writes the result file and log line of every promise that ran. */
int state_write(struct state *state, const struct instance_report *instance);

/* Releases the lock and frees the state. */
void state_close(struct state *state);

/* The date of a result file: "2026-11-24T21:54:46+0000" (UTC). */
void state_format_date(time_t when, char *buffer, size_t size);

#endif
