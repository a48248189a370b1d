/*
 * settings: what each instance and each promise runs with, from the
 * command line, the configuration file and the defaults, in that order of
 * precedence; per-promise values of the file win over its [run] values.
 */
#ifndef PROMISE_RUN_SETTINGS_H
#define PROMISE_RUN_SETTINGS_H

#include <stdbool.h>

#include "cli.h"
#include "config.h"

enum setting_source { SOURCE_DEFAULT, SOURCE_CONFIG, SOURCE_COMMAND_LINE };

struct instance_settings {
	double timeout;
	double kill_after;
	unsigned jobs;
	bool clean_env;
	bool state;
};

/* The settings of an instance; `config` may be NULL (no file). */
void settings_for_instance(const struct cli_options *options,
                           const struct config *config,
                           struct instance_settings *settings);

/* The timeout of the promise `name`, and where it comes from. */
double settings_promise_timeout(const struct cli_options *options,
                                const struct config *config,
                                const char *name,
                                enum setting_source *source);

/* Whether the file disables the promise `name` (skip = yes). */
bool settings_promise_disabled(const struct config *config, const char *name);

/* "default", "config" or "command line". */
const char *settings_source_name(enum setting_source source);

#endif
