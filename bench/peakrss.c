/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * peakrss: the peak resident memory of one process, exactly.
 * Usage: peakrss COMMAND [ARG]...   prints "PEAK_KIB" and exits as COMMAND.
 *
 * The kernel keeps a process's high-water mark (VmHWM) until its memory is
 * released at exit, and wait4's ru_maxrss mixes in the children it reaped.
 * So the command is traced, stopped at its exit (PTRACE_O_TRACEEXIT, memory
 * still there), and its VmHWM read then.  Only the command itself is
 * measured, not the processes it starts.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static long high_water_kib(pid_t pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *status;

	snprintf(path, sizeof path, "/proc/%d/status", pid);
	status = fopen(path, "re");
	if (!status)
		return -1;
	while (fgets(line, sizeof line, status))
		if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
			break;
	fclose(status);
	return kib;
}

int main(int argc, char **argv)
{
	long peak = -1;
	int status;
	pid_t pid;

	if (argc < 2) {
		fputs("usage: peakrss COMMAND [ARG]...\n", stderr);
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
			_exit(127);
		raise(SIGSTOP);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 ||
	    ptrace(PTRACE_SETOPTIONS, pid, NULL,
		   (void *)(long)PTRACE_O_TRACEEXIT) < 0 ||
	    ptrace(PTRACE_CONT, pid, NULL, NULL) < 0) {
		perror("ptrace");
		return 1;
	}
	for (;;) {
		if (waitpid(pid, &status, 0) < 0) {
			perror("waitpid");
			return 1;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status))
			break;
		int forward = 0;

		if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXIT << 8)))
			peak = high_water_kib(pid);
		else if (WIFSTOPPED(status) && WSTOPSIG(status) != SIGTRAP)
			forward = WSTOPSIG(status);     /* a real signal */
		ptrace(PTRACE_CONT, pid, NULL, (void *)(long)forward);
	}
	printf("%ld\n", peak);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
