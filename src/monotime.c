/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* monotime: deadlines and durations on the monotonic clock. */
#include "monotime.h"

#define NANOSECONDS 1000000000L

struct timespec monotime_now(void)
{
	struct timespec now;

	/* CLOCK_MONOTONIC cannot fail on Linux with a valid pointer. */
	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	return now;
}

struct timespec monotime_add(struct timespec start, double seconds)
{
	/* seconds >= 0, so the cast truncates towards the floor. */
	time_t whole = (time_t)seconds;
	struct timespec sum = {
		.tv_sec = start.tv_sec + whole,
		.tv_nsec = start.tv_nsec +
			   (long)((seconds - (double)whole) * NANOSECONDS + 0.5),
	};

	while (sum.tv_nsec >= NANOSECONDS) {
		sum.tv_sec++;
		sum.tv_nsec -= NANOSECONDS;
	}
	return sum;
}

struct timespec monotime_sub(struct timespec end, double seconds)
{
	/* end - seconds is the time left from `seconds` until `end`. */
	return monotime_until(monotime_add((struct timespec){ 0, 0 }, seconds),
			      end);
}

bool monotime_before(struct timespec a, struct timespec b)
{
	return a.tv_sec < b.tv_sec ||
	       (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

double monotime_seconds(struct timespec start, struct timespec end)
{
	return (double)(end.tv_sec - start.tv_sec) +
	       (double)(end.tv_nsec - start.tv_nsec) / NANOSECONDS;
}

struct timespec monotime_until(struct timespec now, struct timespec deadline)
{
	struct timespec left = { 0, 0 };

	if (!monotime_before(now, deadline))
		return left;
	left.tv_sec = deadline.tv_sec - now.tv_sec;
	left.tv_nsec = deadline.tv_nsec - now.tv_nsec;
	if (left.tv_nsec < 0) {
		left.tv_sec--;
		left.tv_nsec += NANOSECONDS;
	}
	return left;
}
