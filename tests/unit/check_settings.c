/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* settings: the table, its parsing, its precedence and its words. */
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "settings.h"
#include "suites.h"
#include "value.h"

START_TEST(test_settings_every_default_of_the_table_parses)
{
	for (int id = 0; id < SETTING_COUNT; id++) {
		struct setting_value value = { 0 };

		if (!settings_spec(id)->default_value) {
			/* Worked out, or found in each home: none by default. */
			ck_assert(id == SETTING_JOBS ||
				  id == SETTING_PLUGIN_PYTHON ||
				  id == SETTING_PLUGIN_RUNNER);
			continue;
		}
		ck_assert_msg(settings_parse((enum setting_id)id,
					     settings_spec(id)->default_value,
					     SOURCE_DEFAULT, &value) == 0,
			      "default of '%s'", settings_spec(id)->key);
		ck_assert(value.given);
		ck_assert_int_eq(value.source, SOURCE_DEFAULT);
	}
}
END_TEST

START_TEST(test_settings_find_key_knows_the_keys_and_no_option)
{
	for (int id = 0; id < SETTING_COUNT; id++)
		ck_assert_int_eq(settings_find_key(settings_spec(id)->key), id);
	ck_assert_int_eq(settings_find_key("promise-timeout"), -1);
	ck_assert_int_eq(settings_find_key("no-state"), -1);
	ck_assert_int_eq(settings_find_key("Timeout"), -1);
	ck_assert_int_eq(settings_find_key(""), -1);
}
END_TEST

START_TEST(test_settings_parse_each_type)
{
	struct setting_value value;

	ck_assert_int_eq(settings_parse(SETTING_TIMEOUT, "0.5", SOURCE_CONFIG,
					&value), 0);
	ck_assert(value.seconds == 0.5);
	ck_assert(value.given && !value.capped);
	ck_assert_int_eq(value.source, SOURCE_CONFIG);
	ck_assert_int_eq(settings_parse(SETTING_KILL_AFTER, "0", SOURCE_CONFIG,
					&value), 0);
	ck_assert(value.seconds == 0);
	ck_assert_int_eq(settings_parse(SETTING_JOBS, "4096",
					SOURCE_COMMAND_LINE, &value), 0);
	ck_assert_uint_eq(value.count, 4096);
	ck_assert_int_eq(settings_parse(SETTING_STATE, "OFF", SOURCE_CONFIG,
					&value), 0);
	ck_assert(!value.flag);
	ck_assert_int_eq(settings_parse(SETTING_SKIP, "True", SOURCE_CONFIG,
					&value), 0);
	ck_assert(value.flag);
	ck_assert_int_eq(settings_parse(SETTING_CLEAN_ENV, "1", SOURCE_CONFIG,
					&value), 0);
	ck_assert(value.flag);
	ck_assert_int_eq(settings_parse(SETTING_FORMAT, "prometheus",
					SOURCE_CONFIG, &value), 0);
	ck_assert_int_eq(value.choice, REPORT_PROMETHEUS);
	ck_assert_int_eq(settings_parse(SETTING_MODE, "anomaly", SOURCE_CONFIG,
					&value), 0);
	ck_assert_int_eq(value.choice, MODE_ANOMALY);
}
END_TEST

START_TEST(test_settings_parse_refuses_bad_values_and_keeps_the_old_one)
{
	static const struct { enum setting_id id; const char *text; } bad[] = {
		{ SETTING_TIMEOUT, "0" }, { SETTING_MAX_TIMEOUT, "0" },
		{ SETTING_KILL_AFTER, "-1" }, { SETTING_JOBS, "0" },
		{ SETTING_JOBS, "4097" }, { SETTING_STATE, "maybe" },
		{ SETTING_STATE, "" }, { SETTING_FORMAT, "xml" },
		{ SETTING_FORMAT, "JSON" }, { SETTING_MODE, "Anomaly" },
		{ SETTING_DEADLINE, "2678401" },
	};

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct setting_value value = { .given = false, .count = 77 };

		ck_assert_msg(settings_parse(bad[i].id, bad[i].text,
					     SOURCE_CONFIG, &value) == -1,
			      "'%s' for %s", bad[i].text,
			      settings_spec(bad[i].id)->key);
		ck_assert(!value.given);
		ck_assert_uint_eq(value.count, 77);
	}
}
END_TEST

