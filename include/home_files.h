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

/* Where a promise runs. */
enum home_check_place {
	HOME_CHECK_PROCESS,     /* a process of its own */
	HOME_CHECK_INSIDE,      /* a declared check, inside promise-run */
	HOME_CHECK_HELPER,      /* a declared check, in the home's check helper */
};

/*
 * Where the promise `promise` (its file `path`, NULL for a plugin) of
 * `home` runs.  A declared check runs without a process of its own unless
 * --no-inline: inside promise-run when its user is promise-run's (its
 * check then in *declared); in the home's check helper when it is another
 * user's (root's power must not connect or read files for a user), known
 * by its first line, read as that user.  A declared file check of
 * promise-run's own user stays a process: its stat cannot be made
 * non-blocking, and one on a hung network mount would stop the loop (in
 * a helper it holds only that home's checks).
 */
enum home_check_place home_files_check_place(struct home *home,
                                             size_t promise, const char *path,
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
