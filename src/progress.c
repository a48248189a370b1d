/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* progress: one line on a terminal, rewritten in place. */
#include "progress.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

void progress_set(struct progress *progress, size_t homes_done,
                  size_t homes, unsigned running, const char *slowest_home,
                  const char *slowest, double slowest_seconds)
{
	char line[sizeof progress->line];
	const char *base;
	int length;

	if (!progress->enabled)
		return;
	length = snprintf(line, sizeof line, "promise-run: %zu/%zu home%s, %u running",
			  homes_done, homes, homes == 1 ? "" : "s", running);
	if (slowest && length > 0 && (size_t)length < sizeof line) {
		base = strrchr(slowest_home, '/');
		snprintf(line + length, sizeof line - (size_t)length,
			 ", slowest %s/%s %.1fs", base ? base + 1 : slowest_home,
			 slowest, slowest_seconds);
	}
	/* Control characters of names would garble the terminal. */
	for (char *c = line; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
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
