# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# A whole node in one run: one pool of slots over every home, reports in
# the order of the homes, a deadline for the run, progress for a person.

# meet HOME NAME OTHER [TRIES]: a promise that works only if the promise
# that touches $WORK/OTHER runs at the same time as it (waits at most
# TRIES times 10 ms, 300 by default).
meet() {
	promise "$1" "$2" "touch $WORK/$2; i=0
while [ ! -e $WORK/$3 ]; do i=\$((i + 1)); [ \$i -lt ${4:-300} ] || exit 1; sleep 0.01; done"
}

test_one_pool_runs_promises_of_several_homes_at_once() {
	make_instance one; meet one a b
	make_instance two; meet two b a
	run_pr -j 2 one two
	expect_status 0
	expect_line "^$WORK/one: working \(1 promise\)$"
	expect_line "^$WORK/two: working \(1 promise\)$"
}

test_a_homes_jobs_caps_it_within_the_pool() {
	# a waits for b in vain: a short wait is enough to fail.
	make_instance home; meet home a b 30; meet home b a
	mkdir -p home/etc
	printf '[run]\njobs = 1\n' >home/etc/promise-run.conf
	run_pr -j 8 home
	expect_status 2
	expect_line '^failed .* a \(exit code 1\)$'
}

# hog HOME COUNT BODY and victim HOME: the issue's node, a home of COUNT
# hanging promises before a home of one promise that marks its start.
hog() { make_instance "$1"; promises "$1" "$2" "$3"; }
victim() { make_instance "$1"; promise "$1" first "touch $WORK/victim-started"; }

test_a_home_of_hanging_promises_leaves_another_home_a_slot() {
	# Every promise of a-hog hangs on a lock the test holds: b-victim
	# can start only beside them, in a slot a-hog did not take.
	hog a-hog 60 "flock $WORK/held true"
	victim b-victim
	exec 8>"$WORK/held"
	flock 8
	start_pr -j 4 -f json a-hog b-victim 8>&-
	wait_for_file "$WORK/victim-started"
	exec 8>&-
	finish_pr
	expect_status 0
	jq -e '[.instances[].verdict] == ["working", "working"]' \
		>/dev/null <<<"$out" || fail "the verdicts"
}

test_a_hogs_queue_does_not_eat_another_homes_deadline() {
	# The issue's node: b-victim's promise must start before the first
	# of a-hog's promises is killed at its timeout, and run by the deadline.
	hog a-hog 60 "trap '[ -e $WORK/victim-started ] || touch $WORK/victim-late; exit 1' TERM; sleep 100 & wait"
	victim b-victim
	run_pr -t 1 -j 4 --deadline 5 -f json a-hog b-victim
	expect_status 2
	[[ ! -e $WORK/victim-late ]] ||
		fail "a promise of a-hog timed out before b-victim's started"
	jq -e '.instances[1].promises | map(.status) == ["ok"]' \
		>/dev/null <<<"$out" || fail "b-victim's promise did not work"
	jq -e '.instances[0].promises | map(.status) | unique == ["not-run", "timeout"]' \
		>/dev/null <<<"$out" || fail "a-hog's statuses"
}

test_with_one_slot_a_hog_delays_another_home_by_one_promise_at_most() {
	# Each promise of a-hog that starts before b-victim's marks it.
	hog a-hog 60 "[ -e $WORK/victim-started ] || echo >>$WORK/before-victim; exec sleep 100"
	victim b-victim
	run_pr -t 0.5 -k 0 -j 1 --deadline 2 -f json a-hog b-victim
	expect_status 2
	[[ $(wc -l <"$WORK/before-victim") == 1 ]] ||
		fail "$(wc -l <"$WORK/before-victim") promises of a-hog ran before b-victim's"
	jq -e '.instances[1].promises | map(.status) == ["ok"]' \
		>/dev/null <<<"$out" || fail "b-victim's promise did not work"
}

