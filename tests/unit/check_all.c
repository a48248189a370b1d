/* The one runner of every unit suite. */
#include <stdlib.h>

#include "suites.h"

int main(void)
{
	SRunner *runner = srunner_create(capture_suite());
	int failed;

	srunner_add_suite(runner, utf8_suite());
	srunner_add_suite(runner, scan_suite());
	srunner_add_suite(runner, cli_suite());
	srunner_add_suite(runner, value_suite());
	srunner_add_suite(runner, result_suite());
	srunner_add_suite(runner, env_suite());
	srunner_add_suite(runner, monotime_suite());
	srunner_add_suite(runner, escape_suite());
	srunner_add_suite(runner, report_suite());
	srunner_add_suite(runner, config_suite());
	srunner_add_suite(runner, checks_cli_suite());
	srunner_add_suite(runner, credentials_suite());
	srunner_add_suite(runner, settings_suite());
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
