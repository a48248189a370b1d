/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* env: the environment a promise runs with. */
#include "env.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "credentials.h"

static const char default_path[] =
	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/* What a reset environment keeps of promise-run's (LC_* too). */
static const char *const reset_keeps[] = {
	"PATH", "LANG", "LANGUAGE", "TZ", "SLAPGRID_INSTANCE_ROOT",
};

/* The variables env_build sets itself, replacing the base's. */
static const char *const user_variables[] = { "HOME", "USER", "LOGNAME",
					      "SHELL" };

/* Whether `assignment` sets `name`. */
static bool sets(const char *assignment, const char *name)
{
	size_t length = strlen(name);

	return strncmp(assignment, name, length) == 0 &&
	       assignment[length] == '=';
}

static bool sets_any(const char *assignment, const char *const *names,
                     size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (sets(assignment, names[i]))
			return true;
	return false;
}

/* The value of `name` in `base`, or NULL. */
static const char *lookup(char *const *base, const char *name)
{
	for (size_t i = 0; base && base[i]; i++)
		if (sets(base[i], name))
			return base[i] + strlen(name) + 1;
	return NULL;
}

/* Whether a variable of the base passes into this kind of environment. */
static bool passes(const struct env_spec *spec, const char *assignment)
{
	switch (spec->kind) {
	case ENV_INHERITED:
		return true;
	case ENV_RESET:
		return sets_any(assignment, reset_keeps,
				sizeof reset_keeps / sizeof *reset_keeps) ||
		       strncmp(assignment, "LC_", 3) == 0 ||
		       sets_any(assignment, spec->keep, spec->keep_count);
	case ENV_CLEAN:
		return sets(assignment, "PATH") || sets(assignment, "TZ");
	}
	return false;
}

/*
 * Every string of the result is the environment's own copy, so that
 * env_free frees them all alike.
 */
static int add(char **envp, size_t *count, const char *name, const char *value)
{
	if (asprintf(&envp[*count], "%s=%s", name, value) < 0) {
		envp[*count] = NULL;
		return -1;
	}
	(*count)++;
	return 0;
}

char **env_build(const struct env_spec *spec)
{
	const struct credentials *user = spec->user;
	bool set_user = user && (spec->kind != ENV_INHERITED || user->change);
	size_t base_count = 0, count = 0;
	const char *values[4];
	char **envp;

	while (spec->base && spec->base[base_count])
		base_count++;
	envp = calloc(base_count + 10, sizeof *envp);
	if (!envp)
		return NULL;
	if (add(envp, &count, "INSTANCE_HOME", spec->home) < 0 ||
	    (spec->self && add(envp, &count, "PROMISE_RUN", spec->self) < 0))
		goto fail;
	if (set_user) {
		values[0] = user->home;
		values[1] = values[2] = user->user;
		values[3] = user->shell;
		for (size_t i = 0; i < 4; i++)
			if (add(envp, &count, user_variables[i], values[i]) < 0)
				goto fail;
	}
	if (spec->kind != ENV_INHERITED && !lookup(spec->base, "PATH") &&
	    add(envp, &count, "PATH", default_path) < 0)
		goto fail;
	for (size_t i = 0; i < base_count; i++) {
		const char *assignment = spec->base[i];

		if (!passes(spec, assignment) ||
		    sets(assignment, "INSTANCE_HOME") ||
		    sets(assignment, "PROMISE_RUN") ||
		    (set_user && sets_any(assignment, user_variables, 4)))
			continue;
		envp[count] = strdup(assignment);
		if (!envp[count++])
			goto fail;
	}
	return envp;
fail:
	env_free(envp);
	errno = ENOMEM;
	return NULL;
}

void env_free(char **envp)
{
	for (size_t i = 0; envp && envp[i]; i++)
		free(envp[i]);
	free(envp);
}
