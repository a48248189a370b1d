/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
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
#include "fdio.h"

/* A growable array of either kind of entry. */
struct growing {
	void *items;
	size_t count, capacity, item_size;
};

/* Gives back the unused end of the array, which grows no more. */
static void *growing_fitted(struct growing *array)
{
	void *fitted;

	if (array->count == 0 || array->count == array->capacity)
		return array->items;
	fitted = reallocarray(array->items, array->count, array->item_size);
	return fitted ? fitted : array->items;  /* failing that, it stays */
}

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

/*
 * The length of a name's title, as slapgrid makes it: the name without
 * its last extension.
 */
static size_t title_length(const char *name)
{
	const char *start = name, *dot;

	/* Like Python's os.path.splitext: leading dots start no extension. */
	while (*start == '.')
		start++;
	dot = strrchr(start, '.');
	return dot ? (size_t)(dot - name) : strlen(name);
}

/*
 * The names and titles of the promises, growing as the folder is read:
 * each promise's name, then its title when it is not the whole name.
 */
struct name_block {
	char *text;
	size_t length, capacity;
};

/* Adds `length` bytes of `text` and a NUL; its offset, or -1 (ENOMEM). */
static ptrdiff_t name_block_add(struct name_block *block, const char *text,
                                size_t length)
{
	size_t offset = block->length;

	if (block->capacity - block->length < length + 1) {
		size_t capacity = block->capacity ? block->capacity : 256;
		char *grown;

		while (capacity - block->length < length + 1)
			capacity *= 2;
		grown = realloc(block->text, capacity);
		if (!grown)
			return -1;
		block->text = grown;
		block->capacity = capacity;
	}
	memcpy(block->text + offset, text, length);
	block->text[offset + length] = '\0';
	block->length += length + 1;
	return (ptrdiff_t)offset;
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
	case SKIP_PLUGIN:
		return "Python plugin: not run (--no-plugins)";
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

/* Orders skipped entries from index `from` on by name. */
static void sort_skipped(struct promise_list *list, size_t from)
{
	if (list->skipped_count > from)
		qsort(list->skipped + from, list->skipped_count - from,
		      sizeof *list->skipped, compare_skipped);
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

/*
 * Marks the promises whose title a later promise (in byte order) shares:
 * slapgrid's files are named by title, and that one's are kept.
 */
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
			previous->title_taken_later = true;
	}
	free(order);
	return 0;
}

/* Where a promise's name and title are in the name block, while it grows. */
struct name_offsets {
	ptrdiff_t name, title;
};

/* What scan_dir gathers as it reads the folder. */
struct gathered {
	struct growing promises, offsets, skipped;
	struct name_block names;
};

/*
 * Adds a promise, its name and title to the block.  A promise is pushed
 * last, once its offsets are known: every promise has them.
 */
static int add_promise(struct gathered *gathered, const char *name,
                       const struct stat *status)
{
	struct name_offsets *offsets = growing_push(&gathered->offsets);
	size_t length = strlen(name), title = title_length(name);
	struct promise *promise;

	if (!offsets)
		return -1;
	offsets->name = name_block_add(&gathered->names, name, length);
	/* A name without an extension is its own title. */
	offsets->title = title == length ? offsets->name
					 : name_block_add(&gathered->names,
							  name, title);
	if (offsets->name < 0 || offsets->title < 0 ||
	    !(promise = growing_push(&gathered->promises)))
		return -1;
	*promise = (struct promise){ .file = { .mode = status->st_mode,
					       .owner = status->st_uid,
					       .group = status->st_gid,
					       .mtime = status->st_mtime } };
	return 0;
}

/* Adds `name` to the promises or to the skipped entries. */
static int add_entry(int dir_fd, const char *name,
                     const struct credentials *runner,
                     struct gathered *gathered)
{
	enum skip_reason reason;
	struct stat status;
	int kind = classify(dir_fd, name, runner, &status, &reason);

