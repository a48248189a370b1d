/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* homes: the homes of the command line, patterns expanded. */
#include "homes.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "credentials.h"
#include "fdio.h"

/* Adds `path`, refused for `refusal` (malloc'd, taken; or NULL). */
static int add(struct homes *homes, const char *path, char *refusal)
{
	char **paths = reallocarray(homes->paths, homes->count + 1,
				    sizeof *paths);
	char **refusals;

	if (paths)
		homes->paths = paths;
	refusals = paths ? reallocarray(homes->refusals, homes->count + 1,
					sizeof *refusals)
			 : NULL;
	if (!refusals) {
		free(refusal);
		return -1;
	}
	homes->refusals = refusals;
	homes->paths[homes->count] = strdup(path);
	homes->refusals[homes->count] = refusal;
	if (!homes->paths[homes->count]) {
		free(refusal);
		return -1;
	}
	homes->count++;
	return 0;
}

/*
 * Why root may not take `path`, a match of `pattern`, as a home: a
 * malloc'd message in *refusal, or NULL.  The folder holding it must be
 * root's alone, or the user could put a link there after any check; then
 * the match must be no link.  0, or -1 when out of memory.
 */
static int refusal_of(const char *path, const char *pattern, char **refusal)
{
	size_t length = strlen(path), cut;
	char *folder, *name, why[300];
	struct stat status;
	int dir_fd, written = 0;

	*refusal = NULL;
	/* 'a/b/' is 'b' in 'a'; 'b' is in '.', '/b' in '/'. */
	while (length > 1 && path[length - 1] == '/')
		length--;
	for (cut = length; cut > 0 && path[cut - 1] != '/'; cut--)
		;
	folder = cut == 0 ? strdup(".") : strndup(path, cut > 1 ? cut - 1 : 1);
	name = strndup(path + cut, length - cut);
	if (!folder || !name) {
		free(folder);
		free(name);
		return -1;
	}
	dir_fd = open(folder, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd < 0 || fstat(dir_fd, &status) < 0) {
		written = asprintf(refusal,
				   "refused instance home '%s': cannot inspect the folder holding it, '%s': %s (matched by '%s')",
				   path, folder, strerror(errno), pattern);
	} else {
		struct file_mode mode = { .mode = status.st_mode,
					  .owner = status.st_uid,
					  .group = status.st_gid };

		if (credentials_check_root_folder(&mode, why, sizeof why) < 0)
			written = asprintf(refusal,
					   "refused instance home '%s': the folder holding it, '%s', is %s (matched by '%s')",
					   path, folder, why, pattern);
		else if (fstatat(dir_fd, name, &status,
				 AT_SYMLINK_NOFOLLOW) == 0 &&
			 S_ISLNK(status.st_mode))
			written = asprintf(refusal,
					   "refused instance home '%s': it is a symbolic link (matched by '%s')",
					   path, pattern);
	}
	if (written < 0)
		*refusal = NULL;
	fdio_close_quietly(dir_fd);
	free(folder);
	free(name);
	return written < 0 ? -1 : 0;
}

static int compare_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether `word` is a pattern to expand: it has one, and is no path. */
static bool is_pattern(const char *word)
{
	struct stat status;

	return strpbrk(word, "*?[") && lstat(word, &status) < 0;
}

int homes_expand(char *const *words, size_t count, bool as_root,
                 struct homes *homes, char *error, size_t error_size)
{
	memset(homes, 0, sizeof *homes);
	for (size_t i = 0; i < count; i++) {
		glob_t matches;
		int status;

		if (!is_pattern(words[i])) {
			if (add(homes, words[i], NULL) < 0)
				goto out_of_memory;
			continue;
		}
		/* Sorted here, byte-wise: glob would follow the locale. */
		status = glob(words[i], GLOB_NOSORT, NULL, &matches);
		if (status == GLOB_NOMATCH) {
			snprintf(error, error_size,
				 "no instance home matches '%s'", words[i]);
			homes_release(homes);
			return -1;
		}
		if (status != 0) {
			snprintf(error, error_size, "cannot expand '%s': %s",
				 words[i], status == GLOB_NOSPACE
						   ? "out of memory"
						   : "read error");
			homes_release(homes);
			return -1;
		}
		qsort(matches.gl_pathv, matches.gl_pathc,
		      sizeof *matches.gl_pathv, compare_paths);
		for (size_t m = 0; m < matches.gl_pathc; m++) {
			char *refusal = NULL;

			if ((as_root && refusal_of(matches.gl_pathv[m], words[i],
						   &refusal) < 0) ||
			    add(homes, matches.gl_pathv[m], refusal) < 0) {
				globfree(&matches);
				goto out_of_memory;
			}
		}
		globfree(&matches);
	}
	return 0;
out_of_memory:
	snprintf(error, error_size, "out of memory");
	homes_release(homes);
	return -1;
}

void homes_release(struct homes *homes)
{
	for (size_t i = 0; i < homes->count; i++) {
		free(homes->paths[i]);
		free(homes->refusals[i]);
	}
	free(homes->paths);
	free(homes->refusals);
	memset(homes, 0, sizeof *homes);
}
