/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * home_store: a home's stored state, read and written as its user (see
 * state, slapgrid): its lock; before it runs, the caches, previous
 * results and last runs that its plan and the anomaly mode need; once
 * its results are in, its commit: the spares (result and cache) of each
 * promise, one syncfs, each promise's log record and result together,
 * then when each promise last worked.  A file that cannot be written is
 * said and counted: the results stand.  The home's `open_state`,
 * `try_lock`, `watch_lock`, `plan`, `write` and `close` operations.
 */
#ifndef PROMISE_RUN_HOME_STORE_H
#define PROMISE_RUN_HOME_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "home.h"

int home_store_open(struct home *home);
int home_store_try_lock(struct home *home);
int home_store_watch_lock(struct home *home);
int home_store_plan(struct home *home);
bool home_store_write(struct home *home, size_t step);
void home_store_close(struct home *home);

#endif
