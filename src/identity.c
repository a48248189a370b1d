/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* identity: the filesystem identity of an instance's user, for a while. */
#include "identity.h"

#include <errno.h>
#include <grp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/fsuid.h>
#include <unistd.h>

#include "credentials.h"

static struct {
	bool root;
	uid_t uid;
	gid_t gid;
	gid_t *groups;
	int group_count;
	bool switched;
} own;

int identity_init(void)
{
	int count;

	own.root = geteuid() == 0;
	own.uid = geteuid();
	own.gid = getegid();
	if (!own.root)
		return 0;
	count = getgroups(0, NULL);
	if (count < 0)
		return -1;
	own.groups = calloc((size_t)count + 1, sizeof *own.groups);
	if (!own.groups)
		return -1;
	own.group_count = getgroups(count, own.groups);
	return own.group_count < 0 ? -1 : 0;
}

/*
 * setfsuid and setfsgid return the previous id, never an error: the
 * switch is checked by asking again with an id that cannot be set (-1).
 */
static bool fsuid_is(uid_t uid)
{
	return (uid_t)setfsuid((uid_t)-1) == uid;
}

static bool fsgid_is(gid_t gid)
{
	return (gid_t)setfsgid((gid_t)-1) == gid;
}

int identity_become(const struct credentials *user)
{
	if (!own.root || !user || !user->change)
		return 0;
	/* Groups and gid first: changing them needs CAP_SETGID, kept. */
	if (setgroups(user->group_count, user->groups) < 0)
		return -1;
	setfsgid(user->gid);
	setfsuid(user->uid);
	own.switched = true;
	if (!fsgid_is(user->gid) || !fsuid_is(user->uid)) {
		identity_restore();
		errno = EPERM;
		return -1;
	}
	return 0;
}

void identity_restore(void)
{
	int saved = errno;

	if (!own.switched)
		return;
	setfsuid(own.uid);
	setfsgid(own.gid);
	/*
	 * Root gets its groups back: this cannot fail for root with a list
	 * it had; if it did, going on with the user's groups would only
	 * narrow what root may do.
	 */
	(void)setgroups((size_t)own.group_count, own.groups);
	own.switched = false;
	errno = saved;
}
