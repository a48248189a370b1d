# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# A promise's output becomes its message, in bounded memory.

test_a_promise_printing_100_mb_works_and_keeps_the_tail() {
	make_instance home
	promise home flood 'head -c 100000000 /dev/zero | tr "\\0" x; echo THE-END'
	run_pr --verbose home
	expect_status 0
	expect_line '^ok .* flood$'
	expect_line '^ +\.\.\.x{4993}THE-END$'
	(( ${#out} < 6000 )) || fail "report of ${#out} bytes"
}

test_the_message_is_cut_to_the_last_5000_characters() {
	make_instance home
	promise home long 'i=0; while [ $i -lt 1200 ]; do printf "%04d\n" $i; i=$((i+1)); done; exit 1'
	run_pr home
	expect_status 2
	message=$(awk '/^failed/ {p=1; next} p' <<<"$out" | head -n -1 | sed 's/^ *//')
	# 1200 lines of 5 characters, 5999 once stripped: the last 5000
	# characters start with the newline before "0200".
	[[ ${message:0:3} == "..." ]] || fail "message does not start with ..."
	[[ $(tail -n 1 <<<"$message") == "1199" ]] || fail "message tail"
	body=${message:3}
	(( ${#body} == 5000 )) || fail "message of ${#body} characters"
}

test_invalid_utf8_is_replaced() {
	make_instance home
	promise home bytes 'printf "caf\303\251 \377 end"; exit 1'
	run_pr home
	expect_status 2
	expect_line '^ +café � end$'
}

test_crlf_is_folded() {
	make_instance home
	promise home windows 'printf "one\r\ntwo\r\n"; exit 1'
	run_pr home
	[[ $out != *$'\r'* ]] || fail "a carriage return was kept"
	expect_line '^ +one$'
	expect_line '^ +two$'
}

# A promise's name and output are the instance's: nothing in them may act
# on the terminal or the monitoring line that shows them.
test_no_control_character_of_an_instance_reaches_a_terminal_or_nagios() {
	make_instance home
	local name=$'p\e[2J\xc2\x9b1m\x7f\xff'
	printf '#!/bin/sh\nprintf "out \\033]0;title\\007 \\302\\233 \\377 end"; exit 1\n' \
		>"home/etc/promise/$name"
	chmod +x "home/etc/promise/$name"
	local controls=$'[\x01-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]'
	for format in text nagios; do
		run_pr --force -v -f "$format" home
		expect_status 2
		! LC_ALL=C grep -qE "$controls" <<<"$out" || fail "$format: a control character: $(od -c <<<"$out" | head -20)"
		iconv -f UTF-8 -t UTF-8 <<<"$out" >/dev/null || fail "$format: not UTF-8"
	done
	expect_line "^CRITICAL: $WORK/home p\\?\\[2J\\?1m\\?�: out \\?\\]0;title\\? \\? � end$"
	expect_line "^PROMISE-RUN CRITICAL .* \\| 'home/p_\\[2J_1m_�'="
}

test_verbose_shows_the_output_of_a_timed_out_promise_after_its_message() {
	make_instance home
	promise home hang "echo starting wait; exec sleep 30"
	run_pr -v -t 0.5 -k 0.1 --no-state home
	expect_status 2
	[[ $out == *$'\n                  Error: Promise timed out after 0.5 seconds\n                  starting wait\n'* ]] ||
		fail "not the message, then the output"
	run_pr -t 0.5 -k 0.1 --no-state home
	expect_no_line 'starting wait'
}
