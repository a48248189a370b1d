/* env: the environment a promise runs with. */
#include "env.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char home_variable[] = "INSTANCE_HOME=";

char **env_with_home(char *const *base, const char *home)
{
	size_t count = 0, kept = 0;
	char **envp;
	char *assignment;

	while (base && base[count])
		count++;
	/* The base's strings are shared; only INSTANCE_HOME= is new. */
	envp = calloc(count + 2, sizeof *envp);
	assignment = malloc(sizeof home_variable + strlen(home));
	if (!envp || !assignment) {
		free(envp);
		free(assignment);
		errno = ENOMEM;
		return NULL;
	}
	strcpy(assignment, home_variable);
	strcat(assignment, home);
	envp[kept++] = assignment;
	for (size_t i = 0; i < count; i++)
		if (strncmp(base[i], home_variable,
			    sizeof home_variable - 1) != 0)
			envp[kept++] = base[i];
	envp[kept] = NULL;
	return envp;
}

void env_free(char **envp)
{
	if (envp)
		free(envp[0]);
	free(envp);
}
