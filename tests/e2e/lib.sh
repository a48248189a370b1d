# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# Helpers for the end-to-end tests.  Each test runs in its own folder $WORK,
# with $TEST_TAG set; promise-run is always started with PROMISE_RUN_TEST_TAG
# in its environment, which every promise and descendant inherits (as root,
# through --keep-env), so that anything left behind can be found in /proc
# afterwards.

# The pids of live processes whose environment holds the tag (one grep
# over /proc: a loop of one grep per process took 0.15 s per test).
processes_tagged() {
	local path pid
	for path in $(grep -laF "PROMISE_RUN_TEST_TAG=$1" /proc/[0-9]*/environ 2>/dev/null); do
		pid=${path#/proc/}; pid=${pid%/environ}
		[[ $pid == "$$" || $pid == "$BASHPID" ]] && continue
		printf '%s ' "$pid"
	done
}

# e2e_cgroup: the cgroup v2 folder of this shell, or nothing (not root, no
# cgroup v2).  The runner asks once, in bash alone: each test's cgroup is
# made in it.
e2e_cgroup() {
	local line mount= own=
	((EUID == 0)) || return 0
	while IFS= read -r line; do
		[[ $line == *" - cgroup2 "* ]] || continue
		read -r _ _ _ _ mount _ <<<"$line"
		break
	done </proc/self/mountinfo
	while IFS= read -r line; do
		[[ $line == 0::* ]] && own=${line#0::}
	done </proc/self/cgroup
	[[ -n $mount && -n $own && -w $mount$own ]] && printf '%s\n' "${mount}${own%/}"
	return 0
}

# enter_test_cgroup WORK: as root on cgroup v2, the test runs in a cgroup
# of its own (as a service does under systemd), so that what its runs
# leave (a promise-run killed hard) is its own and no other test's.
enter_test_cgroup() {
	[[ -n ${E2E_CGROUP-} ]] || return 0
	local test_cgroup=$E2E_CGROUP/e2e-${1##*.}
	mkdir "$test_cgroup" 2>/dev/null && echo "$BASHPID" >"$test_cgroup/cgroup.procs"
	return 0
}

# cgroup_tree FOLDER: adds FOLDER's cgroups to the array cgroups, deepest
# first (no subshell: the runner calls it after every test).
cgroup_tree() {
	local folder
	for folder in "$1"/*/; do
		[[ -d $folder ]] && cgroup_tree "${folder%/}"
	done
	cgroups+=("$1")
}

# remove_test_cgroup WORK: kills what is left in the test's cgroup tree and
# removes it, deepest first.
remove_test_cgroup() {
	[[ -n ${E2E_CGROUP-} ]] || return 0
	local test_cgroup=$E2E_CGROUP/e2e-${1##*.} key value tries=0 cgroups=()
	[[ -d $test_cgroup ]] || return 0
	echo 1 >"$test_cgroup/cgroup.kill" 2>/dev/null
	while ((tries++ < 100)); do
		value=
		while read -r key value; do
			[[ $key == populated ]] && break
		done <"$test_cgroup/cgroup.events"
		[[ $value == 0 ]] && break
		sleep 0.01
	done
	cgroup_tree "$test_cgroup"
	rmdir "${cgroups[@]}" 2>/dev/null
}

# make_instance HOME: an instance home with an empty promise folder.
make_instance() {
	mkdir -p "$1/etc/promise"
}

# promise HOME NAME BODY: an executable /bin/sh promise.
promise() {
	printf '#!/bin/sh\n%s\n' "$3" >"$1/etc/promise/$2"
	chmod +x "$1/etc/promise/$2"
}

# promises HOME COUNT BODY: COUNT /bin/sh promises p001, p002, ... of BODY.
promises() {
	for i in $(seq -w 1 "$2"); do
		printf '#!/bin/sh\n%s\n' "$3" >"$1/etc/promise/p$i"
	done
	chmod +x "$1"/etc/promise/p*
}

# run_pr ARGS...: runs promise-run, sets $out, $err and $status.  A hung
# promise-run is killed after 60 s, which fails the test (status 137):
# long enough for a loaded machine or a sanitized build to be slow.
run_pr() {
	out=$(PROMISE_RUN_TEST_TAG=$TEST_TAG timeout -s KILL 60 \
		"$PROMISE_RUN" --color=never --keep-env PROMISE_RUN_TEST_TAG \
		"$@" 2>"$WORK.stderr")
	status=$?
	# $(<file), not cat and rm: run_pr runs hundreds of times a suite;
	# the next call truncates the file, and the runner removes it.
	err=$(<"$WORK.stderr")
}

# skip REASON: a missing prerequisite (root, IPv6, a tool): shown and
# counted as a skip, never as a pass.
skip() {
	echo "skip: $*"
	exit 77
}

fail() {
	echo "FAIL: $*"
	echo "--- status: ${status-}"
	echo "--- stdout:"; printf '%s\n' "${out-}"
	echo "--- stderr:"; printf '%s\n' "${err-}"
	exit 1
}

expect_status() {
	[[ $status == "$1" ]] || fail "expected exit status $1, got $status"
}

# expect_line REGEX: some line of stdout matches (extended regex).
expect_line() {
	grep -qE -- "$1" <<<"$out" || fail "no line of stdout matches: $1"
}

expect_no_line() {
	! grep -qE -- "$1" <<<"$out" || fail "a line of stdout matches: $1"
}

expect_err() {
	grep -qE -- "$1" <<<"$err" || fail "no line of stderr matches: $1"
}

# expect_stopped_by_the_deadline: after `run_pr -j 1 --deadline 2 -f json`
# of a home whose a-hang hangs and whose b-queued would touch $WORK/b-ran,
# a-hang was cut by the deadline and b-queued never started, in time.
expect_stopped_by_the_deadline() {
	jq -e '.instances[0].promises | map(.status) == ["timeout", "not-run"]' \
		>/dev/null <<<"$out" || fail "statuses"
	jq -e '.instances[0].promises[0].message | test("the run.s deadline came before its timeout of 20 seconds")' \
		>/dev/null <<<"$out" || fail "message"
	jq -e '.duration < 2' >/dev/null <<<"$out" || fail "not done by the deadline"
	[[ ! -e $WORK/b-ran ]] || fail "a queued promise ran after the deadline"
}

# wait_for_file PATH: waits up to 5 s, in short steps, for PATH to appear.
wait_for_file() {
	local tries=0
	while [[ ! -e $1 ]]; do
		((tries++ < 500)) || fail "$1 never appeared"
		sleep 0.01
	done
}

# start_pr ARGS...: starts promise-run in the background ($pr_pid); its
# output goes to $WORK.out and $WORK.err.  Its stop signals have their
# default dispositions, whatever this shell inherited: promise-run keeps
# a stop signal it was started ignoring (as nohup asks), and a
# non-interactive shell starts background commands with SIGINT and
# SIGQUIT ignored.  $pr_signals, when set, replaces that reset (env's
# options: --ignore-signal=HUP to start it as nohup does).
start_pr() {
	PROMISE_RUN_TEST_TAG=$TEST_TAG env \
		${pr_signals:---default-signal=HUP,INT,QUIT,TERM} \
		"$PROMISE_RUN" --color=never --keep-env PROMISE_RUN_TEST_TAG \
		"$@" >"$WORK.out" 2>"$WORK.err" &
	pr_pid=$!
}

# finish_pr: waits for the background promise-run (at most 60 s, as
# run_pr) and sets $out, $err and $status like run_pr.
finish_pr() {
	local tries=0
	while kill -0 "$pr_pid" 2>/dev/null && ((tries++ < 6000)); do
		sleep 0.01
	done
	kill -KILL "$pr_pid" 2>/dev/null
	wait "$pr_pid"
	status=$?
	out=$(<"$WORK.out"); err=$(<"$WORK.err")
}

# conf LINE...: the configuration file of home/.
conf() { mkdir -p home/etc; printf '%s\n' "$@" >home/etc/promise-run.conf; }

# at_exit COMMAND: runs COMMAND when the test ends, after those before.
exit_commands=
at_exit() {
	exit_commands="$exit_commands
$1"
	trap 'eval "$exit_commands"' EXIT
}

# need_root: tests that create users and drop privileges.
need_root() {
	[[ $(id -u) == 0 ]] || skip "needs root"
}

# need_mount_namespace: a mount namespace of the test's own, whose mounts
# never reach the machine's: unshare -m makes every mount private, which
# fails where / is no mount point (a chroot).
need_mount_namespace() {
	need_root
	command -v unshare >/dev/null ||
		skip "unshare is missing (Debian package util-linux)"
	local why
	why=$(unshare -m true 2>&1) ||
		skip "no private mount namespace here (${why:-unshare -m failed})"
}

# need_terminal: a pseudo-terminal, through script(1).
need_terminal() {
	command -v script >/dev/null ||
		skip "script is missing (Debian package bsdutils)"
	script -qec true /dev/null </dev/null >/dev/null 2>&1 ||
		skip "no pseudo-terminal: script cannot open one (is /dev/pts mounted?)"
}

# make_user [VARIABLE]: a throw-away user for one test, named in $user (or
# in VARIABLE), removed when the test ends.  A machine where users cannot
# be added (no useradd, a read-only /etc) is a skip.
make_user() {
	local name=prtest$RANDOM$RANDOM why
	command -v useradd >/dev/null ||
		skip "useradd is missing (Debian package passwd)"
	# Tests run in parallel: useradd and userdel take turns on the files.
	why=$(flock /tmp/promise-run-e2e-users.lock \
		useradd --no-create-home --shell /bin/sh "$name" 2>&1) ||
		skip "cannot add a user (${why:-useradd failed})"
	at_exit "flock /tmp/promise-run-e2e-users.lock userdel '$name' 2>/dev/null"
	printf -v "${1:-user}" '%s' "$name"
	# The test folder is root's 0700 one: let the user reach its home.
	chmod 755 "$WORK"
}

# wait_for_lock_wait PID: waits (at most 5 s) until promise-run PID waits
# for a lock: its inotify descriptor then watches the lock file.
wait_for_lock_wait() {
	local tries=0
	until grep -qs '^inotify wd:' /proc/"$1"/fdinfo/*; do
		((tries++ < 500)) || fail "promise-run never waited for the lock"
		sleep 0.01
	done
}
