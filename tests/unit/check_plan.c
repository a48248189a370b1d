/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* plan: each promise's disposition and timeout, from hand-built inputs. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "credentials.h"
#include "helpers.h"
#include "plan.h"
#include "scan.h"
#include "suites.h"

#define EXECUTABLE (S_IFREG | 0755)

/* Three promises, in byte order, owned by root and mode 0755. */
static struct promise three[] = {
	{ .name = "a.sh", .title = "a", .file = { .mode = EXECUTABLE } },
	{ .name = "b.sh", .title = "b", .file = { .mode = EXECUTABLE } },
	{ .name = "c.sh", .title = "c", .file = { .mode = EXECUTABLE } },
};

static const struct promise_list three_list = { .promises = three,
						.count = 3 };

static struct credentials slapuser = {
	.change = true, .uid = 1000, .gid = 1000, .user = "slapuser0",
	.home = "/srv/slapgrid/slappart0", .shell = "/bin/sh",
};

/* A configuration from text, or the test fails. */
static void parse_config(const char *text, bool operator,
                         struct config *config)
{
	char error[512] = "";

	ck_assert_msg(config_parse_text(text, strlen(text), "test.conf",
					operator, config, error,
					sizeof error) == 0,
		      "%s", error);
}

/* Sets one command-line setting. */
static void set_option(struct setting_values *values, enum setting_id id,
                       const char *text)
{
	ck_assert_int_eq(settings_parse(id, text, SOURCE_COMMAND_LINE,
					&values->values[id]), 0);
}

/*
 * Makes the plan as a home does: its [run] settings resolved first, from
 * the input's command line and configuration.
 */
static void make_plan(struct plan_input *input, struct plan *plan)
{
	const struct config *config = input->config;
	struct setting_values home;

	settings_resolve(input->command_line, config ? &config->run : NULL,
			 NULL, config && !config->operator, &home);
	input->home_settings = &home;
	ck_assert_int_eq(plan_make(input, plan), 0);
	input->home_settings = NULL;
}

START_TEST(test_plan_runs_every_promise_with_the_defaults)
{
	struct setting_values command_line = { 0 };
	struct plan_input input = { .list = &three_list,
				    .command_line = &command_line };
	struct plan plan;

	make_plan(&input, &plan);
	ck_assert_uint_eq(plan.count, 3);
	ck_assert_uint_eq(plan.to_run, 3);
	ck_assert_int_eq(plan.mode, MODE_TEST);
	for (size_t i = 0; i < 3; i++) {
		const struct plan_entry *entry = &plan.entries[i];

		ck_assert_int_eq(entry->disposition, PLAN_RUN);
		ck_assert(entry->timing->timeout.seconds == 20);
		ck_assert_int_eq(entry->timing->timeout.source, SOURCE_DEFAULT);
		ck_assert(!entry->timing->timeout.capped);
		ck_assert(entry->timing->kill_after == 1);
		ck_assert(entry->timing->periodicity == 120);
		ck_assert(!entry->timing->nagios_levels);
		ck_assert(!entry->shadowed);
		ck_assert_ptr_null(entry->refusal);
	}
	plan_release(&plan);
	ck_assert_ptr_null(plan.entries);
	ck_assert_uint_eq(plan.count, 0);
}
END_TEST

START_TEST(test_plan_disables_a_promise_with_skip_yes)
{
	struct setting_values command_line = { 0 };
	struct config config;
	struct plan_input input = { .list = &three_list,
				    .command_line = &command_line,
				    .config = &config };
	struct plan plan;

	parse_config("[promise:b.sh]\nskip = yes\n", false, &config);
	make_plan(&input, &plan);
	ck_assert_int_eq(plan.entries[0].disposition, PLAN_RUN);
	ck_assert_int_eq(plan.entries[1].disposition, PLAN_DISABLED);
	ck_assert_int_eq(plan.entries[2].disposition, PLAN_RUN);
	ck_assert_uint_eq(plan.to_run, 2);
	plan_release(&plan);
	config_release(&config);
}
END_TEST

