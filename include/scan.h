/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * scan: a promise folder to the sorted list of its promises and of the
 * entries that are not promises, with the reason each is skipped; and the
 * Python plugins of etc/plugin: promises too, run by slapos.core's own
 * runner (see plugins), or, with --no-plugins, listed among the entries
 * not run so that no one believes they were checked.
 *
 * The folder is given as a descriptor: the caller opens it, as the
 * instance's user (see identity), and scan reaches every entry relative
 * to it.
 *
 * Lifecycle: scan_dir (and scan_plugins) fill a struct promise_list,
 * scan_release releases it.
 */
#ifndef PROMISE_RUN_SCAN_H
#define PROMISE_RUN_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "credentials.h"

struct promise {
	char *name;             /* file name in the promise folder */
	char *title;            /* name without its last extension */
	/* Another promise has the same title, and comes later in byte order. */
	bool title_taken_later;
	bool plugin;            /* etc/plugin/NAME.py, run by slapos.core */
	struct file_mode file;  /* of the file (links followed) */
};

enum skip_reason {
	SKIP_NOT_EXECUTABLE,
	SKIP_NOT_REGULAR_FILE,
	SKIP_DANGLING_LINK,
	SKIP_UNREADABLE,
	SKIP_PLUGIN,            /* etc/plugin/NAME.py: slapgrid's Python */
};

struct skipped_entry {
	char *name;             /* in the promise folder; etc/plugin/NAME */
	enum skip_reason reason;
};

struct promise_list {
	/*
	 * The plugins first (plugin_count of them), then the legacy
	 * promises, each part sorted by name, byte-wise.
	 */
	struct promise *promises;
	size_t count, plugin_count;
	/*
	 * Where the promises' names and titles are, one after another: one
	 * block for a folder of any size rather than two strings a promise.
	 */
	char *names;
	char *plugin_names;             /* the plugins' names and titles */
	struct skipped_entry *skipped;  /* sorted, then the plugins sorted */
	size_t skipped_count;
};

/*
 * Lists the promise folder open as `dir_fd`.  Whether a file is executable
 * is asked of the kernel for promise-run's own (filesystem) user, or
 * decided by the mode bits for `runner`, the other user the promises will
 * run as (NULL: none).  Returns 0, or -1 with errno when the folder cannot
 * be read; the list is then empty.
 */
int scan_dir(int dir_fd, const struct credentials *runner,
             struct promise_list *list);

/*
 * Adds the plugins of the folder open as `plugin_fd` (etc/plugin), names
 * ending in ".py" but for "__init__*": `as_promises`, before the promises
 * (their title the name without ".py"), else as skipped entries.  0, or
 * -1 with errno.
 */
int scan_plugins(int plugin_fd, bool as_promises, struct promise_list *list);

void scan_release(struct promise_list *list);

/* Whether some promise of `list` has the file name `name`. */
bool scan_has_promise(const struct promise_list *list, const char *name);

/* The words that say why an entry is skipped ("not executable"). */
const char *scan_skip_reason_text(enum skip_reason reason);

#endif
