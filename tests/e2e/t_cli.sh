# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# The command line: options, errors, listing, verbosity, colour.

test_help_and_version_exit_0() {
	run_pr --help
	expect_status 0
	expect_line '^Usage: promise-run '
	expect_line -- '--kill-after'
	run_pr --version
	expect_status 0
	expect_line '^promise-run [0-9]+\.[0-9]+\.[0-9]+$'
}

test_a_bad_option_or_value_exits_1_with_one_line() {
	run_pr --timeout=soon
	expect_status 1
	expect_err "^promise-run: option '--timeout' expects a number of seconds above 0, not 'soon' \(see --help\)$"
	run_pr --jobs 0
	expect_status 1
	expect_err "option '--jobs' expects a whole number"
	run_pr --frobnicate
	expect_status 1
	expect_err "^promise-run: unknown option '--frobnicate' \(see --help\)$"
	[[ -z $out ]] || fail "stdout not empty"
}

test_a_missing_instance_home_exits_1() {
	run_pr "$WORK/nowhere"
	expect_status 1
	expect_err "^promise-run: cannot use instance home '$WORK/nowhere': No such file or directory$"
}

test_an_unreadable_promise_folder_exits_1() {
	mkdir -p home/etc
	echo not a folder >home/etc/promise
	run_pr home
	expect_status 1
	expect_err "^promise-run: cannot read '$WORK/home/etc/promise': Not a directory$"
}

test_the_current_directory_is_the_default_home() {
	make_instance home
	promise home here 'exit 0'
	out=$(cd home && PROMISE_RUN_TEST_TAG=$TEST_TAG "$PROMISE_RUN" --keep-env PROMISE_RUN_TEST_TAG)
	status=$?
	expect_status 0
	expect_line "^== $WORK/home$"
}

test_promise_dir_option_relative_to_each_home_or_absolute() {
	mkdir -p home/other elsewhere
	printf '#!/bin/sh\nexit 0\n' >home/other/p
	printf '#!/bin/sh\nexit 1\n' >elsewhere/q
	chmod +x home/other/p elsewhere/q
	run_pr -d other home
	expect_status 0
	expect_line '^ok .* p$'
	run_pr --promise-dir "$WORK/elsewhere" home
	expect_status 2
	expect_line '^failed .* q '
}

test_list_shows_what_would_run_and_runs_nothing() {
	make_instance home
	promise home toucher "touch $WORK/ran"
	printf 'x\n' >home/etc/promise/notes
	run_pr --list -t 3 home
	expect_status 0
	expect_line '^promise +timeout 3s \(command line\) +toucher$'
	expect_line '^skipped +notes: not executable$'
	expect_line '^1 promise to run, 0 not run, 1 skipped$'
	[[ ! -e $WORK/ran ]] || fail "--list ran a promise"
}

test_quiet_prints_nothing_when_everything_works() {
	make_instance home
	promise home good 'echo chatty'
	run_pr --quiet home
	expect_status 0
	[[ -z $out ]] || fail "quiet printed something"
}

test_quiet_prints_only_the_failures() {
	make_instance home
	promise home good 'echo chatty'
	promise home bad 'echo broken; exit 1'
	run_pr -q home
	expect_status 2
	expect_line '^failed .* bad '
	expect_line '^ +broken$'
	expect_no_line 'good|chatty'
}

test_verbose_prints_the_output_of_working_promises() {
	make_instance home
	promise home good 'echo chatty'
	run_pr home
	expect_no_line 'chatty'
	run_pr -v home
	expect_line '^ +chatty$'
}

test_color_only_when_asked_and_never_with_no_color() {
	make_instance home
	promise home good 'exit 0'
	out=$(PROMISE_RUN_TEST_TAG=$TEST_TAG "$PROMISE_RUN" --keep-env PROMISE_RUN_TEST_TAG home)
	[[ $out != *$'\e['* ]] || fail "colour on a pipe"
	out=$(PROMISE_RUN_TEST_TAG=$TEST_TAG "$PROMISE_RUN" --keep-env PROMISE_RUN_TEST_TAG --color=always home)
	[[ $out == *$'\e[32m'* ]] || fail "no colour with --color=always"
	out=$(NO_COLOR=1 PROMISE_RUN_TEST_TAG=$TEST_TAG "$PROMISE_RUN" --keep-env PROMISE_RUN_TEST_TAG --color=always home)
	[[ $out != *$'\e['* ]] || fail "colour despite NO_COLOR"
}

test_an_error_is_exactly_one_line() {
	run_pr --kill-after=never
	expect_status 1
	[[ $(wc -l <<<"$err") == 1 ]] || fail "more than one line on stderr"
}
