/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * spawn: starting one promise process, and learning whether it could be
 * executed at all.
 *
 * The child gets a session (and so a process group) of its own, the working
 * folder asked for, /dev/null as standard input, one pipe as both standard
 * output and standard error, no other descriptor, default signal
 * dispositions and an empty signal mask; and, when `credentials` says so,
 * the groups, gid and uid of the promise's user, switched for good; and
 * a parent-death signal (SIGKILL), so that a promise does not outlive a
 * promise-run killed by SIGKILL.
 *
 * The child shares promise-run's memory until it calls execve, and
 * promise-run waits meanwhile (clone with CLONE_VM | CLONE_VFORK, as glibc's
 * posix_spawn does): no page table is copied and no copy-on-write fault
 * follows, which makes a spawn as cheap as the kernel allows.  The shared
 * memory also carries back whatever failed before exec, so an exec failure
 * is told apart from a promise that exits 127, with no extra pipe.
 *
 * Lifecycle: spawn_start; read child->output_fd until EOF, wait for the
 * pid, close the descriptor.  A child whose exec failed has already exited:
 * it is only to be reaped.
 */
#ifndef PROMISE_RUN_SPAWN_H
#define PROMISE_RUN_SPAWN_H

#include <stdint.h>
#include <sys/types.h>

struct credentials;

struct spawn_request {
	const char *path;           /* executed, and given as argv[0] */
	const char *workdir;
	char *const *envp;
	int stdin_fd;               /* becomes the child's standard input */
	uint64_t ignored;           /* bit N-1: signal N to reset from SIG_IGN */
	const struct credentials *credentials;  /* NULL: keep promise-run's */
};

struct spawn_child {
	pid_t pid;                  /* also the id of its process group */
	int output_fd;              /* read end of its output, non-blocking */
};

/* The step of the child's set-up that failed. */
enum spawn_stage {
	SPAWN_STAGE_SESSION,
	SPAWN_STAGE_CREDENTIALS,
	SPAWN_STAGE_WORKDIR,
	SPAWN_STAGE_DESCRIPTORS,
	SPAWN_STAGE_SIGNALS,
	SPAWN_STAGE_EXEC,
};

struct spawn_failure {
	enum spawn_stage stage;
	int error;                  /* errno in the child */
};

/*
 * Starts the child.  Returns 0 with *child filled when the promise was
 * executed; 1 with *failure filled when its set-up or exec failed (the
 * child has exited and is still to be reaped); -1 with errno when no child
 * could be started (EMFILE, EAGAIN, ...).
 */
int spawn_start(const struct spawn_request *request, struct spawn_child *child,
                struct spawn_failure *failure);

/*
 * The signals this process ignores, which exec keeps: bit N-1 for signal
 * N, glibc's reserved real-time signals included.
 */
uint64_t spawn_ignored_signals(void);

#endif
