/*
 * runner: the event loop that runs the promises of one instance.
 *
 * At most `jobs` promises run at once.  One ppoll waits on everything at
 * once: each promise's output pipe, a signalfd that carries SIGCHLD,
 * SIGINT, SIGTERM and SIGHUP, and the nearest deadline.  Each running
 * promise moves through these states:
 *
 *   RUNNING --timeout--> TERMINATING (SIGTERM+SIGCONT to its group)
 *           --kill-after--> KILLED (SIGKILL to its group)
 *   any state --process exits--> DRAINING (output read until EOF, at most
 *           RUNNER_DRAIN_SECONDS) --> done: what is left of its process
 *           group is killed and the result recorded.
 *
 * A promise whose process survives SIGKILL for RUNNER_DRAIN_SECONDS (stuck
 * in the kernel) is given up on, so promise-run never waits longer than
 * timeout + kill-after + drain for one promise.  Orphans re-parented to
 * promise-run are killed whenever no promise runs, and at the end.
 *
 * Lifecycle: runner_create once (it blocks those signals for the whole
 * process), runner_run for each instance, runner_destroy.
 */
#ifndef PROMISE_RUN_RUNNER_H
#define PROMISE_RUN_RUNNER_H

#include <stddef.h>

#include "result.h"
#include "scan.h"

/* How long output is still read after a promise's process exited. */
#define RUNNER_DRAIN_SECONDS 0.1

struct credentials;

struct runner_settings {
	double kill_after;          /* seconds from SIGTERM to SIGKILL */
	unsigned jobs;              /* promises running at once, >= 1 */
};

struct runner_instance {
	const char *home;           /* absolute: the promises' working folder */
	const char *promise_dir;    /* absolute */
	char *const *envp;
	const struct promise_list *promises;
	const double *timeouts;     /* seconds before SIGTERM, per promise */
	const struct credentials *credentials;  /* NULL: promise-run's own */
	/*
	 * One per promise, in the same order, filled in by runner_run; a
	 * result already `done` (refused, disabled) is not run.
	 */
	struct promise_result *results;
};

/* Called as each promise's result is recorded, in completion order. */
typedef void runner_done_fn(void *context, size_t index);

struct runner;

/* NULL with errno on failure. */
struct runner *runner_create(void);

/*
 * Runs every promise of `instance`.  Returns 0 when all ran; the number of
 * the signal (SIGINT, SIGTERM, SIGHUP) that interrupted the run, after every
 * promise was stopped; or -1 with errno when promise-run itself failed
 * (ENOMEM).  Promises that were interrupted or never started stay with
 * `done` false.
 */
int runner_run(struct runner *runner, const struct runner_settings *settings,
               struct runner_instance *instance,
               runner_done_fn *on_done, void *context);

/*
 * The signalfd on which SIGINT, SIGTERM, SIGHUP and SIGCHLD arrive, for
 * waits outside runner_run (the instance lock).
 */
int runner_signal_fd(const struct runner *runner);

void runner_destroy(struct runner *runner);

#endif
