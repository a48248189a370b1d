/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* plan: each promise's fate, decided before anything runs. */
#include "plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "credentials.h"
#include "scan.h"

static bool selected(const struct plan_input *input, const char *name)
{
	if (input->only_count == 0)
		return true;
	for (size_t i = 0; i < input->only_count; i++)
		if (strcmp(input->only[i], name) == 0)
			return true;
	return false;
}

static struct plan_timing timing_of(const struct setting_values *settings)
{
	return (struct plan_timing){
		.timeout = settings->values[SETTING_TIMEOUT],
		.kill_after = settings->values[SETTING_KILL_AFTER].seconds,
		.periodicity = settings->values[SETTING_PERIODICITY].seconds,
		.nagios_levels = settings->values[SETTING_NAGIOS_LEVELS].flag,
	};
}

/* Decides one promise; 0, or -1 when memory ran out. */
static int plan_entry(const struct plan_input *input, struct plan *plan,
                      const struct promise *promise, size_t index,
                      struct plan_entry *entry)
{
	const struct config *config = input->config;
	const struct promise_config *section =
		config ? config_find_promise(config, promise->name) : NULL;
	const struct setting_values *settings = input->home_settings;
	struct setting_values merged;
	char why[256];

	/* A promise without a section of its own has the home's settings. */
	entry->timing = &plan->timings[0];
	if (section) {
		struct plan_timing *own =
			&plan->timings[1 + (size_t)(section - config->promises)];

		settings_resolve(input->command_line, &config->run,
				 &section->values, !config->operator, &merged);
		settings = &merged;
		*own = timing_of(settings);
		entry->timing = own;
	}
	entry->shadowed = promise->title_taken_later;
	entry->plugin = promise->plugin;
	entry->disposition = PLAN_RUN;
	if (!selected(input, promise->name)) {
		entry->disposition = PLAN_UNSELECTED;
	} else if (settings->values[SETTING_SKIP].flag) {
		entry->disposition = PLAN_DISABLED;
	} else if (promise->plugin) {
		if (input->plugin_problem) {
			entry->disposition = PLAN_NO_RUNNER;
			entry->refusal = strdup(input->plugin_problem);
			if (!entry->refusal)
				return -1;
		}
	} else if (input->check_files &&
		   credentials_check_file(input->user, &promise->file, why,
					  sizeof why) < 0) {
		/* Root's or the user's, refused only for others' write access. */
		bool owned = promise->file.owner == 0 ||
			     promise->file.owner == input->user->uid;

		if (!(input->accept_writable && owned))
			entry->disposition = PLAN_REFUSED;
		entry->refusal = strdup(why);
		if (!entry->refusal)
			return -1;
	}
	/* slapos.core's runner applies its own periodicity to the plugins. */
	if (entry->disposition == PLAN_RUN && !promise->plugin &&
	    !input->force && input->next_run_after &&
	    input->now < input->next_run_after[index])
		entry->disposition = PLAN_CACHED;
	return 0;
}

int plan_make(const struct plan_input *input, struct plan *plan)
{
	size_t count = input->list->count;

	memset(plan, 0, sizeof *plan);
	plan->mode = (enum setting_mode)
		input->home_settings->values[SETTING_MODE].choice;
	plan->entries = calloc(count ? count : 1, sizeof *plan->entries);
	plan->timings = calloc(1 + (input->config ? input->config->promise_count
						  : 0),
			       sizeof *plan->timings);
	if (!plan->entries || !plan->timings) {
		plan_release(plan);
		errno = ENOMEM;
		return -1;
	}
	plan->count = count;
	plan->timings[0] = timing_of(input->home_settings);
	for (size_t i = 0; i < count; i++) {
		if (plan_entry(input, plan, &input->list->promises[i], i,
			       &plan->entries[i]) < 0) {
			plan_release(plan);
			errno = ENOMEM;
			return -1;
		}
		plan->to_run += plan->entries[i].disposition == PLAN_RUN;
		plan->plugins_to_run += plan->entries[i].disposition ==
						PLAN_RUN &&
					plan->entries[i].plugin;
	}
	return 0;
}

void plan_sections_named(const struct config *config,
                         const struct promise_list *list, bool *named)
{
	for (size_t n = 0; n < config->promise_count; n++)
		named[n] |= scan_has_promise(list, config->promises[n].name);
}

const char *plan_reason(const struct plan_entry *entry)
{
	switch (entry->disposition) {
	case PLAN_DISABLED:
		return "disabled in config";
	case PLAN_REFUSED:
		return entry->refusal;
	case PLAN_CACHED:
		return "not due (its periodicity has not come)";
	case PLAN_UNSELECTED:
		return "not named by --only";
	case PLAN_NO_RUNNER:
		return entry->refusal;
	case PLAN_RUN:
		break;
	}
	return "";
}

void plan_release(struct plan *plan)
{
	for (size_t i = 0; i < plan->count; i++)
		free(plan->entries[i].refusal);
	free(plan->entries);
	free(plan->timings);
	memset(plan, 0, sizeof *plan);
}
