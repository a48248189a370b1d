/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * home_plugins: a home's Python plugins (etc/plugin/NAME.py), run as
 * slapgrid runs them: slapos.core's own runpromises.py under the
 * software release's python, as the home's user, in the home, as one task
 * of the pool; each plugin's result read back from the file the runner
 * writes (.slapgrid/promise/result/TITLE.status.json).
 *
 * Where the two come from, unless the operator names them
 * (--plugin-python, --plugin-runner):
 *   python  the home's `software_release` link leads to the software
 *           folder; its bin/buildout's first line `#!PYTHON`, or `#!/bin/sh`
 *           then `exec PYTHON ...` (slapgrid's own rule);
 *   runner  the first plugin's `sys.path[0:0] = [...]` list: the first
 *           folder of it that holds slapos/grid/promise/runpromises.py.
 * Everything is read as the home's user; nothing in the home is followed.
 *
 * Lifecycle: home_plugins_find in the home's `prepare`; the scheduler
 * starts home_plugins_command; home_plugins_results when it is over.
 */
#ifndef PROMISE_RUN_HOME_PLUGINS_H
#define PROMISE_RUN_HOME_PLUGINS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "home.h"
#include "slapgrid.h"

struct runner_outcome;

/* Where runpromises.py lies in a slapos.core egg. */
#define HOME_PLUGINS_RUNNER_PATH "slapos/grid/promise/runpromises.py"

/*
 * Whether the run gives plugins to slapos.core's runner (not
 * --no-plugins), as the command line and the operator's file say.
 */
bool home_plugins_wanted(const struct home_context *context);

/*
 * Finds the python and the runner of a home that has plugins, as its
 * user, into its report (plugin_python, plugin_runner), or says why
 * there are none (plugin_problem).  0, or -1 after failing the home.
 */
int home_plugins_find(struct home *home);

/*
 * The runner's command, argv[0] the python; NULL when out of memory.
 * Freed with free() (one block).
 */
char **home_plugins_command(const struct home *home);

/*
 * The runner's environment: the promises' `envp` without PYTHON*, with
 * PYTHONNOUSERSITE=true, as slapgrid's getCleanEnvironment makes it for
 * the runner (the rest is the promises').  The strings are envp's; NULL
 * when out of memory.  Freed with free().
 */
char **home_plugins_environment(char *const *envp);

/*
 * The runner's timeout, as slapgrid's: the plugins' count times the
 * promise timeout (whole seconds) plus 10 s, at most `max`.
 */
double home_plugins_timeout(size_t plugins, double promise_timeout,
                            double max);

/* That of a home's runner: its settings' timeout, the run's max-timeout. */
double home_plugins_runner_timeout(const struct home *home);

/* What runpromises.py is given as --promise-timeout: whole seconds. */
long home_plugins_promise_timeout(double timeout);

/* What became of a plugin's result file in a runner's run. */
enum home_plugins_file {
	PLUGIN_FILE_NONE,           /* missing, unreadable, not a result */
	PLUGIN_FILE_OLD,            /* written before the runner started */
	PLUGIN_FILE_FRESH,          /* written by this run's runner */
};

/*
 * The result of a plugin from its result file (`file` read when not
 * NONE; `written` its time), after a runner that ended well; in anomaly
 * mode without --force an old file is slapos.core's cached result.  Pure.
 * 0, or -1 (ENOMEM).
 */
int home_plugins_result_of_file(enum home_plugins_file kind,
                                const struct slapgrid_previous *file,
                                struct timespec written, bool cached_allowed,
                                struct timespec now,
                                struct promise_result *result);

/*
 * The `plugin_results` operation: the runner ended; each plugin the plan
 * runs gets its result, read as the user from its file, or, when the
 * runner could not run or did not end well, an error saying why.
 * 0, or -1 (out of memory).
 */
int home_plugins_results(struct home *home,
                         const struct runner_outcome *outcome);

#endif
