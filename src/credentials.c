/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* credentials: the user a promise runs as, and which files it may run. */
#include "credentials.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Fills name, home and shell of the passwd entry `entry`. */
static int from_passwd(const struct passwd *entry,
                       struct credentials *credentials)
{
	credentials->uid = entry->pw_uid;
	credentials->gid = entry->pw_gid;
	credentials->user = strdup(entry->pw_name);
	credentials->home = strdup(entry->pw_dir);
	credentials->shell = strdup(*entry->pw_shell ? entry->pw_shell
						     : "/bin/sh");
	if (!credentials->user || !credentials->home || !credentials->shell)
		return -1;
	return 0;
}

/*
 * Fills the groups of the passwd entry `entry`, which only a switch of
 * identity uses: asking for them loads every group database's module.
 */
static int groups_of(const struct passwd *entry,
                     struct credentials *credentials)
{
	int count = 16;

	/* getgrouplist says how many there are when the array is too small. */
	for (;;) {
		gid_t *groups = reallocarray(credentials->groups,
					     (size_t)count, sizeof *groups);

		if (!groups)
			return -1;
		credentials->groups = groups;
		if (getgrouplist(entry->pw_name, entry->pw_gid, groups,
				 &count) >= 0)
			break;
	}
	credentials->group_count = (size_t)count;
	return 0;
}

/* A uid with no passwd entry: its own group, no others, the home as HOME. */
static int from_bare_owner(const struct stat *home, const char *instance_home,
                           struct credentials *credentials)
{
	credentials->uid = home->st_uid;
	credentials->gid = home->st_gid;
	if (asprintf(&credentials->user, "%u", (unsigned)home->st_uid) < 0) {
		credentials->user = NULL;
		return -1;
	}
	credentials->home = strdup(instance_home);
	credentials->shell = strdup("/bin/sh");
	return credentials->home && credentials->shell ? 0 : -1;
}

int credentials_for_instance(int home_fd, const char *instance_home,
                             const char *user, struct credentials *credentials,
                             char *error, size_t error_size)
{
	const struct passwd *entry;
	struct stat home;

	memset(credentials, 0, sizeof *credentials);
	if (geteuid() != 0) {
		if (user) {
			snprintf(error, error_size,
				 "option '--user' needs promise-run to run as root");
			return -1;
		}
		entry = getpwuid(geteuid());
		if (entry && from_passwd(entry, credentials) < 0)
			goto out_of_memory;
		if (!entry) {
			struct stat self = { .st_uid = geteuid(),
					     .st_gid = getegid() };

			if (from_bare_owner(&self, instance_home, credentials) < 0)
				goto out_of_memory;
		}
		return 0;
	}
	if (user) {
		errno = 0;
		entry = getpwnam(user);
		if (!entry) {
			snprintf(error, error_size, "unknown user '%s'%s%s", user,
				 errno ? ": " : "", errno ? strerror(errno) : "");
			return -1;
		}
	} else {
		if (fstat(home_fd, &home) < 0) {
			snprintf(error, error_size, "cannot stat '%s': %s",
				 instance_home, strerror(errno));
			return -1;
		}
		entry = getpwuid(home.st_uid);
		if (!entry) {
			credentials->change = true;
			if (from_bare_owner(&home, instance_home, credentials) < 0)
				goto out_of_memory;
			return 0;
		}
	}
	if (from_passwd(entry, credentials) < 0)
		goto out_of_memory;
	/* Root keeps running as root only for a home root owns. */
	credentials->change = credentials->uid != 0;
	if (credentials->change && groups_of(entry, credentials) < 0)
		goto out_of_memory;
	return 0;
out_of_memory:
	credentials_release(credentials);
	snprintf(error, error_size, "out of memory");
	return -1;
}

/* "writable by group 'staff'", or by its number when it has no name. */
static void say_group_writable(gid_t gid, char *why, size_t why_size)
{
	const struct group *group = getgrgid(gid);

	if (group)
		snprintf(why, why_size, "writable by group '%s'",
			 group->gr_name);
	else
		snprintf(why, why_size, "writable by group %u", (unsigned)gid);
}

int credentials_check_file(const struct credentials *credentials,
                           const struct file_mode *file, char *why,
                           size_t why_size)
{
	if (file->owner != 0 && file->owner != credentials->uid) {
		snprintf(why, why_size, "owned by uid %u, not by root or %s",
			 (unsigned)file->owner, credentials->user);
		return -1;
	}
	if (file->mode & S_IWOTH) {
		snprintf(why, why_size, "writable by every user");
		return -1;
	}
	if ((file->mode & S_IWGRP) && file->group != 0 &&
	    file->group != credentials->gid) {
		say_group_writable(file->group, why, why_size);
		return -1;
	}
	return 0;
}

int credentials_check_root_folder(const struct file_mode *folder, char *why,
                                  size_t why_size)
{
	if (folder->owner != 0) {
		const struct passwd *entry = getpwuid(folder->owner);

		if (entry)
			snprintf(why, why_size, "owned by user '%s', not by root",
				 entry->pw_name);
		else
			snprintf(why, why_size, "owned by uid %u, not by root",
				 (unsigned)folder->owner);
		return -1;
	}
	/* Sticky or not: others could still add what they want run. */
	if (folder->mode & S_IWOTH) {
		snprintf(why, why_size, "writable by every user");
		return -1;
	}
	if (folder->mode & S_IWGRP) {
		say_group_writable(folder->group, why, why_size);
		return -1;
	}
	return 0;
}

bool credentials_may_execute(const struct credentials *credentials,
                             const struct file_mode *file)
{
	if (credentials->uid == 0)
		return file->mode & (S_IXUSR | S_IXGRP | S_IXOTH);
	if (file->owner == credentials->uid)
		return file->mode & S_IXUSR;
	if (file->group == credentials->gid)
		return file->mode & S_IXGRP;
	for (size_t i = 0; i < credentials->group_count; i++)
		if (credentials->groups[i] == file->group)
			return file->mode & S_IXGRP;
	return file->mode & S_IXOTH;
}

void credentials_release(struct credentials *credentials)
{
	free(credentials->groups);
	free(credentials->user);
	free(credentials->home);
	free(credentials->shell);
	memset(credentials, 0, sizeof *credentials);
}
