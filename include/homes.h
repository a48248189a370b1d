/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * homes: the instance homes named on the command line, with patterns
 * expanded by promise-run itself (so that a systemd unit or slapgrid
 * needs no shell): '/srv/slapgrid/slappart*' gives every match, in byte
 * order.  A word that names an existing path is taken as it is, even if
 * it holds a pattern character; a pattern that matches nothing is an
 * error.
 *
 * Lifecycle: homes_expand, homes_release.
 */
#ifndef PROMISE_RUN_HOMES_H
#define PROMISE_RUN_HOMES_H

#include <stddef.h>

struct homes {
	char **paths;               /* malloc'd, each malloc'd */
	size_t count;
};

/* 0, or -1 with the reason in `error` (a pattern that matches nothing). */
int homes_expand(char *const *words, size_t count, struct homes *homes,
                 char *error, size_t error_size);

void homes_release(struct homes *homes);

#endif
