/* settings: the command line over the file over the defaults. */
#include "settings.h"

void settings_for_instance(const struct cli_options *options,
                           const struct config *config,
                           struct instance_settings *settings)
{
	bool file = config != NULL;

	settings->timeout = options->timeout_given || !file || !config->has_timeout
				    ? options->timeout : config->timeout;
	settings->kill_after = options->kill_after_given || !file ||
					       !config->has_kill_after
				       ? options->kill_after : config->kill_after;
	settings->jobs = options->jobs_given || !file || !config->has_jobs
				 ? options->jobs : config->jobs;
	settings->clean_env = options->clean_env ||
			      (file && config->has_clean_env && config->clean_env);
	settings->state = options->state_given || !file || !config->has_state
				  ? options->state : config->state;
}

double settings_promise_timeout(const struct cli_options *options,
                                const struct config *config,
                                const char *name,
                                enum setting_source *source)
{
	const struct promise_config *promise =
		config ? config_find_promise(config, name) : NULL;

	if (options->timeout_given) {
		*source = SOURCE_COMMAND_LINE;
		return options->timeout;
	}
	if (promise && promise->has_timeout) {
		*source = SOURCE_CONFIG;
		return promise->timeout;
	}
	if (config && config->has_timeout) {
		*source = SOURCE_CONFIG;
		return config->timeout;
	}
	*source = SOURCE_DEFAULT;
	return options->timeout;
}

bool settings_promise_disabled(const struct config *config, const char *name)
{
	const struct promise_config *promise =
		config ? config_find_promise(config, name) : NULL;

	return promise && promise->skip;
}

const char *settings_source_name(enum setting_source source)
{
	switch (source) {
	case SOURCE_CONFIG:
		return "config";
	case SOURCE_COMMAND_LINE:
		return "command line";
	case SOURCE_DEFAULT:
		break;
	}
	return "default";
}
