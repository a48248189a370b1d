/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* pool: fair turns of the homes for the run's slots. */
#include "pool.h"

#include <limits.h>

void pool_init(struct pool *pool, unsigned slots, size_t homes)
{
	*pool = (struct pool){ .slots = slots, .count = homes };
}

size_t pool_next(const struct pool *pool, const struct home *homes)
{
	size_t first = pool->first_open, span = pool->reached - first + 1;
	size_t turn = pool->turn < first ? first : pool->turn;
	size_t best = pool->count, queued = 0;
	unsigned fewest = UINT_MAX;

	for (size_t i = first; i < pool->reached; i++)
		queued += home_has_queue(&homes[i]);
	for (size_t k = 0; k < span && fewest > 0; k++) {
		size_t i = first + (turn - first + k) % span;
		unsigned running = 0;

		if (i == pool->reached) {
			if (i == pool->count || queued > pool->slots)
				continue;
		} else if (!home_wants_slot(&homes[i])) {
			continue;
		} else {
			running = homes[i].running;
		}
		if (running < fewest)
			best = i, fewest = running;
	}
	return best;
}

void pool_took(struct pool *pool, size_t index)
{
	pool->turn = index + 1;
}

void pool_advance(struct pool *pool, const struct home *homes)
{
	while (pool->first_open < pool->reached) {
		const struct home *home = &homes[pool->first_open];

		if (home_not_started(home) || home_has_queue(home))
			break;
		pool->first_open++;
	}
}