START_TEST(test_plan_refuses_files_someone_else_could_have_written)
{
	struct promise files[] = {
		{ .name = "a.sh", .title = "a",
		  .file = { .mode = S_IFREG | 0757, .owner = 1000 } },
		{ .name = "b.sh", .title = "b",
		  .file = { .mode = EXECUTABLE, .owner = 1001 } },
		{ .name = "c.sh", .title = "c",
		  .file = { .mode = EXECUTABLE, .owner = 1000 } },
	};
	struct promise_list list = { .promises = files, .count = 3 };
	struct setting_values command_line = { 0 };
	struct plan_input input = { .list = &list,
				    .command_line = &command_line,
				    .user = &slapuser, .check_files = true };
	struct plan plan;

	make_plan(&input, &plan);
	ck_assert_int_eq(plan.entries[0].disposition, PLAN_REFUSED);
	ck_assert_str_eq(plan.entries[0].refusal,
			 "writable by every user");
	ck_assert_int_eq(plan.entries[1].disposition, PLAN_REFUSED);
	ck_assert_str_eq(plan.entries[1].refusal,
			 "owned by uid 1001, not by root or slapuser0");
	ck_assert_int_eq(plan.entries[2].disposition, PLAN_RUN);
	ck_assert_ptr_null(plan.entries[2].refusal);
	ck_assert_uint_eq(plan.to_run, 1);
	plan_release(&plan);

	/* --accept-writable: the user's writable file runs, said why; another's not. */
	input.accept_writable = true;
	make_plan(&input, &plan);
	ck_assert_int_eq(plan.entries[0].disposition, PLAN_RUN);
	ck_assert_str_eq(plan.entries[0].refusal, "writable by every user");
	ck_assert_int_eq(plan.entries[1].disposition, PLAN_REFUSED);
	ck_assert_uint_eq(plan.to_run, 2);
	plan_release(&plan);
	input.accept_writable = false;

	/* Not as root: the files are not checked. */
	input.check_files = false;
	make_plan(&input, &plan);
	ck_assert_uint_eq(plan.to_run, 3);
	plan_release(&plan);
}
END_TEST

START_TEST(test_plan_caches_a_promise_not_yet_due_in_anomaly_mode)
{
	const double next_run_after[] = { 1000, 500, 0 };
	struct setting_values command_line = { 0 };
	struct plan_input input = { .list = &three_list,
				    .command_line = &command_line,
				    .next_run_after = next_run_after,
				    .now = 500 };
	struct plan plan;

	set_option(&command_line, SETTING_MODE, "anomaly");
	make_plan(&input, &plan);
	ck_assert_int_eq(plan.mode, MODE_ANOMALY);
	ck_assert_int_eq(plan.entries[0].disposition, PLAN_CACHED);
	/* Due at exactly `now`, and unknown (0): both run. */
	ck_assert_int_eq(plan.entries[1].disposition, PLAN_RUN);
	ck_assert_int_eq(plan.entries[2].disposition, PLAN_RUN);
	ck_assert_uint_eq(plan.to_run, 2);
	plan_release(&plan);
}
END_TEST

START_TEST(test_plan_force_runs_promises_not_yet_due)
{
	const double next_run_after[] = { 1000, 1000, 1000 };
	struct setting_values command_line = { 0 };
	struct plan_input input = { .list = &three_list,
				    .command_line = &command_line,
				    .next_run_after = next_run_after,
				    .now = 500, .force = true };
	struct plan plan;

	set_option(&command_line, SETTING_MODE, "anomaly");
	make_plan(&input, &plan);
	ck_assert_uint_eq(plan.to_run, 3);
	plan_release(&plan);
}
END_TEST

