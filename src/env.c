/* env: the environment a promise runs with. */
#include "env.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "credentials.h"

static const char default_path[] =
	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/* The variables env_build sets itself, replacing the base's. */
static const char *const user_variables[] = { "HOME", "USER", "LOGNAME",
					      "SHELL" };

/* The value of `name` in `base`, or NULL. */
static const char *lookup(char *const *base, const char *name)
{
	size_t length = strlen(name);

	for (size_t i = 0; base && base[i]; i++)
		if (strncmp(base[i], name, length) == 0 &&
		    base[i][length] == '=')
			return base[i] + length + 1;
	return NULL;
}

/* Whether `assignment` sets `name`. */
static bool sets(const char *assignment, const char *name)
{
	size_t length = strlen(name);

	return strncmp(assignment, name, length) == 0 &&
	       assignment[length] == '=';
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

char **env_build(char *const *base, const char *home, bool clean,
                 const struct credentials *user)
{
	size_t base_count = 0, count = 0;
	bool set_user = clean || (user && user->change);
	const char *values[4];
	char **envp;

	while (base && base[base_count])
		base_count++;
	envp = calloc(base_count + 8, sizeof *envp);
	if (!envp)
		return NULL;
	if (add(envp, &count, "INSTANCE_HOME", home) < 0)
		goto fail;
	if (set_user && user) {
		values[0] = user->home;
		values[1] = values[2] = user->user;
		values[3] = user->shell;
		for (size_t i = 0; i < 4; i++)
			if (add(envp, &count, user_variables[i], values[i]) < 0)
				goto fail;
	}
	if (clean) {
		const char *path = lookup(base, "PATH");
		const char *zone = lookup(base, "TZ");

		if (add(envp, &count, "PATH", path ? path : default_path) < 0 ||
		    (zone && add(envp, &count, "TZ", zone) < 0))
			goto fail;
		return envp;
	}
	for (size_t i = 0; i < base_count; i++) {
		bool replaced = sets(base[i], "INSTANCE_HOME");

		for (size_t v = 0; set_user && user && v < 4; v++)
			replaced |= sets(base[i], user_variables[v]);
		if (replaced)
			continue;
		envp[count] = strdup(base[i]);
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
