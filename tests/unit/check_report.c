/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* report and report_text: whole documents from a hand-built run. */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "report.h"
#include "report_text.h"
#include "suites.h"

#define ENDED 1795557286

/* slappart0: a promise of each kind, in byte order. */
static struct promise promises[] = {
	{ .name = "broken.sh", .title = "broken" },
	{ .name = "check-db.sh", .title = "check-db" },
	{ .name = "check-web.sh", .title = "check-web" },
	{ .name = "old.sh", .title = "old" },
	{ .name = "slow.sh", .title = "slow" },
};

static struct skipped_entry skipped[] = {
	{ .name = "README", .reason = SKIP_NOT_EXECUTABLE },
	{ .name = "etc/plugin/x.py", .reason = SKIP_PLUGIN },
};

/* What most promises run with. */
static const struct plan_timing twenty_seconds = { .timeout = { .seconds = 20 } };

static struct plan_entry entries[] = {
	{ .disposition = PLAN_RUN, .timing = &twenty_seconds },
	{ .disposition = PLAN_RUN,
	  .timing = &(const struct plan_timing){ .timeout = { .seconds = 20 },
						 .nagios_levels = true } },
	{ .disposition = PLAN_RUN, .timing = &twenty_seconds },
	{ .disposition = PLAN_DISABLED, .timing = &twenty_seconds },
	{ .disposition = PLAN_RUN,
	  .timing = &(const struct plan_timing){
		.timeout = { .given = true, .source = SOURCE_CONFIG,
			     .seconds = 0.5 } } },
};

static struct promise_result results[] = {
	{ .known = true, .status = PROMISE_ERROR, .failed = true,
	  .exit_code = RESULT_NO_EXIT_CODE, .execution_time = 0.001,
	  .cpu_seconds = 0.0005, .memory_peak = -1,
	  .ended = ENDED, .message = "cannot execute: Exec format error",
	  .transaction = 123 },
	{ .known = true, .status = PROMISE_FAILED, .failed = true,
	  .exit_code = 1, .execution_time = 0.015, .ended = ENDED,
	  .cpu_seconds = 0.004, .memory_peak = 1048576,
	  .message = "database \"main\" | not <reachable>\nretry later",
	  .transaction = 123 },
	{ .known = true, .status = PROMISE_OK, .exit_code = 0,
	  .execution_time = 0.002, .ended = ENDED, .message = "HTTP 200",
	  .cpu_seconds = 0.001, .memory_peak = -1,
	  .transaction = 123 },
	{ .known = true, .status = PROMISE_DISABLED,
	  .exit_code = RESULT_NO_EXIT_CODE, .ended = ENDED,
	  .cpu_seconds = -1, .memory_peak = -1,
	  .message = "disabled in config" },
	{ .known = true, .status = PROMISE_TIMEOUT, .failed = true,
	  .exit_code = RESULT_NO_EXIT_CODE, .execution_time = 0.5,
	  .cpu_seconds = 0.25, .memory_peak = -1, .ended = ENDED,
	  .message = "Error: Promise timed out after 0.5 seconds",
	  .transaction = 123 },
};

static struct home_report homes[] = {
	{
		.home = "/srv/slapgrid/slappart0",
		.promise_dir = "/srv/slapgrid/slappart0/etc/promise",
		.list = { .promises = promises, .count = 5,
			  .skipped = skipped, .skipped_count = 2 },
		.plan = { .entries = entries, .count = 5, .mode = MODE_TEST,
			  .to_run = 4 },
		.results = results,
		.finished = { .tv_sec = 1795557287, .tv_nsec = 250000000 },
		.result_folder = "/srv/slapgrid/slappart0/.slapgrid/promise/result",
		.log_folder = "/srv/slapgrid/slappart0/.slapgrid/promise/log",
	},
	{
		.home = "/srv/slapgrid/slappart1",
		.promise_dir = "/srv/slapgrid/slappart1/etc/promise",
		.error = "locked by another run",
		.finished = { .tv_sec = 1795557281, .tv_nsec = 0 },
	},
};

static const struct run_report run = {
	.version = "1.2.3", .host = "node-1",
	.containment = "cgroup",
	.started = { .tv_sec = 1795557280, .tv_nsec = 500000000 },
	.duration = 7.25, .homes = homes, .count = 2,
};

/* slappart2, in anomaly mode: a forgiven failure and a cached result. */
static struct promise anomaly_promises[] = {
	{ .name = "cached.sh", .title = "cached" },
	{ .name = "flaky.sh", .title = "flaky" },
};

static struct plan_entry anomaly_entries[] = {
	{ .disposition = PLAN_CACHED, .timing = &twenty_seconds },
	{ .disposition = PLAN_RUN, .timing = &twenty_seconds },
};

static struct promise_result anomaly_results[] = {
	{ .known = true, .status = PROMISE_CACHED,
	  .exit_code = RESULT_NO_EXIT_CODE, .ended = ENDED,
	  .cpu_seconds = -1, .memory_peak = -1, .message = "all good" },
	{ .known = true, .status = PROMISE_FAILED, .tolerated = true,
	  .failed_runs = 1, .exit_code = 2, .execution_time = 0.125,
	  .cpu_seconds = 0.1, .memory_peak = -1,
	  .ended = ENDED, .message = "flaked",
	  .transaction = 456 },
};

static struct home_report anomaly_home = {
	.home = "/srv/slapgrid/slappart2",
	.promise_dir = "/srv/slapgrid/slappart2/etc/promise",
	.list = { .promises = anomaly_promises, .count = 2 },
	.plan = { .entries = anomaly_entries, .count = 2, .mode = MODE_ANOMALY,
		  .to_run = 1 },
	.results = anomaly_results,
	.finished = { .tv_sec = 1795557288, .tv_nsec = 0 },
};

static const struct run_report anomaly_run = {
	.version = "1.2.3", .host = "node-1",
	.containment = "freeze", .containment_reason = "no cgroup v2 hierarchy",
	.started = { .tv_sec = 1795557280, .tv_nsec = 0 },
	.duration = 0.5, .homes = &anomaly_home, .count = 1,
};

typedef int render_fn(FILE *out, const struct run_report *report);

