# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# Declared checks run inside promise-run (no process each) give what the
# same files give run as processes (--no-inline): statuses, messages,
# reports and state files.  (start_server is t_checks.sh's,
# declare_check t_declared.sh's.)

# inline_home HOME PORT CLOSED: a home of every kind of declared check,
# against the server on PORT and the port CLOSED, and a shell promise.
inline_home() {
	local closed=$3
	make_instance "$1"
	declare_check "$1/etc/promise/web" "url = http://127.0.0.1:$2/ok" "body = hello"
	declare_check "$1/etc/promise/web-missing" "url = http://127.0.0.1:$2/missing"
	declare_check "$1/etc/promise/web-content" "url = http://127.0.0.1:$2/redirect" "body = goodbye"
	declare_check "$1/etc/promise/web-hang" "url = http://127.0.0.1:$2/hang" "timeout = 0.3"
	declare_check "$1/etc/promise/port" "host = 127.0.0.1" "port = $2"
	declare_check "$1/etc/promise/port-closed" "host = 127.0.0.1" "port = $closed"
	declare_check "$1/etc/promise/backup" "file = $WORK/backup.tar"
	declare_check "$1/etc/promise/bad" "url = http://127.0.0.1:$2/" "bogus = 1"
	promise "$1" shell 'echo shell'
}

# What may differ between two runs: durations, and what libcurl counts.
normalised() {
	sed -E -f "$REPO/tests/e2e/normalise.sed" |
		sed -E 's/(after )[0-9]+( ms| milliseconds)/\1N\2/'
}

# same_report HOME OUT OTHER OTHER_OUT: the reports OUT of HOME and
# OTHER_OUT of OTHER are the same but for the home and what may differ.
same_report() {
	diff <(sed "s#$WORK/$1#HOME#g" <<<"$2" | normalised) \
		<(sed "s#$WORK/$3#HOME#g" <<<"$4" | normalised) ||
		fail "the reports differ"
}

# result_without_time HOME PROMISE: its result file, but for its date and time.
result_without_time() {
	jq -S '.result | del(.date, ."execution-time")' \
		"$1/.slapgrid/promise/result/$2.status.json" |
		sed "s#$WORK/$1#HOME#g" | normalised
}

# same_result_files HOME OTHER PROMISE...: each PROMISE's result file is
# the same in both homes, but for what may differ.
same_result_files() {
	local home=$1 other=$2 promise
	shift 2
	for promise; do
		diff <(result_without_time "$home" "$promise") \
			<(result_without_time "$other" "$promise") ||
			fail "result file of $promise"
	done
}

test_inline_checks_give_the_results_of_processes() {
	local closed
	start_server plain 127.0.0.1
	closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	inline_home inline "$port" "$closed"
	inline_home process "$port" "$closed"
	run_pr inline
	local inline_out=$out inline_status=$status
	run_pr --no-inline process
	[[ $status == "$inline_status" ]] || fail "exit status $inline_status inside, $status as processes"
	same_report inline "$inline_out" process "$out"
	expect_status 2
	expect_line "^failed +[0-9.]+s  web-missing \(exit code 2\)$"
	expect_line "^ +http://127\.0\.0\.1:$port/missing is not available \(returned 404, expected 2xx\)\.$"
	expect_line "^failed +[0-9.]+s  web-hang \(exit code 1\)$"
	expect_line "^ok .* port$"
	same_result_files inline process web web-missing web-content web-hang \
		port port-closed backup bad shell
}

test_inline_checks_keep_the_promise_timeout_and_the_deadline() {
	start_server plain 127.0.0.1
	make_instance inline
	declare_check inline/etc/promise/hang "url = http://127.0.0.1:$port/hang"
	cp -a inline process
	run_pr --timeout 0.3 inline
	local inline_out=$out
	run_pr --timeout 0.3 --no-inline process
	same_report inline "$inline_out" process "$out"
	expect_status 2
	expect_line '^timeout .* hang$'
	expect_line '^ +Error: Promise timed out after 0\.3 seconds$'
}

