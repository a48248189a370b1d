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
 * As root, a pattern's match is refused as a home (its refusal says why)
 * when the folder holding it is not root's alone (see
 * credentials_check_root_folder: the user could swap the match for
 * anything between its checks and its use), or when the match is a
 * symbolic link (to a root folder, say, whose promises would run as root).
 *
 * Lifecycle: homes_expand, homes_release.
 */
#ifndef PROMISE_RUN_HOMES_H
#define PROMISE_RUN_HOMES_H

#include <stdbool.h>
#include <stddef.h>

struct homes {
	char **paths;               /* malloc'd, each malloc'd */
	char **refusals;            /* per path: a message, or NULL */
	size_t count;
};

/*
 * 0, or -1 with the reason in `error` (a pattern that matches nothing).
 * `as_root`: the matches of patterns are checked (see above).
 */
int homes_expand(char *const *words, size_t count, bool as_root,
                 struct homes *homes, char *error, size_t error_size);

void homes_release(struct homes *homes);

#endif
