/*
 * report: the results of a whole run, as every machine-readable format
 * reads them: for each instance home, its promises, their results and the
 * skipped entries.  main builds it; the report_* renderers only read it.
 */
#ifndef PROMISE_RUN_REPORT_H
#define PROMISE_RUN_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "result.h"
#include "scan.h"

struct instance_report {
	char *home;                     /* absolute real path */
	char *promise_dir;              /* absolute */
	struct promise_list list;
	struct promise_result *results; /* list.count of them */
	struct timespec finished;       /* wall clock, CLOCK_REALTIME */
};

struct run_report {
	struct instance_report *instances;
	size_t count;
};

/* The formats of --format. */
enum report_format {
	REPORT_TEXT,
	REPORT_JSON,
	REPORT_TAP,
	REPORT_JUNIT,
	REPORT_PROMETHEUS,
};

/* Whether every promise of the instance that ran works. */
bool report_instance_works(const struct instance_report *instance);

/* Whether every instance works. */
bool report_run_works(const struct run_report *report);

/* The number of the instance's promises that ran (are `done`). */
size_t report_done_count(const struct instance_report *instance);

/* The absolute path of promise `index`, malloc'd; NULL when out of memory. */
char *report_promise_path(const struct instance_report *instance,
                          size_t index);

/* Frees what an instance report owns. */
void report_instance_free(struct instance_report *instance);

/* Parses a --format name; 0, or -1 when unknown. */
int report_parse_format(const char *name, enum report_format *format);

/* Each renderer writes the whole run; 0, or -1 with errno (ENOMEM). */
int report_json(FILE *out, const struct run_report *report);
int report_tap(FILE *out, const struct run_report *report);
int report_junit(FILE *out, const struct run_report *report);
int report_prometheus(FILE *out, const struct run_report *report);

#endif
