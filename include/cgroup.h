/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * cgroup: a cgroup v2 of its own for each promise, so that nothing a
 * promise starts outlives it, setsid or fork bomb alike, and so that what
 * the whole tree of its processes cost can be read.
 *
 * The run makes one cgroup under its own (found in /proc/self/cgroup, on
 * the cgroup2 mount found in /proc/self/mountinfo: /sys/fs/cgroup alone,
 * or /sys/fs/cgroup/unified beside v1 controllers), named
 * promise-run.PID.START (START: the process's start time in clock ticks,
 * so that a recycled PID is not taken for a live run).  Each promise is
 * born in a child of it, pN (clone3 with CLONE_INTO_CGROUP).  A run
 * cgroup whose run is gone was left by a run killed hard: it is emptied
 * (cgroup.kill) and removed first.
 *
 * A promise's cgroup serves the next promise of the same slot once it is
 * empty: making and removing a cgroup costs more than the spawn itself,
 * and an empty cgroup holds nothing of the promise before.  What a
 * promise cost is the difference of the cgroup's counters.
 *
 * Lifecycle: cgroup_run_init (which may find no usable cgroup v2: the
 * caller falls back); per slot cgroup_group_open, then per promise
 * cgroup_group_arm, the spawn, cgroup_group_kill and
 * cgroup_group_populated until empty, cgroup_group_usage; when a cgroup
 * cannot be emptied, or at the end, cgroup_group_close; cgroup_run_release.
 */
#ifndef PROMISE_RUN_CGROUP_H
#define PROMISE_RUN_CGROUP_H

#include <stdbool.h>
#include <stdint.h>

struct cgroup_run {
	int dir_fd;                 /* the run's cgroup folder, or -1 */
	char *path;                 /* its absolute path */
	char *name;                 /* its name in the parent */
	int parent_fd;              /* the folder holding it */
	unsigned long long next;    /* the next promise cgroup's number */
	unsigned leftovers;         /* cgroups of dead runs removed at init */
};

struct cgroup_group {
	int dir_fd;                 /* -1: none */
	int events_fd;              /* cgroup.events: POLLPRI on a change */
	int stat_fd;                /* cpu.stat */
	int peak_fd;                /* memory.peak, reset per promise, or -1 */
	long long usage_usec;       /* cpu.stat's usage at the last reading */
	bool killed;                /* cgroup.kill was written: not reused */
	char name[24];
};

/* What a promise's processes cost, all of them. */
struct cgroup_usage {
	double cpu_seconds;         /* user + system, or -1: unknown */
	long long memory_peak;      /* bytes, or -1: no memory controller */
};

/*
 * Makes the run's cgroup.  0 when promises can be contained; -1 with
 * errno when not (no cgroup2 mount, no permission, a kernel without
 * cgroup.kill or clone3): the caller uses its fallback.  *reason then
 * says why, in a few words (static text).
 */
int cgroup_run_init(struct cgroup_run *run, const char **reason);

/* Removes the run's cgroup (empty by then) and frees. */
void cgroup_run_release(struct cgroup_run *run);

/* A new, empty cgroup for a slot's promises: 0, or -1 with errno. */
int cgroup_group_open(struct cgroup_run *run, struct cgroup_group *group);

/*
 * Makes an empty cgroup ready for the next promise (its memory peak
 * counted anew): 0, or -1 when it still holds a process or was killed
 * (the kernel may kill what is born in a cgroup once killed).
 */
int cgroup_group_arm(struct cgroup_group *group);

/* Kills every process in it (cgroup.kill): 0, or -1 with errno. */
int cgroup_group_kill(struct cgroup_group *group);

/* 1 while a process lives in it, 0 when empty, -1 with errno. */
int cgroup_group_populated(const struct cgroup_group *group);

/* What its processes cost since it was armed, read once it is empty. */
void cgroup_group_usage(const struct cgroup_group *group,
                        struct cgroup_usage *usage);

/* Removes it (when empty) and closes its descriptors. */
void cgroup_group_close(struct cgroup_run *run, struct cgroup_group *group);

/*
 * The cgroup2 mount point and this process's cgroup below it, from the
 * texts of /proc/self/mountinfo and /proc/self/cgroup: a malloc'd
 * absolute path, or NULL with errno (ENOENT: no cgroup v2).  Pure, for
 * the tests.
 */
char *cgroup_own_path(const char *mountinfo, const char *self_cgroup);

#endif
