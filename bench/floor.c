/*
 * floor: the least a promise runner can do, as the benchmarks' baseline.
 * Spawns every executable of a folder (fork + execve, in name order), at
 * most J at once, and waits for each: no timeout, no output capture, no
 * report.  Usage: floor J FOLDER
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	char **paths = NULL;
	size_t count = 0, capacity = 0, next = 0;
	unsigned running = 0, jobs;
	struct dirent *entry;
	DIR *dir;

	if (argc != 3 || (jobs = (unsigned)atoi(argv[1])) < 1) {
		fputs("usage: floor J FOLDER\n", stderr);
		return 2;
	}
	dir = opendir(argv[2]);
	if (!dir) {
		perror(argv[2]);
		return 1;
	}
	while ((entry = readdir(dir)) != NULL) {
		char *path;

		if (entry->d_name[0] == '.')
			continue;
		if (count == capacity) {
			capacity = capacity ? capacity * 2 : 256;
			paths = realloc(paths, capacity * sizeof *paths);
			if (!paths)
				return 1;
		}
		if (asprintf(&path, "%s/%s", argv[2], entry->d_name) < 0)
			return 1;
		paths[count++] = path;
	}
	closedir(dir);
	qsort(paths, count, sizeof *paths, compare_names);
	while (next < count || running > 0) {
		while (next < count && running < jobs) {
			pid_t pid = fork();

			if (pid < 0) {
				perror("fork");
				return 1;
			}
			if (pid == 0) {
				char *child_argv[] = { paths[next], NULL };

				execv(paths[next], child_argv);
				_exit(127);
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
