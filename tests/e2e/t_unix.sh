# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# The conventions of a Unix tool.

test_a_pattern_of_homes_is_expanded_in_byte_order() {
	for home in slappart10 slappart2 slappart1; do
		make_instance "srv/$home"; promise "srv/$home" ok 'exit 0'
	done
	run_pr -f json "$WORK/srv/slappart*"
	expect_status 0
	jq -e '[.instances[].home] == ["'"$WORK"'/srv/slappart1", "'"$WORK"'/srv/slappart10", "'"$WORK"'/srv/slappart2"]' \
		>/dev/null <<<"$out" || fail "order: $out"
	run_pr "$WORK/srv/nothing*"
	expect_status 1
	expect_err "^promise-run: no instance home matches '$WORK/srv/nothing\*'$"
}

test_a_closed_stdout_ends_quietly_as_sigpipe() {
	make_instance home
	promises home 50 'head -c 2000 /dev/zero | tr "\0" x; echo'
	PROMISE_RUN_TEST_TAG=$TEST_TAG "$PROMISE_RUN" --keep-env PROMISE_RUN_TEST_TAG \
		-v home 2>"$WORK/err" | head -n 1 >/dev/null
	status=${PIPESTATUS[0]} err=$(cat "$WORK/err")
	expect_status 141
	[[ -z $err ]] || fail "not quiet: $err"
}

test_a_stop_signal_ends_promise_run_by_that_signal() {
	make_instance home
	promise home hang "touch $WORK/started; exec sleep 30"
	# Whether it was killed by the signal, not exited 128+N: only a
	# parent that asks the wait status can tell.
	out=$(PROMISE_RUN_TEST_TAG=$TEST_TAG python3 - "$PROMISE_RUN" "$WORK" <<'PY'
import os, signal, subprocess, sys, time
for signo in (signal.SIGINT, signal.SIGTERM):
    # Whatever the test suite inherited (nohup, a script's `&`).
    signal.signal(signo, signal.SIG_DFL)
    started = os.path.join(sys.argv[2], "started")
    if os.path.exists(started):
        os.unlink(started)
    child = subprocess.Popen([sys.argv[1], "--keep-env", "PROMISE_RUN_TEST_TAG",
                              "home"], cwd=sys.argv[2],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(500):
        if os.path.exists(started):
            break
        time.sleep(0.01)
    child.send_signal(signo)
    print(child.wait())
PY
)
	[[ $out == "-2
-15" ]] || fail "wait statuses: $out"
}

test_output_dash_is_standard_output() {
	make_instance home
	promise home ok 'exit 0'
	run_pr -f json -o - home
	expect_status 0
	jq -e '.verdict == "working"' >/dev/null <<<"$out" || fail "not on stdout"
	[[ ! -e ./- ]] || fail "a file named -"
}

test_only_runs_just_the_promises_named() {
	make_instance home
	promise home a "touch $WORK/a-ran"
	promise home b "touch $WORK/b-ran"
	promise home c "touch $WORK/c-ran"
	printf '[promise:c]\nskip = yes\n' >home/etc/promise-run.conf
	run_pr --only b --only c home
	expect_status 0
	[[ ! -e $WORK/a-ran && -e $WORK/b-ran && ! -e $WORK/c-ran ]] ||
		fail "ran: $(ls "$WORK"/*-ran)"
	expect_line '^disabled +c: disabled in config$'
	expect_no_line ' a$'
	run_pr --only nosuch home
	expect_status 1
	expect_err "^promise-run: option '--only': no promise is named 'nosuch' in any instance home$"
}

test_promises_find_promise_run_under_crons_path() {
	make_instance home
	promise home port 'exec "$PROMISE_RUN" check-port 127.0.0.1 1 --timeout 1'
	PATH=/usr/bin:/bin run_pr -v home
	expect_status 2
	expect_line "^ +127.0.0.1 on 1 isn't listening \(Connection refused\)$"
}
