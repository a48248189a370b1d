/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * credentials: who a promise runs as, and whether a promise file is safe
 * to run as that user.
 *
 * As root, each promise runs as the owner of the instance home (or the
 * --user), with that user's groups; root itself only when root owns the
 * home.  A promise file that someone else could have written is refused,
 * and so is a folder on root's way to a promise that is not root's alone.
 * The lookups (passwd, group) happen here, in promise-run; the child only
 * applies the result.
 *
 * Lifecycle: credentials_for_instance, then credentials_release.
 */
#ifndef PROMISE_RUN_CREDENTIALS_H
#define PROMISE_RUN_CREDENTIALS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

/* Who may do what with a promise file: what a refusal needs of its stat. */
struct file_mode {
	mode_t mode;
	uid_t owner;
	gid_t group;
	time_t mtime;           /* for slapgrid's cache */
};

struct credentials {
	bool change;                /* switch to uid/gid/groups in the child */
	uid_t uid;
	gid_t gid;
	gid_t *groups;              /* supplementary groups, when changing */
	size_t group_count;
	char *user;                 /* name (or the uid as text) */
	char *home;                 /* the user's home, for HOME */
	char *shell;                /* for SHELL */
};

/*
 * Who runs the promises of the home open as `home_fd` (`instance_home`
 * names it in messages): the current user when not root; as root, `user`
 * (a name, or NULL for the owner of the home).  0, or -1
 * with a one-line reason in `error`.
 */
int credentials_for_instance(int home_fd, const char *instance_home,
                             const char *user, struct credentials *credentials,
                             char *error, size_t error_size);

/*
 * Whether `file` (as stat(2) saw it, links followed) may be run as
 * `credentials`: 0, or -1
 * with the reason in `why` ("writable by group 'staff'").  A file is
 * refused when owned by anyone but root or the user, world-writable, or
 * group-writable by a group other than root's and the user's own.
 */
int credentials_check_file(const struct credentials *credentials,
                           const struct file_mode *file, char *why,
                           size_t why_size);

/*
 * Whether `folder` (as fstat(2) saw it) is root's alone, as every folder
 * must be on the way to what root runs or takes as a home: 0, or -1 with
 * the reason in `why`.  A folder is refused when owned by anyone but
 * root, or writable by its group (whichever it is) or by every user.
 */
int credentials_check_root_folder(const struct file_mode *folder, char *why,
                                  size_t why_size);

/* Whether the user may execute `file`, by its mode bits. */
bool credentials_may_execute(const struct credentials *credentials,
                             const struct file_mode *file);

void credentials_release(struct credentials *credentials);

#endif
