/*
 * report_json: one JSON document for the whole run:
 * {"verdict": ..., "instances": [{"home", "verdict", "promises", "skipped"}]}
 */
#include <stdlib.h>

#include "escape.h"
#include "report.h"

static const char *verdict(bool works)
{
	return works ? "\"working\"" : "\"not working\"";
}

static int write_promise(FILE *out, const struct instance_report *instance,
                         size_t index)
{
	const struct promise *promise = &instance->list.promises[index];
	const struct promise_result *result = &instance->results[index];
	char *path = report_promise_path(instance, index);
	int status = -1;

	if (!path)
		return -1;
	fputs("{\"name\": ", out);
	if (escape_json(out, promise->name) < 0)
		goto out;
	fputs(", \"title\": ", out);
	if (escape_json(out, promise->title) < 0)
		goto out;
	fputs(", \"path\": ", out);
	if (escape_json(out, path) < 0)
		goto out;
	fprintf(out, ", \"status\": \"%s\", \"exit-code\": ",
		result_status_name(result->status));
	if (result->exit_code == RESULT_NO_EXIT_CODE)
		fputs("null", out);
	else
		fprintf(out, "%d", result->exit_code);
	fputs(", \"signal\": ", out);
	if (result->signal)
		fprintf(out, "%d", result->signal);
	else
		fputs("null", out);
	fprintf(out, ", \"execution-time\": %.6f, \"message\": ",
		result->execution_time);
	if (escape_json(out, result->message) < 0)
		goto out;
	fputc('}', out);
	status = 0;
out:
	free(path);
	return status;
}

static int write_skipped(FILE *out, bool *first, const char *name,
                         const char *reason)
{
	fputs(*first ? "\n   {\"name\": " : ",\n   {\"name\": ", out);
	*first = false;
	if (escape_json(out, name) < 0)
		return -1;
	fprintf(out, ", \"reason\": \"%s\"}", reason);
	return 0;
}

static int write_instance(FILE *out, const struct instance_report *instance)
{
	bool first = true;

	fputs("{\"home\": ", out);
	if (escape_json(out, instance->home) < 0)
		return -1;
	fprintf(out, ", \"verdict\": %s, \"promises\": [",
		verdict(report_instance_works(instance)));
	for (size_t i = 0; i < instance->list.count; i++) {
		if (!instance->results[i].done || instance->results[i].disabled)
			continue;
		fputs(first ? "\n   " : ",\n   ", out);
		first = false;
		if (write_promise(out, instance, i) < 0)
			return -1;
	}
	fputs("],\n  \"skipped\": [", out);
	first = true;
	for (size_t i = 0; i < instance->list.count; i++)
		if (instance->results[i].disabled &&
		    write_skipped(out, &first, instance->list.promises[i].name,
				  "disabled in config") < 0)
			return -1;
	for (size_t i = 0; i < instance->list.skipped_count; i++) {
		const struct skipped_entry *entry = &instance->list.skipped[i];

		if (write_skipped(out, &first, entry->name,
				  scan_skip_reason_text(entry->reason)) < 0)
			return -1;
	}
	fputs("]}", out);
	return 0;
}

int report_json(FILE *out, const struct run_report *report)
{
	fprintf(out, "{\"verdict\": %s,\n \"instances\": [",
		verdict(report_run_works(report)));
	for (size_t i = 0; i < report->count; i++) {
		fputs(i ? ",\n  " : "\n  ", out);
		if (write_instance(out, &report->instances[i]) < 0)
			return -1;
	}
	fputs("]}\n", out);
	return 0;
}
