/*
 * env: the environment a promise runs with.
 */
#ifndef PROMISE_RUN_ENV_H
#define PROMISE_RUN_ENV_H

#include <stdbool.h>

struct credentials;

/*
 * The environment of the promises of the instance `home`: `base` (a
 * NULL-terminated environment) with INSTANCE_HOME set, and, when the
 * promises change user, HOME, USER, LOGNAME and SHELL set for that user.
 * With `clean`, only PATH (from `base`, or a default), HOME, USER, LOGNAME,
 * SHELL, INSTANCE_HOME and TZ (if `base` has it).  NULL with errno ENOMEM.
 * Free it with env_free.
 */
char **env_build(char *const *base, const char *home, bool clean,
                 const struct credentials *user);

void env_free(char **envp);

#endif
