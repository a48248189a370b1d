/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* reaper: orphaned descendants of promises, re-parented to promise-run. */
#include "reaper.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "fdio.h"

int reaper_become_subreaper(void)
{
	return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

/* Signals each pid of a blank-separated list; returns how many it holds. */
static int signal_listed(const char *list, int signo)
{
	int count = 0;

	for (const char *c = list; *c;) {
		char *end;
		long pid = strtol(c, &end, 10);

		if (end == c)
			break;
		if (pid > 0) {
			(void)kill((pid_t)pid, signo);
			count++;
		}
		c = end;
	}
	return count;
}

/*
 * Reads /proc/self/task/TID/children (Linux >= 3.5 with CONFIG_PROC_CHILDREN);
 * promise-run is single-threaded, so its children are the main thread's.
 * Returns the count, or -1 with errno ENOENT when the kernel lacks the file.
 */
static int signal_children_listed_by_kernel(int signo)
{
	char path[64], buffer[8192];
	size_t used = 0;
	ssize_t got;
	int fd, count;

	snprintf(path, sizeof path, "/proc/self/task/%d/children", getpid());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* One read gives a consistent snapshot; an overlong list is re-read. */
	while ((got = fdio_read(fd, buffer + used,
				sizeof buffer - 1 - used)) > 0) {
		used += (size_t)got;
		if (used == sizeof buffer - 1)
			break;
	}
	fdio_close_quietly(fd);
	if (got < 0)
		return -1;
	buffer[used] = '\0';
	count = signal_listed(buffer, signo);
	/* A list too long for the buffer: the caller calls again. */
	return count;
}

/* The parent pid field of /proc/PID/stat, or -1. */
static pid_t parent_of(const char *pid)
{
	char path[64], buffer[512];
	const char *after_name;
	ssize_t got;
	long parent;
	int fd;

	snprintf(path, sizeof path, "/proc/%s/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	got = fdio_read(fd, buffer, sizeof buffer - 1);
	fdio_close_quietly(fd);
	if (got <= 0)
		return -1;
	buffer[got] = '\0';
	/* The command name may hold spaces and ')': the state follows the last. */
	after_name = strrchr(buffer, ')');
	if (!after_name || sscanf(after_name, ") %*c %ld", &parent) != 1)
		return -1;
	return (pid_t)parent;
}

/* The slower way, for kernels without the children file: all of /proc. */
static int signal_children_by_scanning_proc(int signo)
{
	pid_t self = getpid();
	struct dirent *entry;
	int count = 0;
	DIR *proc = opendir("/proc");

	if (!proc)
		return -1;
	while ((entry = readdir(proc)) != NULL) {
		if (!isdigit((unsigned char)entry->d_name[0]))
			continue;
		if (parent_of(entry->d_name) == self) {
			(void)kill((pid_t)atol(entry->d_name), signo);
			count++;
		}
	}
	closedir(proc);
	return count;
}

int reaper_signal_children(int signo)
{
	int count = signal_children_listed_by_kernel(signo);

	if (count < 0 && errno == ENOENT)
		count = signal_children_by_scanning_proc(signo);
	return count;
}
