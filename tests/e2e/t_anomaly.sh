# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# slapgrid's anomaly mode, on the files slapos.core reads and writes:
# a promise fails when its last 3 recorded runs failed, a timeout is
# tolerated once, a promise whose periodicity has not come is not run.

# statuses N ARGS...: the exit statuses of N runs, space-separated.
statuses() {
	local count=$1 all=
	shift
	for _ in $(seq 1 "$count"); do
		run_pr "$@" home
		all="$all $status"
	done
	echo "${all# }"
}

test_anomaly_fails_at_the_third_failed_run_in_a_row() {
	make_instance home
	promise home broken 'echo down; exit 1'
	[[ $(statuses 4 --check-anomaly --force) == "0 0 2 2" ]] ||
		fail "statuses: $(cat home/.slapgrid/promise/log/broken.log)"
	run_pr --check-anomaly --force -f json home
	jq -e '.instances[0].promises[0] | .status == "failed" and .failed == true and ."failed-runs" == 3' \
		>/dev/null <<<"$out" || fail "json: $out"
	jq -e '.result.type == "Test Result" and .result.failed == true' \
		home/.slapgrid/promise/result/broken.status.json >/dev/null ||
		fail "the result file"
}

test_anomaly_says_what_the_promise_did_and_what_the_mode_concluded() {
	make_instance home
	promise home broken 'echo down; exit 1'
	run_pr --check-anomaly --force home
	expect_status 0
	expect_line '^failed +[0-9.]+s  broken \(exit code 1; 1 of 3, tolerated\)$'
	expect_line '^ +down$'
	run_pr --check-anomaly --force -f tap home
	expect_line '^not ok 1 - broken # TODO tolerated by the anomaly mode \(2 of 3\)$'
}

test_anomaly_a_success_resets_the_count() {
	make_instance home
	promise home flaky 'test -e '"$WORK"'/up && exit 0; exit 1'
	[[ $(statuses 2 --check-anomaly --force) == "0 0" ]] || fail "first two"
	touch "$WORK/up"
	[[ $(statuses 1 --check-anomaly --force) == "0" ]] || fail "the success"
	rm "$WORK/up"
	[[ $(statuses 3 --check-anomaly --force) == "0 0 2" ]] || fail "after the success"
}

test_anomaly_counts_the_runs_of_test_mode() {
	make_instance home
	promise home broken 'exit 1'
	[[ $(statuses 2 --force) == "2 2" ]] || fail "test mode"
	[[ $(statuses 1 --check-anomaly --force) == "2" ]] || fail "anomaly mode"
}

test_anomaly_tolerates_a_timeout_once() {
	make_instance home
	promise home hang 'exec sleep 30'
	run_pr --check-anomaly --force -t 0.2 -k 0.1 home
	expect_status 0
	expect_line '^timeout +[0-9.]+s  hang \(tolerated\)$'
	jq -e '.result.type == "Anomaly Result" and .result.failed == false and .result.message == "Error: Promise timed out after 0.2 seconds"' \
		home/.slapgrid/promise/result/hang.status.json >/dev/null ||
		fail "the result file: $(cat home/.slapgrid/promise/result/hang.status.json)"
	# The stored message says "Error:": the second timeout fails.
	run_pr --check-anomaly --force -t 0.2 -k 0.1 home
	expect_status 2
	grep -q " - INFO - [0-9]*-[0-9]* - Terminating promise process 'hang'$" \
		home/.slapgrid/promise/log/hang.log || fail "no wrapper record in the log"
}

test_anomaly_a_promise_whose_periodicity_has_not_come_is_not_run() {
	make_instance home
	promise home counted "echo ran >>$WORK/runs; exit 1"
	run_pr --check-anomaly home
	expect_status 0
	run_pr --check-anomaly home
	expect_status 0
	[[ $(wc -l <"$WORK/runs") == 1 ]] || fail "run again within its periodicity"
	expect_line '^cached +counted \(not due: the stored result, working\)$'
	run_pr --check-anomaly -f json home
	jq -e '.instances[0].promises[0] | .status == "cached" and .failed == false' \
		>/dev/null <<<"$out" || fail "json: $out"
	run_pr --check-anomaly --force home
	[[ $(wc -l <"$WORK/runs") == 2 ]] || fail "--force did not run it"
	# Test mode forced, as slapgrid calls it, runs it.
	run_pr --force home
	[[ $(wc -l <"$WORK/runs") == 3 ]] || fail "test mode did not run it"
	jq -e '(.next_run_after - .timestamp) == 120 and .periodicity == 2 and .is_tested and .is_anomaly_detected' \
		home/.slapgrid/promise/cache/counted >/dev/null ||
		fail "cache: $(cat home/.slapgrid/promise/cache/counted)"
}

