# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# Declared checks ("#!PATH check" files) and the checks they name,
# check-cert and check-file, against real servers on loopback
# (start_server, check and make_certificates are t_checks.sh's).

# declare_check FILE LINE...: a declared check, executable, whose first
# line names the binary under test.
declare_check() {
	local file=$1; shift
	{ printf '#!%s check\n' "$PROMISE_RUN"; printf '%s\n' "$@"; } >"$file"
	chmod +x "$file"
}

# run_file FILE: executes FILE as any launcher would (the kernel reads
# its first line); sets $out, $err and $status as check does.
run_file() {
	local file=$1
	[[ $file == /* ]] || file=$WORK/$file
	out=$(timeout -s KILL 20 "$file" 2>"$WORK.stderr")
	status=$?
	err=$(cat "$WORK.stderr"); rm -f "$WORK.stderr"
}

# same_as_command FILE ARGS...: executing FILE gives exactly what
# `promise-run ARGS` gives, message and exit status (but for the
# milliseconds libcurl may count: "after 2 ms").
same_as_command() {
	local file=$1 command_out command_status; shift
	check "$@"
	command_out=$(sed -E 's/after [0-9]+ ms/after N ms/' <<<"$out")
	command_status=$status
	run_file "$file"
	[[ $(sed -E 's/after [0-9]+ ms/after N ms/' <<<"$out") == "$command_out" &&
	   $status == "$command_status" ]] ||
		fail "$file: '$out' ($status), but promise-run $* says '$command_out' ($command_status)"
	[[ -z $err ]] || fail "$file said something on stderr"
}

# The end of server.crt's validity, as the checks write it.
certificate_end() {
	date -u -d "$(openssl x509 -noout -enddate -in server.crt | cut -d= -f2)" \
		'+%Y-%m-%d %H:%M:%S UTC'
}

# expect_expiry WHERE DAYS: $out says that server.crt, made for 2 days,
# has too few of DAYS left: 1 whole day, or 2 when the check came in the
# second the certificate was made.
expect_expiry() {
	local end tail
	end=$(certificate_end)
	tail=", on $end (expected at least $2 days left)."
	[[ $out == "the certificate of $1 expires in 1 day$tail" ||
	   $out == "the certificate of $1 expires in 2 days$tail" ]] ||
		fail "message"
}

test_declared_url_check_gives_the_verdict_of_check_url() {
	start_server plain 127.0.0.1
	local base="http://127.0.0.1:$port"
	declare_check ok "url = $base/ok" "body = hello"
	same_as_command ok check-url "$base/ok" --contains hello --expect 2xx
	expect_status 0
	[[ -z $out ]] || fail "a working check said something"
	declare_check missing "# the default: any 2xx" "url = $base/missing"
	same_as_command missing check-url "$base/missing" --expect 2xx
	expect_status 2
	[[ $out == "$base/missing is not available (returned 404, expected 2xx)." ]] || fail "message"
	declare_check codes "url = $base/missing" "status = 200 404"
	run_file codes
	expect_status 0
	declare_check content "url = $base/redirect" "body = goodbye"
	same_as_command content check-url "$base/redirect" --contains goodbye --expect 2xx
	expect_status 2
	[[ $out == "$base/redirect is not available (returned 200, but its content does not contain 'goodbye')." ]] || fail "message"
}

test_declared_url_check_follows_redirects_unless_told_not_to() {
	start_server plain 127.0.0.1
	local base="http://127.0.0.1:$port"
	declare_check followed "url = $base/redirect"
	run_file followed
	expect_status 0
	declare_check not-followed "url = $base/redirect" "follow-redirects = no"
	same_as_command not-followed check-url "$base/redirect" --no-follow-redirects --expect 2xx
	expect_status 2
	[[ $out == "$base/redirect is not available (returned 302, expected 2xx)." ]] || fail "message"
	declare_check redirect-expected "url = $base/redirect" "follow-redirects = no" "status = 3xx"
	run_file redirect-expected
	expect_status 0
}

test_declared_url_check_unreachable_and_timeout() {
	start_server plain 127.0.0.1
	declare_check hang "url = http://127.0.0.1:$port/hang" "timeout = 0.2"
	run_file hang
	expect_status 1
	expect_line '^http://127\.0\.0\.1:[0-9]+/hang is not available \(server not reachable\)\. .*([Tt]imeout|timed out)'
	closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	declare_check closed "url = http://127.0.0.1:$closed/"
	same_as_command closed check-url "http://127.0.0.1:$closed/" --expect 2xx
	expect_status 1
}

test_declared_url_check_verifies_tls_and_presents_a_client_certificate() {
	make_certificates
	start_server mtls 127.0.0.1 server.crt server.key ca.crt
	local url="https://localhost:$port/ok"
	declare_check unverified "url = $url"
	run_file unverified
	expect_status 1
	expect_line 'server not reachable.*(certificate|SSL)'
	declare_check no-client "url = $url" "ca = $WORK/ca.crt"
	run_file no-client
	expect_status 1
	declare_check client "url = $url" "ca = $WORK/ca.crt" \
		"client-certificate = $WORK/client.crt" "client-key = $WORK/client.key"
	run_file client
	expect_status 0
	declare_check insecure "url = $url" "insecure = yes" \
		"client-certificate = $WORK/client.crt" "client-key = $WORK/client.key"
	run_file insecure
	expect_status 0
}

test_declared_port_check_gives_the_verdict_of_check_port() {
	start_server plain 127.0.0.1
	declare_check open "host = 127.0.0.1" "port = $port"
	same_as_command open check-port 127.0.0.1 "$port"
	expect_status 0
	closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	declare_check closed "host = 127.0.0.1" "port = $closed" "timeout = 2"
	same_as_command closed check-port 127.0.0.1 "$closed" --timeout 2
	expect_status 1
	[[ $out == "127.0.0.1 on $closed isn't listening (Connection refused)" ]] || fail "message"
}

test_check_cert_days_left_of_a_host_port_and_of_a_url() {
	make_certificates
	start_server tls 127.0.0.1 server.crt server.key
	# The certificate is valid for 2 days: 1 whole day left (or 2).
	check check-cert localhost "$port" --cacert ca.crt --days 1
	expect_status 0
	[[ -z $out && -z $err ]] || fail "a working check said something"
	check check-cert localhost "$port" --cacert ca.crt --days 3
	expect_status 2
	expect_expiry "localhost on $port" 3
	check check-cert localhost "$port" --cacert ca.crt
	expect_status 2
	expect_expiry "localhost on $port" 15
	check check-cert "https://localhost:$port/" --cacert ca.crt --days 3
	expect_status 2
	expect_expiry "https://localhost:$port/" 3
	# Verified unless --insecure: an unknown CA is no answer.
	check check-cert localhost "$port" --days 1
	expect_status 1
	expect_line "^localhost on $port is not available \(server not reachable\)\. .*certificate"
	check check-cert 127.0.0.1 "$port" --insecure --days 1
	expect_status 0
}

test_check_cert_over_ipv6_and_against_a_server_without_tls() {
	make_certificates
	start_server v6 ::1 server.crt server.key
	check check-cert ::1 "$port" --cacert ca.crt --days 1
	expect_status 0
	start_server plain 127.0.0.1
	check check-cert 127.0.0.1 "$port" --insecure --timeout 5
	expect_status 1
	expect_line "^127\.0\.0\.1 on $port is not available \(server not reachable\)\. "
}

test_declared_certificate_checks_as_check_cert_and_check_url() {
	make_certificates
	start_server tls 127.0.0.1 server.crt server.key
	declare_check cert "host = localhost" "port = $port" \
		"certificate-days = 3" "ca = $WORK/ca.crt"
	run_file cert
	expect_status 2
	expect_expiry "localhost on $port" 3
	declare_check url-cert "url = https://localhost:$port/ok" \
		"certificate-days = 3" "ca = $WORK/ca.crt"
	run_file url-cert
	expect_status 2
	expect_expiry "https://localhost:$port/ok" 3
	declare_check url-fresh "url = https://localhost:$port/ok" \
		"certificate-days = 1" "ca = $WORK/ca.crt"
	run_file url-fresh
	expect_status 0
	# The status is judged first: a 404 is told, not the certificate.
	declare_check url-missing "url = https://localhost:$port/missing" \
		"certificate-days = 3" "ca = $WORK/ca.crt"
	run_file url-missing
	expect_status 2
	[[ $out == "https://localhost:$port/missing is not available (returned 404, expected 2xx)." ]] || fail "message"
}

test_check_file_exists_and_age() {
	echo data >fresh
	touch -d '-2 hours -3 minutes' old
	check check-file "$WORK/fresh" --max-age 1h
	expect_status 0
	[[ -z $out && -z $err ]] || fail "a working check said something"
	check check-file "$WORK/old"
	expect_status 0
	check check-file "$WORK/old" --max-age 3h
	expect_status 0
	check check-file "$WORK/old" --max-age 1h
	expect_status 2
	# Seconds pass between the touch and the check.
	[[ $out == "$WORK/old is too old: modified 2h 3m"*" ago (max-age 1h)" ]] || fail "message"
	check check-file "$WORK/absent"
	expect_status 1
	[[ $out == "$WORK/absent does not exist" ]] || fail "message"
	ln -s absent dangling
	check check-file "$WORK/dangling"
	expect_status 1
	[[ $out == "$WORK/dangling does not exist" ]] || fail "a dangling link exists"
	# (Not same_as_command: a second may pass between the two.)
	declare_check declared-old "file = $WORK/old" "max-age = 5400"
	run_file declared-old
	expect_status 2
	[[ $out == "$WORK/old is too old: modified 2h 3m"*" ago (max-age 1h 30m)" ]] || fail "message"
}

test_check_cert_and_check_file_usage_errors_exit_3() {
	check check-cert
	expect_status 3
	expect_err '^promise-run check-cert: an https URL, or HOST and PORT, expected \(see --help\)$'
	check check-cert http://localhost/
	expect_status 3
	expect_err "^promise-run check-cert: 'http://localhost/' is not an https URL \(see --help\)$"
	check check-cert localhost 70000
	expect_status 3
	expect_err "^promise-run check-cert: '70000' is not a port: expected a number from 1 to 65535 \(see --help\)$"
	check check-cert localhost 443 --days soon
	expect_status 3
	expect_err "^promise-run check-cert: option '--days' expects a number of days from 0 to 36500, not 'soon' \(see --help\)$"
	check check-file
	expect_status 3
	expect_err '^promise-run check-file: one FILE expected \(see --help\)$'
	check check-file /etc/hostname --max-age 1w
	expect_status 3
	expect_err "^promise-run check-file: option '--max-age' expects an age above 0 such as 90, 15m, 26h or 7d, not '1w' \(see --help\)$"
	check check-url https://localhost/ --certificate-days 2x
	expect_status 3
	check check-url http://localhost/ --certificate-days 2
	expect_status 3
	expect_err "^promise-run check-url: option '--certificate-days' needs an https URL, not 'http://localhost/' \(see --help\)$"
	for command in check-cert check-file check; do
		check "$command" --help
		expect_status 0
		expect_line "^Usage: promise-run $command "
	done
}

test_declared_check_errors_name_the_file_and_line_and_exit_3() {
	declare_check bogus "url = http://127.0.0.1/" "" "bogus = 1"
	run_file bogus
	expect_status 3
	[[ -z $out ]] || fail "an error on stdout"
	[[ $err == "promise-run check: $WORK/bogus:4: unknown key 'bogus' (expected url, status, body, follow-redirects, host, port, file, max-age, timeout, certificate-days, ca, client-certificate, client-key or insecure)" ]] || fail "message"
	declare_check bad-status "url = http://127.0.0.1/" "status = ok"
	run_file bad-status
	expect_status 3
	[[ $err == "promise-run check: $WORK/bad-status:3: bad value 'ok' for 'status': expected HTTP statuses from 100 to 599 or classes from 1xx to 5xx, separated by spaces" ]] || fail "message"
	declare_check empty
	run_file empty
	expect_status 3
	[[ $err == "promise-run check: $WORK/empty: no check declared: expected 'url', 'host' and 'port', or 'file'" ]] || fail "message"
	check check "$WORK/absent"
	expect_status 3
	[[ $err == "promise-run check: cannot read '$WORK/absent': No such file or directory" ]] || fail "message"
	mkfifo fifo
	check check "$WORK/fifo"
	expect_status 3
	[[ $err == "promise-run check: cannot read '$WORK/fifo': not a regular file" ]] || fail "a FIFO"
	check check
	expect_status 3
	[[ $err == "promise-run check: one FILE expected (see --help)" ]] || fail "message"
}

# The same file, run by promise-run as a promise: the same message in the
# report and in slapgrid's result file.
test_declared_checks_as_promises() {
	start_server plain 127.0.0.1
	make_instance home
	declare_check home/etc/promise/web "url = http://127.0.0.1:$port/ok"
	declare_check home/etc/promise/web-missing "url = http://127.0.0.1:$port/missing"
	declare_check home/etc/promise/port "host = 127.0.0.1" "port = $port"
	declare_check home/etc/promise/backup "file = $WORK/backup.tar"
	run_pr home
	expect_status 2
	expect_line '^ok .* port$'
	expect_line '^ok .* web$'
	expect_line '^failed .* backup \(exit code 1\)$'
	expect_line "^ +$WORK/backup.tar does not exist$"
	expect_line '^failed .* web-missing \(exit code 2\)$'
	expect_line "^ +http://127.0.0.1:$port/missing is not available \(returned 404, expected 2xx\)\.$"
	jq -e --arg m "http://127.0.0.1:$port/missing is not available (returned 404, expected 2xx)." \
		'.result.message == $m and .result.failed' \
		home/.slapgrid/promise/result/web-missing.status.json >/dev/null ||
		fail "result file"
}
