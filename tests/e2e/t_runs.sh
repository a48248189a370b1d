# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# Several instances, concurrency, limits, and signals to promise-run.

test_several_homes_are_checked_in_turn_with_one_verdict() {
	make_instance one; promise one a 'exit 0'
	make_instance two; promise two b 'exit 1'
	run_pr one two
	expect_status 2
	expect_line "^$WORK/one: working \(1 promise\)$"
	expect_line "^$WORK/two: not working \(1 of 1 promise does not work\)$"
	expect_line '^not working \(1 of 2 instances does not work\)$'
	run_pr one one
	expect_status 0
	[[ $(grep -c '^== ' <<<"$out") == 1 ]] || fail "the same home was checked twice"
}

test_the_same_home_through_a_link_is_checked_once() {
	make_instance home; promise home a 'exit 0'
	ln -s home alias
	run_pr home alias ./home/
	expect_status 0
	[[ $(grep -c '^== ' <<<"$out") == 1 ]] || fail "checked more than once"
}

test_jobs_1_runs_promises_one_at_a_time() {
	make_instance home
	for name in a b c d; do
		promise home "$name" 'mkdir "$INSTANCE_HOME/busy" || exit 1; sleep 0.02; rmdir "$INSTANCE_HOME/busy"'
	done
	run_pr -j 1 home
	expect_status 0
}

test_jobs_2_runs_two_promises_at_once() {
	make_instance home
	# Each waits for the other to have started: only parallel runs pass.
	promise home a 'touch "$INSTANCE_HOME/a"; i=0; while [ ! -e "$INSTANCE_HOME/b" ] && [ $i -lt 300 ]; do sleep 0.01; i=$((i+1)); done; [ -e "$INSTANCE_HOME/b" ]'
	promise home b 'touch "$INSTANCE_HOME/b"; i=0; while [ ! -e "$INSTANCE_HOME/a" ] && [ $i -lt 300 ]; do sleep 0.01; i=$((i+1)); done; [ -e "$INSTANCE_HOME/a" ]'
	run_pr -j 2 home
	expect_status 0
}

test_300_promises_under_a_limit_of_48_descriptors() {
	make_instance home
	promises home 300 'exit 0'
	( ulimit -n 48; run_pr -j 4 home; expect_status 0
	  expect_line 'working \(300 promises\)' ) || exit 1
	# More jobs than descriptors: promise-run waits for free ones.
	( ulimit -n 48; run_pr -j 100 home; expect_status 0
	  expect_line 'working \(300 promises\)' ) || exit 1
}

test_sigint_stops_every_promise_and_exits_130() {
	make_instance home
	promise home a-quick 'exit 0'
	promise home b-hang "touch $WORK/b-started; sleep 30"
	promise home c-hang "touch $WORK/c-started; sleep 30"
	promise home d-never "touch $WORK/d-ran"
	# Two slots: a-quick ends, c-hang takes its slot, d-never waits.
	start_pr -j 2 home
	wait_for_file "$WORK/b-started"
	wait_for_file "$WORK/c-started"
	kill -INT "$pr_pid"
	finish_pr
	expect_status 130
	[[ $out == "== $WORK/home
ok "*" a-quick" ]] || fail "not only the finished promise"
	[[ ! -e $WORK/d-ran ]] || fail "a promise started after SIGINT"
	expect_err '^promise-run: interrupted by SIGINT: promises stopped$'
}

test_sigterm_and_sighup_exit_128_plus_n() {
	make_instance home
	promise home hang "touch $WORK/started; sleep 30"
	start_pr home
	wait_for_file "$WORK/started"
	kill -TERM "$pr_pid"
	finish_pr
	expect_status 143
	rm -f "$WORK/started"
	start_pr home
	wait_for_file "$WORK/started"
	kill -HUP "$pr_pid"
	finish_pr
	expect_status 129
}

test_a_second_sigint_kills_promises_that_ignore_sigterm() {
	make_instance home
	# It notes the SIGTERM the first SIGINT brings, and goes on.
	promise home stubborn "trap 'touch $WORK/termed' TERM; touch $WORK/started; while :; do sleep 0.01; done"
	start_pr -k 60 home
	wait_for_file "$WORK/started"
	kill -INT "$pr_pid"
	wait_for_file "$WORK/termed"
	# Only this second SIGINT can end it before the 60 s kill-after.
	kill -INT "$pr_pid"
	finish_pr
	expect_status 130
}

test_a_stop_signal_ignored_at_start_stays_ignored() {
	make_instance home
	# It runs until the SIGHUP has been sent.
	promise home slow "touch $WORK/started; i=0; while [ ! -e $WORK/hup-sent ] && [ \$i -lt 500 ]; do i=\$((i + 1)); sleep 0.01; done"
	# As under nohup: SIGHUP ignored by whoever started promise-run.
	pr_signals="--ignore-signal=HUP --default-signal=INT,QUIT,TERM" start_pr home
	wait_for_file "$WORK/started"
	kill -HUP "$pr_pid"
	touch "$WORK/hup-sent"
	finish_pr
	expect_status 0
	expect_line '^ok .* slow$'
}

test_an_inherited_ignored_sigchld_does_not_blind_promise_run() {
	make_instance home
	promise home quick 'exit 0'
	promise home failing 'exit 3'
	out=$(PROMISE_RUN_TEST_TAG=$TEST_TAG python3 -c '
import os, signal, sys
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
os.execv(sys.argv[1], sys.argv[1:])' "$PROMISE_RUN" -t 5 home)
	status=$?
	expect_status 2
	expect_line '^ok .* quick$'
	expect_line '^failed .* failing \(exit code 3\)$'
}
