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
 * promise-run killed by SIGKILL.  Given a cgroup folder, the child is born
 * in it (clone3 with CLONE_INTO_CGROUP): it never runs a step outside.
 *
 * The child shares promise-run's memory until it calls execve, and
 * promise-run waits meanwhile (CLONE_VM | CLONE_VFORK, as glibc's
 * posix_spawn does): no page table is copied and no copy-on-write fault
 * follows.  That is safe only while nobody but promise-run's own user may
 * signal the child: a child stopped before its exec would stop
 * promise-run with it.  So the child never takes another user's uid in
 * that memory: for a promise that runs as another user, it executes
 * promise-run again, as root, in a fresh memory of its own
 * (SPAWN_AS_COMMAND, with an empty environment), and that process drops
 * to the user and executes the promise; promise-run does not wait on it.
 *
 * What failed before the promise's exec comes back through a
 * close-on-exec pipe, read in the event loop like the output: a record
 * there is a failure, end of file an exec.
 *
 * Lifecycle: spawn_start; read child->status_fd until a record or EOF
 * (spawn_read_status) and child->output_fd until EOF, wait for the pid,
 * close the descriptors.
 */
#ifndef PROMISE_RUN_SPAWN_H
#define PROMISE_RUN_SPAWN_H

#include <stdint.h>
#include <sys/types.h>

/* argv[1] of promise-run executed to become a user and run a promise. */
#define SPAWN_AS_COMMAND "spawn-as"

struct credentials;

struct spawn_request {
	const char *path;           /* executed */
	/* Its arguments, argv[0] first; NULL: { path } alone. */
	char *const *argv;
	const char *workdir;
	char *const *envp;
	int stdin_fd;               /* becomes the child's standard input */
	int cgroup_fd;              /* a cgroup v2 folder to be born in, or -1 */
	int self_fd;                /* promise-run's executable (O_PATH) */
	uint64_t ignored;           /* bit N-1: signal N to reset from SIG_IGN */
	const struct credentials *credentials;  /* NULL: keep promise-run's */
};

struct spawn_child {
	pid_t pid;                  /* also the id of its process group */
	int output_fd;              /* read end of its output, non-blocking */
	int status_fd;              /* read end of the exec-status pipe, ditto */
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
 * Starts the child.  Returns 0 with *child filled; -1 with errno when no
 * child could be started (EMFILE, EAGAIN, ENOSYS from a kernel that
 * refuses clone3 into a cgroup, ...).
 */
int spawn_start(const struct spawn_request *request, struct spawn_child *child);

/*
 * Reads the exec-status pipe once it is readable: 1 with *failure filled
 * when the child's set-up or exec failed, 0 when it executed the promise
 * (or died before it could say: its wait status tells), -1 with errno
 * EAGAIN when nothing is there yet.
 */
int spawn_read_status(int status_fd, struct spawn_failure *failure);

/*
 * promise-run executed as SPAWN_AS_COMMAND: becomes the user named on the
 * command line and executes the promise, or writes a failure record on
 * descriptor 3 and exits 127.  Never returns on success.
 */
int spawn_as_main(int argc, char **argv);

/*
 * The signals this process ignores, which exec keeps: bit N-1 for signal
 * N, glibc's reserved real-time signals included.
 */
uint64_t spawn_ignored_signals(void);

#endif
