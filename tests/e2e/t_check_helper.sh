# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# As root over another user's home, the home's declared checks run in one
# check helper process, as that user: the same results as processes, one
# process a home, the user's identity, and a helper its user kills or
# stops stalls nothing.  (inline_home, same_report and same_result_files
# are t_inline.sh's, start_server t_checks.sh's, declare_check
# t_declared.sh's.)

# user_home HOME: makes HOME's tree the test user's.
user_home() {
	chown -R "$user": "$1"
}

# helper_pid: the pid of the test user's check helper, once it runs.
helper_pid() {
	local tries=0 pid
	until pid=$(pgrep -u "$user" -f "check-helper"); do
		((tries++ < 500)) || fail "no check helper ever ran"
		sleep 0.01
	done
	echo "$pid"
}

test_as_root_a_users_declared_checks_give_the_results_of_processes() {
	need_root
	make_user
	local closed
	# As processes the user's kernel executes the files' interpreter: a
	# copy the user may reach (a checkout under /root is not; the helper,
	# executed through /proc/self/exe, needs none).
	mkdir "$WORK/bin" && cp "$PROMISE_RUN" "$WORK/bin/promise-run"
	PROMISE_RUN=$WORK/bin/promise-run
	start_server plain 127.0.0.1
	closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	inline_home helper "$port" "$closed"
	inline_home process "$port" "$closed"
	# Only root reaches it: a check of the user's must not.
	mkdir -m 700 secret && touch secret/file
	declare_check helper/etc/promise/secret "file = $WORK/secret/file"
	declare_check process/etc/promise/secret "file = $WORK/secret/file"
	user_home helper
	user_home process
	# Known by their first line, read as the user.
	run_pr --list -f json helper
	[[ $(jq -c '[.instances[0].promises[] | select(."in-process") | .name]' <<<"$out") == '["backup","bad","port","port-closed","secret","web","web-content","web-hang","web-missing"]' ]] ||
		fail "--list: $out"
	run_pr helper
	local helper_out=$out helper_status=$status
	run_pr --no-inline process
	[[ $status == "$helper_status" ]] || fail "exit status $helper_status in the helper, $status as processes"
	same_report helper "$helper_out" process "$out"
	expect_status 2
	expect_line "^failed +[0-9.]+s  secret \(exit code 1\)$"
	expect_line "^ +$WORK/secret/file cannot be checked \(Permission denied\)$"
	expect_line "^ok .* port$"
	expect_line "^failed +[0-9.]+s  bad \(exit code 3\)$"
	same_result_files helper process web web-missing web-content web-hang \
		port port-closed backup bad secret shell
}

# In a pid namespace of the run's own, every pid given out is a process
# or a thread the run made: one a home, the helper, for 20 checks each.
# (As processes, the same checks take 40 pids: see the mutant
# check-helper-one-a-home.)
test_as_root_a_users_checks_take_one_process_a_home() {
	need_root
	command -v unshare >/dev/null || skip "unshare is missing (Debian package util-linux)"
	unshare -pf true 2>/dev/null || skip "no pid namespace here"
	make_user
	start_server plain 127.0.0.1
	local home i last
	for home in one two; do
		make_instance "$home"
		for i in $(seq -w 1 10); do
			declare_check "$home/etc/promise/web$i" "url = http://127.0.0.1:$port/ok"
			declare_check "$home/etc/promise/port$i" "host = 127.0.0.1" "port = $port"
		done
		user_home "$home"
	done
	# sh is pid 1, promise-run 2, a helper a home, then the last sh; a
	# task or two of each promise-run's own (a sanitizer's: LeakSanitizer
	# stops the world with one at exit) may come between.
	last=$(unshare -pf sh -c '"$1" -q --no-state "$2" "$3"; echo "status $?"; sh -c "echo \$\$"' \
		sh "$PROMISE_RUN" "$WORK/one" "$WORK/two")
	[[ $last == "status 0"* ]] || { out=$last; fail "the run failed"; }
	(($(tail -n 1 <<<"$last") <= 10)) || { out=$last; fail "more than a process a home: $last"; }
}

# The helper is the user's process: killed, its checks fail with what
# killed it, and the run goes on.
test_a_check_helper_its_user_kills_fails_its_checks_only() {
	need_root
	make_user
	start_server plain 127.0.0.1
	make_instance home
	declare_check home/etc/promise/hang "url = http://127.0.0.1:$port/hang" "timeout = 30"
	promise home shell 'exit 0'
	user_home home
	start_pr --no-state home
	kill -KILL "$(helper_pid)"
	finish_pr
	expect_status 2
	expect_line '^failed +[0-9.]+s  hang \(killed by signal 9, SIGKILL\)$'
	expect_line "^ +promise-run's check helper for this home ended before the check did$"
	expect_line '^ok .* shell$'
}

# Stopped by its user, the helper holds nothing back: the check's promise
# timeout is root's, and the stopped helper is killed with the run.
test_a_check_helper_its_user_stops_stalls_nothing() {
	need_root
	make_user
	start_server plain 127.0.0.1
	make_instance home
	declare_check home/etc/promise/hang "url = http://127.0.0.1:$port/hang" "timeout = 30"
	user_home home
	start_pr --no-state --timeout 1 -k 0.2 home
	kill -STOP "$(helper_pid)"
	finish_pr
	expect_status 2
	expect_line '^timeout .* hang$'
	expect_line '^ +Error: Promise timed out after 1 seconds$'
}

# Root cuts a check in a helper at the deadline as it cuts a process.
test_a_users_checks_in_a_helper_are_stopped_by_the_deadline() {
	need_root
	make_user
	start_server plain 127.0.0.1
	make_instance home
	declare_check home/etc/promise/a-hang "url = http://127.0.0.1:$port/hang"
	promise home b-queued "touch $WORK/b-ran"
	user_home home
	chmod 777 "$WORK"       # where b-queued would leave its mark
	run_pr -j 1 -k 0.1 --deadline 2 -f json home
	expect_status 2
	expect_stopped_by_the_deadline
}

test_a_users_checks_in_a_helper_are_stopped_by_sigterm() {
	need_root
	make_user
	start_server plain 127.0.0.1
	make_instance home
	declare_check home/etc/promise/a-hang "url = http://127.0.0.1:$port/hang"
	promise home b-started "touch $WORK/b-started; exec sleep 30"
	user_home home
	chmod 777 "$WORK"       # where b-started leaves its mark
	start_pr -j 2 home
	wait_for_file "$WORK/b-started"
	helper_pid >/dev/null
	kill -TERM "$pr_pid"
	finish_pr
	expect_status 143
	expect_err '^promise-run: interrupted by SIGTERM: promises stopped$'
	[[ ! -e home/.slapgrid/promise/result/a-hang.status.json ]] ||
		fail "an interrupted check has a result file"
}

# In a helper too, out of descriptors a check waits (its request unread)
# rather than fail for want of a socket.
test_100_checks_in_a_helper_under_a_limit_of_48_descriptors() {
	need_root
	make_user
	start_server plain 127.0.0.1
	make_instance home
	local i
	for i in $(seq -w 1 50); do
		declare_check "home/etc/promise/web$i" "url = http://127.0.0.1:$port/ok"
		declare_check "home/etc/promise/port$i" "host = 127.0.0.1" "port = $port"
	done
	user_home home
	( ulimit -n 48; run_pr --no-state -j 100 home; expect_status 0
	  expect_line 'working \(100 promises\)' ) || exit 1
}
