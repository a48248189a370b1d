/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* spawn: one promise process, from clone to exec. */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "credentials.h"
#include "fdio.h"

/* Where the child finds the exec-status pipe, in both programs. */
#define STATUS_FD 3

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

/* What the parent hands the child, in the memory they share until exec. */
struct child_context {
	const struct spawn_request *request;
	pid_t parent;                   /* promise-run */
	int output_fd;                  /* write end of the output pipe */
	int status_fd;                  /* write end of the status pipe */
	char *const *helper_argv;       /* SPAWN_AS_COMMAND's, or NULL */
};

/* In a child: tells the parent what failed, then dies. */
static _Noreturn void child_fail(int status_fd, enum spawn_stage stage)
{
	struct spawn_failure failure = { .stage = stage, .error = errno };

	/* Smaller than PIPE_BUF: written whole or not at all. */
	(void)!write(status_fd, &failure, sizeof failure);
	_exit(127);
}

/* In a child: dies with promise-run, even by SIGKILL (set after a drop). */
static void die_with_parent(int status_fd, pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		child_fail(status_fd, SPAWN_STAGE_SESSION);
	/* A parent that died before is seen as a new parent. */
	if (getppid() != parent)
		_exit(127);
}

/*
 * Everything between clone and exec.  Only async-signal-safe calls: the
 * child runs in promise-run's memory, on its own stack, and may not take
 * locks or touch the heap.  It stays root's (or promise-run's user's)
 * throughout: no other user may signal it while promise-run waits.
 */
static int child_exec(void *argument)
{
	const struct child_context *context = argument;
	const struct spawn_request *request = context->request;
	char *const only_path[] = { (char *)request->path, NULL };
	char *const *argv = request->argv ? request->argv : only_path;
	char *const no_environment[] = { NULL };
	const struct kernel_sigaction default_action = { .handler = SIG_DFL };
	int status_fd = context->status_fd;
	sigset_t none;

	if (setsid() < 0)
		child_fail(status_fd, SPAWN_STAGE_SESSION);
	die_with_parent(status_fd, context->parent);
	/* Another user enters its own home after its drop, in the helper. */
	if (!context->helper_argv && chdir(request->workdir) < 0)
		child_fail(status_fd, SPAWN_STAGE_WORKDIR);
	/* dup2 clears close-on-exec on 0, 1, 2 and the status pipe's 3. */
	if (dup2(request->stdin_fd, STDIN_FILENO) < 0 ||
	    dup2(context->output_fd, STDOUT_FILENO) < 0 ||
	    dup2(context->output_fd, STDERR_FILENO) < 0 ||
	    dup2(status_fd, STATUS_FD) < 0)
		child_fail(status_fd, SPAWN_STAGE_DESCRIPTORS);
	status_fd = STATUS_FD;
	/* Marked, not closed: promise-run's own executable is still to run. */
	if (close_range(STATUS_FD + 1, ~0U, CLOSE_RANGE_CLOEXEC) < 0 ||
	    (!context->helper_argv && fcntl(status_fd, F_SETFD, FD_CLOEXEC) < 0))
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
	if (context->helper_argv) {
		/* No environment: nothing may steer root's dynamic loader. */
		syscall(SYS_execveat, request->self_fd, "",
			context->helper_argv, no_environment, AT_EMPTY_PATH);
		child_fail(status_fd, SPAWN_STAGE_CREDENTIALS);
	}
	execve(request->path, argv, request->envp);
	child_fail(status_fd, SPAWN_STAGE_EXEC);
}

/*
 * SPAWN_AS_COMMAND's arguments: uid, gid, groups ("-" or "1,2"), the
 * parent's pid, the folder, the promise, the number of its arguments and
 * they (argv[0] first), "--", then its environment.
 */
struct helper_arguments {
	char **argv;
	char numbers[4][24];
	char *groups;
};

static void helper_arguments_release(struct helper_arguments *arguments)
{
	free(arguments->argv);
	free(arguments->groups);
}

static int helper_arguments_init(struct helper_arguments *arguments,
                                 const struct spawn_request *request,
                                 pid_t parent)
{
	const struct credentials *user = request->credentials;
	char *const only_path[] = { (char *)request->path, NULL };
	char *const *promise_argv = request->argv ? request->argv : only_path;
	size_t environment = 0, count = 0, at = 0;
	char *groups;

	*arguments = (struct helper_arguments){ 0 };
	while (request->envp[environment])
		environment++;
	while (promise_argv[count])
		count++;
	groups = arguments->groups = malloc(user->group_count * 12 + 2);
	arguments->argv = calloc(11 + count + environment,
				 sizeof *arguments->argv);
	if (!groups || !arguments->argv) {
		helper_arguments_release(arguments);
		errno = ENOMEM;
		return -1;
	}
	strcpy(groups, "-");
	for (size_t i = 0; i < user->group_count; i++)
		groups += sprintf(groups, "%s%u", i ? "," : "",
				  (unsigned)user->groups[i]);
	snprintf(arguments->numbers[0], 24, "%u", (unsigned)user->uid);
	snprintf(arguments->numbers[1], 24, "%u", (unsigned)user->gid);
	snprintf(arguments->numbers[2], 24, "%d", (int)parent);
	snprintf(arguments->numbers[3], 24, "%zu", count);
	char **argv = arguments->argv;

	argv[at++] = "promise-run";
	argv[at++] = SPAWN_AS_COMMAND;
	argv[at++] = arguments->numbers[0];
	argv[at++] = arguments->numbers[1];
	argv[at++] = arguments->groups;
	argv[at++] = arguments->numbers[2];
	argv[at++] = (char *)request->workdir;
	argv[at++] = (char *)request->path;
	argv[at++] = arguments->numbers[3];
	memcpy(argv + at, promise_argv, count * sizeof *argv);
	at += count;
	argv[at++] = "--";
	memcpy(argv + at, request->envp, environment * sizeof *argv);
	return 0;
}