	if (kind < 0)
		return 0;
	if (kind == 0)
		return add_promise(gathered, name, &status);
	struct skipped_entry *entry = growing_push(&gathered->skipped);

	if (!entry)
		return -1;
	entry->reason = reason;
	entry->name = strdup(name);
	return entry->name ? 0 : -1;
}

/*
 * A stream over the folder open as `dir_fd`, from its first entry.
 * fdopendir takes the descriptor it is given: it gets a duplicate, whose
 * offset (shared with the original) is brought back to the start.
 */
static DIR *open_stream(int dir_fd)
{
	int own_fd = fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
	DIR *stream;

	if (own_fd < 0)
		return NULL;
	if (lseek(own_fd, 0, SEEK_SET) < 0 || !(stream = fdopendir(own_fd))) {
		fdio_close_quietly(own_fd);
		return NULL;
	}
	return stream;
}

/*
 * Gives the list what was gathered: each promise's name and title point
 * into the block, which grows no more.
 */
static void take_gathered(struct gathered *gathered, struct promise_list *list)
{
	struct promise *promises = growing_fitted(&gathered->promises);
	const struct name_offsets *offsets = gathered->offsets.items;
	char *names = gathered->names.text;

	/* Its unused end is given back; failing that, it stays. */
	if (names && gathered->names.length < gathered->names.capacity) {
		char *fitted = realloc(names, gathered->names.length);

		if (fitted)
			names = fitted;
	}
	for (size_t i = 0; i < gathered->promises.count; i++) {
		promises[i].name = names + offsets[i].name;
		promises[i].title = names + offsets[i].title;
	}
	list->promises = promises;
	list->count = gathered->promises.count;
	list->names = names;
	list->skipped = gathered->skipped.items;
	list->skipped_count = gathered->skipped.count;
	free(gathered->offsets.items);
}

int scan_dir(int dir_fd, const struct credentials *runner,
             struct promise_list *list)
{
	struct gathered gathered = {
		.promises.item_size = sizeof(struct promise),
		.offsets.item_size = sizeof(struct name_offsets),
		.skipped.item_size = sizeof(struct skipped_entry),
	};
	struct dirent *entry;
	int saved_errno;
	DIR *stream;

	memset(list, 0, sizeof *list);
	stream = open_stream(dir_fd);
	if (!stream)
		return -1;
	for (;;) {
		errno = 0;
		entry = readdir(stream);
		if (!entry)
			break;
		if (strcmp(entry->d_name, ".") == 0 ||
		    strcmp(entry->d_name, "..") == 0)
			continue;
		if (add_entry(dir_fd, entry->d_name, runner, &gathered) < 0) {
			errno = ENOMEM;
			break;
		}
	}
	saved_errno = errno;
	closedir(stream);
	take_gathered(&gathered, list);
	if (saved_errno == 0) {
		/* qsort may not be given the NULL of an empty list. */
		if (list->count)
			qsort(list->promises, list->count,
			      sizeof *list->promises, compare_promises);
		sort_skipped(list, 0);
		if (mark_same_titles(list) < 0)
			saved_errno = ENOMEM;
	}
	if (saved_errno != 0) {
		scan_release(list);
		errno = saved_errno;
		return -1;
	}
	return 0;
}

