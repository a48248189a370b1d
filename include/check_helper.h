/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * check_helper: `promise-run check-helper`, the one process in which a
 * home's declared checks run when root checks another user's home.  Root
 * starts it as that user (as it starts a promise: its identity, its
 * cgroup, the promises' environment, in the home), so that no check of
 * the user's connects, reads a certificate or stats a file with root's
 * power; one process a home instead of one a check.
 *
 * It reads requests on standard input and writes a result for each check
 * on standard output (see check_wire); it runs them all at once in one
 * event loop (see inline_checks), each with its own timeout, and ends
 * when standard input ends and no check is left.  Root keeps the
 * promises' timeouts, the deadline and the pool: it tells the helper what
 * to drop.
 */
#ifndef PROMISE_RUN_CHECK_HELPER_H
#define PROMISE_RUN_CHECK_HELPER_H

/* argv[1] of promise-run run as a home's check helper. */
#define CHECK_HELPER_COMMAND "check-helper"

/* promise-run check-helper: the exit status. */
int check_helper_main(int argc, char **argv);

#endif