/* A layer with the timeout `seconds`, given. */
static struct setting_values layer_with_timeout(const char *seconds,
                                                enum setting_source source)
{
	struct setting_values values = { 0 };

	ck_assert_int_eq(settings_parse(SETTING_TIMEOUT, seconds, source,
					&values.values[SETTING_TIMEOUT]), 0);
	return values;
}

START_TEST(test_settings_resolve_command_line_then_promise_then_run_then_default)
{
	struct setting_values command_line = layer_with_timeout("1", SOURCE_COMMAND_LINE);
	struct setting_values promise = layer_with_timeout("2", SOURCE_CONFIG);
	struct setting_values run = layer_with_timeout("3", SOURCE_CONFIG);
	struct setting_values none = { 0 }, merged;

	settings_resolve(&command_line, &run, &promise, false, &merged);
	ck_assert(merged.values[SETTING_TIMEOUT].seconds == 1);
	ck_assert_int_eq(merged.values[SETTING_TIMEOUT].source, SOURCE_COMMAND_LINE);
	settings_resolve(&none, &run, &promise, false, &merged);
	ck_assert(merged.values[SETTING_TIMEOUT].seconds == 2);
	ck_assert_int_eq(merged.values[SETTING_TIMEOUT].source, SOURCE_CONFIG);
	settings_resolve(&none, &run, NULL, false, &merged);
	ck_assert(merged.values[SETTING_TIMEOUT].seconds == 3);
	settings_resolve(NULL, NULL, NULL, false, &merged);
	ck_assert(merged.values[SETTING_TIMEOUT].seconds == 20);
	ck_assert_int_eq(merged.values[SETTING_TIMEOUT].source, SOURCE_DEFAULT);
	ck_assert(!merged.values[SETTING_TIMEOUT].given);
}
END_TEST

START_TEST(test_settings_resolve_gives_the_defaults)
{
	struct setting_values merged;

	settings_resolve(NULL, NULL, NULL, false, &merged);
	ck_assert(merged.values[SETTING_KILL_AFTER].seconds == 1);
	ck_assert_int_eq(merged.values[SETTING_FORMAT].choice, REPORT_TEXT);
	ck_assert(!merged.values[SETTING_CLEAN_ENV].flag);
	ck_assert(merged.values[SETTING_STATE].flag);
	ck_assert_int_eq(merged.values[SETTING_MODE].choice, MODE_TEST);
	ck_assert(merged.values[SETTING_PERIODICITY].seconds == 120);
	ck_assert(merged.values[SETTING_DEADLINE].seconds == 0);
	ck_assert(merged.values[SETTING_MAX_TIMEOUT].seconds == 600);
	ck_assert(!merged.values[SETTING_SKIP].flag);
	ck_assert(!merged.values[SETTING_NAGIOS_LEVELS].flag);
	for (int id = 0; id < SETTING_COUNT; id++) {
		ck_assert_int_eq(merged.values[id].source, SOURCE_DEFAULT);
		ck_assert(!merged.values[id].given);
	}
}
END_TEST

/* A user holding a lock holds a --wait without a deadline a minute only. */
START_TEST(test_settings_wait_timeout_is_the_operators_60_seconds_by_default)
{
	struct setting_values merged;

	settings_resolve(NULL, NULL, NULL, false, &merged);
	ck_assert(merged.values[SETTING_WAIT_TIMEOUT].seconds == 60);
	ck_assert_int_eq(settings_spec(SETTING_WAIT_TIMEOUT)->places,
			 SETTING_COMMAND_LINE | SETTING_OPERATOR);
	ck_assert_int_eq(settings_spec(SETTING_WAIT_TIMEOUT)->kind,
			 SETTING_SECONDS_ABOVE_ZERO);
}
END_TEST

START_TEST(test_settings_default_jobs_is_8_per_processor_from_16_to_64)
{
	/* Machines of every size, whatever this one is. */
	static const struct { long processors; unsigned jobs; } table[] = {
		{ -1, 16 }, { 0, 16 }, { 1, 16 }, { 2, 16 }, { 3, 24 },
		{ 7, 56 }, { 8, 64 }, { 9, 64 }, { 16, 64 }, { 256, 64 },
		{ 4096, 64 }, { LONG_MAX, 64 },
	};

	for (size_t i = 0; i < sizeof table / sizeof *table; i++)
		ck_assert_msg(settings_default_jobs(table[i].processors) == table[i].jobs,
			      "%ld processors: %u jobs, not %u", table[i].processors,
			      settings_default_jobs(table[i].processors), table[i].jobs);
}
END_TEST