# As root, in a pid namespace of the run's own: every pid given out is a
# process or a thread the run made.
test_as_root_inline_checks_start_no_process() {
	need_root
	command -v unshare >/dev/null || skip "unshare is missing (Debian package util-linux)"
	unshare -pf true 2>/dev/null || skip "no pid namespace here"
	start_server plain 127.0.0.1
	make_instance home
	for i in $(seq -w 1 30); do
		declare_check "home/etc/promise/web$i" "url = http://127.0.0.1:$port/ok"
		declare_check "home/etc/promise/port$i" "host = 127.0.0.1" "port = $port"
	done
	# The namespace's sh is pid 1, promise-run 2; the last sh is next,
	# but for a thread or two of promise-run's own (a sanitizer's).
	last=$(unshare -pf sh -c '"$1" -q --no-state "$2"; echo "status $?"; sh -c "echo \$\$"' \
		sh "$PROMISE_RUN" "$WORK/home")
	[[ $last == "status 0"* ]] || { out=$last; fail "the run failed"; }
	(($(tail -n 1 <<<"$last") <= 5)) || { out=$last; fail "processes were started: $last"; }
	last=$(unshare -pf sh -c '"$1" -q --no-state --no-inline "$2"; sh -c "echo \$\$"' \
		sh "$PROMISE_RUN" "$WORK/home")
	(($(tail -n 1 <<<"$last") > 60)) || { out=$last; fail "--no-inline started no process each"; }
}

test_list_says_which_promises_run_in_process() {
	make_instance home
	declare_check home/etc/promise/web "url = http://127.0.0.1:1/"
	declare_check home/etc/promise/bad "bogus = 1"
	promise home shell 'exit 0'
	printf '#!/usr/local/bin/other check\nurl = http://127.0.0.1:1/\n' >home/etc/promise/other
	chmod +x home/etc/promise/other
	run_pr --list home
	expect_status 0
	[[ $out == "== $WORK/home
promise  timeout 20s (default)                           bad
promise  timeout 20s (default)                           other
promise  timeout 20s (default)                           shell
promise  timeout 20s (default)                           web (declared check, in-process)
4 promises to run, 0 not run, 0 skipped
containment: "* ]] || fail "list"
	run_pr --list --no-inline home
	expect_no_line 'in-process'
	run_pr --list -f json home
	[[ $(jq -c '[.instances[0].promises[] | [.name, ."in-process"]]' <<<"$out") == '[["bad",false],["other",false],["shell",false],["web",true]]' ]] ||
		fail "json"
}

test_inline_checks_are_stopped_by_the_deadline() {
	start_server plain 127.0.0.1
	make_instance home
	declare_check home/etc/promise/a-hang "url = http://127.0.0.1:$port/hang"
	promise home b-queued "touch $WORK/b-ran"
	run_pr -j 1 -k 0.1 --deadline 2 -f json home
	expect_status 2
	expect_stopped_by_the_deadline
}

test_inline_checks_are_stopped_by_sigterm() {
	start_server plain 127.0.0.1
	make_instance home
	declare_check home/etc/promise/a-hang "url = http://127.0.0.1:$port/hang"
	# Started after a-hang (byte order): once it runs, a-hang does.
	promise home b-started "touch $WORK/b-started; exec sleep 30"
	start_pr -j 2 home
	wait_for_file "$WORK/b-started"
	kill -TERM "$pr_pid"
	finish_pr
	expect_status 143
	expect_err '^promise-run: interrupted by SIGTERM: promises stopped$'
	[[ ! -e home/.slapgrid/promise/result/a-hang.status.json ]] ||
		fail "an interrupted check has a result file"
}

# Out of descriptors, a check waits for a place as a process does, never
# fails for want of a socket (libcurl opens it at its next turn: those
# not open yet are counted).
test_100_declared_checks_under_a_limit_of_48_descriptors() {
	start_server plain 127.0.0.1
	make_instance home
	local i
	for i in $(seq -w 1 50); do
		declare_check "home/etc/promise/web$i" "url = http://127.0.0.1:$port/ok"
		declare_check "home/etc/promise/port$i" "host = 127.0.0.1" "port = $port"
	done
	( ulimit -n 48; run_pr --no-state -j 100 home; expect_status 0
	  expect_line 'working \(100 promises\)' ) || exit 1
}