/* What `render` writes for `report`. */
static char *rendered(render_fn *render, const struct run_report *report)
{
	struct helper_output output;

	/* Summed up as a home hands its report over. */
	for (size_t i = 0; i < report->count; i++)
		report_home_sum_up(&report->homes[i]);
	helper_output_open(&output);
	ck_assert_int_eq(render(output.out, report), 0);
	return helper_output_close(&output);
}

/* The text report of `home`, promise after promise. */
static char *text_of(struct home_report *home, bool color,
                     enum cli_verbosity verbosity)
{
	struct helper_output output;
	struct text_report report;

	report_home_sum_up(home);
	helper_output_open(&output);
	text_report_begin(&report, output.out, color, verbosity, home);
	for (size_t i = 0; i < home->list.count; i++)
		text_report_promise(&report, i);
	text_report_end(&report);
	return helper_output_close(&output);
}

#define ASSERT_RENDERED(render, report, expected) do { \
	char *text_ = rendered(render, report); \
	helper_assert_same_text(text_, expected); \
	free(text_); \
} while (0)

#define ASSERT_TEXT(home, color, verbosity, expected) do { \
	char *text_ = text_of(home, color, verbosity); \
	helper_assert_same_text(text_, expected); \
	free(text_); \
} while (0)

START_TEST(test_report_json_of_a_run_with_every_kind_of_promise)
{
	ASSERT_RENDERED(report_json, &run,
		"{\"verdict\": \"not working\",\n"
		" \"version\": \"1.2.3\", \"host\": \"node-1\", \"containment\": \"cgroup\", \"containment-reason\": null, \"started\": \"2026-11-24T21:54:40+0000\", \"duration\": 7.250000,\n"
		" \"summary\": {\"instances\": 2, \"not-working\": 1, \"not-checked\": 1, \"promises\": 4, \"promises-not-working\": 3},\n"
		" \"instances\": [\n"
		"  {\"home\": \"/srv/slapgrid/slappart0\", \"verdict\": \"not working\", \"error\": null, \"mode\": \"test\", \"summary\": {\"promises\": 4, \"not-working\": 3, \"errors\": 1, \"timeouts\": 1, \"tolerated\": 0, \"cached\": 0, \"not-run\": 0, \"disabled\": 1}, \"promises\": [\n"
		"   {\"name\": \"broken.sh\", \"title\": \"broken\", \"path\": \"/srv/slapgrid/slappart0/etc/promise/broken.sh\", \"status\": \"error\", \"failed\": true, \"type\": \"Test Result\", \"exit-code\": null, \"signal\": null, \"execution-time\": 0.001000, \"cpu-time\": 0.000500, \"memory-peak\": null, \"message\": \"cannot execute: Exec format error\", \"date\": \"2026-11-24T21:54:46+0000\", \"transaction-id\": \"1795557286-123\", \"result-file\": \"/srv/slapgrid/slappart0/.slapgrid/promise/result/broken.status.json\", \"log-file\": \"/srv/slapgrid/slappart0/.slapgrid/promise/log/broken.log\"},\n"
		"   {\"name\": \"check-db.sh\", \"title\": \"check-db\", \"path\": \"/srv/slapgrid/slappart0/etc/promise/check-db.sh\", \"status\": \"failed\", \"failed\": true, \"type\": \"Test Result\", \"exit-code\": 1, \"signal\": null, \"execution-time\": 0.015000, \"cpu-time\": 0.004000, \"memory-peak\": 1048576, \"message\": \"database \\\"main\\\" | not <reachable>\\nretry later\", \"date\": \"2026-11-24T21:54:46+0000\", \"transaction-id\": \"1795557286-123\", \"result-file\": \"/srv/slapgrid/slappart0/.slapgrid/promise/result/check-db.status.json\", \"log-file\": \"/srv/slapgrid/slappart0/.slapgrid/promise/log/check-db.log\"},\n"
		"   {\"name\": \"check-web.sh\", \"title\": \"check-web\", \"path\": \"/srv/slapgrid/slappart0/etc/promise/check-web.sh\", \"status\": \"ok\", \"failed\": false, \"type\": \"Test Result\", \"exit-code\": 0, \"signal\": null, \"execution-time\": 0.002000, \"cpu-time\": 0.001000, \"memory-peak\": null, \"message\": \"HTTP 200\", \"date\": \"2026-11-24T21:54:46+0000\", \"transaction-id\": \"1795557286-123\", \"result-file\": \"/srv/slapgrid/slappart0/.slapgrid/promise/result/check-web.status.json\", \"log-file\": \"/srv/slapgrid/slappart0/.slapgrid/promise/log/check-web.log\"},\n"
		"   {\"name\": \"slow.sh\", \"title\": \"slow\", \"path\": \"/srv/slapgrid/slappart0/etc/promise/slow.sh\", \"status\": \"timeout\", \"failed\": true, \"type\": \"Test Result\", \"exit-code\": null, \"signal\": null, \"execution-time\": 0.500000, \"cpu-time\": 0.250000, \"memory-peak\": null, \"message\": \"Error: Promise timed out after 0.5 seconds\", \"date\": \"2026-11-24T21:54:46+0000\", \"transaction-id\": \"1795557286-123\", \"result-file\": \"/srv/slapgrid/slappart0/.slapgrid/promise/result/slow.status.json\", \"log-file\": \"/srv/slapgrid/slappart0/.slapgrid/promise/log/slow.log\"}],\n"
		"  \"skipped\": [\n"
		"   {\"name\": \"old.sh\", \"reason\": \"disabled in config\"},\n"
		"   {\"name\": \"README\", \"reason\": \"not executable\"},\n"
		"   {\"name\": \"etc/plugin/x.py\", \"reason\": \"Python plugin: not run (--no-plugins)\"}]},\n"
		"  {\"home\": \"/srv/slapgrid/slappart1\", \"verdict\": \"not checked\", \"error\": \"locked by another run\", \"mode\": null, \"summary\": {\"promises\": 0, \"not-working\": 0, \"errors\": 0, \"timeouts\": 0, \"tolerated\": 0, \"cached\": 0, \"not-run\": 0, \"disabled\": 0}, \"promises\": [],\n"
		"  \"skipped\": []}]}\n");
}
END_TEST

