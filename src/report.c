/* report: the results of a run, shared by every renderer. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

bool report_instance_works(const struct instance_report *instance)
{
	for (size_t i = 0; i < instance->list.count; i++)
		if (instance->results[i].done &&
		    !result_works(&instance->results[i]))
			return false;
	return true;
}

bool report_run_works(const struct run_report *report)
{
	for (size_t i = 0; i < report->count; i++)
		if (!report_instance_works(&report->instances[i]))
			return false;
	return true;
}

size_t report_done_count(const struct instance_report *instance)
{
	size_t done = 0;

	for (size_t i = 0; i < instance->list.count; i++)
		done += instance->results[i].done;
	return done;
}

char *report_promise_path(const struct instance_report *instance,
                          size_t index)
{
	return scan_promise_path(instance->promise_dir,
				 &instance->list.promises[index]);
}

void report_instance_free(struct instance_report *instance)
{
	for (size_t i = 0; instance->results && i < instance->list.count; i++)
		result_free(&instance->results[i]);
	free(instance->results);
	scan_free(&instance->list);
	free(instance->home);
	free(instance->promise_dir);
	memset(instance, 0, sizeof *instance);
}

int report_parse_format(const char *name, enum report_format *format)
{
	static const char *const names[] = {
		[REPORT_TEXT] = "text",
		[REPORT_JSON] = "json",
		[REPORT_TAP] = "tap",
		[REPORT_JUNIT] = "junit",
		[REPORT_PROMETHEUS] = "prometheus",
	};

	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strcmp(name, names[i]) == 0) {
			*format = (enum report_format)i;
			return 0;
		}
	return -1;
}
