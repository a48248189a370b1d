/*
 * env: the environment a promise runs with.
 */
#ifndef PROMISE_RUN_ENV_H
#define PROMISE_RUN_ENV_H

/*
 * Returns `base` (a NULL-terminated environment) with INSTANCE_HOME set to
 * `home`, replacing any earlier value; NULL with errno ENOMEM.  The strings
 * of `base` are shared, not copied: free the result with env_free.
 */
char **env_with_home(char *const *base, const char *home);

void env_free(char **envp);

#endif