START_TEST(test_settings_resolve_gives_the_default_jobs_of_this_machine)
{
	struct setting_values merged;

	settings_resolve(NULL, NULL, NULL, false, &merged);
	ck_assert_uint_eq(merged.values[SETTING_JOBS].count,
			  settings_default_jobs(sysconf(_SC_NPROCESSORS_ONLN)));
	ck_assert_int_eq(merged.values[SETTING_JOBS].source, SOURCE_DEFAULT);
	ck_assert(!merged.values[SETTING_JOBS].given);
}
END_TEST

START_TEST(test_settings_resolve_caps_only_the_files_of_a_home)
{
	struct setting_values run = layer_with_timeout("900", SOURCE_CONFIG);
	struct setting_values command_line = layer_with_timeout("900", SOURCE_COMMAND_LINE);
	struct setting_values merged;

	ck_assert_int_eq(settings_parse(SETTING_KILL_AFTER, "700", SOURCE_CONFIG,
					&run.values[SETTING_KILL_AFTER]), 0);
	settings_resolve(NULL, &run, NULL, true, &merged);
	ck_assert(merged.values[SETTING_TIMEOUT].seconds == 600);
	ck_assert(merged.values[SETTING_TIMEOUT].capped);
	ck_assert(merged.values[SETTING_KILL_AFTER].seconds == 600);
	ck_assert(merged.values[SETTING_KILL_AFTER].capped);

	settings_resolve(NULL, &run, NULL, false, &merged);
	ck_assert(merged.values[SETTING_TIMEOUT].seconds == 900);
	ck_assert(!merged.values[SETTING_TIMEOUT].capped);

	/* The command line is the operator's: never capped. */
	settings_resolve(&command_line, &run, NULL, true, &merged);
	ck_assert(merged.values[SETTING_TIMEOUT].seconds == 900);
	ck_assert(!merged.values[SETTING_TIMEOUT].capped);
}
END_TEST

START_TEST(test_settings_resolve_caps_by_the_command_lines_max_timeout)
{
	struct setting_values command_line = { 0 };
	struct setting_values run = layer_with_timeout("45", SOURCE_CONFIG);
	struct setting_values merged;

	ck_assert_int_eq(settings_parse(SETTING_MAX_TIMEOUT, "30",
					SOURCE_COMMAND_LINE,
					&command_line.values[SETTING_MAX_TIMEOUT]), 0);
	settings_resolve(&command_line, &run, NULL, true, &merged);
	ck_assert(merged.values[SETTING_TIMEOUT].seconds == 30);
	ck_assert(merged.values[SETTING_TIMEOUT].capped);
	/* A value at the cap is not capped. */
	run = layer_with_timeout("30", SOURCE_CONFIG);
	settings_resolve(&command_line, &run, NULL, true, &merged);
	ck_assert(!merged.values[SETTING_TIMEOUT].capped);
}
END_TEST

START_TEST(test_settings_keys_allowed_in_each_place)
{
	char buffer[256];

	settings_keys_allowed(SETTING_PROMISE, buffer, sizeof buffer);
	ck_assert_str_eq(buffer, "timeout, periodicity, skip or nagios-levels");
	settings_keys_allowed(SETTING_HOME, buffer, sizeof buffer);
	ck_assert_str_eq(buffer, "timeout, kill-after, jobs, clean-env, state, mode, periodicity or nagios-levels");
	settings_keys_allowed(SETTING_OPERATOR, buffer, sizeof buffer);
	ck_assert_str_eq(buffer, "timeout, kill-after, jobs, format, clean-env, state, mode, periodicity, deadline, max-timeout, nagios-levels, containment, wait-timeout, plugins, plugin-python or plugin-runner");
	/* A short buffer is cut, never overrun. */
	settings_keys_allowed(SETTING_PROMISE, buffer, 12);
	ck_assert_str_eq(buffer, "timeout, pe");
}
END_TEST

/* settings_expected(id), into a buffer of its own. */
static const char *expected(int id)
{
	static char buffer[128];

	return settings_expected(id, buffer, sizeof buffer);
}

