/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* spawn: one promise process, from clone to exec. */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
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

/* The child's own stack: the parent waits, so one serves every spawn. */
#define CHILD_STACK_SIZE ((size_t)256 * 1024)
static _Alignas(64) unsigned char child_stack[CHILD_STACK_SIZE];

/* What the parent shares with the child until exec. */
struct child_context {
	const struct spawn_request *request;
	pid_t parent;                   /* promise-run */
	int output_fd;                  /* write end of the output pipe */
	bool failed;
	struct spawn_failure failure;
};

/* In the child: records what failed for the parent, then dies. */
static _Noreturn void child_fail(struct child_context *context,
                                 enum spawn_stage stage)
{
	context->failure.stage = stage;
	context->failure.error = errno;
	context->failed = true;
	_exit(127);
}

/*
 * Becomes the promise's user: groups first, then gid, then uid, through
 * raw system calls (the child must not run glibc's multi-thread set*id
 * machinery).  Then checks that the drop cannot be undone.
 */
static void child_drop_privileges(struct child_context *context,
                                  const struct credentials *credentials)
{
	uid_t uid = credentials->uid;
	gid_t gid = credentials->gid;

	if (syscall(SYS_setgroups, credentials->group_count,
		    credentials->groups) < 0 ||
	    syscall(SYS_setresgid, gid, gid, gid) < 0 ||
	    syscall(SYS_setresuid, uid, uid, uid) < 0)
		child_fail(context, SPAWN_STAGE_CREDENTIALS);
	if (uid != 0 && syscall(SYS_setuid, 0) == 0) {
		errno = EPERM;
		child_fail(context, SPAWN_STAGE_CREDENTIALS);
	}
}

/*
 * Everything between clone and exec.  Only async-signal-safe calls: the
 * child runs in promise-run's memory, on its own stack, and may not take
 * locks or touch the heap.  Its descriptor table and signal dispositions
 * are its own (no CLONE_FILES, no CLONE_SIGHAND).
 */
static int child_exec(void *argument)
{
	struct child_context *context = argument;
	const struct spawn_request *request = context->request;
	char *const argv[] = { (char *)request->path, NULL };
	const struct kernel_sigaction default_action = { .handler = SIG_DFL };
	sigset_t none;

	if (setsid() < 0)
		child_fail(context, SPAWN_STAGE_SESSION);
	if (request->credentials && request->credentials->change)
		child_drop_privileges(context, request->credentials);
	/*
	 * Dies with promise-run, even by SIGKILL.  Set after the drop, which
	 * clears it; a parent that died before is seen as a new parent.
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		child_fail(context, SPAWN_STAGE_SESSION);
	if (getppid() != context->parent)
		_exit(127);
	/* After the drop: the user must be able to enter its own home. */
	if (chdir(request->workdir) < 0)
		child_fail(context, SPAWN_STAGE_WORKDIR);
	/* dup2 clears close-on-exec on 0, 1 and 2, and only there. */
	if (dup2(request->stdin_fd, STDIN_FILENO) < 0 ||
	    dup2(context->output_fd, STDOUT_FILENO) < 0 ||
	    dup2(context->output_fd, STDERR_FILENO) < 0 ||
	    close_range(3, ~0U, 0) < 0)
		child_fail(context, SPAWN_STAGE_DESCRIPTORS);
	/*
	 * exec resets caught signals but keeps ignored ones (SIGPIPE, and what
	 * promise-run's own parent ignored), and keeps the mask.
	 */
	for (int signo = 1; signo <= 64; signo++)
		if ((request->ignored >> (signo - 1) & 1) &&
		    raw_sigaction(signo, &default_action, NULL) < 0)
			child_fail(context, SPAWN_STAGE_SIGNALS);
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		child_fail(context, SPAWN_STAGE_SIGNALS);
	execve(request->path, argv, request->envp);
	child_fail(context, SPAWN_STAGE_EXEC);
}

int spawn_start(const struct spawn_request *request, struct spawn_child *child,
                struct spawn_failure *failure)
{
	struct child_context context = { .request = request,
					 .parent = getpid() };
	int output[2];
	pid_t pid;

	if (pipe2(output, O_CLOEXEC) < 0)
		return -1;
	context.output_fd = output[1];
	/*
	 * No fflush(NULL) is needed: the child leaves only through execve or
	 * _exit, so it never writes promise-run's stdio buffers.  The signals
	 * promise-run handles stay blocked for good (signalfd), so no handler
	 * can run in the child on the shared memory.
	 */
	pid = clone(child_exec, child_stack + CHILD_STACK_SIZE,
		    CLONE_VM | CLONE_VFORK | SIGCHLD, &context);
	fdio_close_quietly(output[1]);
	if (pid < 0) {
		fdio_close_quietly(output[0]);
		return -1;
	}
	if (context.failed) {
		fdio_close_quietly(output[0]);
		*failure = context.failure;
		return 1;
	}
	/*
	 * Non-blocking on promise-run's end only: the child's end stays
	 * blocking, as programs expect of their standard output.  F_SETFL
	 * cannot fail on a pipe; if it did, the child is killed (and reaped
	 * later, like any orphan).
	 */
	if (fcntl(output[0], F_SETFL, O_NONBLOCK) < 0) {
		(void)kill(-pid, SIGKILL);
		fdio_close_quietly(output[0]);
		return -1;
	}
	child->pid = pid;
	child->output_fd = output[0];
	return 0;
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
