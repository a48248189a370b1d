# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# The machine-readable formats, each read back by a real consumer.

# An instance with a promise of every status, and an awkward name.
make_mixed_instance() {
	make_instance home
	promise home ok.sh 'echo fine'
	promise home 'a "b" <c> & d é' 'printf "x \377 \001 <&> y"; exit 3'
	promise home hang 'sleep 30'
	printf 'no shebang\n' >home/etc/promise/plain
	chmod +x home/etc/promise/plain
	printf 'notes\n' >home/etc/promise/README
}

test_json_is_one_document_with_every_field() {
	make_mixed_instance
	run_pr -t 0.2 -k 0.1 --format json home
	expect_status 2
	jq -e . >/dev/null <<<"$out" || fail "not JSON"
	check() { jq -e "$1" >/dev/null <<<"$out" || fail "jq: $1"; }
	check '.verdict == "not working"'
	check '.instances | length == 1'
	check ".instances[0].home == \"$WORK/home\""
	check '.instances[0].verdict == "not working"'
	check '[.instances[0].promises[].name] == ["a \"b\" <c> & d é", "hang", "ok.sh", "plain"]'
	check '.instances[0].promises[0] | .status == "failed" and ."exit-code" == 3 and .signal == null and .title == "a \"b\" <c> & d é"'
	check '.instances[0].promises[0].message == "x \ufffd \u0001 <&> y"'
	check ".instances[0].promises[0].path == \"$WORK/home/etc/promise/a \\\"b\\\" <c> & d é\""
	check '.instances[0].promises[1] | .status == "timeout" and .message == "Error: Promise timed out after 0.2 seconds"'
	check '.instances[0].promises[2] | .status == "ok" and ."exit-code" == 0 and .title == "ok" and (."execution-time" | type) == "number"'
	check '.instances[0].promises[3] | .status == "error" and ."exit-code" == null'
	check '.instances[0].skipped == [{"name": "README", "reason": "not executable"}]'
}

test_json_of_several_homes_and_of_a_working_run() {
	make_instance one; promise one a 'exit 0'
	make_instance two; promise two b 'kill -TERM $$'
	run_pr -f json one two
	expect_status 2
	jq -e '(.instances | length) == 2 and .instances[0].verdict == "working" and .instances[1].promises[0].signal == 15' \
		>/dev/null <<<"$out" || fail "instances"
	run_pr -f json one
	expect_status 0
	jq -e '.verdict == "working"' >/dev/null <<<"$out" || fail "verdict"
	# Documents are whole under --quiet: it silences the text report only.
	run_pr -q -f json one
	jq -e '.verdict == "working"' >/dev/null <<<"$out" || fail "--quiet emptied the document"
}

test_junit_is_valid_xml_with_a_case_per_promise() {
	make_mixed_instance
	run_pr -t 0.2 -k 0.1 --format junit home
	expect_status 2
	printf '%s\n' "$out" >"$WORK/report.xml"
	xmllint --noout "$WORK/report.xml" || fail "not well-formed XML"
	xpath() { xmllint --xpath "$1" "$WORK/report.xml"; }
	[[ $(xpath 'count(//testsuite)') == 1 ]] || fail "suites"
	[[ $(xpath 'count(//testcase)') == 4 ]] || fail "cases"
	[[ $(xpath 'count(//testcase/failure)') == 2 ]] || fail "failures"
	[[ $(xpath 'string(//testcase[@name="plain"]/error/@type)') == error ]] || fail "error"
	[[ $(xpath 'string(//testcase[@name="hang"]/failure/@type)') == timeout ]] || fail "timeout"
	[[ $(xpath 'string(//testcase[starts-with(@name, "a ")]/@name)') == 'a "b" <c> & d é' ]] || fail "name"
	[[ $(xpath 'string(//testcase[starts-with(@name, "a ")]/failure)') == 'x �  <&> y' ]] || fail "message"
	[[ $(xpath 'string(//testsuite/system-out)') == *"README: not executable"* ]] || fail "skipped"
}

test_tap_is_read_by_tap_parser() {
	make_mixed_instance
	run_pr -t 0.2 -k 0.1 --format tap home
	expect_status 2
	printf '%s\n' "$out" >"$WORK/report.tap"
	perl -MTAP::Parser -e '
		my $p = TAP::Parser->new({ source => $ARGV[0] });
		my (@yaml, @comments);
		while (my $r = $p->next) {
			push @yaml, $r->data->{message} if $r->is_yaml;
			push @comments, $r->as_string if $r->is_comment;
		}
		die "parse errors: @{[$p->parse_errors]}\n" if $p->parse_errors;
		die "tests\n" unless $p->tests_run == 4;
		die "passed\n" unless join(",", $p->passed) eq "3";
		die "failed\n" unless join(",", $p->failed) eq "1,2,4";
		die "yaml: $yaml[0]\n" unless $yaml[0] eq "x \x{fffd} \x01 <&> y"
			|| $yaml[0] eq "x \xef\xbf\xbd \x01 <&> y";
		die "comments: @comments\n"
			unless grep { /skipped README: not executable/ } @comments;
	' "$WORK/report.tap" || fail "TAP::Parser disagrees"
}

