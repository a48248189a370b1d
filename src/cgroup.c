/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* cgroup: one cgroup v2 per promise, under one per run. */
#include "cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdio.h"

/* How long a leftover cgroup is given to empty after cgroup.kill. */
#define LEFTOVER_WAIT_MS 1000

/* A small file read whole (a /proc or cgroup file); NULL with errno. */
static char *read_text(int dir_fd, const char *name)
{
	size_t size = 4096, used = 0;
	char *text = malloc(size);
	int fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC);
	ssize_t got;

	if (!text || fd < 0) {
		free(text);
		fdio_close_quietly(fd);
		return NULL;
	}
	while ((got = fdio_read(fd, text + used, size - 1 - used)) > 0) {
		used += (size_t)got;
		if (used == size - 1) {
			char *grown = size < (1 << 22) ? realloc(text, 2 * size)
						       : NULL;

			if (!grown) {
				got = -1;
				errno = EFBIG;
				break;
			}
			text = grown;
			size *= 2;
		}
	}
	fdio_close_quietly(fd);
	if (got < 0) {
		free(text);
		return NULL;
	}
	text[used] = '\0';
	return text;
}

/* Decodes mountinfo's octal escapes (\040 for a blank) in place. */
static void unescape_octal(char *text)
{
	char *out = text;

	for (const char *in = text; *in; out++) {
		if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' &&
		    in[2] >= '0' && in[2] <= '7' && in[3] >= '0' &&
		    in[3] <= '7') {
			*out = (char)((in[1] - '0') << 6 | (in[2] - '0') << 3 |
				      (in[3] - '0'));
			in += 4;
		} else {
			*out = *in++;
		}
	}
	*out = '\0';
}

/* The root and mount point of the first cgroup2 mount, in *root, *point. */
static int find_cgroup2_mount(const char *mountinfo, char **root, char **point)
{
	for (const char *line = mountinfo; *line;) {
		const char *end = strchr(line, '\n');
		size_t length = end ? (size_t)(end - line) : strlen(line);
		char copy[4096], *fields[6], *save = NULL, *dash;
		int count = 0;

		if (length < sizeof copy) {
			memcpy(copy, line, length);
			copy[length] = '\0';
			dash = strstr(copy, " - ");
			if (dash && strncmp(dash + 3, "cgroup2 ", 8) == 0) {
				*dash = '\0';
				for (char *field = strtok_r(copy, " ", &save);
				     field && count < 6;
				     field = strtok_r(NULL, " ", &save))
					fields[count++] = field;
				if (count >= 5) {
					unescape_octal(fields[3]);
					unescape_octal(fields[4]);
					*root = strdup(fields[3]);
					*point = strdup(fields[4]);
					if (*root && *point)
						return 0;
					free(*root);
					free(*point);
					errno = ENOMEM;
					return -1;
				}
			}
		}
		line += length + (end != NULL);
	}
	errno = ENOENT;
	return -1;
}

char *cgroup_own_path(const char *mountinfo, const char *self_cgroup)
{
	const char *line = self_cgroup, *own = NULL;
	char *root, *point, *path = NULL;
	size_t own_length = 0;

	/* The v2 line is "0::/path"; v1 lines name their controllers. */
	while (*line) {
		const char *end = strchr(line, '\n');
		size_t length = end ? (size_t)(end - line) : strlen(line);

		if (length >= 4 && strncmp(line, "0::/", 4) == 0) {
			own = line + 3;
			own_length = length - 3;
			break;
		}
		line += length + (end != NULL);
	}
	if (!own) {
		errno = ENOENT;
		return NULL;
	}
	if (find_cgroup2_mount(mountinfo, &root, &point) < 0)
		return NULL;
	/* A mount of a sub-tree (a cgroup namespace's view): strip its root. */
	size_t root_length = strcmp(root, "/") == 0 ? 0 : strlen(root);

	if (root_length && own_length >= root_length &&
	    strncmp(own, root, root_length) == 0 &&
	    (own[root_length] == '/' || own_length == root_length)) {
		own += root_length;
		own_length -= root_length;
	}
	/* "/" alone adds nothing to the mount point. */
	if (own_length == 1)
		own_length = 0;
	if (asprintf(&path, "%s%.*s", point, (int)own_length, own) < 0)
		path = NULL;
	free(root);
	free(point);
	if (!path)
		errno = ENOMEM;
	return path;
}

/* A process's start time in clock ticks (field 22 of /proc/PID/stat). */
static unsigned long long start_time(const char *pid)
{
	char name[64];
	unsigned long long start = 0;

	snprintf(name, sizeof name, "/proc/%s/stat", pid);
	char *stat = read_text(AT_FDCWD, name);
	/* The command may hold blanks and ')': fields follow the last ')'. */
	const char *after = stat ? strrchr(stat, ')') : NULL;

	if (after && sscanf(after + 1,
			    " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
			    &start) != 1)
		start = 0;
	free(stat);
	return start;
}