START_TEST(test_settings_expected_words_of_each_type)
{
	ck_assert_str_eq(expected(SETTING_TIMEOUT),
			 "a number of seconds above 0");
	ck_assert_str_eq(expected(SETTING_DEADLINE), "a number of seconds");
	ck_assert_str_eq(expected(SETTING_JOBS),
			 "a whole number from 1 to 4096");
	ck_assert_str_eq(expected(SETTING_NAGIOS_LEVELS), "yes or no");
	ck_assert_str_eq(expected(SETTING_FORMAT),
			 "text, json, json-seq, tap, junit, prometheus or nagios");
	ck_assert_str_eq(expected(SETTING_MODE), "test or anomaly");
	ck_assert_str_eq(expected(SETTING_CONTAINMENT),
			 "auto, cgroup or freeze");
	ck_assert_str_eq(expected(OPTION_COLOR), "auto, always or never");
	ck_assert_str_eq(expected(OPTION_PROMISE_DIR), "a folder");
	ck_assert_str_eq(expected(OPTION_ONLY), "a promise's file name");
}
END_TEST

START_TEST(test_settings_choices_are_cut_never_overrun)
{
	static const char *const names[] = { "one", "two", "three", NULL };
	static const char *const alone[] = { "one", NULL };
	char buffer[16];

	settings_choices(names, buffer, sizeof buffer);
	ck_assert_str_eq(buffer, "one, two or thr");
	settings_choices(alone, buffer, sizeof buffer);
	ck_assert_str_eq(buffer, "one");
}
END_TEST

/* Each name of a choice is its enum's value, in the order of the enum. */
START_TEST(test_settings_choice_names_are_their_enums)
{
	static const struct { int id; const char *name; int choice; } table[] = {
		{ SETTING_FORMAT, "text", REPORT_TEXT },
		{ SETTING_FORMAT, "json", REPORT_JSON },
		{ SETTING_FORMAT, "tap", REPORT_TAP },
		{ SETTING_FORMAT, "junit", REPORT_JUNIT },
		{ SETTING_FORMAT, "prometheus", REPORT_PROMETHEUS },
		{ SETTING_FORMAT, "nagios", REPORT_NAGIOS },
		{ SETTING_MODE, "test", MODE_TEST },
		{ SETTING_MODE, "anomaly", MODE_ANOMALY },
		{ SETTING_CONTAINMENT, "auto", CONTAINMENT_AUTO },
		{ SETTING_CONTAINMENT, "cgroup", CONTAINMENT_CGROUP },
		{ SETTING_CONTAINMENT, "freeze", CONTAINMENT_FREEZE },
		{ OPTION_COLOR, "auto", COLOR_AUTO },
		{ OPTION_COLOR, "always", COLOR_ALWAYS },
		{ OPTION_COLOR, "never", COLOR_NEVER },
	};
	struct setting_value value;

	for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
		value.choice = -1;
		ck_assert_int_eq(settings_parse(table[i].id, table[i].name,
						SOURCE_CONFIG, &value), 0);
		ck_assert_int_eq(value.choice, table[i].choice);
	}
	/* Exact names only. */
	ck_assert_int_eq(settings_parse(SETTING_FORMAT, "Text", SOURCE_CONFIG,
					&value), -1);
	ck_assert_int_eq(settings_parse(SETTING_FORMAT, "", SOURCE_CONFIG,
					&value), -1);
	ck_assert_int_eq(settings_parse(OPTION_COLOR, "sometimes",
					SOURCE_COMMAND_LINE, &value), -1);
}
END_TEST

START_TEST(test_settings_table_has_one_row_per_id)
{
	for (int id = 0; id < OPTION_COUNT; id++) {
		int rows = 0;

		for (size_t i = 0; i < OPTION_COUNT; i++)
			rows += settings_table[i].id == id;
		ck_assert_msg(rows == 1, "id %d: %d rows", id, rows);
		ck_assert_int_eq(settings_spec(id)->id, id);
	}
}
END_TEST

