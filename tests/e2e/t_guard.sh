# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# What an instance's user controls (file names, its configuration, its lock
# file) never forges a line of root's standard error, never holds a waiting
# run for good nor makes it spin, and never merges two promises' series.
# As root, the homes belong to a throw-away user, as on a node.

# as_instance_user HOME...: as root, gives the homes to a throw-away user.
as_instance_user() {
	[[ $(id -u) == 0 ]] || return 0
	make_user
	chown -R "$user": "$@"
}

# expect_no_raw_control TEXT: no C0 control but the line feed, no DEL, no
# C1 control (as UTF-8) and nothing that is not UTF-8 in TEXT.
expect_no_raw_control() {
	! printf '%s' "$1" | LC_ALL=C grep -qaP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' ||
		fail "a raw control byte: $(printf '%s' "$1" | od -c | head -n 20)"
	printf '%s' "$1" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1 ||
		fail "not UTF-8: $(printf '%s' "$1" | od -c | head -n 20)"
}

# The forged names of the issue, a configuration whose section names, keys
# and values hold CR, ESC, CSI (C1) and bytes that are not UTF-8, and a log
# file that cannot be written under a forged title: every message that
# names them shows their controls as '?', as the text report does.
test_stderr_escapes_every_byte_a_user_chose() {
	local forged=$'x\npromise-run: slappart9: all 12 promises work (verified)\n\e[2K\e[1Afoo'
	make_instance one
	promise one "$forged.a" 'echo a'
	promise one "$forged.b" 'echo b'
	mkdir -p one/etc one/.slapgrid/promise/log
	printf '[promise:gone\r\e[1A\xc2\x9bname]\ntimeout = 5\n' >one/etc/promise-run.conf
	# Not a regular file: the log of the forged title cannot be written.
	mkdir "one/.slapgrid/promise/log/$forged.log"
	make_instance two
	printf '[run]\ntimeout = 5\r\e[2K\xff ok\n' >two/etc/promise-run.conf
	make_instance three
	printf '[promise:p\e]0;owned\a]\nti\x7fme\rout = 1\n' >three/etc/promise-run.conf
	as_instance_user one two three
	run_pr one two three
	expect_status 1
	expect_no_raw_control "$err"
	expect_no_raw_control "$out"
	diff -u - <(sed -E -f "$REPO/tests/e2e/normalise.sed" <<<"$err") <<'EOF' >"$WORK/diff" ||
promise-run: warning: 'x?promise-run: slappart9: all 12 promises work (verified)??[2K?[1Afoo.a' and 'x?promise-run: slappart9: all 12 promises work (verified)??[2K?[1Afoo.b' have the same title 'x?promise-run: slappart9: all 12 promises work (verified)??[2K?[1Afoo': the result file and log are those of 'x?promise-run: slappart9: all 12 promises work (verified)??[2K?[1Afoo.b'
promise-run: warning: /WORK/one/etc/promise-run.conf:2: [promise:gone??[1A?name] names no promise in '/WORK/one/etc/promise'
promise-run: /WORK/two/etc/promise-run.conf:2: bad value '5??[2K� ok' for 'timeout': expected a number of seconds above 0
promise-run: /WORK/three/etc/promise-run.conf:2: unknown key 'ti?me?out' in [promise:p?] (expected timeout, periodicity, skip or nagios-levels)
promise-run: cannot write the state of '/WORK/one' for 'x?promise-run: slappart9: all 12 promises work (verified)??[2K?[1Afoo.b' ('/WORK/one/.slapgrid/promise/log/x?promise-run: slappart9: all 12 promises work (verified)??[2K?[1Afoo.log'): Is a directory
EOF
		fail "stderr differs:
$(cat "$WORK/diff")"
}

# expect_unique_series TEXT: no series (name and labels) twice.
expect_unique_series() {
	local twice
	twice=$(grep -v '^#' <<<"$1" | sed -E 's/ [^ ]+$//' | sort | uniq -d)
	[[ -z $twice ]] || fail "series written twice: $twice"
}

# Names that differ only in bytes that are not UTF-8 (a label shows each as
# U+FFFD), beside a name that is already what the first " (2)" would be:
# every series stays one, promtool accepts the document, and which name
# gets which value is the reference's rule.  Homes too.
test_prometheus_gives_colliding_names_distinct_labels() {
	command -v promtool >/dev/null || skip "promtool is not installed (Debian package prometheus)"
	local first=$'h\xfe' second=$'h\xff' name
	make_instance "$first"
	make_instance "$second"
	for name in $'dup\xfe' $'dup\xff' $'dup\xef\xbf\xbd (2)'; do
		promise "$first" "$name" 'exit 0'
	done
	promise "$second" $'dup\xfe' 'exit 1'
	as_instance_user "$first" "$second"
	golden prometheus-unique --no-state -f prometheus "$first" "$second"
	expect_unique_series "$out"
	promtool check metrics <<<"$out" || fail "promtool rejects the document"
}

# lock_setup: a home whose state exists (as its user's, as root), and its
# lock path in $lock.
lock_setup() {
	make_instance home
	promise home a 'exit 0'
	as_instance_user home
	run_pr home
	expect_status 0
	lock=$WORK/home/.slapgrid/promise/promise-run.lock
}

# The command prefix that runs a command as the instance's user (as
# root), or as is: an array, so that `&` gives the command's own pid.
as_user=()
user_prefix() {
	[[ -n ${user-} ]] &&
		as_user=(setpriv --reuid="$user" --regid="$user" --clear-groups --)
}

# A user who holds the lock and opens and closes the lock file in a loop
# wakes a waiting run at every close: the run backs off, and a 5 s wait
# costs it under 0.2 s of processor (user and system).  The churner rests
# 50 microseconds between closes (thousands a second): a run woken by each
# close still spends well over 0.2 s (0.35 s, the wait-backoff mutant, on
# a loaded 2-core machine), and the churner no longer takes a whole
# processor from the other tests (about 1 s for the test, not 5).
test_wait_costs_little_processor_while_the_user_churns_the_lock() {
	lock_setup
	user_prefix
	# Where the user's processes say they started.
	mkdir -m 777 "$WORK/marks"
	# The user holds the lock, and churns it from another process.
	"${as_user[@]}" flock "$lock" bash -c "touch '$WORK/marks/holding'; exec sleep 30" &
	local holder=$!
	at_exit "kill $holder 2>/dev/null"
	wait_for_file "$WORK/marks/holding"
	"${as_user[@]}" perl -MTime::HiRes=usleep -e '
		my ($lock, $mark) = @ARGV;
		open(my $marked, ">", $mark) or die "$mark: $!";
		close($marked);
		for (;;) {
			open(my $file, "<", $lock) or die "$lock: $!";
			close($file);
			usleep(50);
		}' "$lock" "$WORK/marks/churning" &
	local churner=$!
	at_exit "kill $churner 2>/dev/null"
	wait_for_file "$WORK/marks/churning"
	# `times` gives the processor time of the subshell's children: the
	# run alone.
	local started=$EPOCHREALTIME
	(
		PROMISE_RUN_TEST_TAG=$TEST_TAG "$PROMISE_RUN" --color=never \
			--keep-env PROMISE_RUN_TEST_TAG --wait --deadline 5.4 \
			home >"$WORK/out" 2>"$WORK/err"
		echo $? >"$WORK/status"
		times >"$WORK/times"
	)
	local took
	took=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", b - a}')
	kill "$churner" || fail "the churner did not churn to the end"
	kill "$holder"
	wait "$churner" "$holder" 2>/dev/null
	status=$(cat "$WORK/status") out=$(cat "$WORK/out") err=$(cat "$WORK/err")
	expect_status 1
	expect_err "^promise-run: '$WORK/home' was not checked: the run's deadline came first \(it was locked by another run\)$"
	awk -v t="$took" 'BEGIN {exit !(t >= 5)}' || fail "the wait lasted ${took}s, not 5"
	# The second line: the children's user and system time, "0m0.012s".
	local cpu
	cpu=$(sed -n 2p "$WORK/times" | awk '{
		n = split($1 " " $2, t, " "); s = 0
		for (i = 1; i <= n; i++) { split(t[i], p, "m"); s += p[1] * 60 + p[2] }
		printf "%.3f", s }')
	echo "measured: processor time of a ${took}s wait under churn: ${cpu}s"
	awk -v c="$cpu" 'BEGIN {exit !(c < 0.2)}' ||
		fail "a ${took}s wait under churn cost ${cpu}s of processor"
}

# A held lock ends a wait at --wait-timeout, before a later deadline: the
# home is reported locked, exit 1, and the other homes are checked.
test_wait_ends_at_the_wait_timeout_and_reports_the_home_locked() {
	lock_setup
	make_instance other
	promise other b 'exit 0'
	exec 8>"$lock"
	flock 8
	local started=$EPOCHREALTIME
	run_pr --wait --wait-timeout 0.5 --deadline 15 home other 8>&-
	local took
	took=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", b - a}')
	exec 8>&-
	expect_status 1
	[[ $err == "promise-run: '$WORK/home' is locked by another run: '$lock' was still held after a wait of 0.5s (--wait-timeout)" ]] ||
		fail "stderr differs"
	expect_line "^$WORK/home: not checked \('$WORK/home' is locked by another run: '$lock' was still held after a wait of 0.5s \(--wait-timeout\)\)$"
	expect_line "^$WORK/other: working \(1 promise\)$"
	awk -v t="$took" 'BEGIN {exit !(t < 5)}' || fail "the wait lasted ${took}s"
}

# The operator's file may set the bound too; a home's own may not.
test_wait_timeout_is_a_key_of_the_operators_file_only() {
	lock_setup
	printf '[run]\nwait-timeout = 0.3\n' >"$WORK/operator.conf"
	exec 8>"$lock"
	flock 8
	run_pr --wait --config "$WORK/operator.conf" home 8>&-
	exec 8>&-
	expect_status 1
	expect_err "^promise-run: '$WORK/home' is locked by another run: '$lock' was still held after a wait of 0.3s \(--wait-timeout\)$"
	printf '[run]\nwait-timeout = 0.3\n' >home/etc/promise-run.conf
	run_pr home
	expect_status 0
	expect_err "^promise-run: warning: $WORK/home/etc/promise-run.conf:2: 'wait-timeout' is a setting of the whole run: give it on the command line or in --config \(ignored here\)$"
}

# The progress line on a terminal names the slowest promise: its ESC, C1
# CSI and lone CSI byte (which a Latin-1 terminal would obey) show as in
# the text report.
test_progress_line_escapes_the_slowest_promises_name() {
	command -v script >/dev/null || skip "script (bsdutils) is missing"
	make_instance home
	# The promise ends when the progress line has shown on the terminal.
	promise home $'w\e[2J\xc2\x9bx\x9by' "i=0; until grep -q '1 running' $WORK/typescript; do i=\$((i + 1)); [ \$i -lt 500 ] || exit 1; sleep 0.01; done"
	as_instance_user home
	PROMISE_RUN_TEST_TAG=$TEST_TAG script -qfec \
		"$PROMISE_RUN --keep-env PROMISE_RUN_TEST_TAG --no-state -t 10 home" \
		"$WORK/typescript" >/dev/null
	status=$?
	out=$(cat "$WORK/typescript")
	expect_status 0
	[[ $out == *$'promise-run: 0/1 home, 1 running, slowest home/w?[2J?x\xef\xbf\xbdy '* ]] ||
		fail "no escaped progress line"
	! LC_ALL=C grep -qaP '\x9b|\e\[2J' "$WORK/typescript" ||
		fail "a raw control on the terminal: $(od -c "$WORK/typescript" | head -n 20)"
}
