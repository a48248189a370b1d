# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# Whole transcripts: the stdout, stderr and exit status of promise-run for
# every format and status, normalised (tests/e2e/normalise.sed) and
# compared with tests/e2e/golden/NAME.  The expected files are the
# readable specification of each format.  GOLDEN_UPDATE=1 rewrites them.

# golden NAME ARGS...: runs promise-run with ARGS and compares.
golden() {
	local name=$1 expected="$REPO/tests/e2e/golden/$1" actual
	shift
	run_pr "$@"
	actual=$(printf 'exit status: %s\n--- stdout\n%s\n--- stderr\n%s\n' \
		"$status" "$out" "$err" | sed -E -f "$REPO/tests/e2e/normalise.sed")
	if [[ -n ${GOLDEN_UPDATE:-} ]]; then
		printf '%s\n' "$actual" >"$expected"
		return
	fi
	[[ -e $expected ]] || fail "no expected transcript $expected"
	diff -u "$expected" <(printf '%s\n' "$actual") >"$WORK/diff" ||
		fail "$name differs:
$(cat "$WORK/diff")"
}

# Every status a promise can have in one run, and entries not run.
golden_instance() {
	make_instance home
	promise home ok.sh 'echo fine'
	promise home 'a "b" <c> & d é' 'printf "x \377 \001 <&> y"; exit 3'
	promise home hang 'exec sleep 30'
	promise home killed 'kill -KILL $$'
	promise home skipped.sh 'echo never'
	printf 'no shebang\n' >home/etc/promise/plain
	chmod +x home/etc/promise/plain
	printf 'notes\n' >home/etc/promise/README
	ln -s /nonexistent home/etc/promise/dangling
	mkdir home/etc/promise/folder home/etc/plugin
	touch home/etc/plugin/check_web.py home/etc/plugin/__init__.py
	printf '[promise:skipped.sh]\nskip = yes\n' >home/etc/promise-run.conf
}

test_golden_text() {
	golden_instance
	# Its plugin is left to slapgrid: t_plugins.sh has the plugins' own.
	golden text --no-state --no-plugins -t 0.2 -k 0.1 home
	golden text-quiet --no-state --no-plugins -t 0.2 -k 0.1 -q home
	golden text-verbose --no-state --no-plugins -t 0.2 -k 0.1 -v home
}

test_golden_documents() {
	golden_instance
	local format
	for format in json json-seq tap junit prometheus nagios; do
		golden "$format" --no-state --no-plugins -t 0.2 -k 0.1 -f "$format" home
	done
}

test_golden_list() {
	golden_instance
	golden list --list --no-plugins home
	golden list-json --list --no-plugins -f json home
}

test_golden_a_working_run_under_quiet() {
	make_instance home
	promise home ok 'exit 0'
	local format
	for format in text json tap junit prometheus nagios; do
		golden "quiet-working-$format" --no-state -q -f "$format" home
	done
}

test_golden_several_homes_one_not_checked() {
	make_instance one; promise one ok 'exit 0'
	make_instance two; promise two ok 'exit 0'
	printf '[run]\ntimeout = soon\n' >two/etc/promise-run.conf
	make_instance three; promise three bad 'echo down; exit 1'
	golden homes-text --no-state one two three
	golden homes-json --no-state -f json one two three
	golden homes-tap --no-state -f tap one two three
	golden homes-nagios --no-state -f nagios one two three
	golden homes-json-seq --no-state -f json-seq one two three
}

test_golden_anomaly() {
	make_instance home
	promise home broken 'echo down; exit 1'
	promise home hang 'exec sleep 30'
	run_pr --check-anomaly -t 0.2 -k 0.1 home
	golden anomaly-text --check-anomaly --force -t 0.2 -k 0.1 home
	golden anomaly-cached --check-anomaly -t 0.2 -k 0.1 home
	golden anomaly-json --check-anomaly --force -t 0.2 -k 0.1 -f json home
}

test_golden_deadline() {
	make_instance home
	promise home a-hang 'exec sleep 30'
	promise home b-queued 'exit 0'
	# A deadline long enough for a loaded machine (or ASan) to start a-hang.
	golden deadline --no-state -j 1 -k 0 --deadline 2 home
}