/* Writes a short text to a cgroup file: 0, or -1 with errno. */
static int write_control(int dir_fd, const char *name, const char *text)
{
	int fd = openat(dir_fd, name, O_WRONLY | O_CLOEXEC);
	int status;

	if (fd < 0)
		return -1;
	status = fdio_write_all(fd, text, strlen(text));
	if (close(fd) < 0 && status == 0)
		status = -1;
	return status;
}

/* Whether an open cgroup.events says "populated 1": 1, 0, or -1. */
static int events_populated(int events_fd)
{
	char text[256];
	ssize_t got = fdio_pread(events_fd, text, sizeof text - 1, 0);
	const char *line;

	if (got < 0)
		return -1;
	text[got] = '\0';
	line = strstr(text, "populated ");
	if (!line) {
		errno = EINVAL;
		return -1;
	}
	return line[10] == '1';
}

/*
 * Empties a cgroup tree left by a dead run and removes it, children
 * first.  Best effort: what cannot be removed stays, for the next run.
 */
static void remove_tree(int parent_fd, const char *name)
{
	int fd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
						 O_NOFOLLOW);
	DIR *dir;
	struct dirent *entry;

	if (fd < 0)
		return;
	(void)write_control(fd, "cgroup.kill", "1");
	int events = openat(fd, "cgroup.events", O_RDONLY | O_CLOEXEC);

	for (int waited = 0; waited < LEFTOVER_WAIT_MS; waited += 50) {
		struct pollfd change = { .fd = events, .events = POLLPRI };

		if (events < 0 || events_populated(events) != 1)
			break;
		(void)poll(&change, 1, 50);
	}
	fdio_close_quietly(events);
	dir = fdopendir(fd);
	if (!dir) {
		fdio_close_quietly(fd);
		return;
	}
	while ((entry = readdir(dir)) != NULL)
		if (entry->d_type == DT_DIR && entry->d_name[0] != '.')
			remove_tree(dirfd(dir), entry->d_name);
	closedir(dir);
	(void)unlinkat(parent_fd, name, AT_REMOVEDIR);
}

/* Removes the run cgroups whose run is gone; returns how many. */
static unsigned remove_leftovers(int parent_fd)
{
	int fd = dup(parent_fd);
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *entry;
	unsigned removed = 0;

	if (!dir) {
		fdio_close_quietly(fd);
		return 0;
	}
	while ((entry = readdir(dir)) != NULL) {
		char pid[24];
		unsigned long long start;

		if (sscanf(entry->d_name, "promise-run.%23[0-9].%llu", pid,
			   &start) != 2 || start_time(pid) == start)
			continue;
		remove_tree(parent_fd, entry->d_name);
		removed++;
	}
	closedir(dir);
	return removed;
}

