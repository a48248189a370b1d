/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* homes: the homes of the command line, patterns expanded. */
#include "homes.h"

#include <errno.h>
#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int add(struct homes *homes, const char *path)
{
	char **grown = reallocarray(homes->paths, homes->count + 1,
				    sizeof *grown);

	if (!grown)
		return -1;
	homes->paths = grown;
	homes->paths[homes->count] = strdup(path);
	if (!homes->paths[homes->count])
		return -1;
	homes->count++;
	return 0;
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

int homes_expand(char *const *words, size_t count, struct homes *homes,
                 char *error, size_t error_size)
{
	memset(homes, 0, sizeof *homes);
	for (size_t i = 0; i < count; i++) {
		glob_t matches;
		int status;

		if (!is_pattern(words[i])) {
			if (add(homes, words[i]) < 0)
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
		for (size_t m = 0; m < matches.gl_pathc; m++)
			if (add(homes, matches.gl_pathv[m]) < 0) {
				globfree(&matches);
				goto out_of_memory;
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
	for (size_t i = 0; i < homes->count; i++)
		free(homes->paths[i]);
	free(homes->paths);
	memset(homes, 0, sizeof *homes);
}
