/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * complain: promise-run's one-line messages on standard error,
 * "promise-run: cannot read 'x': Permission denied".  Only main and the
 * scheduler that drives a run say anything; library modules return errors.
 */
#ifndef PROMISE_RUN_COMPLAIN_H
#define PROMISE_RUN_COMPLAIN_H

/* Writes "promise-run: " and the formatted message, on one line. */
void complain(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Calls `hook` before each message (to erase a progress line). */
void complain_before(void (*hook)(void *), void *context);

#endif
