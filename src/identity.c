/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* identity: the filesystem identity of an instance's user, for a while. */
#include "identity.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "credentials.h"

static struct {
	bool root;
	uid_t uid;
	gid_t gid;
	gid_t *groups;
	int group_count;
	bool switched;
	/* Root's capabilities, to be given back after each home. */
	struct __user_cap_data_struct caps[_LINUX_CAPABILITY_U32S_3];
} own;

/* Sets this thread's capabilities (no libcap: two raw system calls). */
static int set_capabilities(const struct __user_cap_data_struct *caps)
{
	struct __user_cap_header_struct header = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};

	return (int)syscall(SYS_capset, &header, caps);
}

/*
 * Clears the effective set, permitted and inheritable kept: while the
 * filesystem identity is the user's, root keeps no power the user lacks
 * (the kernel only clears CAP_DAC_OVERRIDE and its kind: CAP_SYS_RESOURCE
 * would still exceed the user's quota and the reserved blocks).  Going
 * back needs none of them: the fsuid may return to the euid, and the
 * effective set to the permitted one, without a capability.
 */
static int drop_capabilities(void)
{
	struct __user_cap_data_struct caps[_LINUX_CAPABILITY_U32S_3];

	memcpy(caps, own.caps, sizeof caps);
	for (size_t i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		caps[i].effective = 0;
	return set_capabilities(caps);
}

int identity_init(void)
{
	struct __user_cap_header_struct header = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	int count;

	own.root = geteuid() == 0;
	own.uid = geteuid();
	own.gid = getegid();
	if (!own.root)
		return 0;
	if (syscall(SYS_capget, &header, own.caps) < 0)
		return -1;
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
	if (drop_capabilities() < 0) {
		identity_restore();     /* which keeps errno */
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
	 * Root gets its capabilities back (after the fsuid, whose return to
	 * 0 would raise some of them again), then its groups: neither can
	 * fail for root with sets and a list it had; if one did, going on
	 * with less would only narrow what root may do (the next home's
	 * switch or promises fail, and say so).
	 */
	(void)set_capabilities(own.caps);
	(void)setgroups((size_t)own.group_count, own.groups);
	own.switched = false;
	errno = saved;
}