/* As slapos.core's launcher called with force=False, in either mode. */
START_TEST(test_plan_honours_the_cache_in_test_mode_too)
{
	const double next_run_after[] = { 1000, 0, 1000 };
	struct setting_values command_line = { 0 };
	struct plan_input input = { .list = &three_list,
				    .command_line = &command_line,
				    .next_run_after = next_run_after,
				    .now = 500 };
	struct plan plan;

	make_plan(&input, &plan);
	ck_assert_int_eq(plan.mode, MODE_TEST);
	ck_assert_uint_eq(plan.to_run, 1);
	ck_assert_int_eq(plan.entries[0].disposition, PLAN_CACHED);
	ck_assert_int_eq(plan.entries[1].disposition, PLAN_RUN);
	ck_assert_int_eq(plan.entries[2].disposition, PLAN_CACHED);
	plan_release(&plan);
}
END_TEST

START_TEST(test_plan_leaves_out_promises_not_named_by_only)
{
	const char *const only[] = { "c.sh", "a.sh" };
	struct setting_values command_line = { 0 };
	struct plan_input input = { .list = &three_list,
				    .command_line = &command_line,
				    .only = only, .only_count = 2 };
	struct plan plan;

	make_plan(&input, &plan);
	ck_assert_int_eq(plan.entries[0].disposition, PLAN_RUN);
	ck_assert_int_eq(plan.entries[1].disposition, PLAN_UNSELECTED);
	ck_assert_int_eq(plan.entries[2].disposition, PLAN_RUN);
	ck_assert_uint_eq(plan.to_run, 2);
	plan_release(&plan);
}
END_TEST

START_TEST(test_plan_unselected_comes_before_disabled_and_refused)
{
	const char *const only[] = { "c.sh" };
	struct promise files[] = {
		{ .name = "a.sh", .title = "a",
		  .file = { .mode = S_IFREG | 0777 } },
		{ .name = "b.sh", .title = "b", .file = { .mode = EXECUTABLE } },
		{ .name = "c.sh", .title = "c", .file = { .mode = EXECUTABLE } },
	};
	struct promise_list list = { .promises = files, .count = 3 };
	struct setting_values command_line = { 0 };
	struct config config;
	struct plan_input input = { .list = &list,
				    .command_line = &command_line,
				    .config = &config, .user = &slapuser,
				    .check_files = true, .only = only,
				    .only_count = 1 };
	struct plan plan;

	parse_config("[promise:b.sh]\nskip = yes\n", false, &config);
	make_plan(&input, &plan);
	ck_assert_int_eq(plan.entries[0].disposition, PLAN_UNSELECTED);
	ck_assert_ptr_null(plan.entries[0].refusal);
	ck_assert_int_eq(plan.entries[1].disposition, PLAN_UNSELECTED);
	ck_assert_int_eq(plan.entries[2].disposition, PLAN_RUN);
	plan_release(&plan);
	config_release(&config);
}
END_TEST

START_TEST(test_plan_timeout_of_the_command_line_comes_first)
{
	struct setting_values command_line = { 0 };
	struct config config;
	struct plan_input input = { .list = &three_list,
				    .command_line = &command_line,
				    .config = &config };
	struct plan plan;

	parse_config("[run]\ntimeout = 7\n[promise:a.sh]\ntimeout = 9\n", true,
		     &config);
	set_option(&command_line, SETTING_TIMEOUT, "5");
	make_plan(&input, &plan);
	ck_assert(plan.entries[0].timing->timeout.seconds == 5);
	ck_assert_int_eq(plan.entries[0].timing->timeout.source, SOURCE_COMMAND_LINE);
	ck_assert(plan.entries[1].timing->timeout.seconds == 5);
	plan_release(&plan);
	config_release(&config);
}
END_TEST