START_TEST(test_report_json_in_anomaly_mode_gives_failed_runs_and_tolerated)
{
	ASSERT_RENDERED(report_json, &anomaly_run,
		"{\"verdict\": \"working\",\n"
		" \"version\": \"1.2.3\", \"host\": \"node-1\", \"containment\": \"freeze\", \"containment-reason\": \"no cgroup v2 hierarchy\", \"started\": \"2026-11-24T21:54:40+0000\", \"duration\": 0.500000,\n"
		" \"summary\": {\"instances\": 1, \"not-working\": 0, \"not-checked\": 0, \"promises\": 2, \"promises-not-working\": 0},\n"
		" \"instances\": [\n"
		"  {\"home\": \"/srv/slapgrid/slappart2\", \"verdict\": \"working\", \"error\": null, \"mode\": \"anomaly\", \"summary\": {\"promises\": 2, \"not-working\": 0, \"errors\": 0, \"timeouts\": 0, \"tolerated\": 1, \"cached\": 1, \"not-run\": 0, \"disabled\": 0}, \"promises\": [\n"
		"   {\"name\": \"cached.sh\", \"title\": \"cached\", \"path\": \"/srv/slapgrid/slappart2/etc/promise/cached.sh\", \"status\": \"cached\", \"failed\": false, \"type\": \"Test Result\", \"exit-code\": null, \"signal\": null, \"execution-time\": 0.000000, \"cpu-time\": null, \"memory-peak\": null, \"message\": \"all good\", \"date\": \"2026-11-24T21:54:46+0000\", \"failed-runs\": 0, \"tolerated\": false, \"transaction-id\": null, \"result-file\": null, \"log-file\": null},\n"
		"   {\"name\": \"flaky.sh\", \"title\": \"flaky\", \"path\": \"/srv/slapgrid/slappart2/etc/promise/flaky.sh\", \"status\": \"failed\", \"failed\": false, \"type\": \"Test Result\", \"exit-code\": 2, \"signal\": null, \"execution-time\": 0.125000, \"cpu-time\": 0.100000, \"memory-peak\": null, \"message\": \"flaked\", \"date\": \"2026-11-24T21:54:46+0000\", \"failed-runs\": 1, \"tolerated\": true, \"transaction-id\": \"1795557286-456\", \"result-file\": null, \"log-file\": null}],\n"
		"  \"skipped\": []}]}\n");
}
END_TEST

START_TEST(test_report_tap_of_a_run_with_every_kind_of_promise)
{
	ASSERT_RENDERED(report_tap, &run,
		"TAP version 13\n"
		"1..6\n"
		"# /srv/slapgrid/slappart0\n"
		"not ok 1 - broken.sh\n"
		"  ---\n"
		"  status: error\n"
		"  failed: true\n"
		"  exit-code: ~\n"
		"  signal: ~\n"
		"  execution-time: 0.001000\n"
		"  message: \"cannot execute: Exec format error\"\n"
		"  ...\n"
		"not ok 2 - check-db.sh\n"
		"  ---\n"
		"  status: failed\n"
		"  failed: true\n"
		"  exit-code: 1\n"
		"  signal: ~\n"
		"  execution-time: 0.015000\n"
		"  message: \"database \\\"main\\\" | not <reachable>\\nretry later\"\n"
		"  ...\n"
		"ok 3 - check-web.sh\n"
		"ok 4 - old.sh # SKIP disabled in config\n"
		"not ok 5 - slow.sh\n"
		"  ---\n"
		"  status: timeout\n"
		"  failed: true\n"
		"  exit-code: ~\n"
		"  signal: ~\n"
		"  execution-time: 0.500000\n"
		"  message: \"Error: Promise timed out after 0.5 seconds\"\n"
		"  ...\n"
		"# skipped README: not executable\n"
		"# skipped etc/plugin/x.py: Python plugin: not run (--no-plugins)\n"
		"# /srv/slapgrid/slappart1\n"
		"not ok 6 - /srv/slapgrid/slappart1 was not checked\n"
		"  ---\n"
		"  error: \"locked by another run\"\n"
		"  ...\n");
}
END_TEST

START_TEST(test_report_tap_marks_a_tolerated_failure_todo)
{
	ASSERT_RENDERED(report_tap, &anomaly_run,
		"TAP version 13\n"
		"1..2\n"
		"# /srv/slapgrid/slappart2\n"
		"ok 1 - cached.sh\n"
		"  ---\n"
		"  status: cached\n"
		"  failed: false\n"
		"  exit-code: ~\n"
		"  signal: ~\n"
		"  failed-runs: 0\n"
		"  execution-time: 0.000000\n"
		"  message: \"all good\"\n"
		"  ...\n"
		"not ok 2 - flaky.sh # TODO tolerated by the anomaly mode (1 of 3)\n"
		"  ---\n"
		"  status: failed\n"
		"  failed: false\n"
		"  exit-code: 2\n"
		"  signal: ~\n"
		"  failed-runs: 1\n"
		"  execution-time: 0.125000\n"
		"  message: \"flaked\"\n"
		"  ...\n");
}
END_TEST

