/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * pool: which home gets the next free slot of the run's one pool.  A
 * pure choice over the homes' phases and counts, so that unit tests check
 * fairness without running anything.
 *
 * Of the homes with promises queued and below their own cap, the one
 * that runs the fewest gets the slot, the first in turn among equals;
 * the turn then moves past it.  Homes are opened in order, as the turn
 * reaches them: the next home not opened yet counts as running none, and
 * is opened only while at most as many homes as slots have promises
 * queued.  So memory, descriptors and locks stay flat in the number of
 * homes, yet one home more than slots is in turn: homes whose promises
 * all hang hold their slots, never the others' turn.
 */
#ifndef PROMISE_RUN_POOL_H
#define PROMISE_RUN_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "home.h"

struct pool {
	unsigned slots;             /* -j */
	size_t count;               /* homes */
	size_t first_open;          /* homes before it are all given out */
	size_t reached;             /* homes from it on are not opened */
	size_t turn;                /* the home first in turn for a slot */
};

void pool_init(struct pool *pool, unsigned slots, size_t homes);

/*
 * The home that gets the next slot: pool->reached when it is the next
 * home to open, pool->count when none.
 */
size_t pool_next(const struct pool *pool, const struct home *homes);

/* Home `index` took a slot: the turn moves past it. */
void pool_took(struct pool *pool, size_t index);

/* Moves first_open past the homes that have nothing left to give out. */
void pool_advance(struct pool *pool, const struct home *homes);

#endif
