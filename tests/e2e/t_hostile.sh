# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# An instance's user is not trusted: whatever they put in their home,
# root running promise-run never writes, creates, truncates, chowns or
# chmods anything outside it or not theirs, never shows what they could
# not read, never hangs, and still checks and records the other homes.
# These tests need root (a throw-away instance user); they are skips
# without it.

# hostile_setup: a home owned by a throw-away user, with a working promise
# and every state file in place; a root-only folder $WORK/secret holding a
# file named and filled with TOPSECRET; another user's 0666 file $foreign.
hostile_setup() {
	need_root
	make_user
	make_user other
	make_instance home
	promise home ok 'echo fine'
	mkdir -m 700 "$WORK/secret"
	printf 'TOPSECRET-key = 1\n' >"$WORK/secret/TOPSECRET-file"
	chmod 600 "$WORK/secret/TOPSECRET-file"
	foreign=$WORK/foreign
	printf 'original\n' >"$foreign"
	chown "$other": "$foreign"
	chmod 666 "$foreign"
	# The user's own file, but outside the home: not to be written either.
	own_outside=$WORK/own-outside
	printf 'original\n' >"$own_outside"
	chown "$user": "$own_outside"
	chown -R "$user": home
	run_pr home
	expect_status 0
	before=$(outside_snapshot)
}

# Everything outside the home that an attack could touch: names, owners,
# modes, sizes, contents.  (Not the link count: the user's hard link is
# the user's doing.)
outside_snapshot() {
	(cd "$WORK" && find secret foreign own-outside -printf '%p %u %g %m %s\n' | sort &&
		cat secret/TOPSECRET-file foreign own-outside | md5sum)
}

# plant PATH KIND: replaces PATH (in home/) by a link to the root-only
# folder or file, a FIFO, or a hard link to the other user's file.
plant() {
	local path=home/$1
	rm -rf "$path"
	case $2 in
	link-dir) ln -s "$WORK/secret" "$path" ;;
	link-file) ln -s "$WORK/secret/TOPSECRET-file" "$path" ;;
	fifo) mkfifo -m 600 "$path" ;;
	hardlink) ln "$foreign" "$path" ;;
	hardlink-own) ln "$own_outside" "$path" ;;
	esac
	# A hard link is the file itself: it keeps its owner.
	[[ $2 == hardlink* ]] || chown -h "$user": "$path"
}

# attacked PATH KIND: after planting, runs as a cron job, a person and a
# program would, and checks that nothing leaked, hung or changed outside.
attacked() {
	local format
	for format in "-v" "-f json" "-f tap" "--list" "--list -f json"; do
		# shellcheck disable=SC2086
		# Forced: a promise not due would write nothing to attack.
		run_pr -t 2 -k 0.2 --force $format home
		[[ $status == [012] ]] || fail "$1 as $2 ($format): exit $status"
		[[ $out$err != *TOPSECRET* ]] || fail "$1 as $2 ($format): a secret shows"
	done
	[[ $(outside_snapshot) == "$before" ]] ||
		fail "$1 as $2 changed what is outside the home: $(outside_snapshot)"
	# Reset the home for the next attack (the planted link first, which
	# the set-up below would follow as root).
	rm -rf "home/$1" home/.slapgrid
	make_instance home
	promise home ok 'echo fine'
	rm -f home/etc/promise-run.conf
	chown -R "$user": home
}

test_hostile_links_never_lead_root_outside_the_home() {
	hostile_setup
	local path
	for path in .slapgrid .slapgrid/promise .slapgrid/promise/log \
		.slapgrid/promise/result .slapgrid/promise/cache etc/promise; do
		run_pr home; plant "$path" link-dir; attacked "$path" link-dir
	done
	for path in .slapgrid/promise/promise-run.lock \
		.slapgrid/promise/log/ok.log .slapgrid/promise/result/ok.status.json \
		.slapgrid/promise/result/.promise-run-spare.ok \
		.slapgrid/promise/cache/ok etc/promise-run.conf etc/promise/ok; do
		run_pr home; plant "$path" link-file; attacked "$path" link-file
	done
}

test_hostile_fifos_never_hang_the_run() {
	hostile_setup
	local path
	for path in .slapgrid/promise/promise-run.lock \
		.slapgrid/promise/log/ok.log .slapgrid/promise/result/ok.status.json \
		.slapgrid/promise/result/.promise-run-spare.ok \
		.slapgrid/promise/cache/ok etc/promise-run.conf; do
		run_pr home; plant "$path" fifo; attacked "$path" fifo
	done
}