START_TEST(test_report_junit_of_a_run_with_every_kind_of_promise)
{
	ASSERT_RENDERED(report_junit, &run,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"promise-run\" tests=\"6\" failures=\"2\" errors=\"2\" skipped=\"1\" time=\"7.250000\" timestamp=\"2026-11-24T21:54:40\">\n"
		"  <testsuite name=\"/srv/slapgrid/slappart0\" hostname=\"node-1\" timestamp=\"2026-11-24T21:54:40\" tests=\"5\" failures=\"2\" errors=\"1\" skipped=\"1\" time=\"0.518000\">\n"
		"    <testcase name=\"broken.sh\" classname=\"/srv/slapgrid/slappart0\" time=\"0.001000\">\n"
		"      <error type=\"error\" message=\"cannot execute: Exec format error\">cannot execute: Exec format error</error>\n"
		"    </testcase>\n"
		"    <testcase name=\"check-db.sh\" classname=\"/srv/slapgrid/slappart0\" time=\"0.015000\">\n"
		"      <failure type=\"failed\" message=\"exit code 1\">database \"main\" | not &lt;reachable&gt;\n"
		"retry later</failure>\n"
		"    </testcase>\n"
		"    <testcase name=\"check-web.sh\" classname=\"/srv/slapgrid/slappart0\" time=\"0.002000\"/>\n"
		"    <testcase name=\"old.sh\" classname=\"/srv/slapgrid/slappart0\" time=\"0.000000\">\n"
		"      <skipped message=\"disabled in config\"/>\n"
		"    </testcase>\n"
		"    <testcase name=\"slow.sh\" classname=\"/srv/slapgrid/slappart0\" time=\"0.500000\">\n"
		"      <failure type=\"timeout\" message=\"timed out\">Error: Promise timed out after 0.5 seconds</failure>\n"
		"    </testcase>\n"
		"    <system-out>skipped README: not executable\n"
		"skipped etc/plugin/x.py: Python plugin: not run (--no-plugins)\n"
		"</system-out>\n"
		"  </testsuite>\n"
		"  <testsuite name=\"/srv/slapgrid/slappart1\" hostname=\"node-1\" timestamp=\"2026-11-24T21:54:40\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0.000000\">\n"
		"    <testcase name=\"(instance)\" classname=\"/srv/slapgrid/slappart1\" time=\"0.000000\">\n"
		"      <error type=\"not-checked\" message=\"locked by another run\"/>\n"
		"    </testcase>\n"
		"  </testsuite>\n"
		"</testsuites>\n");
}
END_TEST

START_TEST(test_report_junit_tolerated_and_cached_are_output_not_failures)
{
	ASSERT_RENDERED(report_junit, &anomaly_run,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"promise-run\" tests=\"2\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0.500000\" timestamp=\"2026-11-24T21:54:40\">\n"
		"  <testsuite name=\"/srv/slapgrid/slappart2\" hostname=\"node-1\" timestamp=\"2026-11-24T21:54:40\" tests=\"2\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0.125000\">\n"
		"    <testcase name=\"cached.sh\" classname=\"/srv/slapgrid/slappart2\" time=\"0.000000\">\n"
		"      <system-out>not due, stored result: all good</system-out>\n"
		"    </testcase>\n"
		"    <testcase name=\"flaky.sh\" classname=\"/srv/slapgrid/slappart2\" time=\"0.125000\">\n"
		"      <system-out>tolerated: flaked</system-out>\n"
		"    </testcase>\n"
		"  </testsuite>\n"
		"</testsuites>\n");
}
END_TEST

START_TEST(test_report_prometheus_of_a_run_with_every_kind_of_promise)
{
	ASSERT_RENDERED(report_prometheus, &run,
		"# HELP promise_run_build_info The version of promise-run that wrote these metrics.\n"
		"# TYPE promise_run_build_info gauge\n"
		"promise_run_build_info{version=\"1.2.3\"} 1\n"
		"# HELP promise_run_run_start_timestamp_seconds When the run started, in Unix time.\n"
		"# TYPE promise_run_run_start_timestamp_seconds gauge\n"
		"promise_run_run_start_timestamp_seconds 1795557280.500\n"
		"# HELP promise_run_run_duration_seconds How long the whole run took.\n"
		"# TYPE promise_run_run_duration_seconds gauge\n"
		"promise_run_run_duration_seconds 7.250000\n"
		"# HELP promise_run_ok Whether the promise works (1) or not (0), by the run's mode.\n"
		"# TYPE promise_run_ok gauge\n"
		"promise_run_ok{home=\"/srv/slapgrid/slappart0\",promise=\"broken.sh\"} 0\n"
		"promise_run_ok{home=\"/srv/slapgrid/slappart0\",promise=\"check-db.sh\"} 0\n"
		"promise_run_ok{home=\"/srv/slapgrid/slappart0\",promise=\"check-web.sh\"} 1\n"
		"promise_run_ok{home=\"/srv/slapgrid/slappart0\",promise=\"slow.sh\"} 0\n"
		"# HELP promise_run_status 1 for the promise's status this run, 0 for the others.\n"
		"# TYPE promise_run_status gauge\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"broken.sh\",status=\"ok\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"broken.sh\",status=\"failed\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"broken.sh\",status=\"timeout\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"broken.sh\",status=\"error\"} 1\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"broken.sh\",status=\"disabled\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"broken.sh\",status=\"not-run\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"broken.sh\",status=\"cached\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"check-db.sh\",status=\"ok\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"check-db.sh\",status=\"failed\"} 1\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"check-db.sh\",status=\"timeout\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"check-db.sh\",status=\"error\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"check-db.sh\",status=\"disabled\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"check-db.sh\",status=\"not-run\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"check-db.sh\",status=\"cached\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"check-web.sh\",status=\"ok\"} 1\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"check-web.sh\",status=\"failed\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"check-web.sh\",status=\"timeout\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"check-web.sh\",status=\"error\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"check-web.sh\",status=\"disabled\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"check-web.sh\",status=\"not-run\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"check-web.sh\",status=\"cached\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"old.sh\",status=\"ok\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"old.sh\",status=\"failed\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"old.sh\",status=\"timeout\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"old.sh\",status=\"error\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"old.sh\",status=\"disabled\"} 1\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"old.sh\",status=\"not-run\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"old.sh\",status=\"cached\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"slow.sh\",status=\"ok\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"slow.sh\",status=\"failed\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"slow.sh\",status=\"timeout\"} 1\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"slow.sh\",status=\"error\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"slow.sh\",status=\"disabled\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"slow.sh\",status=\"not-run\"} 0\n"
		"promise_run_status{home=\"/srv/slapgrid/slappart0\",promise=\"slow.sh\",status=\"cached\"} 0\n"
		"# HELP promise_run_exit_code The promise's exit code, when it exited.\n"
		"# TYPE promise_run_exit_code gauge\n"
		"promise_run_exit_code{home=\"/srv/slapgrid/slappart0\",promise=\"check-db.sh\"} 1\n"
		"promise_run_exit_code{home=\"/srv/slapgrid/slappart0\",promise=\"check-web.sh\"} 0\n"
		"# HELP promise_run_duration_seconds How long the promise ran.\n"
		"# TYPE promise_run_duration_seconds gauge\n"
		"promise_run_duration_seconds{home=\"/srv/slapgrid/slappart0\",promise=\"broken.sh\"} 0.001000\n"
		"promise_run_duration_seconds{home=\"/srv/slapgrid/slappart0\",promise=\"check-db.sh\"} 0.015000\n"
		"promise_run_duration_seconds{home=\"/srv/slapgrid/slappart0\",promise=\"check-web.sh\"} 0.002000\n"
		"promise_run_duration_seconds{home=\"/srv/slapgrid/slappart0\",promise=\"slow.sh\"} 0.500000\n"
		"# HELP promise_run_cpu_seconds The CPU time (user and system) of the promise and every process it started.\n"
		"# TYPE promise_run_cpu_seconds gauge\n"
		"promise_run_cpu_seconds{home=\"/srv/slapgrid/slappart0\",promise=\"broken.sh\"} 0.000500\n"
		"promise_run_cpu_seconds{home=\"/srv/slapgrid/slappart0\",promise=\"check-db.sh\"} 0.004000\n"
		"promise_run_cpu_seconds{home=\"/srv/slapgrid/slappart0\",promise=\"check-web.sh\"} 0.001000\n"
		"promise_run_cpu_seconds{home=\"/srv/slapgrid/slappart0\",promise=\"slow.sh\"} 0.250000\n"
		"# HELP promise_run_memory_peak_bytes The peak memory of the promise's cgroup, where the memory controller is enabled.\n"
		"# TYPE promise_run_memory_peak_bytes gauge\n"
		"promise_run_memory_peak_bytes{home=\"/srv/slapgrid/slappart0\",promise=\"check-db.sh\"} 1048576\n"
		"# HELP promise_run_last_success_timestamp_seconds When the promise last worked, in Unix time (kept across runs in the instance's state).\n"
		"# TYPE promise_run_last_success_timestamp_seconds gauge\n"
		"# HELP promise_run_failed_runs Anomaly mode: the promise's failed runs in a row, this one included (3 fail).\n"
		"# TYPE promise_run_failed_runs gauge\n"
		"# HELP promise_run_instance_checked Whether the instance could be checked (0: locked, unreadable, bad configuration).\n"
		"# TYPE promise_run_instance_checked gauge\n"
		"promise_run_instance_checked{home=\"/srv/slapgrid/slappart0\"} 1\n"
		"promise_run_instance_checked{home=\"/srv/slapgrid/slappart1\"} 0\n"
		"# HELP promise_run_instance_ok Whether every promise of the instance works.\n"
		"# TYPE promise_run_instance_ok gauge\n"
		"promise_run_instance_ok{home=\"/srv/slapgrid/slappart0\"} 0\n"
		"promise_run_instance_ok{home=\"/srv/slapgrid/slappart1\"} 0\n"
		"# HELP promise_run_timestamp_seconds When the instance was last checked, in Unix time.\n"
		"# TYPE promise_run_timestamp_seconds gauge\n"
		"promise_run_timestamp_seconds{home=\"/srv/slapgrid/slappart0\"} 1795557287.250\n"
		"# HELP promise_run_plugins_not_run The Python plugins of the instance left to slapgrid (--no-plugins): not checked here.\n"
		"# TYPE promise_run_plugins_not_run gauge\n"
		"promise_run_plugins_not_run{home=\"/srv/slapgrid/slappart0\"} 1\n");
}
END_TEST