# As slapos.core's launcher called with force=False (slapgrid forces its
# test mode; the launcher's other users do not).
test_test_mode_honours_periodicity_unless_forced() {
	make_instance home
	promise home counted "echo ran >>$WORK/runs; echo down; exit 1"
	run_pr home
	expect_status 2
	run_pr home
	expect_status 2
	[[ $(wc -l <"$WORK/runs") == 1 ]] || fail "run again within its periodicity"
	expect_line '^cached +counted \(not due: the stored result, failed\)$'
	run_pr -f json home
	jq -e '.instances[0].promises[0] | .status == "cached" and .failed and .type == "Test Result" and .message == "down"' \
		>/dev/null <<<"$out" || fail "json: $out"
	run_pr --force home
	[[ $(wc -l <"$WORK/runs") == 2 ]] || fail "--force did not run it"
}

# A cache without its result file (slapos.core writes the cache before
# the promise runs, the result after): not due, and nothing to tell of it,
# neither a success dated now nor a failure.
test_a_promise_not_due_with_nothing_stored_is_said_so() {
	make_instance home
	promise home counted "echo ran >>$WORK/runs"
	run_pr home
	rm home/.slapgrid/promise/result/counted.status.json
	run_pr home
	expect_status 0
	[[ $(wc -l <"$WORK/runs") == 1 ]] || fail "run again within its periodicity"
	expect_line '^cached +counted \(not due: no stored result\)$'
	run_pr -f json home
	jq -e '.instances[0].promises[0] | .status == "cached" and (.failed | not) and .type == null and .date == null' \
		>/dev/null <<<"$out" || fail "json: $out"
}

# The type of slapgrid's result file, in the report: a timeout judged in
# anomaly mode is an "Anomaly Result", and stays one when re-reported.
test_the_json_report_gives_each_results_type() {
	make_instance home
	promise home hang 'exec sleep 30'
	promise home ok 'exit 0'
	run_pr --check-anomaly -t 0.2 -k 0.1 -f json home
	jq -e '[.instances[0].promises[] | .type] == ["Anomaly Result", "Test Result"]' \
		>/dev/null <<<"$out" || fail "json: $out"
	run_pr --check-anomaly -t 0.2 -k 0.1 -f json home
	jq -e '[.instances[0].promises[] | [.status, .type]] == [["cached", "Anomaly Result"], ["cached", "Test Result"]]' \
		>/dev/null <<<"$out" || fail "json: $out"
}

test_anomaly_a_cached_failure_is_reported_again_as_failing() {
	make_instance home
	promise home broken 'exit 1'
	statuses 3 --check-anomaly --force >/dev/null
	run_pr --check-anomaly home
	expect_status 2
	expect_line '^cached +broken \(not due: the stored result, failed\)$'
}

test_anomaly_periodicity_is_configured_in_seconds() {
	make_instance home
	promise home counted "echo ran >>$WORK/runs"
	printf '[promise:counted]\nperiodicity = 0\n' >home/etc/promise-run.conf
	statuses 3 --check-anomaly >/dev/null
	[[ $(wc -l <"$WORK/runs") == 3 ]] || fail "not run every time"
}

test_anomaly_reads_a_log_written_by_slapgrid() {
	make_instance home
	promise home broken 'echo still down; exit 1'
	mkdir -p home/.slapgrid/promise/log
	# Two runs of slapgrid's: a multi-line ERROR record, then a run whose
	# ERROR comes between two INFO records.
	cat >home/.slapgrid/promise/log/broken.log <<'LOG'
2026-11-20 10:00:00 - INFO - 1795600000-111 - an old run that worked
2026-11-20 10:02:00 - ERROR - 1795600120-222 - first line
second line of the same record
third line
2026-11-20 10:04:00 - INFO - 1795600240-333 - starting
2026-11-20 10:04:00 - ERROR - 1795600240-333 - it broke in the middle
2026-11-20 10:04:01 - INFO - 1795600240-333 - still going
LOG
	run_pr --check-anomaly --force home
	expect_status 2
	# A WARNING run is not a failure: the count starts again.
	printf '2026-11-20 10:06:00 - WARNING - 1795600360-444 - only a warning\n' \
		>>home/.slapgrid/promise/log/broken.log
	run_pr --check-anomaly --force home
	expect_status 0
}