test_prometheus_passes_promtool() {
	make_mixed_instance
	run_pr -t 0.2 -k 0.1 --format prometheus home
	expect_status 2
	promtool check metrics <<<"$out" || fail "promtool rejects it"
	expect_line "^promise_run_ok\{home=\"$WORK/home\",promise=\"ok.sh\"\} 1$"
	expect_line '^promise_run_ok\{home=".*",promise="a \\"b\\" <c> & d é"\} 0$'
	expect_line '^promise_run_duration_seconds\{.*promise="hang"\} 0\.[0-9]+$'
	expect_line "^promise_run_instance_ok\{home=\"$WORK/home\"\} 0$"
	expect_line '^promise_run_timestamp_seconds\{home=".*"\} [0-9]+\.[0-9]{3}$'
}

test_output_file_is_written_whole_and_nothing_else() {
	make_instance home
	promise home a 'exit 0'
	(umask 022; run_pr --format prometheus --output "$WORK/metrics.prom" home
	 expect_status 0
	 [[ -z $out ]] || fail "stdout not empty"
	 [[ $(stat -c %a "$WORK/metrics.prom") == 644 ]] || fail "mode") || exit 1
	promtool check metrics <"$WORK/metrics.prom" || fail "bad file"
	leftovers=$(ls -A "$WORK" | grep promise-run-tmp)
	[[ -z $leftovers ]] || fail "temporary left: $leftovers"
	run_pr --output "$WORK/report.txt" home
	grep -q 'working (1 promise)' "$WORK/report.txt" || fail "text to file"
}

test_an_unwritable_output_fails_before_running_anything() {
	make_instance home
	promise home toucher "touch $WORK/ran"
	run_pr --output "$WORK/no/such/folder/report.json" -f json home
	expect_status 1
	expect_err "^promise-run: cannot write '$WORK/no/such/folder/report.json': No such file or directory$"
	[[ ! -e $WORK/ran ]] || fail "a promise ran"
}

test_an_unknown_format_is_an_error() {
	run_pr --format yaml
	expect_status 1
	expect_err "option '--format' expects text, json, json-seq, tap, junit, prometheus or nagios, not 'yaml'"
}

test_the_last_success_is_kept_across_runs() {
	make_instance home
	promise home flaky "test -e $WORK/down && exit 1; exit 0"
	run_pr --force -f prometheus home
	expect_status 0
	local first
	first=$(sed -n 's/^promise_run_last_success_timestamp_seconds{.*} //p' <<<"$out")
	[[ $first =~ ^[0-9]+$ ]] || fail "no last success"
	touch "$WORK/down"
	run_pr --force -f prometheus home
	expect_status 2
	expect_line "^promise_run_last_success_timestamp_seconds\{home=\"$WORK/home\",promise=\"flaky\"\} $first$"
	expect_line "^promise_run_ok\{home=\"$WORK/home\",promise=\"flaky\"\} 0$"
}

# json-seq: each promise's record is written as soon as it is judged, so
# that a caller (slapgrid) shows progress during a long home: the second
# promise waits for the first's record to be out.
test_json_seq_writes_each_record_as_it_is_judged() {
	make_instance home
	promise home a-first 'echo first'
	promise home b-second "while [ ! -e '$WORK/go' ]; do sleep 0.01; done"
	start_pr --no-state -j 1 -t 30 -f json-seq home
	local tries=0
	until grep -q '"name": "a-first"' "$WORK.out" 2>/dev/null; do
		((tries++ < 1000)) || { touch "$WORK/go"; finish_pr; fail "no record of a-first while b-second runs"; }
		sleep 0.01
	done
	grep -q '"b-second"' "$WORK.out" && fail "b-second told before it ended"
	touch "$WORK/go"
	finish_pr
	expect_status 0
	# RFC 7464: every record an RS, one line of JSON, an LF.
	[[ $(tr -cd '\036' <<<"$out" | wc -c) == 4 ]] || fail "not 4 records"
	jq --seq -s -e 'map(.record) == ["promise", "promise", "instance", "run"]' \
		>/dev/null <<<"$out" || fail "records: $out"
}