/* A raw system call's value as libc gives it: -1 and errno on failure. */
static inline long syscall_result(long value)
{
	if (value < 0 && value > -4096) {
		errno = (int)-value;
		return -1;
	}
	return value;
}

/*
 * clone3 with the child on its own stack, running fn(arg) and exiting
 * with its value: glibc has no clone3 wrapper, and only a few lines of
 * assembly can start a child on a stack that holds no frame of the
 * parent's (as glibc's own clone does).  Elsewhere ENOSYS, which turns
 * the run to its fallback containment.
 */
static long clone3_on_stack(struct clone_args *args, int (*fn)(void *),
                            void *arg)
{
#if defined(__x86_64__)
	register long rax __asm__("rax") = SYS_clone3;
	register void *rdi __asm__("rdi") = args;
	register size_t rsi __asm__("rsi") = sizeof *args;
	register int (*rdx)(void *) __asm__("rdx") = fn;
	register void *r8 __asm__("r8") = arg;

	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "xor %%ebp, %%ebp\n\t"
			 "mov %%r8, %%rdi\n\t"
			 "call *%%rdx\n\t"
			 "mov %%eax, %%edi\n\t"
			 "mov %[exit], %%eax\n\t"
			 "syscall\n\t"
			 "hlt\n"
			 "1:"
			 : "+r"(rax)
			 : "r"(rdi), "r"(rsi), "r"(rdx), "r"(r8),
			   [exit] "i"(SYS_exit)
			 : "rcx", "r11", "memory");
	return syscall_result(rax);
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = SYS_clone3;
	register long x0 __asm__("x0") = (long)args;
	register size_t x1 __asm__("x1") = sizeof *args;
	register int (*x10)(void *) __asm__("x10") = fn;
	register void *x11 __asm__("x11") = arg;

	__asm__ volatile("svc #0\n\t"
			 "cbnz x0, 1f\n\t"
			 "mov x29, #0\n\t"
			 "mov x0, x11\n\t"
			 "blr x10\n\t"
			 "mov x8, %[exit]\n\t"
			 "svc #0\n"
			 "1:"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x10), "r"(x11),
			   [exit] "i"(SYS_exit)
			 : "memory");
	return syscall_result(x0);
#else
	(void)args, (void)fn, (void)arg;
	errno = ENOSYS;
	return -1;
#endif
}

/*
 * A child in promise-run's memory, on its own stack, that runs child_exec
 * while promise-run waits; born in `cgroup_fd` when it is not -1
 * (CLONE_INTO_CGROUP, Linux 5.7).
 */
static pid_t clone_vfork(struct child_context *context, int cgroup_fd)
{
	if (cgroup_fd < 0)
		return clone(child_exec, child_stack + CHILD_STACK_SIZE,
			     CLONE_VM | CLONE_VFORK | SIGCHLD, context);
	struct clone_args args = {
		.flags = CLONE_VM | CLONE_VFORK | CLONE_INTO_CGROUP,
		.exit_signal = SIGCHLD,
		.stack = (uint64_t)(uintptr_t)child_stack,
		.stack_size = CHILD_STACK_SIZE,
		.cgroup = (uint64_t)cgroup_fd,
	};

	return (pid_t)clone3_on_stack(&args, child_exec, context);
}

