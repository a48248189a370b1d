/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* last_success: the text of promise-run.last-success, written and read. */
#include "last_success.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

int last_success_format(FILE *out, const char *title, long long when)
{
	/* One line per title: a name with a newline cannot be one. */
	if (when <= 0 || !title[0] || strchr(title, '\n'))
		return 0;
	return fprintf(out, "%lld %s\n", when, title) < 0 ? -1 : 0;
}

/* An entry and the line it came from, which breaks a tie of titles. */
struct numbered {
	struct last_success entry;
	size_t line;
};

static int compare_numbered(const void *a, const void *b)
{
	const struct numbered *left = a, *right = b;
	int order = strcmp(left->entry.title, right->entry.title);

	if (order)
		return order;
	return (left->line > right->line) - (left->line < right->line);
}

static int compare_entries(const void *a, const void *b)
{
	return strcmp(((const struct last_success *)a)->title,
		      ((const struct last_success *)b)->title);
}

/* The entry of `line` (its newline cut off), if it is "SECONDS TITLE". */
static bool read_line(const char *line, struct last_success *entry)
{
	char *title;

	/* strtoll's reading: blanks and a sign before, LLONG_MAX when huge. */
	entry->when = strtoll(line, &title, 10);
	if (title == line || *title != ' ' || entry->when <= 0 || !title[1])
		return false;
	entry->title = title + 1;
	return true;
}

/* Sorts the numbered entries, keeps the last of each title, in *entries. */
static int keep_the_later(struct numbered *found, size_t count,
                          struct last_success **entries, size_t *kept)
{
	if (count)
		qsort(found, count, sizeof *found, compare_numbered);
	*entries = malloc((count ? count : 1) * sizeof **entries);
	if (!*entries)
		return -1;
	for (size_t i = 0; i < count; i++) {
		bool later_follows = i + 1 < count &&
			strcmp(found[i].entry.title,
			       found[i + 1].entry.title) == 0;

		if (later_follows)
			continue;
		(*entries)[*kept].title = strdup(found[i].entry.title);
		if (!(*entries)[*kept].title)
			return -1;
		(*entries)[(*kept)++].when = found[i].entry.when;
	}
	return 0;
}

int last_success_parse(const char *text, size_t size,
                       struct last_success **entries, size_t *count)
{
	/* A copy, whose lines end in '\0' for strtoll and the titles. */
	char *copy = malloc(size + 1), *line, *next, *end;
	struct numbered *found = NULL;
	size_t lines = 0, capacity = 0;
	int status = -1;

	*entries = NULL;
	*count = 0;
	if (!copy)
		goto out;
	memcpy(copy, text, size);
	copy[size] = '\0';
	for (line = copy, end = copy + size; line < end; line = next) {
		char *newline = memchr(line, '\n', (size_t)(end - line));
		struct last_success entry;

		next = newline ? newline + 1 : end;
		if (newline)
			*newline = '\0';
		if (!read_line(line, &entry))
			continue;
		if (lines == capacity) {
			struct numbered *grown;

			capacity = capacity ? 2 * capacity : 64;
			grown = reallocarray(found, capacity, sizeof *grown);
			if (!grown)
				goto out;
			found = grown;
		}
		found[lines] = (struct numbered){ entry, lines };
		lines++;
	}
	status = keep_the_later(found, lines, entries, count);
out:
	free(found);
	free(copy);
	if (status < 0) {
		last_success_free(*entries, *count);
		*entries = NULL;
		*count = 0;
		errno = ENOMEM;
	}
	return status;
}

long long last_success_of(const struct last_success *entries, size_t count,
                          const char *title)
{
	struct last_success key = { .title = (char *)title };
	const struct last_success *found =
		count ? bsearch(&key, entries, count, sizeof *entries,
				compare_entries)
		      : NULL;

	return found ? found->when : 0;
}

void last_success_free(struct last_success *entries, size_t count)
{
	for (size_t i = 0; entries && i < count; i++)
		free(entries[i].title);
	free(entries);
}
