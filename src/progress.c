/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* progress: one line on a terminal, rewritten in place. */
#include "progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "monotime.h"

#define ERASE "\r\033[K"
#define INTERVAL 0.2

void progress_init(struct progress *progress, int fd, bool wanted)
{
	memset(progress, 0, sizeof *progress);
	progress->fd = fd;
	progress->enabled = wanted && isatty(fd);
	progress->next = monotime_add(monotime_now(), INTERVAL);
}

/* A line cut at its size may end inside a character: that part goes. */
static void trim_cut_character(char *line)
{
	size_t length = strlen(line), start = length;
	unsigned char lead;

	while (start > 0 && ((unsigned char)line[start - 1] & 0xC0) == 0x80)
		start--;
	if (start == 0)
		return;
	lead = (unsigned char)line[start - 1];
	if (length - (start - 1) < (lead >= 0xF0 ? 4u : lead >= 0xE0 ? 3u
						   : lead >= 0xC0 ? 2u : 1u))
		line[start - 1] = '\0';
}

void progress_set(struct progress *progress, size_t homes_done,
                  size_t homes, unsigned running, const char *slowest_home,
                  const char *slowest, double slowest_seconds)
{
	char line[sizeof progress->line], *home, *name;
	const char *base;
	int length;

	if (!progress->enabled)
		return;
	length = snprintf(line, sizeof line, "promise-run: %zu/%zu home%s, %u running",
			  homes_done, homes, homes == 1 ? "" : "s", running);
	if (slowest && length > 0 && (size_t)length < sizeof line) {
		/* A user's names: their controls would act on the terminal. */
		base = strrchr(slowest_home, '/');
		home = escape_terminal_string(base ? base + 1 : slowest_home);
		name = escape_terminal_string(slowest);

		snprintf(line + length, sizeof line - (size_t)length,
			 ", slowest %s/%s %.1fs", home ? home : "?",
			 name ? name : "?", slowest_seconds);
		free(home);
		free(name);
		trim_cut_character(line);
	}
	if (strcmp(line, progress->line) != 0) {
		memcpy(progress->line, line, sizeof line);
		progress->dirty = true;
	}
}

bool progress_poll(struct progress *progress, struct pollfd *entry,
                   struct timespec *wake_at)
{
	if (!progress->enabled || !progress->dirty)
		return false;
	if (monotime_before(monotime_now(), progress->next)) {
		*wake_at = progress->next;
		return false;
	}
	*entry = (struct pollfd){ .fd = progress->fd, .events = POLLOUT };
	return true;
}

void progress_write_ready(struct progress *progress)
{
	char text[sizeof ERASE + sizeof progress->line];
	int length = snprintf(text, sizeof text, ERASE "%s", progress->line);

	/* Short, and after POLLOUT: a terminal takes it without blocking. */
	if (write(progress->fd, text, (size_t)length) == length)
		progress->shown = true;
	progress->dirty = false;
	progress->next = monotime_add(monotime_now(), INTERVAL);
}

void progress_clear(struct progress *progress)
{
	if (!progress->shown)
		return;
	(void)!write(progress->fd, ERASE, sizeof ERASE - 1);
	progress->shown = false;
}