test_python_plugins_left_to_slapgrid_are_listed_as_not_run_in_every_format() {
	make_instance home
	promise home ok 'exit 0'
	mkdir -p home/etc/plugin
	touch home/etc/plugin/__init__.py home/etc/plugin/check_web.py home/etc/plugin/notes.txt
	run_pr --no-plugins -v home
	expect_line '^skipped +etc/plugin/check_web.py: Python plugin: not run \(--no-plugins\)$'
	expect_no_line '__init__|notes'
	run_pr --no-plugins -f json home
	jq -e '.instances[0].skipped == [{"name": "etc/plugin/check_web.py", "reason": "Python plugin: not run (--no-plugins)"}]' \
		>/dev/null <<<"$out" || fail "json"
	run_pr --no-plugins -f tap home
	expect_line '^# skipped etc/plugin/check_web.py: Python plugin: not run \(--no-plugins\)$'
	run_pr --no-plugins -f junit home
	[[ $out == *"skipped etc/plugin/check_web.py: Python plugin"* ]] || fail "junit"
	run_pr --no-plugins --list home
	expect_line '^skipped +etc/plugin/check_web.py: Python plugin'
}

# A partition of slapgrid's time: plugins and legacy promises, the plugins
# left to slapgrid (--no-plugins).  Without -v, "working" must not read as
# if the plugins had been checked.
test_the_default_report_counts_the_plugins_not_run() {
	make_instance home
	promise home legacy-a 'exit 0'
	promise home legacy-b 'exit 0'
	mkdir -p home/etc/plugin
	touch home/etc/plugin/__init__.py
	for i in $(seq -w 1 20); do touch "home/etc/plugin/check_$i.py"; done
	run_pr --force --no-plugins home
	expect_status 0
	expect_line "^$WORK/home: working \(2 promises; 20 Python plugins not run: --no-plugins\)$"
	run_pr --force --no-plugins -f nagios home
	expect_line '^PROMISE-RUN OK - 2 promises work in 1 instance; 20 Python plugins not run: --no-plugins \| '
	run_pr --force --no-plugins -f prometheus home
	expect_line "^promise_run_plugins_not_run\\{home=\"$WORK/home\"\\} 20$"
	rm home/etc/plugin/check_0*.py home/etc/plugin/check_1*.py
	run_pr --force --no-plugins home
	expect_line "^$WORK/home: working \(2 promises; 1 Python plugin not run: --no-plugins\)$"
	rm home/etc/plugin/check_20.py
	run_pr --force --no-plugins home
	expect_line "^$WORK/home: working \(2 promises\)$"
}

test_the_log_folder_option_moves_the_logs() {
	make_instance home
	promise home ok 'echo fine'
	run_pr --log-folder var/log/promise home
	expect_status 0
	grep -q ' - INFO - .* - fine$' home/var/log/promise/ok.log || fail "not in the log folder"
	[[ ! -e home/.slapgrid/promise/log/ok.log ]] || fail "also in the default folder"
}

test_an_absolute_log_folder_is_for_one_home_only() {
	make_instance h1
	make_instance h2
	promise h1 check 'touch ran'
	promise h2 check 'touch ran'
	run_pr --log-folder "$WORK/logs" h1 h2
	expect_status 1
	[[ $err == "promise-run: option '--log-folder': an absolute folder is for one instance home, not 2" ]] ||
		fail "not the one line expected"
	[[ -z $out && ! -e h1/ran && ! -e h2/ran && ! -e logs ]] || fail "something ran"
	run_pr --log-folder "$WORK/logs" h1
	expect_status 0
	[[ -s logs/check.log ]] || fail "no log in the absolute folder"
}

test_no_config_ignores_the_homes_configuration() {
	make_instance home
	promise home hang 'exec sleep 30'
	printf '[run]\ntimeout = 0.1\n' >home/etc/promise-run.conf
	run_pr --no-config --list home
	expect_line '^promise +timeout 20s \(default\) +hang$'
}

test_anomaly_metrics_say_the_failed_runs_in_a_row() {
	make_instance home
	promise home broken 'exit 1'
	statuses 1 --check-anomaly --force >/dev/null
	run_pr --check-anomaly --force -f prometheus home
	expect_status 0
	expect_line "^promise_run_failed_runs\{home=\"$WORK/home\",promise=\"broken\"\} 2$"
	expect_line "^promise_run_ok\{home=\"$WORK/home\",promise=\"broken\"\} 1$"
	expect_line "^promise_run_status\{home=\"$WORK/home\",promise=\"broken\",status=\"failed\"\} 1$"
}
