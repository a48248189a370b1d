/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * plan: what will be done with each promise of an instance, decided before
 * anything runs, by one pure function of the scan, the settings, the
 * configuration, the user and the stored state:
 *
 *   PLAN_RUN        run it, with this timeout (and where it comes from)
 *   PLAN_DISABLED   skip = yes in the configuration
 *   PLAN_REFUSED    as root, a file someone else could have written
 *   PLAN_CACHED     its periodicity has not come (either mode, unless
 *                   forced, as slapos.core's launcher); the stored result
 *                   is reported again
 *   PLAN_UNSELECTED not named by --only
 *   PLAN_NO_RUNNER  a Python plugin, and no way to run slapos.core's
 *                   runner in this home (why: its refusal)
 *
 * Plugins (etc/plugin/NAME.py) are run together by slapos.core's own
 * runner, which applies slapos.core's periodicity: never cached, and
 * their files are not root's to check (the runner runs as the user).
 *
 * The plan has one entry per promise of the scan, in the same order.
 *
 * Lifecycle: plan_make, plan_release.
 */
#ifndef PROMISE_RUN_PLAN_H
#define PROMISE_RUN_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "settings.h"

struct config;
struct credentials;
struct promise_list;

enum plan_disposition {
	PLAN_RUN,
	PLAN_DISABLED,
	PLAN_REFUSED,
	PLAN_CACHED,
	PLAN_UNSELECTED,
	PLAN_NO_RUNNER,
};

/*
 * The settings a promise runs with.  Every promise without a
 * [promise:NAME] section shares the home's: a plan of 10 000 promises
 * holds one, not 10 000 copies.
 */
struct plan_timing {
	struct setting_value timeout;   /* seconds, with its source */
	double kill_after;
	double periodicity;             /* seconds between runs */
	bool nagios_levels;             /* exit 1 WARNING, 2 CRITICAL, 3 UNKNOWN */
};

/* One per promise. */
struct plan_entry {
	enum plan_disposition disposition;
	/*
	 * Another promise of the same title comes later in byte order: this
	 * one writes no result file, log line or cache (the later one does).
	 */
	bool shadowed;
	bool plugin;                    /* run by slapos.core's runner */
	const struct plan_timing *timing;       /* in the plan's timings */
	/*
	 * PLAN_REFUSED, PLAN_NO_RUNNER: why; PLAN_RUN: why it would have
	 * been refused, had --accept-writable not accepted a file others may
	 * write (or NULL).
	 */
	char *refusal;
};

struct plan {
	struct plan_entry *entries;     /* one per promise of the scan */
	/*
	 * The home's timing first, then one per [promise:NAME] section of
	 * the configuration, filled when a promise has that section.
	 */
	struct plan_timing *timings;
	size_t count;
	enum setting_mode mode;
	size_t to_run;                  /* entries to run */
	size_t plugins_to_run;          /* of them, plugins */
};

/* What the plan is made of. */
struct plan_input {
	const struct promise_list *list;
	/*
	 * The instance's [run] settings, already resolved (settings_resolve
	 * of the command line and the configuration's [run]): those of every
	 * promise without a [promise:NAME] section, and the mode.
	 */
	const struct setting_values *home_settings;
	/* A promise with a section: the layers its section is merged with. */
	const struct setting_values *command_line;
	const struct config *config;    /* NULL: no file */
	/* As root: the user the promises run as, whose files are checked. */
	const struct credentials *user;
	bool check_files;
	/* slapgrid's way: run a file of root's or the user's others may write. */
	bool accept_writable;
	/* --only: the promises to run (none: all). */
	const char *const *only;
	size_t only_count;
	bool force;                     /* periodicity ignored */
	/*
	 * Per promise, the time (Unix seconds) before which it need not run,
	 * from the cache; 0 when unknown.  NULL when forced.
	 */
	const double *next_run_after;
	double now;                     /* Unix seconds */
	/* Why the plugins cannot run here, or NULL: they can. */
	const char *plugin_problem;
};

/* Makes the plan; 0, or -1 with errno ENOMEM. */
int plan_make(const struct plan_input *input, struct plan *plan);

/*
 * Marks in named[n] each [promise:NAME] section of `config` that names a
 * promise of `list` (the others are worth a warning).
 */
void plan_sections_named(const struct config *config,
                         const struct promise_list *list, bool *named);

/* Why an entry does not run, in words ("" for one that runs). */
const char *plan_reason(const struct plan_entry *entry);

void plan_release(struct plan *plan);

#endif
