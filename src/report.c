/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* report: the results of a run, shared by every renderer. */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool report_listed(const struct home_report *home, size_t index)
{
	return home->results && home->results[index].known;
}

void report_home_sum_up(struct home_report *home)
{
	struct report_counts *counts = &home->summary;

	memset(counts, 0, sizeof *counts);
	for (size_t i = 0; i < home->list.count; i++) {
		const struct promise_result *result = &home->results[i];

		if (!report_listed(home, i))
			continue;
		if (result->status == PROMISE_DISABLED) {
			counts->disabled++;
			continue;
		}
		counts->promises++;
		counts->not_working += result->failed;
		counts->tolerated += result->tolerated;
		counts->errors += result->status == PROMISE_ERROR;
		counts->timeouts += result->status == PROMISE_TIMEOUT;
		counts->cached += result->status == PROMISE_CACHED;
		counts->not_run += result->status == PROMISE_NOT_RUN;
		counts->time += result->execution_time;
	}
	for (size_t i = 0; i < home->list.skipped_count; i++)
		counts->plugins += home->list.skipped[i].reason == SKIP_PLUGIN;
}

enum report_verdict report_home_verdict(const struct home_report *home)
{
	if (home->error)
		return VERDICT_NOT_CHECKED;
	return home->summary.not_working ? VERDICT_NOT_WORKING : VERDICT_WORKING;
}

void report_totals(const struct run_report *report,
                   struct report_totals *totals)
{
	*totals = (struct report_totals){ 0 };
	for (size_t i = 0; i < report->count; i++) {
		const struct home_report *home = &report->homes[i];
		const struct report_counts *counts = &home->summary;

		totals->promises += counts->promises;
		totals->promises_not_working += counts->not_working;
		totals->plugins += counts->plugins;
		if (home->error)
			totals->homes_not_checked++;
		else if (counts->not_working)
			totals->homes_not_working++;
	}
	totals->verdict = totals->homes_not_working ? VERDICT_NOT_WORKING
			  : totals->homes_not_checked ? VERDICT_NOT_CHECKED
						      : VERDICT_WORKING;
}

enum report_verdict report_run_verdict(const struct run_report *report)
{
	struct report_totals totals;

	report_totals(report, &totals);
	return totals.verdict;
}

const char *report_verdict_name(enum report_verdict verdict)
{
	switch (verdict) {
	case VERDICT_WORKING:
		return "working";
	case VERDICT_NOT_WORKING:
		return "not working";
	case VERDICT_NOT_CHECKED:
		break;
	}
	return "not checked";
}

const char *report_mode_name(const struct home_report *home)
{
	if (home->error)
		return NULL;
	return home->plan.mode == MODE_ANOMALY ? "anomaly" : "test";
}

const char *report_result_type(const struct promise_result *result)
{
	bool stored = result->status == PROMISE_CACHED && !result->nothing_stored;

	if (!result_ran(result) && !stored)
		return NULL;
	return result->anomaly_type ? "Anomaly Result" : "Test Result";
}

/*
 * Made for every promise started and every result written: two copies,
 * where asprintf read its format each time (a tenth of a run's own work).
 */
char *report_promise_path(const struct home_report *home, size_t index)
{
	const struct promise *promise = &home->list.promises[index];
	const char *name = promise->name;
	/* A plugin is in etc/plugin, whatever the promise folder. */
	const char *folder = promise->plugin ? home->home : home->promise_dir;
	const char *plugins = promise->plugin ? "/etc/plugin" : "";
	size_t folder_length = strlen(folder), plugins_length = strlen(plugins);
	size_t name_length = strlen(name);
	char *path = malloc(folder_length + plugins_length + 1 +
			    name_length + 1);

	if (!path)
		return NULL;
	memcpy(path, folder, folder_length);
	memcpy(path + folder_length, plugins, plugins_length);
	path[folder_length + plugins_length] = '/';
	memcpy(path + folder_length + plugins_length + 1, name,
	       name_length + 1);
	return path;
}

void report_home_drop_details(struct home_report *home)
{
	for (size_t i = 0; home->results && i < home->list.count; i++)
		result_release(&home->results[i]);
	free(home->results);
	home->results = NULL;
	free(home->in_process);
	home->in_process = NULL;
	plan_release(&home->plan);
	scan_release(&home->list);
}

void report_home_release(struct home_report *home)
{
	report_home_drop_details(home);
	free(home->home);
	free(home->promise_dir);
	free(home->error);
	free(home->result_folder);
	free(home->log_folder);
	free(home->plugin_python);
	free(home->plugin_runner);
	free(home->plugin_problem);
	memset(home, 0, sizeof *home);
}
