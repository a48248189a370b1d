/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* The one runner of every unit suite. */
#include <stdlib.h>

#include "suites.h"

int main(void)
{
	Suite *(*const suites[])(void) = {
		capture_suite, check_wire_suite, checks_suite, cli_suite, config_suite,
		credentials_suite, declared_suite,
		env_suite, escape_suite, fsat_suite, home_suite,
		home_plugins_suite, homes_suite,
		identity_suite, inline_checks_suite, job_suite, json_read_suite,
		last_success_suite,
		monotime_suite, outq_suite, plan_suite,
		report_suite, result_suite, runner_suite, scan_suite,
		scheduler_suite, settings_suite, slapgrid_suite, state_suite,
		utf8_suite, value_suite,
	};
	SRunner *runner = srunner_create(NULL);
	int failed;

	for (size_t i = 0; i < sizeof suites / sizeof *suites; i++)
		srunner_add_suite(runner, suites[i]());
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
