/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* reaper: orphaned descendants of promises, re-parented to promise-run. */
#include "reaper.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
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

/* A growing set of pids. */
struct pid_set {
	pid_t *pids;
	size_t count, capacity;
};

static bool set_has(const struct pid_set *set, pid_t pid)
{
	for (size_t i = 0; i < set->count; i++)
		if (set->pids[i] == pid)
			return true;
	return false;
}

static int set_add(struct pid_set *set, pid_t pid)
{
	if (set->count == set->capacity) {
		size_t capacity = set->capacity ? 2 * set->capacity : 64;
		pid_t *grown = reallocarray(set->pids, capacity, sizeof *grown);

		if (!grown)
			return -1;
		set->pids = grown;
		set->capacity = capacity;
	}
	set->pids[set->count++] = pid;
	return 0;
}

/*
 * Stops each pid of a blank-separated list not yet in `found`, and adds
 * it; returns how many were new, or -1.
 */
static int stop_listed(const char *list, struct pid_set *found)
{
	int added = 0;

	for (const char *c = list; *c;) {
		char *end;
		long pid = strtol(c, &end, 10);

		if (end == c)
			break;
		c = end;
		if (pid <= 0 || set_has(found, (pid_t)pid))
			continue;
		if (set_add(found, (pid_t)pid) < 0)
			return -1;
		(void)kill((pid_t)pid, SIGSTOP);
		added++;
	}
	return added;
}

/*
 * Stops the children of every thread of `pid` (/proc/PID/task/TID/children,
 * Linux >= 3.5); returns how many were new, or -1 with errno (ENOENT: the
 * process is gone, or the kernel lacks the file).
 */
static int stop_children_of(pid_t pid, struct pid_set *found)
{
	char path[64], list[8192];
	int added = 0;
	DIR *tasks;
	struct dirent *task;

	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	tasks = opendir(path);
	if (!tasks)
		return -1;
	while ((task = readdir(tasks)) != NULL) {
		if (task->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "/proc/%d/task/%.20s/children",
			 (int)pid, task->d_name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		size_t used = 0;
		ssize_t got;

		if (fd < 0)
			continue;
		/* A list longer than the buffer: its tail comes next round. */
		while (used < sizeof list - 1 &&
		       (got = fdio_read(fd, list + used,
					sizeof list - 1 - used)) > 0)
			used += (size_t)got;
		fdio_close_quietly(fd);
		list[used] = '\0';
		int new = stop_listed(list, found);

		if (new < 0) {
			closedir(tasks);
			return -1;
		}
		added += new;
	}
	closedir(tasks);
	return added;
}

int reaper_kill_descendants(void)
{
	struct pid_set found = { 0 };
	int added;

	/* Until a round finds no new process: stopped ones cannot fork. */
	do {
		added = stop_children_of(getpid(), &found);
		if (added < 0) {
			int error = errno;

			free(found.pids);
			errno = error;
			return -1;
		}
		for (size_t i = 0; i < found.count; i++) {
			int new = stop_children_of(found.pids[i], &found);

			if (new > 0)
				added += new;
		}
	} while (added > 0);
	for (size_t i = 0; i < found.count; i++)
		(void)kill(found.pids[i], SIGKILL);
	int count = (int)found.count;

	free(found.pids);
	return count;
}
