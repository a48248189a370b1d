/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * home_files: what is known of a home before anything runs, read as its
 * user: its user (the owner of the home, or --user), whether root may run
 * its promises (the layout of its folders), its configuration, its
 * promises and plugins, its settings (merged once) and its promises'
 * environment.  The `prepare` and `first_line` operations of a home.
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

/*
 * Takes the filesystem identity of the home's user, for work in its home
 * (identity_restore gives root's back): true, or false after failing the
 * home, whose work is then not done (never as root instead).
 */
bool home_become_user(struct home *home);

#endif
