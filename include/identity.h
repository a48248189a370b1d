/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * identity: whose rights promise-run uses on the filesystem.  As root,
 * everything promise-run itself does inside an instance home (list the
 * promise folder, read the configuration and previous state, write the
 * result and log files, take the lock) is done with the filesystem
 * identity of the home's user (setfsuid, setfsgid and the user's groups),
 * so that the kernel checks each access as for that user: a link to a
 * root-only file reads as "permission denied", and what is created belongs
 * to the user from the start.  Meanwhile root's effective capabilities
 * are all dropped, not only those the kernel drops with the filesystem
 * uid (CAP_SYS_RESOURCE would exceed the user's disk quota): root's work
 * in a home has no more power than the user's.  They come back with
 * root's identity, for the next home and the promises' spawning.
 *
 * Only the filesystem ids change, and only between identity_become and
 * identity_restore: signals, /proc and the promises' spawning stay root's.
 * Without root, both calls do nothing.
 *
 * Lifecycle: identity_init once, then pairs of identity_become and
 * identity_restore around the work done in a home.
 */
#ifndef PROMISE_RUN_IDENTITY_H
#define PROMISE_RUN_IDENTITY_H

struct credentials;

/* Remembers promise-run's own groups and capabilities; 0, or -1 with errno. */
int identity_init(void);

/*
 * Takes the filesystem identity of `user` (NULL, or one that needs no
 * change: nothing).  0, or -1 with errno after restoring root's.
 */
int identity_become(const struct credentials *user);

/* Gives promise-run its own identity back. */
void identity_restore(void);

#endif
