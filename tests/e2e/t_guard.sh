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
