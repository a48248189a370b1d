/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * monotime: points in time on the monotonic clock, for deadlines and
 * durations that wall-clock jumps (NTP, an operator's `date`) cannot upset.
 */
#ifndef PROMISE_RUN_MONOTIME_H
#define PROMISE_RUN_MONOTIME_H

#include <stdbool.h>
#include <time.h>

/* The current point on CLOCK_MONOTONIC. */
struct timespec monotime_now(void);

/* The point `seconds` (>= 0) after `start`. */
struct timespec monotime_add(struct timespec start, double seconds);

/* The point `seconds` (>= 0) before `end`, never below zero. */
struct timespec monotime_sub(struct timespec end, double seconds);

/* Whether `a` comes strictly before `b`. */
bool monotime_before(struct timespec a, struct timespec b);

/* Seconds from `start` to `end`; negative when `end` comes first. */
double monotime_seconds(struct timespec start, struct timespec end);

/* The time left from `now` until `deadline`, never negative. */
struct timespec monotime_until(struct timespec now, struct timespec deadline);

#endif