START_TEST(test_report_nagios_of_a_run_is_its_worst_state)
{
	ASSERT_RENDERED(report_nagios, &run,
		"PROMISE-RUN CRITICAL - 3 of 4 promises do not work in 2 instances, 1 not checked; 1 Python plugin not run: --no-plugins | 'slappart0/broken.sh'=0.001000s;;;0 'slappart0/check-db.sh'=0.015000s;;;0 'slappart0/check-web.sh'=0.002000s;;;0 'slappart0/slow.sh'=0.500000s;;;0\n"
		"UNKNOWN: /srv/slapgrid/slappart0 broken.sh: cannot execute: Exec format error\n"
		"WARNING: /srv/slapgrid/slappart0 check-db.sh: database \"main\" \u00a6 not <reachable> retry later\n"
		"CRITICAL: /srv/slapgrid/slappart0 slow.sh: Error: Promise timed out after 0.5 seconds\n"
		"UNKNOWN: /srv/slapgrid/slappart1 was not checked: locked by another run\n");
	ck_assert_int_eq(report_nagios_status(&run), 2);
}
END_TEST

START_TEST(test_report_nagios_of_a_working_run_is_ok)
{
	ASSERT_RENDERED(report_nagios, &anomaly_run,
		"PROMISE-RUN OK - 2 promises work in 1 instance | 'slappart2/flaky.sh'=0.125000s;;;0\n");
	ck_assert_int_eq(report_nagios_status(&anomaly_run), 0);
}
END_TEST

START_TEST(test_text_report_of_a_home_shows_what_does_not_work)
{
	ASSERT_TEXT(&homes[0], false, CLI_NORMAL,
		    "== /srv/slapgrid/slappart0\n"
		    "error     0.001s  broken.sh\n"
		    "                  cannot execute: Exec format error\n"
		    "failed    0.015s  check-db.sh (exit code 1)\n"
		    "                  database \"main\" | not <reachable>\n"
		    "                  retry later\n"
		    "ok        0.002s  check-web.sh\n"
		    "disabled          old.sh: disabled in config\n"
		    "timeout   0.500s  slow.sh\n"
		    "                  Error: Promise timed out after 0.5 seconds\n"
		    "/srv/slapgrid/slappart0: not working (3 of 4 promises do not work; 1 Python plugin not run: --no-plugins)\n");
	ASSERT_TEXT(&homes[1], false, CLI_NORMAL,
		    "== /srv/slapgrid/slappart1\n"
		    "/srv/slapgrid/slappart1: not checked (locked by another run)\n");
}
END_TEST

