/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* deadline: a run's stop times, its reserve and its lock waits. */
#include "deadline.h"

#include "job.h"
#include "monotime.h"

double deadline_reserve(double deadline)
{
	return deadline / 2 < DEADLINE_RESERVE ? deadline / 2 : DEADLINE_RESERVE;
}

struct timespec deadline_end(struct timespec started, double deadline)
{
	return monotime_add(started, deadline - deadline_reserve(deadline));
}

bool deadline_leaves_time(double deadline, double kill_after)
{
	return deadline - deadline_reserve(deadline) >
	       kill_after + JOB_DRAIN_SECONDS;
}

struct timespec deadline_stop_time(struct timespec end, double kill_after)
{
	struct timespec stop = monotime_sub(end, kill_after + JOB_DRAIN_SECONDS);

	if (stop.tv_sec == 0 && stop.tv_nsec == 0)
		stop.tv_nsec = 1;
	return stop;
}

bool deadline_wait_bounded(bool wait_timeout_given, double deadline)
{
	return wait_timeout_given || deadline <= 0;
}

double deadline_lock_backoff(double backoff, bool woken, bool waiting)
{
	if (!woken || !waiting)
		return 0;
	backoff = backoff > 0 ? 2 * backoff : DEADLINE_BACKOFF_FIRST;
	return backoff > DEADLINE_LOCK_RETRY ? DEADLINE_LOCK_RETRY : backoff;
}

double deadline_lock_retry(double backoff)
{
	return backoff > 0 ? backoff : DEADLINE_LOCK_RETRY;
}
