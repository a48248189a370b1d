/*
 * config: an instance's configuration file (inih), checked whole before
 * anything runs.
 *
 *   [run]              timeout, kill-after, jobs, format, clean-env, state
 *   [promise:NAME]     timeout, skip      (NAME: a promise's file name)
 *
 * Every error names the file, the line and the key: an unknown section or
 * key, a bad value, a syntax error.  Values are parsed by `value`, exactly
 * as on the command line.
 *
 * Lifecycle: config_load_file (or config_parse_text), config_free.
 */
#ifndef PROMISE_RUN_CONFIG_H
#define PROMISE_RUN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "report.h"

/* The settings of one [promise:NAME] section. */
struct promise_config {
	char *name;
	int line;                   /* of its first key (inih tells no header) */
	bool has_timeout;
	double timeout;
	bool skip;
};

struct config {
	char *path;                 /* the file, or the name given to a text */
	bool has_timeout, has_kill_after, has_jobs, has_format, has_clean_env,
	     has_state;
	double timeout, kill_after;
	unsigned jobs;
	enum report_format format;
	bool clean_env, state;
	struct promise_config *promises;
	size_t promise_count;
};

/*
 * Reads `path` into *config.  Returns 0, or -1 with a one-line reason in
 * `error` ("FILE:LINE: ..."), for a missing or unreadable file too.
 */
int config_load_file(const char *path, struct config *config, char *error,
                     size_t error_size);

/* The same for configuration text; `name` stands for the file in errors. */
int config_parse_text(const char *text, const char *name,
                      struct config *config, char *error, size_t error_size);

/* The settings of the promise `name`, or NULL. */
const struct promise_config *config_find_promise(const struct config *config,
                                                 const char *name);

void config_free(struct config *config);

#endif
