# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# slapgrid's result files and logs, and the instance lock.

# hold_lock: a checked instance "home" whose lock this shell then holds on
# fd 8 (sets $lock); `exec 8>&-` releases it.
hold_lock() {
	make_instance home
	promise home a 'exit 0'
	run_pr home
	lock=$WORK/home/.slapgrid/promise/promise-run.lock
	exec 8>"$lock"
	flock 8
}

result_of() { printf '%s' "$WORK/home/.slapgrid/promise/result/$1.status.json"; }
log_of() { printf '%s' "$WORK/home/.slapgrid/promise/log/$1.log"; }

test_result_files_have_slapgrids_keys_types_and_date() {
	make_instance home
	promise home check.sh 'echo fine'
	promise home broken 'echo "it is broken"; exit 1'
	(umask 022; run_pr home; expect_status 2) || exit 1
	[[ $(stat -c %a "$(result_of check)") == 644 ]] || fail "mode of the result file"
	[[ $(stat -c %a "$(log_of check)") == 644 ]] || fail "mode of the log file"
	jq -e --arg path "$WORK/home/etc/promise/check.sh" '
		(keys == ["execution-time", "name", "path", "result", "title"]) and
		.title == "check" and .name == "check.sh" and .path == $path and
		(."execution-time" | type) == "number" and
		(.result | keys == ["date", "failed", "message", "type"]) and
		.result.type == "Test Result" and .result.failed == false and
		.result.message == "fine" and
		(.result.date | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\+0000$"))
	' "$(result_of check)" >/dev/null || fail "result of check: $(cat "$(result_of check)")"
	jq -e '.result.failed == true and .result.message == "it is broken"' \
		"$(result_of broken)" >/dev/null || fail "result of broken"
	for folder in .slapgrid .slapgrid/promise .slapgrid/promise/result .slapgrid/promise/log; do
		[[ $(stat -c %a "home/$folder") == 700 ]] || fail "mode of $folder"
	done
	# Besides the results, only their spares (the previous results).
	[[ -z $(ls -A home/.slapgrid/promise/result | grep -v '\.status\.json$' |
		grep -v '^\.promise-run-spare\.') ]] ||
		fail "stray files: $(ls -A home/.slapgrid/promise/result)"
}

test_a_spare_that_cannot_be_written_keeps_the_last_success() {
	make_instance home
	promise home ok 'echo fine'
	run_pr --force home
	expect_status 0
	local successes=home/.slapgrid/promise/promise-run.last-success
	grep -qE '^[0-9]+ ok$' "$successes" || fail "no last success: $(cat "$successes")"
	rm home/.slapgrid/promise/result/.promise-run-spare.ok
	mkfifo home/.slapgrid/promise/result/.promise-run-spare.ok
	run_pr --force home
	expect_status 1
	expect_err "^promise-run: cannot write the state of '$WORK/home' for 'ok' \('$WORK/home/.slapgrid/promise/result/ok.status.json'\): "
	grep -qE '^[0-9]+ ok$' "$successes" || fail "the last success is lost: $(cat "$successes")"
}

test_a_second_run_exchanges_results_with_their_spares() {
	make_instance home
	promise home check.sh 'echo "run $(cat "$INSTANCE_HOME/count" 2>/dev/null)"'
	echo 1 >home/count
	run_pr --force home
	echo 2 >home/count
	run_pr --force home
	result=home/.slapgrid/promise/result
	jq -e '.result.message == "run 2"' "$result/check.status.json" >/dev/null ||
		fail "result: $(cat "$result/check.status.json")"
	# The spare holds the result before: the inode is reused, not freed.
	jq -e '.result.message == "run 1"' "$result/.promise-run-spare.check" >/dev/null ||
		fail "spare: $(cat "$result/.promise-run-spare.check")"
	inode=$(stat -c %i "$result/.promise-run-spare.check")
	echo 3 >home/count
	run_pr --force home
	[[ $(stat -c %i "$result/check.status.json") == "$inode" ]] || fail "a new inode"
}

test_log_lines_are_appended_in_slapgrids_format() {
	make_instance home
	promise home check.sh 'echo fine'
	promise home broken 'echo "it is broken"; exit 1'
	run_pr --force home
	run_pr --force home
	line='^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} - %s - [0-9]{10}-[1-9][0-9]{2} - %s$'
	[[ $(grep -cE "$(printf "$line" INFO fine)" "$(log_of check)") == 2 ]] ||
		fail "log of check: $(cat "$(log_of check)")"
	[[ $(grep -cE "$(printf "$line" ERROR 'it is broken')" "$(log_of broken)") == 2 ]] ||
		fail "log of broken: $(cat "$(log_of broken)")"
}

test_result_message_is_cut_and_cleaned() {
	make_instance home
	promise home long 'head -c 7000 /dev/zero | tr "\\0" a; printf "\377end"'
	run_pr home
	expect_status 0
	jq -e '.result.message | startswith("...") and endswith("a\ufffdend") and length == 5003' \
		"$(result_of long)" >/dev/null || fail "message: $(jq .result.message "$(result_of long)" | head -c 100)"
}

test_no_state_and_list_write_nothing_in_the_instance() {
	make_instance home
	promise home a 'exit 0'
	run_pr --no-state home
	expect_status 0
	run_pr --list home
	expect_status 0
	[[ ! -e home/.slapgrid ]] || fail "something was written"
}

test_a_locked_instance_fails_at_once_naming_the_lock() {
	hold_lock
	run_pr home
	expect_status 1
	expect_err "^promise-run: '$WORK/home' is locked by another run: '$lock' is held \(use --wait to wait\)$"
	# --no-state and --list take no lock: they run beside a locked run.
	run_pr --no-state home
	expect_status 0
	exec 8>&-
	run_pr home
	expect_status 0
}

test_wait_waits_for_the_lock_to_be_released() {
	hold_lock
	# Not inherited: promise-run would then hold the lock itself.
	start_pr --wait home 8>&-
	wait_for_lock_wait "$pr_pid"
	kill -0 "$pr_pid" || fail "promise-run did not wait"
	exec 8>&-
	finish_pr
	expect_status 0
	expect_line 'working \(1 promise\)'
}

test_wait_wakes_when_a_holder_that_opened_the_lock_to_read_closes_it() {
	hold_lock
	# flock(1) holds its lock on a file it opened read-only.
	exec 8<&- 8<"$lock"
	flock 8
	start_pr --wait home 8<&-
	wait_for_lock_wait "$pr_pid"
	exec 8<&-
	finish_pr
	expect_status 0
	expect_line 'working \(1 promise\)'
}

test_wait_notices_an_unlock_that_does_not_close_the_lock() {
	hold_lock
	start_pr --wait home 8>&-
	wait_for_lock_wait "$pr_pid"
	# Released, but still open: no close event; the retry finds it free.
	flock -u 8
	finish_pr
	exec 8>&-
	expect_status 0
	expect_line 'working \(1 promise\)'
}

test_the_lock_retry_comes_even_while_other_promises_keep_the_loop_busy() {
	hold_lock
	promise home a "touch $WORK/locked-home-ran"
	# Another home's promise writes all the time, and ends only once the
	# waiting home has run: it times out if the retry never comes.
	make_instance busy
	promise busy chatter "while [ ! -e $WORK/locked-home-ran ]; do echo x; sleep 0.1; done"
	start_pr --force --wait -t 10 home busy 8>&-
	wait_for_lock_wait "$pr_pid"
	flock -u 8
	finish_pr
	exec 8>&-
	expect_status 0
	expect_line '^working \(2 instances\)$'
}

test_sigint_while_waiting_for_the_lock_exits_130() {
	make_instance home
	promise home a "touch $WORK/ran"
	mkdir -p home/.slapgrid/promise
	exec 8>"home/.slapgrid/promise/promise-run.lock"
	flock 8
	start_pr --wait home 8>&-
	wait_for_lock_wait "$pr_pid"
	kill -INT "$pr_pid"
	finish_pr
	exec 8>&-
	# Stopped by the signal itself, after saying so: not the default
	# action of SIGINT, which would say nothing.
	expect_status 130
	expect_err '^promise-run: interrupted by SIGINT: promises stopped$'
	[[ ! -e $WORK/ran ]] || fail "a promise ran"
}

test_a_crashed_holder_never_leaves_a_stale_lock() {
	make_instance home
	promise home a 'exit 0'
	mkdir -p home/.slapgrid/promise
	setsid bash -c "exec 8>home/.slapgrid/promise/promise-run.lock; flock 8; touch $WORK/held; exec sleep 30" &
	holder=$!
	wait_for_file "$WORK/held"
	kill -KILL "$holder"
	wait "$holder" 2>/dev/null
	run_pr home
	expect_status 0
}

test_sigkill_mid_write_leaves_only_complete_result_files() {
	make_instance home
	# read, not $(cat): a process less for each promise run.
	promises home 200 "read delay <$WORK/run; echo run \$delay"
	echo 0 >"$WORK/run"
	run_pr home
	expect_status 0
	# The kill points are spread over a run; whatever the point, every
	# result file is whole, and no log holds a record whose result is not
	# in place (at most the promise being committed has its result
	# without its record yet).
	for delay in 0.01 0.02 0.04 0.06 0.08 0.1 0.15; do
		echo "$delay" >"$WORK/run"
		PROMISE_RUN_TEST_TAG=$TEST_TAG "$PROMISE_RUN" --keep-env PROMISE_RUN_TEST_TAG home >/dev/null 2>&1 &
		sleep "$delay"
		kill -KILL $! 2>/dev/null
		wait $! 2>/dev/null
		jq -se 'all(.[]; .result.failed == false)' \
			home/.slapgrid/promise/result/*.status.json >/dev/null ||
			fail "incomplete after SIGKILL at $delay s"
		# Each promise's last record against its result, in one pass.
		jq -rs '.[] | "\(.title) \(.result.message)"' \
			home/.slapgrid/promise/result/*.status.json >"$WORK/results"
		awk '{ sub(/.*\//, "", FILENAME) } { last[FILENAME] = $NF }
		     END { for (f in last) { sub(/\.log$/, "", f); print f, "run", last[f ".log"] } }' \
			home/.slapgrid/promise/log/*.log | sort >"$WORK/records"
		mismatches=$(sort "$WORK/results" | diff - "$WORK/records" | grep '^<' )
		[[ -z $mismatches || $(wc -l <<<"$mismatches") == 1 ]] ||
			fail "several results without their records at $delay s: $mismatches"
		[[ -z $mismatches || $mismatches == *"run $delay" ]] ||
			fail "a record without its result at $delay s: $mismatches"
	done
	# The promises orphaned by SIGKILL exit at once; wait for them.
	for _ in $(seq 200); do
		[[ -z $(processes_tagged "$TEST_TAG") ]] && break
		sleep 0.01
	done
	run_pr home
	expect_status 0
	stray=$(ls -A home/.slapgrid/promise/result | grep -v '\.status\.json$' |
		grep -v '^\.promise-run-spare\.p[0-9]*$')
	[[ -z $stray ]] || fail "files left: $stray"
	[[ $(ls home/.slapgrid/promise/result | wc -l) == 200 ]] || fail "count"
}

test_a_result_file_is_never_written_in_place() {
	make_instance home
	promise home a 'echo fine'
	promise home b 'exit 1'
	run_pr --force home
	# Every write in the result folder, by name, while two runs go on:
	# only spare files may be written; result files only move into place.
	cat >"$WORK/watch.py" <<'PY'
import ctypes, os, select, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
IN_MODIFY, IN_CLOSE_WRITE, IN_MOVED_TO = 0x2, 0x8, 0x80
fd = libc.inotify_init1(os.O_NONBLOCK)
libc.inotify_add_watch(fd, sys.argv[1].encode(), IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO)
open(sys.argv[3], "w").close()
with open(sys.argv[2], "w") as out:
    while not os.path.exists(sys.argv[4]):
        select.select([fd], [], [], 0.01)
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            continue
        at = 0
        while at < len(data):
            wd, mask, cookie, size = struct.unpack_from("iIII", data, at)
            name = data[at + 16:at + 16 + size].rstrip(b"\0").decode()
            kind = "moved" if mask & IN_MOVED_TO else "written"
            out.write(f"{kind} {name}\n")
            at += 16 + size
PY
	python3 "$WORK/watch.py" home/.slapgrid/promise/result "$WORK/events" \
		"$WORK/watching" "$WORK/stop" &
	wait_for_file "$WORK/watching"
	run_pr --force home
	run_pr --force home
	touch "$WORK/stop"
	wait
	grep -q '^moved a.status.json$' "$WORK/events" || fail "no result moved: $(cat "$WORK/events")"
	! grep '^written' "$WORK/events" | grep -v ' \.promise-run-spare\.' ||
		fail "a result file written in place: $(cat "$WORK/events")"
}
