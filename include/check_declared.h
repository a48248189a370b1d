/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * check_declared: `promise-run check FILE`, what the kernel runs for a
 * declared check's file (see declared.h): the file read, parsed, and its
 * one check run by the very code of check-url, check-port, check-cert or
 * check-file, with their messages and exit statuses.  A file that cannot
 * be read, or is no valid declared check, is a usage error (exit 3): one
 * line on standard error that names the file and the line.
 */
#ifndef PROMISE_RUN_CHECK_DECLARED_H
#define PROMISE_RUN_CHECK_DECLARED_H

#include <stdbool.h>
#include <stddef.h>

#include "declared.h"

/* Runs the check `check` declares; its message in `message`. */
enum check_status check_declared(const struct declared_check *check,
                                 char *message, size_t message_size);

/*
 * Reads and parses `path` when it is a declared check of promise-run's
 * ("#!.../promise-run check"): 0, or -1 when it is not, or cannot be read
 * or parsed (run as a process, it says why).  Costs one read of the
 * first bytes for a promise of another kind.
 */
int check_declared_load(const char *path, struct declared_check *check);

/*
 * Reads and parses `path` as `promise-run check` does: 0, or -1 with the
 * reason in `message`, as the command words it (the file, the line).
 */
int check_declared_read(const char *path, struct declared_check *check,
                        char *message, size_t message_size);

/*
 * Whether `head`, a file's first bytes (its first line and its line
 * feed), names promise-run's check: "#!.../promise-run check".
 */
bool check_declared_is_ours(const char *head);

/* promise-run check FILE (argv[0] is "check"): the exit status. */
int check_declared_main(int argc, char **argv);

#endif