START_TEST(test_text_report_quiet_shows_only_what_does_not_work)
{
	ASSERT_TEXT(&homes[0], false, CLI_QUIET,
		    "== /srv/slapgrid/slappart0\n"
		    "error     0.001s  broken.sh\n"
		    "                  cannot execute: Exec format error\n"
		    "failed    0.015s  check-db.sh (exit code 1)\n"
		    "                  database \"main\" | not <reachable>\n"
		    "                  retry later\n"
		    "timeout   0.500s  slow.sh\n"
		    "                  Error: Promise timed out after 0.5 seconds\n"
		    "/srv/slapgrid/slappart0: not working (3 of 4 promises do not work; 1 Python plugin not run: --no-plugins)\n");
	/* A working home says nothing at all. */
	ASSERT_TEXT(&anomaly_home, false, CLI_QUIET, "");
}
END_TEST

START_TEST(test_text_report_verdict_line_of_one_promise)
{
	struct home_report one = homes[0];

	one.list.count = 1;
	ASSERT_TEXT(&one, false, CLI_QUIET,
		    "== /srv/slapgrid/slappart0\n"
		    "error     0.001s  broken.sh\n"
		    "                  cannot execute: Exec format error\n"
		    "/srv/slapgrid/slappart0: not working (1 of 1 promise does not work; 1 Python plugin not run: --no-plugins)\n");
	/* From check-web.sh on: one working, one disabled, one timed out. */
	one.list.promises = &promises[2];
	one.plan.entries = &entries[2];
	one.results = &results[2];
	one.list.count = 3;
	ASSERT_TEXT(&one, false, CLI_NORMAL,
		    "== /srv/slapgrid/slappart0\n"
		    "ok        0.002s  check-web.sh\n"
		    "disabled          old.sh: disabled in config\n"
		    "timeout   0.500s  slow.sh\n"
		    "                  Error: Promise timed out after 0.5 seconds\n"
		    "/srv/slapgrid/slappart0: not working (1 of 2 promises does not work; 1 Python plugin not run: --no-plugins)\n");
	one.list.count = 1;
	ASSERT_TEXT(&one, false, CLI_NORMAL,
		    "== /srv/slapgrid/slappart0\n"
		    "ok        0.002s  check-web.sh\n"
		    "/srv/slapgrid/slappart0: working (1 promise; 1 Python plugin not run: --no-plugins)\n");
	/* Without a plugin, nothing is said of plugins. */
	one.list.skipped_count = 1;
	ASSERT_TEXT(&one, false, CLI_NORMAL,
		    "== /srv/slapgrid/slappart0\n"
		    "ok        0.002s  check-web.sh\n"
		    "/srv/slapgrid/slappart0: working (1 promise)\n");
}
END_TEST

START_TEST(test_text_report_says_how_many_plugins_were_not_run_without_verbose)
{
	static struct skipped_entry plugins[] = {
		{ .name = "README", .reason = SKIP_NOT_EXECUTABLE },
		{ .name = "etc/plugin/a.py", .reason = SKIP_PLUGIN },
		{ .name = "etc/plugin/b.py", .reason = SKIP_PLUGIN },
	};
	struct home_report home = homes[0];

	/* check-web.sh alone, working: "working" names the plugins too. */
	home.list.promises = &promises[2];
	home.plan.entries = &entries[2];
	home.results = &results[2];
	home.list.count = 1;
	home.list.skipped = plugins;
	home.list.skipped_count = 3;
	ASSERT_TEXT(&home, false, CLI_NORMAL,
		    "== /srv/slapgrid/slappart0\n"
		    "ok        0.002s  check-web.sh\n"
		    "/srv/slapgrid/slappart0: working (1 promise; 2 Python plugins not run: --no-plugins)\n");
	/* No promise at all, only plugins. */
	home.list.count = 0;
	ASSERT_TEXT(&home, false, CLI_NORMAL,
		    "== /srv/slapgrid/slappart0\n"
		    "/srv/slapgrid/slappart0: working (0 promises; 2 Python plugins not run: --no-plugins)\n");
}
END_TEST

START_TEST(test_text_report_verbose_shows_every_message_and_skipped_entry)
{
	ASSERT_TEXT(&homes[0], false, CLI_VERBOSE,
		    "== /srv/slapgrid/slappart0\n"
		    "error     0.001s   0.001s cpu  broken.sh\n"
		    "                  cannot execute: Exec format error\n"
		    "failed    0.015s   0.004s cpu  check-db.sh (exit code 1)\n"
		    "                  database \"main\" | not <reachable>\n"
		    "                  retry later\n"
		    "ok        0.002s   0.001s cpu  check-web.sh\n"
		    "                  HTTP 200\n"
		    "disabled          old.sh: disabled in config\n"
		    "timeout   0.500s   0.250s cpu  slow.sh\n"
		    "                  Error: Promise timed out after 0.5 seconds\n"
		    "skipped           README: not executable\n"
		    "skipped           etc/plugin/x.py: Python plugin: not run (--no-plugins)\n"
		    "/srv/slapgrid/slappart0: not working (3 of 4 promises do not work; 1 Python plugin not run: --no-plugins)\n");
}
END_TEST

START_TEST(test_text_report_in_anomaly_mode_says_tolerated_and_cached)
{
	ASSERT_TEXT(&anomaly_home, false, CLI_NORMAL,
		    "== /srv/slapgrid/slappart2\n"
		    "cached            cached.sh (not due: the stored result, working)\n"
		    "failed    0.125s  flaky.sh (exit code 2; 1 of 3, tolerated)\n"
		    "                  flaked\n"
		    "/srv/slapgrid/slappart2: working (2 promises)\n");
}
END_TEST

START_TEST(test_text_report_in_color)
{
	ASSERT_TEXT(&homes[0], true, CLI_NORMAL,
		    "== /srv/slapgrid/slappart0\n"
		    "\033[31merror   \033[0m  0.001s  broken.sh\n"
		    "                  cannot execute: Exec format error\n"
		    "\033[31mfailed  \033[0m  0.015s  check-db.sh (exit code 1)\n"
		    "                  database \"main\" | not <reachable>\n"
		    "                  retry later\n"
		    "\033[32mok      \033[0m  0.002s  check-web.sh\n"
		    "\033[2mdisabled          \033[0mold.sh: disabled in config\n"
		    "\033[33mtimeout \033[0m  0.500s  slow.sh\n"
		    "                  Error: Promise timed out after 0.5 seconds\n"
		    "/srv/slapgrid/slappart0: \033[31m\033[1mnot working\033[0m (3 of 4 promises do not work; 1 Python plugin not run: --no-plugins)\n");
}
END_TEST

