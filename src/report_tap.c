/*
 * report_tap: TAP version 13, one test point per promise that ran, the
 * details of a promise that does not work in a YAML block, the entries
 * that are not promises as comment lines.
 */
#include "escape.h"
#include "report.h"

static int write_yaml_block(FILE *out, const struct promise_result *result)
{
	fprintf(out, "  ---\n  status: %s\n  exit-code: ",
		result_status_name(result->status));
	if (result->exit_code == RESULT_NO_EXIT_CODE)
		fputs("~\n", out);
	else
		fprintf(out, "%d\n", result->exit_code);
	if (result->signal)
		fprintf(out, "  signal: %d\n", result->signal);
	else
		fputs("  signal: ~\n", out);
	fprintf(out, "  execution-time: %.6f\n  message: ",
		result->execution_time);
	if (escape_yaml(out, result->message) < 0)
		return -1;
	fputs("\n  ...\n", out);
	return 0;
}

int report_tap(FILE *out, const struct run_report *report)
{
	size_t total = 0, number = 0;

	for (size_t i = 0; i < report->count; i++)
		total += report_done_count(&report->instances[i]);
	fprintf(out, "TAP version 13\n1..%zu\n", total);
	for (size_t i = 0; i < report->count; i++) {
		const struct instance_report *instance = &report->instances[i];

		fputs("# ", out);
		if (escape_tap_description(out, instance->home) < 0)
			return -1;
		fputc('\n', out);
		for (size_t p = 0; p < instance->list.count; p++) {
			const struct promise_result *result =
				&instance->results[p];

			if (!result->done)
				continue;
			fprintf(out, "%s %zu - ",
				result_works(result) ? "ok" : "not ok", ++number);
			if (escape_tap_description(
				    out, instance->list.promises[p].name) < 0)
				return -1;
			fputs(result->disabled ? " # SKIP disabled in config\n"
					       : "\n", out);
			if (!result_works(result) &&
			    write_yaml_block(out, result) < 0)
				return -1;
		}
		for (size_t s = 0; s < instance->list.skipped_count; s++) {
			const struct skipped_entry *entry =
				&instance->list.skipped[s];

			fputs("# skipped ", out);
			if (escape_tap_description(out, entry->name) < 0)
				return -1;
			fprintf(out, ": %s\n",
				scan_skip_reason_text(entry->reason));
		}
	}
	return 0;
}