test_hostile_hard_links_never_make_root_write_another_users_file() {
	hostile_setup
	local path
	for path in .slapgrid/promise/promise-run.lock \
		.slapgrid/promise/log/ok.log .slapgrid/promise/result/ok.status.json \
		.slapgrid/promise/result/.promise-run-spare.ok \
		.slapgrid/promise/cache/ok; do
		run_pr home; plant "$path" hardlink; attacked "$path" hardlink
		run_pr home; plant "$path" hardlink-own; attacked "$path" hardlink-own
	done
}

test_a_hostile_home_costs_the_other_homes_nothing() {
	hostile_setup
	make_instance good
	promise good fine 'echo fine'
	chown -R "$user": good
	plant .slapgrid link-dir
	plant etc/promise-run.conf fifo
	run_pr -t 2 -f json home good
	[[ $status == 1 ]] || fail "exit $status"
	jq -e '.instances[1] | .verdict == "working" and .promises[0].status == "ok"' \
		>/dev/null <<<"$out" || fail "the good home: $out"
	jq -e '.result.failed == false' good/.slapgrid/promise/result/fine.status.json \
		>/dev/null || fail "the good home's result file"
	[[ $(outside_snapshot) == "$before" ]] || fail "outside changed"
}

test_the_user_swapping_state_folders_with_links_never_wins() {
	hostile_setup
	# The user exchanges the log and result folders with links to the
	# root-only folder, over and over, while root runs 50 times.
	ln -s "$WORK/secret" home/.slapgrid/promise/bait
	chown -h "$user": home/.slapgrid/promise/bait
	cat >"$WORK/swap.py" <<'PY'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
base = sys.argv[1].encode()
names = [b"log", b"result", b"cache"]
while not os.path.exists(sys.argv[2]):
    for name in names:
        libc.renameat2(-100, base + b"/bait", -100, base + b"/" + name, 2)
PY
	PROMISE_RUN_TEST_TAG=$TEST_TAG setpriv --reuid="$user" --regid="$user" \
		--clear-groups python3 "$WORK/swap.py" "$WORK/home/.slapgrid/promise" \
		"$WORK/stop-swapping" &
	local run
	for run in $(seq 1 50); do
		run_pr -t 2 -f json home
		[[ $status == [012] ]] || fail "run $run: exit $status"
		[[ $out$err != *TOPSECRET* ]] || fail "run $run: a secret shows"
	done
	touch "$WORK/stop-swapping"
	wait
	[[ $(outside_snapshot) == "$before" ]] ||
		fail "the swaps got root outside the home: $(outside_snapshot)"
}

test_umask_0_still_gives_the_documented_modes() {
	make_instance home
	promise home ok 'echo fine'
	(umask 0 && run_pr home && [[ $status == 0 ]]) || fail "run"
	local modes
	modes=$(cd home/.slapgrid && find . -printf '%m %p\n' | sort -k2)
	[[ $modes == "700 .
700 ./promise
700 ./promise/cache
644 ./promise/cache/ok
700 ./promise/log
644 ./promise/log/ok.log
644 ./promise/promise-run.last-success
600 ./promise/promise-run.lock
700 ./promise/result
644 ./promise/result/ok.status.json" ]] || fail "modes: $modes"
}

test_promise_run_killed_by_sigkill_takes_its_promises_along() {
	make_instance home
	# It would outlive the wait below by far: only a kill ends it in time.
	promise home hang "touch $WORK/started; exec sleep 300"
	start_pr home
	wait_for_file "$WORK/started"
	kill -KILL "$pr_pid"
	wait "$pr_pid" 2>/dev/null
	# The promise gets SIGKILL from the kernel as its parent dies.  Bounded
	# by the clock, not by a count of looks at /proc, which a loaded
	# machine makes slow enough for the promise to end by itself.
	local deadline=$((SECONDS + 10))
	while [[ -n $(processes_tagged "$TEST_TAG") ]] && ((SECONDS < deadline)); do
		sleep 0.01
	done
	[[ -z $(processes_tagged "$TEST_TAG") ]] || fail "the promise outlived promise-run"
}

test_a_linked_promise_folder_is_named_as_a_link() {
	make_instance real
	promise real ok 'exit 0'
	mkdir -p home/etc
	ln -s "$WORK/real/etc/promise" home/etc/promise
	run_pr home
	expect_status 1
	expect_err "^promise-run: cannot read '$WORK/home/etc/promise': a symbolic link, which is not followed in an instance home$"
	# --promise-dir names a folder of the operator's choice.
	run_pr --promise-dir "$WORK/real/etc/promise" home
	expect_status 0
}