START_TEST(test_text_report_verdict_of_several_homes)
{
	struct home_report working[] = { anomaly_home, anomaly_home };
	struct run_report all_working = { .version = "1.2.3", .homes = working,
					  .count = 2 };
	struct run_report unchecked = { .version = "1.2.3", .homes = &homes[1],
					.count = 1 };
	struct helper_output output;
	char *text;

	for (size_t i = 0; i < run.count; i++)
		report_home_sum_up(&run.homes[i]);
	for (size_t i = 0; i < 2; i++)
		report_home_sum_up(&working[i]);
	helper_output_open(&output);
	text_report_verdict(output.out, false, CLI_NORMAL, &run);
	text_report_verdict(output.out, false, CLI_NORMAL, &all_working);
	text_report_verdict(output.out, false, CLI_QUIET, &all_working);
	text_report_verdict(output.out, false, CLI_QUIET, &unchecked);
	text_report_verdict(output.out, true, CLI_NORMAL, &all_working);
	text = helper_output_close(&output);
	ck_assert_str_eq(text,
		"not working (1 of 2 instances does not work, some not checked)\n"
		"working (2 instances)\n"
		"not checked (1 of 1 instances not checked)\n"
		"\033[32m\033[1mworking\033[0m (2 instances)\n");
	free(text);
}
END_TEST

/* A home for --list: a timeout from each place, and each refusal. */
static struct promise list_promises[] = {
	{ .name = "a.sh", .title = "a" }, { .name = "b.sh", .title = "b" },
	{ .name = "c.sh", .title = "c" }, { .name = "d.sh", .title = "d" },
	{ .name = "e.sh", .title = "e" }, { .name = "bad\nname.sh", .title = "bad\nname" },
};

static struct plan_entry list_entries[] = {
	{ .disposition = PLAN_RUN,
	  .timing = &(const struct plan_timing){
		.timeout = { .source = SOURCE_COMMAND_LINE, .seconds = 3 } } },
	{ .disposition = PLAN_RUN,
	  .timing = &(const struct plan_timing){
		.timeout = { .source = SOURCE_CONFIG, .seconds = 600,
			     .capped = true } } },
	{ .disposition = PLAN_REFUSED, .timing = &twenty_seconds,
	  .refusal = "writable by every user" },
	{ .disposition = PLAN_UNSELECTED, .timing = &twenty_seconds },
	{ .disposition = PLAN_CACHED, .timing = &twenty_seconds },
	{ .disposition = PLAN_RUN,
	  .timing = &(const struct plan_timing){ .timeout = { .seconds = 0.25 } } },
};

static struct skipped_entry list_skipped[] = {
	{ .name = "notes", .reason = SKIP_NOT_EXECUTABLE },
};

static struct home_report list_home = {
	.home = "/srv/slapgrid/slappart9",
	.promise_dir = "/srv/slapgrid/slappart9/etc/promise",
	.list = { .promises = list_promises, .count = 6,
		  .skipped = list_skipped, .skipped_count = 1 },
	.plan = { .entries = list_entries, .count = 6, .to_run = 3 },
};

/* `text` with every run of spaces made one: the words, not the columns. */
static char *squeezed(char *text)
{
	char *out = text;

	for (const char *in = text; *in; in++)
		if (*in != ' ' || out == text || out[-1] != ' ')
			*out++ = *in;
	*out = '\0';
	return text;
}

START_TEST(test_text_report_list_shows_each_timeout_and_why_others_do_not_run)
{
	struct helper_output output;
	char *text;

	helper_output_open(&output);
	text_report_list(output.out, &list_home);
	text_report_list(output.out, &homes[1]);
	text = squeezed(helper_output_close(&output));
	ck_assert_str_eq(text,
		"== /srv/slapgrid/slappart9\n"
		"promise timeout 3s (command line) a.sh\n"
		"promise timeout 600s (config, capped by max-timeout) b.sh\n"
		"refused c.sh: writable by every user\n"
		"unselected d.sh: not named by --only\n"
		"cached e.sh: not due (its periodicity has not come)\n"
		"promise timeout 0.25s (default) bad?name.sh\n"
		"skipped notes: not executable\n"
		"3 promises to run, 3 not run, 1 skipped\n"
		"== /srv/slapgrid/slappart1\n"
		"/srv/slapgrid/slappart1: not checked (locked by another run)\n");
	free(text);
}
END_TEST

START_TEST(test_report_nagios_warning_is_worse_than_unknown)
{
	struct home_report two = homes[0];
	struct run_report partial = { .version = "1.2.3", .homes = &two,
				      .count = 1 };
	struct run_report unchecked = { .version = "1.2.3", .homes = &homes[1],
					.count = 1 };

	/* broken.sh could not be executed, check-db.sh exited 1. */
	two.list.count = 2;
	ASSERT_RENDERED(report_nagios, &partial,
		"PROMISE-RUN WARNING - 2 of 2 promises do not work in 1 instance; 1 Python plugin not run: --no-plugins | 'slappart0/broken.sh'=0.001000s;;;0 'slappart0/check-db.sh'=0.015000s;;;0\n"
		"UNKNOWN: /srv/slapgrid/slappart0 broken.sh: cannot execute: Exec format error\n"
		"WARNING: /srv/slapgrid/slappart0 check-db.sh: database \"main\" \u00a6 not <reachable> retry later\n");
	ck_assert_int_eq(report_nagios_status(&partial), 1);
	two.list.count = 1;
	ck_assert_int_eq(report_nagios_status(&partial), 3);
	ck_assert_int_eq(report_nagios_status(&unchecked), 3);
	ASSERT_RENDERED(report_nagios, &unchecked,
		"PROMISE-RUN UNKNOWN - 0 promises work in 1 instance, 1 not checked\n"
		"UNKNOWN: /srv/slapgrid/slappart1 was not checked: locked by another run\n");
}
END_TEST