int cgroup_run_init(struct cgroup_run *run, const char **reason)
{
	char *mountinfo = read_text(AT_FDCWD, "/proc/self/mountinfo");
	char *self = read_text(AT_FDCWD, "/proc/self/cgroup");
	char *own = mountinfo && self ? cgroup_own_path(mountinfo, self) : NULL;
	char pid[24];
	int error;

	*run = (struct cgroup_run){ .dir_fd = -1, .parent_fd = -1 };
	free(mountinfo);
	free(self);
	if (!own) {
		*reason = "no cgroup v2 hierarchy";
		return -1;
	}
	run->parent_fd = open(own, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	snprintf(pid, sizeof pid, "%d", (int)getpid());
	if (run->parent_fd < 0 ||
	    asprintf(&run->name, "promise-run.%s.%llu", pid,
		     start_time(pid)) < 0) {
		run->name = NULL;
		*reason = "its own cgroup cannot be opened";
		goto fail;
	}
	run->leftovers = remove_leftovers(run->parent_fd);
	if (mkdirat(run->parent_fd, run->name, 0755) < 0) {
		*reason = "its own cgroup is not writable";
		goto fail;
	}
	run->dir_fd = openat(run->parent_fd, run->name,
			     O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (run->dir_fd < 0 || asprintf(&run->path, "%s/%s", own, run->name) < 0) {
		run->path = NULL;
		*reason = "its cgroup cannot be opened";
		goto fail;
	}
	/* cgroup.kill came with Linux 5.14. */
	if (faccessat(run->dir_fd, "cgroup.kill", W_OK, 0) < 0) {
		*reason = "the kernel has no cgroup.kill";
		goto fail;
	}
	free(own);
	return 0;
fail:
	error = errno;
	free(own);
	cgroup_run_release(run);
	errno = error;
	return -1;
}

void cgroup_run_release(struct cgroup_run *run)
{
	if (run->dir_fd >= 0)
		fdio_close_quietly(run->dir_fd);
	if (run->parent_fd >= 0 && run->name)
		/* Promises abandoned in the kernel keep it: the next run cleans. */
		remove_tree(run->parent_fd, run->name);
	fdio_close_quietly(run->parent_fd);
	free(run->path);
	free(run->name);
	*run = (struct cgroup_run){ .dir_fd = -1, .parent_fd = -1 };
}

/* The first number of a cgroup file's "KEY NUMBER" line, or -1. */
static long long read_counter(int fd, const char *key)
{
	char text[512];
	ssize_t got = fd >= 0 ? fdio_pread(fd, text, sizeof text - 1, 0) : -1;
	const char *line;

	if (got <= 0)
		return -1;
	text[got] = '\0';
	if (!key)
		return strtoll(text, NULL, 10);
	line = strstr(text, key);
	return line ? strtoll(line + strlen(key), NULL, 10) : -1;
}

int cgroup_group_open(struct cgroup_run *run, struct cgroup_group *group)
{
	int error;

	*group = (struct cgroup_group){ .dir_fd = -1, .events_fd = -1,
					.stat_fd = -1, .peak_fd = -1 };
	snprintf(group->name, sizeof group->name, "p%llu", run->next++);
	if (mkdirat(run->dir_fd, group->name, 0755) < 0)
		return -1;
	group->dir_fd = openat(run->dir_fd, group->name,
			       O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (group->dir_fd >= 0)
		group->events_fd = openat(group->dir_fd, "cgroup.events",
					  O_RDONLY | O_CLOEXEC);
	if (group->events_fd >= 0)
		group->stat_fd = openat(group->dir_fd, "cpu.stat",
					O_RDONLY | O_CLOEXEC);
	if (group->stat_fd >= 0) {
		/* Only where the memory controller is enabled for it. */
		group->peak_fd = openat(group->dir_fd, "memory.peak",
					O_RDWR | O_CLOEXEC);
		return 0;
	}
	error = errno;
	fdio_close_quietly(group->events_fd);
	fdio_close_quietly(group->dir_fd);
	(void)unlinkat(run->dir_fd, group->name, AT_REMOVEDIR);
	*group = (struct cgroup_group){ .dir_fd = -1, .events_fd = -1,
					.stat_fd = -1, .peak_fd = -1 };
	errno = error;
	return -1;
}

int cgroup_group_arm(struct cgroup_group *group)
{
	/*
	 * Seen on Linux 6.18: a child cloned into a cgroup that was once
	 * killed is killed at birth.  A killed cgroup serves no other promise.
	 */
	if (group->killed || cgroup_group_populated(group) != 0)
		return -1;
	group->usage_usec = read_counter(group->stat_fd, "usage_usec ");
	/*
	 * Writing memory.peak starts its count anew for this descriptor
	 * (Linux 6.12); where it cannot, the peak would be older promises'.
	 */
	if (group->peak_fd >= 0 && fdio_write(group->peak_fd, "reset\n", 6) < 0) {
		fdio_close_quietly(group->peak_fd);
		group->peak_fd = -1;
	}
	return 0;
}

int cgroup_group_kill(struct cgroup_group *group)
{
	group->killed = true;
	return write_control(group->dir_fd, "cgroup.kill", "1");
}

int cgroup_group_populated(const struct cgroup_group *group)
{
	return events_populated(group->events_fd);
}

void cgroup_group_usage(const struct cgroup_group *group,
                        struct cgroup_usage *usage)
{
	long long used = read_counter(group->stat_fd, "usage_usec ");

	usage->cpu_seconds = used >= 0 && group->usage_usec >= 0
				     ? (double)(used - group->usage_usec) / 1e6
				     : -1;
	usage->memory_peak = read_counter(group->peak_fd, NULL);
}

void cgroup_group_close(struct cgroup_run *run, struct cgroup_group *group)
{
	fdio_close_quietly(group->peak_fd);
	fdio_close_quietly(group->stat_fd);
	fdio_close_quietly(group->events_fd);
	fdio_close_quietly(group->dir_fd);
	/* Still populated (given up on): the run's release removes it. */
	if (group->dir_fd >= 0)
		(void)unlinkat(run->dir_fd, group->name, AT_REMOVEDIR);
	*group = (struct cgroup_group){ .dir_fd = -1, .events_fd = -1,
					.stat_fd = -1, .peak_fd = -1 };
}
