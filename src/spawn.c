/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* spawn: one promise process, from clone to exec. */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "credentials.h"
#include "fdio.h"

/*
 * The kernel's own sigaction, through the raw system call: glibc's wrapper
 * refuses its reserved real-time signals (32, 33), which a parent may still
 * have left ignored.  This is the generic layout (x86-64, arm64, ...).
 */
struct kernel_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

static int raw_sigaction(int signo, const struct kernel_sigaction *action,
                         struct kernel_sigaction *old)
{
	return (int)syscall(SYS_rt_sigaction, signo, action, old,
			    sizeof action->mask);
}

/* In the child: tells the parent what failed, then dies. */
static _Noreturn void child_fail(int status_fd, enum spawn_stage stage)
{
	struct spawn_failure failure = { .stage = stage, .error = errno };

	/* Smaller than PIPE_BUF: written whole or not at all. */
	(void)!write(status_fd, &failure, sizeof failure);
	_exit(127);
}

/*
 * Becomes the promise's user: groups first, then gid, then uid, through
 * raw system calls (glibc's set*id would signal threads that the copy
 * does not have).  Then checks that the drop cannot be undone.
 */
static void child_drop_privileges(int status_fd,
                                  const struct credentials *credentials)
{
	uid_t uid = credentials->uid;
	gid_t gid = credentials->gid;

	if (syscall(SYS_setgroups, credentials->group_count,
		    credentials->groups) < 0 ||
	    syscall(SYS_setresgid, gid, gid, gid) < 0 ||
	    syscall(SYS_setresuid, uid, uid, uid) < 0)
		child_fail(status_fd, SPAWN_STAGE_CREDENTIALS);
	if (uid != 0 && syscall(SYS_setuid, 0) == 0) {
		errno = EPERM;
		child_fail(status_fd, SPAWN_STAGE_CREDENTIALS);
	}
	/* Whatever fs.suid_dumpable says, the user may not trace the copy. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		child_fail(status_fd, SPAWN_STAGE_CREDENTIALS);
}

/*
 * Everything between clone and exec, in the child, a copy of promise-run:
 * only async-signal-safe calls, and _exit.
 */
static _Noreturn void child_exec(const struct spawn_request *request,
                                 pid_t parent, int output_fd, int status_fd)
{
	char *const argv[] = { (char *)request->path, NULL };
	const struct kernel_sigaction default_action = { .handler = SIG_DFL };
	sigset_t none;

	if (setsid() < 0)
		child_fail(status_fd, SPAWN_STAGE_SESSION);
	if (request->credentials && request->credentials->change)
		child_drop_privileges(status_fd, request->credentials);
	/*
	 * Dies with promise-run, even by SIGKILL.  Set after the drop, which
	 * clears it; a parent that died before is seen as a new parent.
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		child_fail(status_fd, SPAWN_STAGE_SESSION);
	if (getppid() != parent)
		_exit(127);
	/* After the drop: the user must be able to enter its own home. */
	if (chdir(request->workdir) < 0)
		child_fail(status_fd, SPAWN_STAGE_WORKDIR);
	/*
	 * dup2 clears close-on-exec on 0, 1 and 2, and only there; the
	 * status pipe stays open, close-on-exec, above them.
	 */
	if (dup2(request->stdin_fd, STDIN_FILENO) < 0 ||
	    dup2(output_fd, STDOUT_FILENO) < 0 ||
	    dup2(output_fd, STDERR_FILENO) < 0 ||
	    (status_fd != 3 && dup2(status_fd, 3) < 0))
		child_fail(status_fd, SPAWN_STAGE_DESCRIPTORS);
	status_fd = 3;
	if (fcntl(status_fd, F_SETFD, FD_CLOEXEC) < 0 ||
	    close_range(4, ~0U, 0) < 0)
		child_fail(status_fd, SPAWN_STAGE_DESCRIPTORS);
	/*
	 * exec resets caught signals but keeps ignored ones (SIGPIPE, and what
	 * promise-run's own parent ignored), and keeps the mask.
	 */
	for (int signo = 1; signo <= 64; signo++)
		if ((request->ignored >> (signo - 1) & 1) &&
		    raw_sigaction(signo, &default_action, NULL) < 0)
			child_fail(status_fd, SPAWN_STAGE_SIGNALS);
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		child_fail(status_fd, SPAWN_STAGE_SIGNALS);
	execve(request->path, argv, request->envp);
	child_fail(status_fd, SPAWN_STAGE_EXEC);
}

/*
 * A copy of this process, born in `cgroup_fd` when it is not -1: clone3
 * with fork semantics.  Where clone3 is refused (old kernels, seccomp
 * filters that answer ENOSYS), fork, but only without a cgroup.
 */
static pid_t clone_copy(int cgroup_fd)
{
	static bool no_clone3;
	struct clone_args args = { .exit_signal = SIGCHLD };
	long pid;

	if (cgroup_fd >= 0) {
		args.flags |= CLONE_INTO_CGROUP;
		args.cgroup = (uint64_t)cgroup_fd;
	} else if (no_clone3) {
		return fork();
	}
	pid = syscall(SYS_clone3, &args, sizeof args);
	if (pid < 0 && errno == ENOSYS && cgroup_fd < 0) {
		no_clone3 = true;
		return fork();
	}
	return (pid_t)pid;
}

int spawn_start(const struct spawn_request *request, struct spawn_child *child)
{
	pid_t parent = getpid();
	int output[2], status[2];
	pid_t pid;

	if (pipe2(output, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(status, O_CLOEXEC) < 0) {
		fdio_close_quietly(output[0]);
		fdio_close_quietly(output[1]);
		return -1;
	}
	/*
	 * The child leaves only through execve or _exit, so it never writes
	 * promise-run's stdio buffers: no fflush(NULL) is needed.  The
	 * signals promise-run handles stay blocked (signalfd), so no handler
	 * runs in the child before it resets its mask.
	 */
	pid = clone_copy(request->cgroup_fd);
	if (pid == 0)
		child_exec(request, parent, output[1], status[1]);
	int error = errno;

	fdio_close_quietly(output[1]);
	fdio_close_quietly(status[1]);
	if (pid < 0) {
		fdio_close_quietly(output[0]);
		fdio_close_quietly(status[0]);
		errno = error;
		return -1;
	}
	/*
	 * Non-blocking on promise-run's ends only: the child's end stays
	 * blocking, as programs expect of their standard output.  F_SETFL
	 * cannot fail on a pipe; if it did, the child is killed, and reaped
	 * later like any orphan.
	 */
	if (fcntl(output[0], F_SETFL, O_NONBLOCK) < 0 ||
	    fcntl(status[0], F_SETFL, O_NONBLOCK) < 0) {
		error = errno;
		(void)kill(pid, SIGKILL);
		fdio_close_quietly(output[0]);
		fdio_close_quietly(status[0]);
		errno = error;
		return -1;
	}
	child->pid = pid;
	child->output_fd = output[0];
	child->status_fd = status[0];
	return 0;
}

int spawn_read_status(int status_fd, struct spawn_failure *failure)
{
	ssize_t got = fdio_read(status_fd, failure, sizeof *failure);

	if (got < 0)
		return errno == EAGAIN ? -1 : 0;
	return got == (ssize_t)sizeof *failure;
}

uint64_t spawn_ignored_signals(void)
{
	struct kernel_sigaction current;
	uint64_t ignored = 0;

	for (int signo = 1; signo <= 64; signo++)
		if (raw_sigaction(signo, NULL, &current) == 0 &&
		    current.handler == SIG_IGN)
			ignored |= UINT64_C(1) << (signo - 1);
	return ignored;
}
