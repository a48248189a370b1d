# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# Faults are told clearly: one line naming the operation and the path, an
# exit status that says it, the promises still run and reported, every
# other promise's state still written, nothing half-written.

# small_state KIND: mounts a tiny tmpfs as home/.slapgrid (root only):
# "inodes" (too few inodes), "space" (a few KiB), "read-only".
small_state() {
	need_root
	mkdir -p home/.slapgrid
	case $1 in
	inodes) mount -t tmpfs -o nr_inodes=4,size=1m,mode=700 tmpfs home/.slapgrid ;;
	space) mount -t tmpfs -o size=16k,mode=700 tmpfs home/.slapgrid ;;
	read-only) mount -t tmpfs -o ro,size=1m,mode=700 tmpfs home/.slapgrid ;;
	esac || skip "cannot mount a tmpfs"
	at_exit "umount '$WORK/home/.slapgrid'"
}

test_no_inode_left_the_promises_still_run_and_the_failure_is_told() {
	make_instance home
	promise home a 'echo fine'
	promise home b 'exit 1'
	small_state inodes
	run_pr -f json home
	expect_status 1
	expect_err "^promise-run: cannot write the state of '$WORK/home': '$WORK/home/.slapgrid[^']*': No space left on device$"
	jq -e '.instances[0].promises | map(.status) == ["ok", "failed"]' \
		>/dev/null <<<"$out" || fail "the promises were not reported"
}

test_a_read_only_state_folder_the_promises_still_run_and_the_failure_is_told() {
	make_instance home
	promise home a 'echo fine'
	small_state read-only
	run_pr home
	expect_status 1
	expect_err "^promise-run: cannot write the state of '$WORK/home': '$WORK/home/.slapgrid/promise': Read-only file system$"
	expect_line '^ok +[0-9.]+s  a$'
}

test_a_short_write_leaves_no_half_record_and_every_other_state() {
	make_instance home
	promise home a 'echo fine'
	promise home b 'echo "$(head -c 300 /dev/zero | tr "\0" x)"'
	run_pr --force home
	expect_status 0
	# b's log ends 100 bytes short of the largest file allowed: its next
	# record is written in part, then refused (EFBIG), as on a full disk.
	{ cat home/.slapgrid/promise/log/b.log
	  yes '2026-01-01 00:00:00 - INFO - 1700000000-100 - filler' |
		head -c $((64 * 1024 - 100 - $(stat -c %s home/.slapgrid/promise/log/b.log)))
	} >"$WORK/b.log"
	truncate -s -1 "$WORK/b.log"; echo >>"$WORK/b.log"
	cp "$WORK/b.log" home/.slapgrid/promise/log/b.log
	out=$(ulimit -f 64; PROMISE_RUN_TEST_TAG=$TEST_TAG "$PROMISE_RUN" --force \
		--keep-env PROMISE_RUN_TEST_TAG home 2>"$WORK/err")
	status=$? err=$(cat "$WORK/err")
	expect_status 1
	expect_err "^promise-run: cannot write the state of '$WORK/home' for 'b' \\('$WORK/home/.slapgrid/promise/log/b.log'\\): File too large$"
	cmp -s home/.slapgrid/promise/log/b.log "$WORK/b.log" ||
		fail "b's log changed: $(tail -c 400 home/.slapgrid/promise/log/b.log)"
	[[ $(grep -c ' - INFO - ' home/.slapgrid/promise/log/a.log) == 2 ]] ||
		fail "a's state was not written"
}

test_a_name_too_long_costs_only_its_own_state() {
	make_instance home
	local long
	long=$(printf 'x%.0s' $(seq 1 250))
	promise home "$long" 'echo long'
	promise home short 'echo short'
	run_pr home
	expect_status 1
	expect_err "^promise-run: cannot write the state of '$WORK/home' for '$long' \('$WORK/home/.slapgrid/promise/result/$long.status.json'\): File name too long$"
	expect_line "^ok +[0-9.]+s  $long$"
	jq -e '.result.message == "short"' home/.slapgrid/promise/result/short.status.json \
		>/dev/null || fail "the other promise's state"
}

test_stdout_on_dev_full_is_told_and_the_state_still_written() {
	make_instance home
	promise home a 'echo fine'
	PROMISE_RUN_TEST_TAG=$TEST_TAG "$PROMISE_RUN" --keep-env PROMISE_RUN_TEST_TAG \
		home >/dev/full 2>"$WORK/err"
	status=$? err=$(cat "$WORK/err")
	expect_status 1
	expect_err "^promise-run: cannot write the report: No space left on device$"
	[[ -s home/.slapgrid/promise/result/a.status.json ]] || fail "no state"
}

test_no_process_left_to_fork_waits_or_fails_each_promise_clearly() {
	need_root
	make_user
	make_instance home
	promises home 6 'exec sleep 0.1'
	chown -R "$user": home
	# Promises are started as slots free up; with the user's process limit
	# at three, promise-run and two promises at most.
	out=$(ulimit -u 3; PROMISE_RUN_TEST_TAG=$TEST_TAG setpriv --reuid="$user" \
		--regid="$user" --clear-groups "$PROMISE_RUN" --force -j 6 home 2>"$WORK/err")
	status=$? err=$(cat "$WORK/err")
	expect_status 0
	expect_line '^.*home: working \(6 promises\)$'
	# With no room even for one, each promise is an error saying why.
	# (A sanitizer build's leak check needs a thread at exit: not here.)
	out=$(ulimit -u 1; ASAN_OPTIONS=detect_leaks=0 PROMISE_RUN_TEST_TAG=$TEST_TAG setpriv --reuid="$user" \
		--regid="$user" --clear-groups "$PROMISE_RUN" --force -j 6 home 2>"$WORK/err")
	status=$? err=$(cat "$WORK/err")
	expect_status 2
	expect_line '^ +cannot start: Resource temporarily unavailable$'
}