test_reports_keep_the_order_of_the_homes() {
	make_instance slow; promise slow late "i=0; while [ ! -e $WORK/fast-done ] && [ \$i -lt 300 ]; do i=\$((i + 1)); sleep 0.01; done"
	make_instance fast; promise fast quick "touch $WORK/fast-done"
	run_pr -j 4 slow fast
	expect_status 0
	[[ $out == "== $WORK/slow
ok "*"late
$WORK/slow: working (1 promise)
== $WORK/fast
ok "*"quick
$WORK/fast: working (1 promise)
working (2 instances)" ]] || fail "not in the order of the homes"
	run_pr -j 4 -f json slow fast
	jq -e '[.instances[].home] == ["'"$WORK/slow"'", "'"$WORK/fast"'"]' \
		>/dev/null <<<"$out" || fail "json order"
}

test_a_locked_home_among_three_is_told_while_the_others_run() {
	for home in one two three; do
		make_instance $home; promise $home a 'echo fine'
	done
	run_pr two
	exec 8>"$WORK/two/.slapgrid/promise/promise-run.lock"
	flock 8
	run_pr -f json one two three
	expect_status 1
	expect_err "^promise-run: '$WORK/two' is locked by another run: '$WORK/two/.slapgrid/promise/promise-run.lock' is held \(use --wait to wait\)$"
	jq -e '[.instances[] | .verdict] == ["working", "not checked", "working"]
	       and (.instances[1].error | test("is locked by another run"))' \
		>/dev/null <<<"$out" || fail "the report"
}

test_waiting_for_one_homes_lock_holds_back_no_other() {
	make_instance one; promise one a "touch $WORK/one-ran"
	make_instance two; promise two b 'echo fine'
	run_pr --force one
	rm "$WORK/one-ran"
	exec 8>"$WORK/one/.slapgrid/promise/promise-run.lock"
	flock 8
	# Not inherited: promise-run would then hold the lock itself.
	start_pr --force --wait one two 8>&-
	# two runs and is committed while one still waits for its lock.
	wait_for_file two/.slapgrid/promise/result/b.status.json
	[[ ! -e $WORK/one-ran ]] || fail "ran under another run's lock"
	exec 8>&-
	finish_pr
	expect_status 0
	[[ -e $WORK/one-ran ]] || fail "one never ran"
}

test_per_home_timeouts_hold_under_the_shared_pool() {
	make_instance one; promise one hang 'exec sleep 30'
	make_instance two; promise two hang 'exec sleep 30'
	printf '[run]\ntimeout = 0.2\nkill-after = 0\n' >one/etc/promise-run.conf
	printf '[run]\ntimeout = 0.4\nkill-after = 0\n' >two/etc/promise-run.conf
	run_pr -j 2 -f json one two
	expect_status 2
	jq -e '[.instances[].promises[0].message] == ["Error: Promise timed out after 0.2 seconds", "Error: Promise timed out after 0.4 seconds"]' \
		>/dev/null <<<"$out" || fail "the timeouts"
}

test_a_deadline_too_short_to_stop_a_promise_is_refused() {
	make_instance home
	promise home a "touch $WORK/ran"
	run_pr --deadline 1.3 home
	expect_status 1
	[[ $err == "promise-run: option '--deadline': 1.3s leaves no time to run a promise (0.2s is kept for the state and the report, and stopping one takes its kill-after, 1s, and 0.1s more)" ]] ||
		fail "not the one line expected"
	[[ -z $out && ! -e ran ]] || fail "something ran"
	printf '[run]\ndeadline = 0.5\nkill-after = 0.2\n' >op.conf
	run_pr -c op.conf home
	expect_status 1
	[[ $err == "promise-run: op.conf: deadline 0.5s leaves no time to run a promise (0.2s is kept for the state and the report, and stopping one takes its kill-after, 0.2s, and 0.1s more)" ]] ||
		fail "not the one line expected, for the file"
	# With a shorter kill-after, the same deadline leaves time.
	run_pr --deadline 1.3 -k 0.5 home
	expect_status 0
	[[ -e ran ]] || fail "the promise did not run"
}

test_the_deadline_stops_running_promises_and_reports_the_queued_ones() {
	make_instance home
	promise home a-hang 'exec sleep 30'
	promise home b-queued "touch $WORK/b-ran"
	# A deadline long enough for a loaded machine (or ASan) to start a-hang.
	run_pr -j 1 -k 0.1 --deadline 2 -f json home
	expect_status 2
	expect_stopped_by_the_deadline
	[[ ! -e home/.slapgrid/promise/result/b-queued.status.json ]] ||
		fail "a promise not run has a result file"
}

test_sigint_stops_the_promises_of_every_home() {
	for home in one two three four; do
		make_instance $home
		promise $home a "touch $WORK/started-$home; exec sleep 30"
	done
	start_pr -j 3 one two three four
	for home in one two three; do wait_for_file "$WORK/started-$home"; done
	kill -INT "$pr_pid"
	finish_pr
	expect_status 130
	[[ ! -e $WORK/started-four ]] || fail "a fourth promise started after SIGINT"
	expect_err '^promise-run: interrupted by SIGINT: promises stopped$'
}

test_the_progress_line_shows_on_a_terminal_only() {
	need_terminal
	make_instance home
	# The promise ends when the progress line has shown on the terminal.
	promise home watch "i=0; until grep -q '1 running' $WORK/typescript; do i=\$((i + 1)); [ \$i -lt 500 ] || exit 1; sleep 0.01; done"
	PROMISE_RUN_TEST_TAG=$TEST_TAG script -qfec \
		"$PROMISE_RUN --keep-env PROMISE_RUN_TEST_TAG -t 10 home" \
		"$WORK/typescript" >/dev/null
	status=$?
	out=$(cat "$WORK/typescript")
	expect_status 0
	[[ $out == *"promise-run: 0/1 home, 1 running, slowest home/watch "* ]] ||
		fail "no progress line"
	[[ $out == *$'\r\033[K'* ]] || fail "the line was not erased"
	rm "$WORK/typescript"
	run_pr --force -t 1 home
	expect_status 2
	[[ $err != *running* ]] || fail "a progress line in a pipe"
}
