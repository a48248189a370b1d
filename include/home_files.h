/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * home_files: what is known of a home before anything runs, read as its
 * user: its user (the owner of the home, or --user), whether root may run
 * its promises (the layout of its folders), its configuration, its
 * promises and plugins, its settings (merged once) and its promises'
 * environment; which of its promises run inside promise-run.  The
 * `prepare`, `first_line` and `mark_in_process` operations of a home.
 */
#ifndef PROMISE_RUN_HOME_FILES_H
#define PROMISE_RUN_HOME_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "home.h"

/* Reads everything above into home->files and its report: 0, or -1 failed. */
int home_files_prepare(struct home *home);

/* The first line of a promise file, read as its user; malloc'd, or NULL. */
char *home_files_first_line(struct home *home, size_t promise);

struct declared_check;

/*
 * Whether the promise `path` of `home` runs inside promise-run: a
 * declared check, run as promise-run's own user (another user's check
 * must not connect or read files with root's power), unless --no-inline.
 * Its check in *declared when it does.
 */
bool home_files_runs_inside(const struct home *home, const char *path,
                            struct declared_check *declared);

/* For --list: notes in its report which promises run inside. */
void home_files_mark_in_process(struct home *home);

/*
 * Takes the filesystem identity of the home's user, for work in its home
 * (identity_restore gives root's back): true, or false after failing the
 * home, whose work is then not done (never as root instead).
 */
bool home_become_user(struct home *home);

#endif