/* Two rows never share a spelling: --long, alias, -x or key. */
START_TEST(test_settings_table_spellings_are_unique)
{
	for (size_t i = 0; i < OPTION_COUNT; i++) {
		const struct setting_spec *a = &settings_table[i];

		ck_assert_msg(!a->alias || !a->option ||
			      strcmp(a->alias, a->option) != 0, "%s", a->alias);
		for (size_t j = i + 1; j < OPTION_COUNT; j++) {
			const struct setting_spec *b = &settings_table[j];
			const char *names_a[] = { a->option, a->alias };
			const char *names_b[] = { b->option, b->alias };

			for (int m = 0; m < 2; m++)
				for (int n = 0; n < 2; n++)
					ck_assert_msg(!names_a[m] || !names_b[n] ||
						      strcmp(names_a[m], names_b[n]) != 0,
						      "--%s twice", names_a[m]);
			ck_assert_msg(!a->short_option ||
				      a->short_option != b->short_option,
				      "-%c twice", a->short_option);
			ck_assert_msg(!a->key || !b->key ||
				      strcmp(a->key, b->key) != 0,
				      "key %s twice", a->key);
		}
		/* getopt's own characters are no option letters. */
		ck_assert(a->short_option != ':' && a->short_option != '?' &&
			  a->short_option != '-');
	}
}
END_TEST

/* What each row must have for its kind and its places. */
START_TEST(test_settings_table_rows_are_whole)
{
	for (size_t i = 0; i < OPTION_COUNT; i++) {
		const struct setting_spec *spec = &settings_table[i];
		const char *name = spec->option ? spec->option : spec->key;
		struct setting_value value;

		ck_assert_ptr_nonnull(name);
		ck_assert_msg(spec->help && *spec->help, "%s: no help", name);
		/* A setting has a key, an option is on the command line. */
		ck_assert_msg((spec->id < SETTING_COUNT) == (spec->key != NULL),
			      "%s: key", name);
		ck_assert_msg(!(spec->places & SETTING_COMMAND_LINE) ==
			      !spec->option, "%s: command line", name);
		ck_assert_msg(!spec->key == !(spec->places & ~SETTING_COMMAND_LINE),
			      "%s: places", name);
		ck_assert_msg(spec->id < SETTING_COUNT ||
			      spec->bound == SETTING_UNBOUNDED, "%s: bound", name);
		ck_assert_msg((spec->kind == SETTING_CHOICE) == (spec->choices != NULL),
			      "%s: choices", name);
		ck_assert_msg((spec->kind == SETTING_TEXT ||
			       spec->kind == SETTING_WORDS) ==
			      (spec->expected != NULL), "%s: expected", name);
		ck_assert_msg(!spec->optional || (spec->argument && spec->flag_value),
			      "%s: optional", name);
		/* An option takes a value, stands for one, or is an action. */
		if (spec->option && !spec->argument &&
		    spec->kind != SETTING_ACTION)
			ck_assert_msg(spec->flag_value &&
				      settings_parse(spec->id, spec->flag_value,
						     SOURCE_COMMAND_LINE, &value) == 0,
				      "%s: flag value", name);
		if (spec->optional)
			ck_assert_msg(settings_parse(spec->id, spec->flag_value,
						     SOURCE_COMMAND_LINE, &value) == 0,
				      "%s: flag value", name);
		ck_assert_msg(!spec->argument ||
			      (spec->kind != SETTING_ACTION && !spec->flag_value) ||
			      spec->optional, "%s: argument", name);
		/* Every default parses, a setting's and an option's. */
		if (spec->default_value)
			ck_assert_msg(settings_parse(spec->id, spec->default_value,
						     SOURCE_DEFAULT, &value) == 0,
				      "%s: default", name);
	}
}
END_TEST