START_TEST(test_plan_timeout_of_a_promise_section_beats_run)
{
	struct setting_values command_line = { 0 };
	struct config config;
	struct plan_input input = { .list = &three_list,
				    .command_line = &command_line,
				    .config = &config };
	struct plan plan;

	parse_config("[run]\ntimeout = 7\nkill-after = 3\n"
		     "[promise:a.sh]\ntimeout = 9\nnagios-levels = yes\n"
		     "periodicity = 60\n", true, &config);
	make_plan(&input, &plan);
	ck_assert(plan.entries[0].timing->timeout.seconds == 9);
	ck_assert_int_eq(plan.entries[0].timing->timeout.source, SOURCE_CONFIG);
	ck_assert(plan.entries[0].timing->nagios_levels);
	ck_assert(plan.entries[0].timing->periodicity == 60);
	ck_assert(plan.entries[1].timing->timeout.seconds == 7);
	ck_assert_int_eq(plan.entries[1].timing->timeout.source, SOURCE_CONFIG);
	ck_assert(!plan.entries[1].timing->nagios_levels);
	ck_assert(plan.entries[1].timing->periodicity == 120);
	ck_assert(plan.entries[1].timing->kill_after == 3);
	plan_release(&plan);
	config_release(&config);
}
END_TEST

START_TEST(test_plan_takes_the_homes_settings_for_promises_without_a_section)
{
	struct setting_values command_line = { 0 }, home = { 0 };
	struct config config;
	struct plan_input input = { .list = &three_list,
				    .home_settings = &home,
				    .command_line = &command_line,
				    .config = &config };
	struct plan plan;

	/* The home's settings as given, not resolved again by the plan. */
	ck_assert_int_eq(settings_parse(SETTING_TIMEOUT, "42", SOURCE_CONFIG,
					&home.values[SETTING_TIMEOUT]), 0);
	ck_assert_int_eq(settings_parse(SETTING_MODE, "anomaly", SOURCE_CONFIG,
					&home.values[SETTING_MODE]), 0);
	parse_config("[promise:b.sh]\ntimeout = 9\n", true, &config);
	ck_assert_int_eq(plan_make(&input, &plan), 0);
	ck_assert_int_eq(plan.mode, MODE_ANOMALY);
	ck_assert(plan.entries[0].timing->timeout.seconds == 42);
	ck_assert(plan.entries[2].timing->timeout.seconds == 42);
	/* A section is merged with the command line and [run], as always. */
	ck_assert(plan.entries[1].timing->timeout.seconds == 9);
	ck_assert(plan.entries[1].timing->kill_after == 1);
	plan_release(&plan);
	config_release(&config);
}
END_TEST

START_TEST(test_plan_timeout_of_a_home_file_is_capped_by_max_timeout)
{
	struct setting_values command_line = { 0 };
	struct config config;
	struct plan_input input = { .list = &three_list,
				    .command_line = &command_line,
				    .config = &config };
	struct plan plan;

	parse_config("[run]\ntimeout = 900\n[promise:b.sh]\ntimeout = 45\n",
		     false, &config);
	make_plan(&input, &plan);
	ck_assert(plan.entries[0].timing->timeout.seconds == 600);
	ck_assert(plan.entries[0].timing->timeout.capped);
	ck_assert_int_eq(plan.entries[0].timing->timeout.source, SOURCE_CONFIG);
	ck_assert(plan.entries[1].timing->timeout.seconds == 45);
	ck_assert(!plan.entries[1].timing->timeout.capped);
	plan_release(&plan);

	/* A lower --max-timeout caps the promise's own section too. */
	set_option(&command_line, SETTING_MAX_TIMEOUT, "30");
	make_plan(&input, &plan);
	ck_assert(plan.entries[0].timing->timeout.seconds == 30);
	ck_assert(plan.entries[1].timing->timeout.seconds == 30);
	ck_assert(plan.entries[1].timing->timeout.capped);
	plan_release(&plan);
	config_release(&config);
}
END_TEST

