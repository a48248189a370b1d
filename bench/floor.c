/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * floor: the least a promise runner can do, as the benchmarks' baseline.
 * Spawns every executable of the folders given (in folder order, then
 * name order), at most J at once, and waits for each: no timeout, no
 * output capture, no report.  With -s it spawns with posix_spawn (vfork
 * in glibc) instead of fork + execve.
 * Usage: floor [-s] J FOLDER...
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the executables of `folder`, sorted, to *paths. */
static int list(const char *folder, char ***paths, size_t *count,
                size_t *capacity)
{
	size_t first = *count;
	struct dirent *entry;
	DIR *dir = opendir(folder);

	if (!dir) {
		perror(folder);
		return -1;
	}
	while ((entry = readdir(dir)) != NULL) {
		char *path;

		if (entry->d_name[0] == '.')
			continue;
		if (*count == *capacity) {
			*capacity = *capacity ? *capacity * 2 : 256;
			*paths = realloc(*paths, *capacity * sizeof **paths);
			if (!*paths)
				return -1;
		}
		if (asprintf(&path, "%s/%s", folder, entry->d_name) < 0)
			return -1;
		(*paths)[(*count)++] = path;
	}
	closedir(dir);
	qsort(*paths + first, *count - first, sizeof **paths, compare_names);
	return 0;
}

int main(int argc, char **argv)
{
	bool use_spawn = argc > 1 && strcmp(argv[1], "-s") == 0;
	char **paths = NULL;
	size_t count = 0, capacity = 0, next = 0;
	unsigned running = 0, jobs;
	int first = use_spawn ? 2 : 1;

	if (argc < first + 2 || (jobs = (unsigned)atoi(argv[first])) < 1) {
		fputs("usage: floor [-s] J FOLDER...\n", stderr);
		return 2;
	}
	for (int i = first + 1; i < argc; i++)
		if (list(argv[i], &paths, &count, &capacity) < 0)
			return 1;
	while (next < count || running > 0) {
		while (next < count && running < jobs) {
			char *child_argv[] = { paths[next], NULL };
			pid_t pid;

			if (use_spawn) {
				if (posix_spawn(&pid, paths[next], NULL, NULL,
						child_argv, environ) != 0) {
					perror("posix_spawn");
					return 1;
				}
			} else {
				pid = fork();
				if (pid < 0) {
					perror("fork");
					return 1;
				}
				if (pid == 0) {
					execv(paths[next], child_argv);
					_exit(127);
				}
			}
			next++;
			running++;
		}
		if (wait(NULL) > 0)
			running--;
	}
	for (size_t i = 0; i < count; i++)
		free(paths[i]);
	free(paths);
	return 0;
}
