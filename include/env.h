/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * env: the environment a promise runs with.
 *
 *   inherited      promise-run's own environment (the default when not
 *                  root: a person debugging an instance by hand);
 *   reset          as root, as sudo's env_reset: only PATH, LANG,
 *                  LANGUAGE, LC_*, TZ, SLAPGRID_INSTANCE_ROOT and the
 *                  names of --keep-env, so that nothing of root's own
 *                  environment (tokens, credentials) reaches the user;
 *   clean          --clean-env: only PATH and TZ.
 *
 * Then, in every case: INSTANCE_HOME (the home's absolute path),
 * PROMISE_RUN (promise-run's own absolute path, for promises that exec a
 * built-in check), and HOME, USER, LOGNAME and SHELL of the user the
 * promises run as when it is not promise-run's own, or when the
 * environment is reset or clean.
 */
#ifndef PROMISE_RUN_ENV_H
#define PROMISE_RUN_ENV_H

#include <stdbool.h>
#include <stddef.h>

struct credentials;

enum env_kind { ENV_INHERITED, ENV_RESET, ENV_CLEAN };

struct env_spec {
	char *const *base;          /* promise-run's environment */
	enum env_kind kind;
	const char *const *keep;    /* ENV_RESET: names kept too */
	size_t keep_count;
	const char *home;           /* INSTANCE_HOME */
	const char *self;           /* PROMISE_RUN, or NULL */
	const struct credentials *user;
};

/* A NULL-terminated environment; NULL with errno ENOMEM.  env_free. */
char **env_build(const struct env_spec *spec);

void env_free(char **envp);

#endif