START_TEST(test_plan_timeout_of_the_operators_file_is_not_capped)
{
	struct setting_values command_line = { 0 };
	struct config config;
	struct plan_input input = { .list = &three_list,
				    .command_line = &command_line,
				    .config = &config };
	struct plan plan;

	parse_config("[run]\ntimeout = 900\n", true, &config);
	make_plan(&input, &plan);
	ck_assert(plan.entries[0].timing->timeout.seconds == 900);
	ck_assert(!plan.entries[0].timing->timeout.capped);
	plan_release(&plan);
	config_release(&config);
}
END_TEST

START_TEST(test_plan_shadows_a_promise_whose_title_a_later_one_shares)
{
	struct promise files[] = {
		{ .name = "check.py", .title = "check", .title_taken_later = true, .file = { .mode = EXECUTABLE } },
		{ .name = "check.sh", .title = "check",
		  .file = { .mode = EXECUTABLE } },
	};
	struct promise_list list = { .promises = files, .count = 2 };
	struct setting_values command_line = { 0 };
	struct plan_input input = { .list = &list,
				    .command_line = &command_line };
	struct plan plan;

	make_plan(&input, &plan);
	ck_assert(plan.entries[0].shadowed);
	ck_assert(!plan.entries[1].shadowed);
	/* Shadowed promises still run. */
	ck_assert_uint_eq(plan.to_run, 2);
	plan_release(&plan);
}
END_TEST

START_TEST(test_plan_mode_comes_from_the_home_file)
{
	struct setting_values command_line = { 0 };
	struct config config;
	struct plan_input input = { .list = &three_list,
				    .command_line = &command_line,
				    .config = &config };
	struct plan plan;

	parse_config("[run]\nmode = anomaly\n", false, &config);
	make_plan(&input, &plan);
	ck_assert_int_eq(plan.mode, MODE_ANOMALY);
	plan_release(&plan);
	config_release(&config);
}
END_TEST

START_TEST(test_plan_of_an_empty_folder_is_empty)
{
	struct promise_list empty = { 0 };
	struct setting_values command_line = { 0 };
	struct plan_input input = { .list = &empty,
				    .command_line = &command_line };
	struct plan plan;

	make_plan(&input, &plan);
	ck_assert_uint_eq(plan.count, 0);
	ck_assert_uint_eq(plan.to_run, 0);
	plan_release(&plan);
}
END_TEST

Suite *plan_suite(void)
{
	Suite *suite = suite_create("plan");
	TCase *tc = tcase_create("plan");

	tcase_add_test(tc, test_plan_runs_every_promise_with_the_defaults);
	tcase_add_test(tc, test_plan_disables_a_promise_with_skip_yes);
	tcase_add_test(tc, test_plan_refuses_files_someone_else_could_have_written);
	tcase_add_test(tc, test_plan_caches_a_promise_not_yet_due_in_anomaly_mode);
	tcase_add_test(tc, test_plan_force_runs_promises_not_yet_due);
	tcase_add_test(tc, test_plan_honours_the_cache_in_test_mode_too);
	tcase_add_test(tc, test_plan_leaves_out_promises_not_named_by_only);
	tcase_add_test(tc, test_plan_unselected_comes_before_disabled_and_refused);
	tcase_add_test(tc, test_plan_timeout_of_the_command_line_comes_first);
	tcase_add_test(tc, test_plan_timeout_of_a_promise_section_beats_run);
	tcase_add_test(tc, test_plan_takes_the_homes_settings_for_promises_without_a_section);
	tcase_add_test(tc, test_plan_timeout_of_a_home_file_is_capped_by_max_timeout);
	tcase_add_test(tc, test_plan_timeout_of_the_operators_file_is_not_capped);
	tcase_add_test(tc, test_plan_shadows_a_promise_whose_title_a_later_one_shares);
	tcase_add_test(tc, test_plan_mode_comes_from_the_home_file);
	tcase_add_test(tc, test_plan_of_an_empty_folder_is_empty);
	suite_add_tcase(suite, tc);
	return suite;
}
