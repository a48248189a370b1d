/*
 * report_prometheus: the text exposition format, for node_exporter's
 * textfile collector.  Every sample of a metric family is written
 * together, after its HELP and TYPE, as promtool requires.
 */
#include "escape.h"
#include "report.h"

static int write_labels(FILE *out, const char *home, const char *promise)
{
	fputs("{home=\"", out);
	if (escape_prometheus_label(out, home) < 0)
		return -1;
	if (promise) {
		fputs("\",promise=\"", out);
		if (escape_prometheus_label(out, promise) < 0)
			return -1;
	}
	fputs("\"} ", out);
	return 0;
}

/* One gauge per promise that ran: its value is `ok` or its duration. */
static int write_promise_family(FILE *out, const struct run_report *report,
                                const char *name, const char *help,
                                bool duration)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
	for (size_t i = 0; i < report->count; i++) {
		const struct instance_report *instance = &report->instances[i];

		for (size_t p = 0; p < instance->list.count; p++) {
			const struct promise_result *result =
				&instance->results[p];

			if (!result->done || result->disabled)
				continue;
			fputs(name, out);
			if (write_labels(out, instance->home,
					 instance->list.promises[p].name) < 0)
				return -1;
			if (duration)
				fprintf(out, "%.6f\n", result->execution_time);
			else
				fprintf(out, "%d\n", result_works(result));
		}
	}
	return 0;
}

int report_prometheus(FILE *out, const struct run_report *report)
{
	if (write_promise_family(out, report, "promise_run_ok",
				 "Whether the promise works (1) or not (0).",
				 false) < 0 ||
	    write_promise_family(out, report, "promise_run_duration_seconds",
				 "How long the promise ran.", true) < 0)
		return -1;
	fputs("# HELP promise_run_instance_ok Whether every promise of the instance works.\n"
	      "# TYPE promise_run_instance_ok gauge\n", out);
	for (size_t i = 0; i < report->count; i++) {
		fputs("promise_run_instance_ok", out);
		if (write_labels(out, report->instances[i].home, NULL) < 0)
			return -1;
		fprintf(out, "%d\n",
			report_instance_works(&report->instances[i]));
	}
	fputs("# HELP promise_run_timestamp_seconds When the instance was last checked, in Unix time.\n"
	      "# TYPE promise_run_timestamp_seconds gauge\n", out);
	for (size_t i = 0; i < report->count; i++) {
		const struct timespec *finished = &report->instances[i].finished;

		fputs("promise_run_timestamp_seconds", out);
		if (write_labels(out, report->instances[i].home, NULL) < 0)
			return -1;
		fprintf(out, "%lld.%03ld\n", (long long)finished->tv_sec,
			finished->tv_nsec / 1000000);
	}
	return 0;
}