START_TEST(test_report_list_json_says_why_each_promise_does_not_run)
{
	struct run_report listed = { .version = "1.2.3", .homes = &list_home,
				     .count = 1, .containment = "freeze",
				     .containment_reason = "its own cgroup is not writable" };

	ASSERT_RENDERED(report_list_json, &listed,
		"{\"containment\": \"freeze\", \"containment-reason\": \"its own cgroup is not writable\",\n"
		" \"instances\": [\n"
		"  {\"home\": \"/srv/slapgrid/slappart9\", \"error\": null, \"mode\": \"test\", \"plugin-python\": null, \"plugin-runner\": null, \"plugin-problem\": null, \"promises\": [\n"
		"   {\"name\": \"a.sh\", \"plugin\": false, \"runs\": true, \"timeout\": 3, \"timeout-source\": \"command line\", \"capped\": false, \"in-process\": false, \"reason\": null},\n"
		"   {\"name\": \"b.sh\", \"plugin\": false, \"runs\": true, \"timeout\": 600, \"timeout-source\": \"config\", \"capped\": true, \"in-process\": false, \"reason\": null},\n"
		"   {\"name\": \"c.sh\", \"plugin\": false, \"runs\": false, \"timeout\": 20, \"timeout-source\": \"default\", \"capped\": false, \"in-process\": false, \"reason\": \"writable by every user\"},\n"
		"   {\"name\": \"d.sh\", \"plugin\": false, \"runs\": false, \"timeout\": 20, \"timeout-source\": \"default\", \"capped\": false, \"in-process\": false, \"reason\": \"not named by --only\"},\n"
		"   {\"name\": \"e.sh\", \"plugin\": false, \"runs\": false, \"timeout\": 20, \"timeout-source\": \"default\", \"capped\": false, \"in-process\": false, \"reason\": \"not due (its periodicity has not come)\"},\n"
		"   {\"name\": \"bad\\nname.sh\", \"plugin\": false, \"runs\": true, \"timeout\": 0.25, \"timeout-source\": \"default\", \"capped\": false, \"in-process\": false, \"reason\": null}],\n"
		"  \"skipped\": [\n"
		"   {\"name\": \"notes\", \"reason\": \"not executable\"}]}]}\n");
}
END_TEST

START_TEST(test_report_counts_and_verdicts)
{
	struct report_counts counts;
	char *path;

	report_home_sum_up(&homes[0]);
	report_home_sum_up(&homes[1]);
	report_home_sum_up(&anomaly_home);
	counts = homes[0].summary;
	ck_assert_uint_eq(counts.promises, 4);
	ck_assert_uint_eq(counts.not_working, 3);
	ck_assert_uint_eq(counts.disabled, 1);
	ck_assert_uint_eq(counts.errors, 1);
	ck_assert_uint_eq(counts.timeouts, 1);
	ck_assert_uint_eq(counts.cached, 0);
	ck_assert_uint_eq(counts.tolerated, 0);
	ck_assert(counts.time == 0.001 + 0.015 + 0.002 + 0.5);
	ck_assert_uint_eq(counts.plugins, 1);
	counts = anomaly_home.summary;
	ck_assert_uint_eq(counts.plugins, 0);
	ck_assert_uint_eq(counts.cached, 1);
	ck_assert_uint_eq(counts.tolerated, 1);
	ck_assert_uint_eq(counts.not_working, 0);
	ck_assert_int_eq(report_home_verdict(&homes[0]), VERDICT_NOT_WORKING);
	ck_assert_int_eq(report_home_verdict(&homes[1]), VERDICT_NOT_CHECKED);
	ck_assert_int_eq(report_home_verdict(&anomaly_home), VERDICT_WORKING);
	ck_assert_int_eq(report_run_verdict(&run), VERDICT_NOT_WORKING);
	ck_assert_int_eq(report_run_verdict(&anomaly_run), VERDICT_WORKING);
	ck_assert_str_eq(report_verdict_name(VERDICT_WORKING), "working");
	ck_assert_str_eq(report_verdict_name(VERDICT_NOT_WORKING), "not working");
	ck_assert_str_eq(report_verdict_name(VERDICT_NOT_CHECKED), "not checked");
	ck_assert(report_listed(&homes[0], 3));
	ck_assert(!report_listed(&homes[1], 0));
	path = report_promise_path(&homes[0], 1);
	ck_assert_str_eq(path, "/srv/slapgrid/slappart0/etc/promise/check-db.sh");
	free(path);
}
END_TEST

Suite *report_suite(void)
{
	Suite *suite = suite_create("report");
	TCase *tc = tcase_create("report");

	tcase_add_test(tc, test_report_json_of_a_run_with_every_kind_of_promise);
	tcase_add_test(tc, test_report_json_in_anomaly_mode_gives_failed_runs_and_tolerated);
	tcase_add_test(tc, test_report_tap_of_a_run_with_every_kind_of_promise);
	tcase_add_test(tc, test_report_tap_marks_a_tolerated_failure_todo);
	tcase_add_test(tc, test_report_junit_of_a_run_with_every_kind_of_promise);
	tcase_add_test(tc, test_report_junit_tolerated_and_cached_are_output_not_failures);
	tcase_add_test(tc, test_report_prometheus_of_a_run_with_every_kind_of_promise);
	tcase_add_test(tc, test_report_nagios_of_a_run_is_its_worst_state);
	tcase_add_test(tc, test_report_nagios_of_a_working_run_is_ok);
	tcase_add_test(tc, test_text_report_of_a_home_shows_what_does_not_work);
	tcase_add_test(tc, test_text_report_quiet_shows_only_what_does_not_work);
	tcase_add_test(tc, test_text_report_verbose_shows_every_message_and_skipped_entry);
	tcase_add_test(tc, test_text_report_in_anomaly_mode_says_tolerated_and_cached);
	tcase_add_test(tc, test_text_report_in_color);
	tcase_add_test(tc, test_text_report_verdict_of_several_homes);
	tcase_add_test(tc, test_text_report_list_shows_each_timeout_and_why_others_do_not_run);
	tcase_add_test(tc, test_text_report_verdict_line_of_one_promise);
	tcase_add_test(tc, test_text_report_says_how_many_plugins_were_not_run_without_verbose);
	tcase_add_test(tc, test_report_nagios_warning_is_worse_than_unknown);
	tcase_add_test(tc, test_report_list_json_says_why_each_promise_does_not_run);
	tcase_add_test(tc, test_report_counts_and_verdicts);
	suite_add_tcase(suite, tc);
	return suite;
}
