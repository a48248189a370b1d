# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# Which files are promises, how each ends, and the verdict.

test_working_promises_give_exit_0() {
	make_instance home
	promise home a.sh 'echo fine'
	promise home b 'exit 0'
	run_pr home
	expect_status 0
	expect_line '^ok +[0-9.]+s  a\.sh$'
	expect_line '^ok +[0-9.]+s  b$'
	expect_line "^$WORK/home: working \(2 promises\)$"
}

test_a_failing_promise_gives_exit_2_with_its_message() {
	make_instance home
	promise home good 'exit 0'
	promise home bad 'echo "  it is broken  " >&2; exit 3'
	run_pr home
	expect_status 2
	expect_line '^failed +[0-9.]+s  bad \(exit code 3\)$'
	expect_line '^ +it is broken$'
	expect_line 'not working \(1 of 2 promises does not work\)$'
}

test_no_promise_folder_means_working() {
	mkdir home
	run_pr home
	expect_status 0
	expect_line 'working \(0 promises\)'
}

test_a_promise_killed_by_a_signal_fails() {
	make_instance home
	promise home killed 'kill -KILL $$'
	run_pr home
	expect_status 2
	expect_line '^failed .* killed \(killed by signal 9, SIGKILL\)$'
}

test_a_file_without_shebang_is_an_error() {
	make_instance home
	printf 'echo no shebang\n' >home/etc/promise/plain
	chmod +x home/etc/promise/plain
	run_pr home
	expect_status 2
	expect_line '^error .* plain$'
	expect_line '^ +cannot execute: Exec format error$'
}

test_a_missing_interpreter_is_an_error_naming_it() {
	make_instance home
	printf '#!/nonexistent/python9\n' >home/etc/promise/py
	chmod +x home/etc/promise/py
	run_pr home
	expect_status 2
	expect_line "^ +cannot execute: bad interpreter '/nonexistent/python9': No such file or directory$"
}

test_exit_127_is_a_failure_not_an_exec_error() {
	make_instance home
	promise home notfound 'exit 127'
	run_pr home
	expect_status 2
	expect_line '^failed .* notfound \(exit code 127\)$'
}

test_hidden_files_are_promises_too() {
	make_instance home
	promise home .hidden 'echo hidden ran; exit 1'
	run_pr home
	expect_status 2
	expect_line '^failed .* \.hidden'
}

test_entries_that_are_not_promises_are_skipped_with_a_reason() {
	make_instance home
	promise home target 'exit 0'
	printf 'data\n' >home/etc/promise/readme
	mkdir home/etc/promise/folder
	ln -s /nonexistent home/etc/promise/dangling
	ln -s target home/etc/promise/good-link
	mkfifo home/etc/promise/fifo
	run_pr --verbose home
	expect_status 0
	expect_line '^ok .* good-link$'
	expect_line '^ok .* target$'
	expect_line '^skipped +readme: not executable$'
	expect_line '^skipped +folder: not a regular file$'
	expect_line '^skipped +fifo: not a regular file$'
	expect_line '^skipped +dangling: dangling link$'
	expect_line 'working \(2 promises\)'
	run_pr home
	expect_no_line 'skipped'
}

test_promises_run_and_report_in_byte_order() {
	make_instance home
	for name in b a C _ 10 9 é; do promise home "$name" 'exit 0'; done
	run_pr -j 7 home
	expect_status 0
	order=$(awk '$1 == "ok" {print $3}' <<<"$out" | tr '\n' ' ')
	[[ $order == "10 9 C _ a b é " ]] || fail "order was: $order"
}

test_same_titles_get_a_warning() {
	make_instance home
	promise home check.sh 'exit 0'
	promise home check.py 'exit 0'
	run_pr home
	expect_status 0
	expect_err "warning: 'check.py' and 'check.sh' have the same title 'check'"
}
