/* scan: a promise folder to its sorted promises and skipped entries. */
#include "scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "credentials.h"

/* A growable array of either kind of entry. */
struct growing {
	void *items;
	size_t count, capacity, item_size;
};

static void *growing_push(struct growing *array)
{
	if (array->count == array->capacity) {
		size_t capacity = array->capacity ? array->capacity * 2 : 16;
		void *items = reallocarray(array->items, capacity,
					   array->item_size);

		if (!items)
			return NULL;
		array->items = items;
		array->capacity = capacity;
	}
	return (char *)array->items + array->count++ * array->item_size;
}

char *scan_promise_path(const char *dir, const struct promise *promise)
{
	char *path;

	if (asprintf(&path, "%s/%s", dir, promise->name) < 0)
		return NULL;
	return path;
}

char *scan_title(const char *name)
{
	const char *start = name, *dot;

	/* Like Python's os.path.splitext: leading dots start no extension. */
	while (*start == '.')
		start++;
	dot = strrchr(start, '.');
	return strndup(name, dot ? (size_t)(dot - name) : strlen(name));
}

const char *scan_skip_reason_text(enum skip_reason reason)
{
	switch (reason) {
	case SKIP_NOT_EXECUTABLE:
		return "not executable";
	case SKIP_NOT_REGULAR_FILE:
		return "not a regular file";
	case SKIP_DANGLING_LINK:
		return "dangling link";
	case SKIP_UNREADABLE:
		return "cannot be inspected";
	}
	return "unknown";
}

/*
 * Classifies the entry `name` of the folder open as `dir_fd`: 1 with
 * *reason set when it is skipped, 0 when it is a promise, -1 when it
 * vanished since it was listed.
 */
static int classify(int dir_fd, const char *name,
                    const struct credentials *runner, struct stat *target,
                    enum skip_reason *reason)
{
	struct stat link;

	if (fstatat(dir_fd, name, target, 0) < 0) {
		if (errno == ENOENT || errno == ELOOP) {
			if (fstatat(dir_fd, name, &link, AT_SYMLINK_NOFOLLOW) < 0)
				return -1;
			*reason = S_ISLNK(link.st_mode) ? SKIP_DANGLING_LINK
							: SKIP_UNREADABLE;
			return 1;
		}
		*reason = SKIP_UNREADABLE;
		return 1;
	}
	if (!S_ISREG(target->st_mode)) {
		*reason = SKIP_NOT_REGULAR_FILE;
		return 1;
	}
	/* AT_EACCESS: the effective ids are the ones exec will check. */
	if (runner ? !credentials_may_execute(
			     runner, &(struct file_mode){ .mode = target->st_mode,
							  .owner = target->st_uid,
							  .group = target->st_gid })
		   : faccessat(dir_fd, name, X_OK, AT_EACCESS) < 0) {
		*reason = SKIP_NOT_EXECUTABLE;
		return 1;
	}
	return 0;
}

static int compare_promises(const void *a, const void *b)
{
	return strcmp(((const struct promise *)a)->name,
		      ((const struct promise *)b)->name);
}

static int compare_skipped(const void *a, const void *b)
{
	return strcmp(((const struct skipped_entry *)a)->name,
		      ((const struct skipped_entry *)b)->name);
}

/* Orders promise indexes by title, then by index; `promises` is the array. */
static int compare_titles(const void *a, const void *b, void *promises)
{
	const struct promise *base = promises;
	size_t left = *(const size_t *)a, right = *(const size_t *)b;
	int order = strcmp(base[left].title, base[right].title);

	if (order)
		return order;
	return (left > right) - (left < right);
}

/* Links each promise to the first one with the same title, in O(n log n). */
static int mark_same_titles(struct promise_list *list)
{
	size_t *order = calloc(list->count ? list->count : 1, sizeof *order);

	if (!order)
		return -1;
	for (size_t i = 0; i < list->count; i++)
		order[i] = i;
	qsort_r(order, list->count, sizeof *order, compare_titles,
		list->promises);
	for (size_t i = 1; i < list->count; i++) {
		struct promise *previous = &list->promises[order[i - 1]];
		struct promise *current = &list->promises[order[i]];

		if (strcmp(previous->title, current->title) == 0)
			current->same_title_as =
				previous->same_title_as != SCAN_TITLE_UNIQUE
					? previous->same_title_as
					: order[i - 1];
	}
	free(order);
	return 0;
}

/* Adds `name` to the promises or to the skipped entries. */
static int add_entry(int dir_fd, const char *name,
                     const struct credentials *runner,
                     struct growing *promises, struct growing *skipped)
{
	enum skip_reason reason;
	struct stat status;
	int kind = classify(dir_fd, name, runner, &status, &reason);

	if (kind < 0)
		return 0;
	if (kind == 0) {
		struct promise *promise = growing_push(promises);

		if (!promise)
			return -1;
		promise->name = strdup(name);
		promise->title = scan_title(name);
		promise->same_title_as = SCAN_TITLE_UNIQUE;
		promise->file = (struct file_mode){ .mode = status.st_mode,
						    .owner = status.st_uid,
						    .group = status.st_gid };
		return promise->name && promise->title ? 0 : -1;
	}
	struct skipped_entry *entry = growing_push(skipped);

	if (!entry)
		return -1;
	entry->reason = reason;
	entry->name = strdup(name);
	return entry->name ? 0 : -1;
}

int scan_dir(const char *dir, const struct credentials *runner,
             struct promise_list *list)
{
	struct growing promises = { .item_size = sizeof(struct promise) };
	struct growing skipped = { .item_size = sizeof(struct skipped_entry) };
	struct dirent *entry;
	int dir_fd, saved_errno;
	DIR *stream;

	memset(list, 0, sizeof *list);
	dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd < 0)
		return errno == ENOENT ? 0 : -1;
	stream = fdopendir(dir_fd);
	if (!stream) {
		saved_errno = errno;
		close(dir_fd);
		errno = saved_errno;
		return -1;
	}
	for (;;) {
		errno = 0;
		entry = readdir(stream);
		if (!entry)
			break;
		if (strcmp(entry->d_name, ".") == 0 ||
		    strcmp(entry->d_name, "..") == 0)
			continue;
		if (add_entry(dir_fd, entry->d_name, runner, &promises,
			      &skipped) < 0) {
			errno = ENOMEM;
			break;
		}
	}
	saved_errno = errno;
	closedir(stream);
	list->promises = promises.items;
	list->count = promises.count;
	list->skipped = skipped.items;
	list->skipped_count = skipped.count;
	if (saved_errno == 0) {
		/* qsort may not be given the NULL of an empty list. */
		if (list->count)
			qsort(list->promises, list->count,
			      sizeof *list->promises, compare_promises);
		if (list->skipped_count)
			qsort(list->skipped, list->skipped_count,
			      sizeof *list->skipped, compare_skipped);
		/* After sorting: "same title as" points to an earlier name. */
		if (mark_same_titles(list) < 0)
			saved_errno = ENOMEM;
	}
	if (saved_errno != 0) {
		scan_free(list);
		errno = saved_errno;
		return -1;
	}
	return 0;
}

void scan_free(struct promise_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		free(list->promises[i].name);
		free(list->promises[i].title);
	}
	for (size_t i = 0; i < list->skipped_count; i++)
		free(list->skipped[i].name);
	free(list->promises);
	free(list->skipped);
	memset(list, 0, sizeof *list);
}