/* A home's own jobs caps that home within the run's: min(run, home). */
START_TEST(test_settings_resolve_keeps_a_homes_jobs_within_the_runs)
{
	struct setting_values command_line = { 0 }, home = { 0 }, merged;
	unsigned fallback = settings_default_jobs(sysconf(_SC_NPROCESSORS_ONLN));

	ck_assert_int_eq(settings_spec(SETTING_JOBS)->bound,
			 SETTING_WITHIN_THE_RUN);
	/* The home asks fewer than -j: the home's. */
	ck_assert_int_eq(settings_parse(SETTING_JOBS, "4", SOURCE_COMMAND_LINE,
					&command_line.values[SETTING_JOBS]), 0);
	ck_assert_int_eq(settings_parse(SETTING_JOBS, "2", SOURCE_CONFIG,
					&home.values[SETTING_JOBS]), 0);
	settings_resolve(&command_line, &home, NULL, true, &merged);
	ck_assert_uint_eq(merged.values[SETTING_JOBS].count, 2);
	ck_assert_int_eq(merged.values[SETTING_JOBS].source, SOURCE_CONFIG);
	/* More than -j: -j's. */
	ck_assert_int_eq(settings_parse(SETTING_JOBS, "9", SOURCE_CONFIG,
					&home.values[SETTING_JOBS]), 0);
	settings_resolve(&command_line, &home, NULL, true, &merged);
	ck_assert_uint_eq(merged.values[SETTING_JOBS].count, 4);
	ck_assert_int_eq(merged.values[SETTING_JOBS].source, SOURCE_COMMAND_LINE);
	/* No -j: at most the default. */
	ck_assert_int_eq(settings_parse(SETTING_JOBS, "4096", SOURCE_CONFIG,
					&home.values[SETTING_JOBS]), 0);
	settings_resolve(NULL, &home, NULL, true, &merged);
	ck_assert_uint_eq(merged.values[SETTING_JOBS].count, fallback);
	ck_assert_int_eq(merged.values[SETTING_JOBS].source, SOURCE_DEFAULT);
	ck_assert_int_eq(settings_parse(SETTING_JOBS, "1", SOURCE_CONFIG,
					&home.values[SETTING_JOBS]), 0);
	settings_resolve(NULL, &home, NULL, true, &merged);
	ck_assert_uint_eq(merged.values[SETTING_JOBS].count, 1);
	/* No jobs in the home's file: the run's. */
	home.values[SETTING_JOBS].given = false;
	settings_resolve(&command_line, &home, NULL, true, &merged);
	ck_assert_uint_eq(merged.values[SETTING_JOBS].count, 4);
	settings_resolve(NULL, NULL, NULL, true, &merged);
	ck_assert_uint_eq(merged.values[SETTING_JOBS].count, fallback);
	/* The operator's file is the run's own: its jobs are the pool's. */
	ck_assert_int_eq(settings_parse(SETTING_JOBS, "4096", SOURCE_CONFIG,
					&home.values[SETTING_JOBS]), 0);
	settings_resolve(NULL, &home, NULL, false, &merged);
	ck_assert_uint_eq(merged.values[SETTING_JOBS].count, 4096);
}
END_TEST

START_TEST(test_settings_source_names)
{
	ck_assert_str_eq(settings_source_name(SOURCE_DEFAULT), "default");
	ck_assert_str_eq(settings_source_name(SOURCE_CONFIG), "config");
	ck_assert_str_eq(settings_source_name(SOURCE_COMMAND_LINE),
			 "command line");
}
END_TEST

Suite *settings_suite(void)
{
	Suite *suite = suite_create("settings");
	TCase *tc = tcase_create("settings");

	tcase_add_test(tc, test_settings_every_default_of_the_table_parses);
	tcase_add_test(tc, test_settings_find_key_knows_the_keys_and_no_option);
	tcase_add_test(tc, test_settings_parse_each_type);
	tcase_add_test(tc, test_settings_parse_refuses_bad_values_and_keeps_the_old_one);
	tcase_add_test(tc, test_settings_resolve_command_line_then_promise_then_run_then_default);
	tcase_add_test(tc, test_settings_resolve_gives_the_defaults);
	tcase_add_test(tc, test_settings_wait_timeout_is_the_operators_60_seconds_by_default);
	tcase_add_test(tc, test_settings_default_jobs_is_8_per_processor_from_16_to_64);
	tcase_add_test(tc, test_settings_resolve_gives_the_default_jobs_of_this_machine);
	tcase_add_test(tc, test_settings_resolve_caps_only_the_files_of_a_home);
	tcase_add_test(tc, test_settings_resolve_caps_by_the_command_lines_max_timeout);
	tcase_add_test(tc, test_settings_keys_allowed_in_each_place);
	tcase_add_test(tc, test_settings_expected_words_of_each_type);
	tcase_add_test(tc, test_settings_choices_are_cut_never_overrun);
	tcase_add_test(tc, test_settings_choice_names_are_their_enums);
	tcase_add_test(tc, test_settings_table_has_one_row_per_id);
	tcase_add_test(tc, test_settings_table_spellings_are_unique);
	tcase_add_test(tc, test_settings_table_rows_are_whole);
	tcase_add_test(tc, test_settings_resolve_keeps_a_homes_jobs_within_the_runs);
	tcase_add_test(tc, test_settings_source_names);
	suite_add_tcase(suite, tc);
	return suite;
}
