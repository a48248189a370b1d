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