/* Whether `name` is a plugin slapgrid would run. */
static bool is_plugin(const char *name)
{
	size_t length = strlen(name);

	return length > 3 && strcmp(name + length - 3, ".py") == 0 &&
	       strncmp(name, "__init__", 8) != 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The plugins' names as skipped entries, etc/plugin/NAME; 0, or -1. */
static int add_skipped_plugins(char **names, size_t count,
                               struct promise_list *list)
{
	struct growing skipped = { .items = list->skipped,
				   .count = list->skipped_count,
				   .capacity = list->skipped_count,
				   .item_size = sizeof(struct skipped_entry) };
	int status = 0;

	for (size_t i = 0; i < count; i++) {
		struct skipped_entry *added = growing_push(&skipped);

		if (!added ||
		    asprintf(&added->name, "etc/plugin/%s", names[i]) < 0) {
			skipped.count -= added != NULL;
			status = -1;
			break;
		}
		added->reason = SKIP_PLUGIN;
	}
	list->skipped = skipped.items;
	list->skipped_count = skipped.count;
	return status;
}

/*
 * The plugins as promises, before the legacy ones: their names and
 * titles in a block of their own.  0, or -1 (ENOMEM).
 */
static int add_plugin_promises(char **names, size_t count,
                               struct promise_list *list)
{
	struct name_block block = { 0 };
	ptrdiff_t *offsets = calloc(count * 2, sizeof *offsets);
	struct promise *promises =
		calloc(count + list->count, sizeof *promises);

	if (!offsets || !promises)
		goto fail;
	for (size_t i = 0; i < count; i++) {
		size_t length = strlen(names[i]);

		offsets[2 * i] = name_block_add(&block, names[i], length);
		/* "NAME.py": its title is NAME, as slapos.core's. */
		offsets[2 * i + 1] = name_block_add(&block, names[i],
						    length - 3);
		if (offsets[2 * i] < 0 || offsets[2 * i + 1] < 0)
			goto fail;
	}
	for (size_t i = 0; i < count; i++)
		promises[i] = (struct promise){
			.name = block.text + offsets[2 * i],
			.title = block.text + offsets[2 * i + 1],
			.plugin = true,
		};
	if (list->count)
		memcpy(promises + count, list->promises,
		       list->count * sizeof *promises);
	free(list->promises);
	list->promises = promises;
	list->count += count;
	list->plugin_count = count;
	list->plugin_names = block.text;
	free(offsets);
	return 0;
fail:
	free(block.text);
	free(promises);
	free(offsets);
	return -1;
}

int scan_plugins(int plugin_fd, bool as_promises, struct promise_list *list)
{
	struct growing names = { .item_size = sizeof(char *) };
	struct dirent *entry;
	int saved_errno = 0;
	DIR *stream = open_stream(plugin_fd);

	if (!stream)
		return -1;
	for (;;) {
		char **added;

		errno = 0;
		entry = readdir(stream);
		if (!entry) {
			saved_errno = errno;
			break;
		}
		if (!is_plugin(entry->d_name))
			continue;
		added = growing_push(&names);
		if (!added || !(*added = strdup(entry->d_name))) {
			names.count -= added != NULL;
			saved_errno = ENOMEM;
			break;
		}
	}
	closedir(stream);
	if (names.count)
		qsort(names.items, names.count, sizeof(char *), compare_names);
	if (saved_errno == 0 && names.count &&
	    (as_promises
		     ? add_plugin_promises(names.items, names.count, list)
		     : add_skipped_plugins(names.items, names.count, list)) < 0)
		saved_errno = ENOMEM;
	for (size_t i = 0; i < names.count; i++)
		free(((char **)names.items)[i]);
	free(names.items);
	errno = saved_errno;
	return saved_errno ? -1 : 0;
}

/* Whether the promises from `low` to `high` (sorted) hold `name`. */
static bool search_sorted(const struct promise_list *list, size_t low,
                          size_t high, const char *name)
{
	while (low < high) {
		size_t middle = low + (high - low) / 2;
		int order = strcmp(name, list->promises[middle].name);

		if (order == 0)
			return true;
		if (order < 0)
			high = middle;
		else
			low = middle + 1;
	}
	return false;
}

bool scan_has_promise(const struct promise_list *list, const char *name)
{
	/* Each part sorted by name: a search in halves, for any size. */
	return search_sorted(list, 0, list->plugin_count, name) ||
	       search_sorted(list, list->plugin_count, list->count, name);
}

void scan_release(struct promise_list *list)
{
	for (size_t i = 0; i < list->skipped_count; i++)
		free(list->skipped[i].name);
	free(list->names);
	free(list->plugin_names);
	free(list->promises);
	free(list->skipped);
	memset(list, 0, sizeof *list);
}
