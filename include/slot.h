/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * slot: one promise process in one of the runner's slots, from its spawn
 * to its outcome.  A slot holds the process's leader, its exec-status and
 * output pipes, its captured output and its job (see job); the runner
 * polls the descriptor the slot names and tells the slot what came: a
 * readable pipe, an exit, a deadline, a stop.
 *
 * The job's effects land on the promise's process group, or on its whole
 * cgroup when it has one.  The leader is kept unreaped (a zombie) until
 * its group has been killed, so that neither its pid nor its process
 * group id can be given to another process while they may be signalled.
 *
 * Lifecycle: slot_start once the child is spawned; then, until the job
 * is JOB_DONE, slot_poll and slot_read, slot_notice_exit after a SIGCHLD,
 * slot_tick, slot_stop; then slot_finish; slot_free (slot_kill first to
 * give it up at once).
 */
#ifndef PROMISE_RUN_SLOT_H
#define PROMISE_RUN_SLOT_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "capture.h"
#include "job.h"
#include "spawn.h"

struct cgroup_group;
struct runner_outcome;
struct runner_task;

struct slot {
	bool used;
	struct job job;
	pid_t pid;                  /* also the id of its process group */
	int output_fd;              /* -1 after EOF */
	int status_fd;              /* exec-status pipe, -1 once read */
	bool exec_failed;
	struct spawn_failure failure;
	int wait_status;            /* as waitpid gives it, once exited */
	struct cgroup_group *group; /* the promise's cgroup, or NULL: none */
	size_t home, promise;
	struct timespec started, exited_at;
	struct capture capture;
	/*
	 * Where the output goes instead of the capture (a check helper's
	 * results), set after slot_start; 0, or -1 with errno ENOMEM.
	 */
	int (*output_to)(void *context, const void *bytes, size_t size);
	void *output_context;
};

/*
 * Takes `child`, just spawned for `task` at `started` (in `group`, or
 * NULL when it has no cgroup), into the free `slot`.
 */
void slot_start(struct slot *slot, const struct spawn_child *child,
                struct cgroup_group *group, const struct runner_task *task,
                struct timespec started);

/*
 * The one descriptor to wait on: the exec status until it is read, then
 * the cgroup's events while its group is cleared, else the output.
 * False when there is none.
 */
bool slot_poll(const struct slot *slot, struct pollfd *poll);

/*
 * Handles `fd` (slot_poll's), now ready: reads `buffer`-fuls of output
 * up to a fair share.  0, or -1 with errno ENOMEM when output was lost.
 */
int slot_read(struct slot *slot, int fd, unsigned char *buffer, size_t size);

/* Notes whether the leader has exited, leaving it unreaped (WNOWAIT). */
void slot_notice_exit(struct slot *slot);

/* Moves the job on if its deadline has come by `now`. */
void slot_tick(struct slot *slot, struct timespec now);

/* Stops the promise: the first time politely, then hard. */
void slot_stop(struct slot *slot, bool again, struct timespec now);

/* Kills the promise's whole group at once: the last resort. */
void slot_kill(struct slot *slot);

/*
 * Fills `outcome` (zeroed but for its end time) from a slot whose job is
 * JOB_DONE, reaping its leader.  0, or -1 with errno ENOMEM when its
 * message could not be made (the rest is filled).
 */
int slot_finish(struct slot *slot, struct runner_outcome *outcome);

/* Closes its pipes and frees its capture: the slot is free. */
void slot_free(struct slot *slot);

#endif