int spawn_start(const struct spawn_request *request, struct spawn_child *child)
{
	struct child_context context = { .request = request,
					 .parent = getpid() };
	struct helper_arguments helper = { 0 };
	int output[2], status[2], error;
	pid_t pid;

	if (request->credentials && request->credentials->change) {
		if (helper_arguments_init(&helper, request, context.parent) < 0)
			return -1;
		context.helper_argv = helper.argv;
	}
	if (pipe2(output, O_CLOEXEC) < 0) {
		error = errno;
		helper_arguments_release(&helper);
		errno = error;
		return -1;
	}
	if (pipe2(status, O_CLOEXEC) < 0) {
		error = errno;
		fdio_close_quietly(output[0]);
		fdio_close_quietly(output[1]);
		helper_arguments_release(&helper);
		errno = error;
		return -1;
	}
	context.output_fd = output[1];
	context.status_fd = status[1];
	/*
	 * No fflush(NULL) is needed: the child leaves only through execve or
	 * _exit, so it never writes promise-run's stdio buffers.  The signals
	 * promise-run handles stay blocked for good (signalfd), so no handler
	 * can run in the child on the shared memory.
	 */
	pid = clone_vfork(&context, request->cgroup_fd);
	error = errno;
	helper_arguments_release(&helper);
	fdio_close_quietly(output[1]);
	fdio_close_quietly(status[1]);
	/*
	 * Non-blocking on promise-run's ends only: the child's end stays
	 * blocking, as programs expect of their standard output.  F_SETFL
	 * cannot fail on a pipe; if it did, the child is killed (and reaped
	 * later, like any orphan).
	 */
	if (pid >= 0 && (fcntl(output[0], F_SETFL, O_NONBLOCK) < 0 ||
			 fcntl(status[0], F_SETFL, O_NONBLOCK) < 0)) {
		error = errno;
		(void)kill(pid, SIGKILL);
		pid = -1;
	}
	if (pid < 0) {
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

/* A whole decimal number up to `max`, or -1. */
static long long parse_id(const char *text, long long max)
{
	char *end;
	unsigned long long value;

	errno = 0;
	value = strtoull(text, &end, 10);
	if (errno || end == text || *end || text[0] == '-' ||
	    value > (unsigned long long)max)
		return -1;
	return (long long)value;
}

/* "-" or "1,2,3" into a malloc'd array; -1 on a bad list. */
static int parse_groups(const char *text, gid_t **groups, size_t *count)
{
	size_t capacity = 1;

	*groups = NULL;
	*count = 0;
	if (strcmp(text, "-") == 0)
		return 0;
	for (const char *c = text; *c; c++)
		capacity += *c == ',';
	*groups = calloc(capacity, sizeof **groups);
	if (!*groups)
		return -1;
	char *copy = strdup(text), *save = NULL;

	if (!copy)
		return -1;
	for (char *id = strtok_r(copy, ",", &save); id;
	     id = strtok_r(NULL, ",", &save)) {
		long long gid = parse_id(id, UINT32_MAX - 1);

		if (gid < 0 || *count == capacity) {
			free(copy);
			return -1;
		}
		(*groups)[(*count)++] = (gid_t)gid;
	}
	free(copy);
	return 0;
}

int spawn_as_main(int argc, char **argv)
{
	int status_fd = STATUS_FD;
	gid_t *groups;
	size_t group_count;

	/*
	 * Only spawn executes this, with the status pipe as descriptor 3: a
	 * person who types it gets a word, not binary bytes in a file of theirs.
	 */
	struct stat status;

	if (fstat(status_fd, &status) < 0 || !S_ISFIFO(status.st_mode)) {
		fputs("promise-run: " SPAWN_AS_COMMAND
		      " is promise-run's own, not a command to use\n", stderr);
		return 1;
	}
	/*
	 * promise-run SPAWN_AS_COMMAND UID GID GROUPS PARENT DIR PROMISE
	 * N ARG0..ARGN-1 -- ENV
	 */
	long long count = argc > 8 ? parse_id(argv[8], 4096) : -1;

	if (count < 1 || argc < 10 + count ||
	    strcmp(argv[9 + count], "--") != 0) {
		errno = EINVAL;
		child_fail(status_fd, SPAWN_STAGE_CREDENTIALS);
	}
	long long uid = parse_id(argv[2], UINT32_MAX - 1);
	long long gid = parse_id(argv[3], UINT32_MAX - 1);
	long long parent = parse_id(argv[5], INT_MAX);
	char **promise_argv = argv + 9;

	if (uid < 0 || gid < 0 || parent <= 0 ||
	    parse_groups(argv[4], &groups, &group_count) < 0) {
		errno = EINVAL;
		child_fail(status_fd, SPAWN_STAGE_CREDENTIALS);
	}
	/* Groups first, then gid, then uid; then check there is no way back. */
	if (setgroups(group_count, groups) < 0 ||
	    setresgid((gid_t)gid, (gid_t)gid, (gid_t)gid) < 0 ||
	    setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) < 0)
		child_fail(status_fd, SPAWN_STAGE_CREDENTIALS);
	free(groups);
	if (uid != 0 && setuid(0) == 0) {
		errno = EPERM;
		child_fail(status_fd, SPAWN_STAGE_CREDENTIALS);
	}
	die_with_parent(status_fd, (pid_t)parent);
	/* After the drop: the user must be able to enter its own home. */
	if (chdir(argv[6]) < 0)
		child_fail(status_fd, SPAWN_STAGE_WORKDIR);
	if (fcntl(status_fd, F_SETFD, FD_CLOEXEC) < 0)
		child_fail(status_fd, SPAWN_STAGE_DESCRIPTORS);
	argv[9 + count] = NULL;     /* the arguments' end */
	execve(argv[7], promise_argv, argv + 10 + count);
	child_fail(status_fd, SPAWN_STAGE_EXEC);
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
