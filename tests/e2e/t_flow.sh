# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# The event loop never blocks on its readers, and data flows one way.

# A reader that reads nothing until FILE appears, then everything.
stalled_reader() {
	local tries=0
	while [[ ! -e $1 ]] && ((tries++ < 2000)); do sleep 0.01; done
	cat
}

test_a_stalled_reader_does_not_delay_a_timeout() {
	make_instance home
	promises home 40 'head -c 6000 /dev/zero | tr "\0" x; echo'
	promise home zhang "trap 'touch $WORK/termed; exit 1' TERM; sleep 30 & wait"
	PROMISE_RUN_TEST_TAG=$TEST_TAG "$PROMISE_RUN" --keep-env PROMISE_RUN_TEST_TAG \
		--no-state -v -j 64 -t 1 -k 0.2 home |
		stalled_reader "$WORK/termed" >"$WORK/report"
	out=$(cat "$WORK/report")
	expect_line '^timeout +(0\.9|1\.[0-4])[0-9]*s +[0-9.]+s cpu  zhang$'
	expect_line '^ +Error: Promise timed out after 1 seconds$'
}

test_a_stalled_reader_does_not_delay_a_timeout_with_state_files() {
	make_instance home
	promises home 40 'head -c 6000 /dev/zero | tr "\0" x; echo'
	promise home zhang 'exec sleep 30'
	PROMISE_RUN_TEST_TAG=$TEST_TAG "$PROMISE_RUN" --keep-env PROMISE_RUN_TEST_TAG \
		-v -j 64 -t 1 -k 0.2 home |
		stalled_reader home/.slapgrid/promise/result/zhang.status.json \
		>"$WORK/report"
	out=$(cat "$WORK/report")
	expect_line '^timeout +(0\.9|1\.[0-4])[0-9]*s +[0-9.]+s cpu  zhang$'
	jq -e '."execution-time" < 1.5' home/.slapgrid/promise/result/zhang.status.json \
		>/dev/null || fail "the result file says it took longer"
}

test_list_as_json_is_one_document_of_the_plan() {
	make_instance home
	promise home a 'exit 0'
	promise home b 'exit 0'
	printf 'x\n' >home/etc/promise/notes
	conf '[promise:b]' 'skip = yes' '[promise:a]' 'timeout = 3'
	run_pr --list --format json home
	expect_status 0
	jq -e '.instances[0].promises == [
		{"name": "a", "plugin": false, "runs": true, "timeout": 3, "timeout-source": "config", "capped": false, "in-process": false, "reason": null},
		{"name": "b", "plugin": false, "runs": false, "timeout": 20, "timeout-source": "default", "capped": false, "in-process": false, "reason": "disabled in config"}]
	       and .instances[0].skipped == [{"name": "notes", "reason": "not executable"}]' \
		>/dev/null <<<"$out" || fail "not the plan"
	run_pr --list --format tap home
	expect_status 1
	expect_err "^promise-run: option '--list' prints text or json, not the other formats$"
}

test_check_usage_errors_go_to_stderr_only() {
	out=$("$PROMISE_RUN" check-port 127.0.0.1 http 2>"$WORK/err"); status=$?
	err=$(cat "$WORK/err")
	expect_status 3
	[[ -z $out ]] || fail "something on stdout"
	expect_err "^promise-run check-port: 'http' is not a port: expected a number from 1 to 65535 \(see --help\)$"
	out=$("$PROMISE_RUN" check-url 'http://[::1' 2>"$WORK/err"); status=$?
	err=$(cat "$WORK/err")
	expect_status 3
	[[ -z $out ]] || fail "something on stdout"
	expect_err "^promise-run check-url: http://\[::1 is not a valid URL: "
}

test_a_shared_title_always_gives_the_later_promises_result() {
	make_instance home
	promise home check.py 'sleep 0.05; echo python'
	promise home check.sh 'echo shell'
	for run in 1 2 3 4 5 6 7 8 9 10; do
		run_pr --force home
		expect_status 0
		expect_err "^promise-run: warning: 'check.py' and 'check.sh' have the same title 'check': the result file and log are those of 'check.sh'$"
		jq -e '.name == "check.sh" and .result.message == "shell"' \
			home/.slapgrid/promise/result/check.status.json >/dev/null ||
			fail "run $run: $(cat home/.slapgrid/promise/result/check.status.json)"
	done
	[[ $(grep -c . home/.slapgrid/promise/log/check.log) == 10 ]] ||
		fail "log: $(cat home/.slapgrid/promise/log/check.log)"
	! grep -q python home/.slapgrid/promise/log/check.log || fail "check.py logged"
}

test_a_crlf_shebang_is_named_as_such() {
	make_instance home
	printf '#!/bin/sh\r\necho hi\r\n' >home/etc/promise/dos
	chmod +x home/etc/promise/dos
	run_pr home
	expect_status 2
	expect_line "^ +cannot execute: the interpreter line ends with a carriage return \('/bin/sh\\\\r'\): save the file with Unix line ends$"
}
