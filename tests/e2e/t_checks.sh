# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# The built-in checks, against real servers on loopback.

# start_server NAME ADDRESS [CERT KEY [CLIENT_CA]]: sets $port, and stops
# the server when the test ends.
start_server() {
	local name=$1; shift
	python3 "$REPO/tests/e2e/http_server.py" "$WORK/$name.port" "$@" &
	# Through at_exit: a plain trap would drop make_user's userdel.
	[[ -n ${servers-} ]] || at_exit 'kill $servers 2>/dev/null; wait 2>/dev/null'
	servers+=" $!"
	wait_for_file "$WORK/$name.port"
	port=$(cat "$WORK/$name.port")
}

# check ARGS...: runs promise-run ARGS (a check), sets $out, $err, $status.
check() {
	out=$(timeout -s KILL 20 "$PROMISE_RUN" "$@" 2>"$WORK.stderr")
	status=$?
	err=$(cat "$WORK.stderr"); rm -f "$WORK.stderr"
}

# A CA, a server certificate for localhost, 127.0.0.1 and ::1, and a
# client certificate, all made for the test.
make_certificates() {
	local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
	openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.crt -days 2 \
		-subj /CN=promise-run-test-ca 2>/dev/null || fail "CA"
	openssl req "${ec[@]}" -keyout server.key -out server.csr \
		-subj /CN=localhost 2>/dev/null || fail "server request"
	printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n' >san.ext
	openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key \
		-CAcreateserial -out server.crt -days 2 -extfile san.ext \
		2>/dev/null || fail "server certificate"
	openssl req "${ec[@]}" -keyout client.key -out client.csr \
		-subj /CN=promise-run-client 2>/dev/null || fail "client request"
	openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key \
		-CAcreateserial -out client.crt -days 2 2>/dev/null ||
		fail "client certificate"
}

test_check_url_works_silently_on_200() {
	start_server plain 127.0.0.1
	check check-url "http://127.0.0.1:$port/ok"
	expect_status 0
	[[ -z $out && -z $err ]] || fail "a working check said something"
}

test_check_url_wrong_status_exits_2() {
	start_server plain 127.0.0.1
	url="http://127.0.0.1:$port/missing"
	check check-url "$url"
	expect_status 2
	[[ $out == "$url is not available (returned 404, expected 200)." ]] || fail "message"
	check check-url "$url" --expect 404
	expect_status 0
	check check-url "http://127.0.0.1:$port/ok" --expect 204 --expect 301
	expect_status 2
	expect_line 'returned 200, expected 204, 301\)\.$'
}

test_check_url_accept_unauthorized() {
	start_server plain 127.0.0.1
	check check-url "http://127.0.0.1:$port/secret"
	expect_status 2
	check check-url "http://127.0.0.1:$port/secret" --accept-unauthorized
	expect_status 0
}

test_check_url_follows_redirects_and_checks_content() {
	start_server plain 127.0.0.1
	check check-url "http://127.0.0.1:$port/redirect" --contains 'hello'
	expect_status 0
	check check-url "http://127.0.0.1:$port/redirect" --contains 'goodbye'
	expect_status 2
	expect_line "does not contain 'goodbye'"
}

test_check_url_redirected_to_another_scheme_is_the_servers_fault() {
	start_server plain 127.0.0.1
	check check-url "http://127.0.0.1:$port/to-ftp"
	expect_status 1
	[[ -z $err ]] || fail "told as a usage error"
	expect_line "^http://127\.0\.0\.1:$port/to-ftp is not available \(server not reachable\)\. .*ftp"
}

test_check_url_unreachable_exits_1_with_curls_reason() {
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	url="http://127.0.0.1:$port/"
	check check-url "$url"
	expect_status 1
	[[ $out == "$url is not available (server not reachable). "*"Couldn't connect to server"* ]] || fail "message"
}

test_check_url_times_out_on_a_server_that_never_answers() {
	start_server plain 127.0.0.1
	check check-url "http://127.0.0.1:$port/hang" --timeout 0.2
	expect_status 1
	expect_line 'server not reachable.*[Tt]imeout|timed out'
	# Under a millisecond is still a timeout (libcurl reads 0 as none).
	check check-url "http://127.0.0.1:$port/hang" --timeout 0.0004
	expect_status 1
	expect_line 'server not reachable.*[Tt]imeout|timed out'
}

# Name resolution is bounded by --timeout too: a name server that never
# answers (a loopback socket that reads and says nothing), seen through a
# resolv.conf of the test's own, in a mount namespace of its own.
test_as_root_checks_give_up_on_a_silent_name_server_at_their_timeout() {
	need_mount_namespace
	local address=127.$((RANDOM % 200 + 20)).$((RANDOM % 250 + 1)).$((RANDOM % 250 + 1))
	python3 -c '
import socket, sys, threading
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); udp.bind((sys.argv[1], 53))
tcp = socket.socket(); tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
tcp.bind((sys.argv[1], 53)); tcp.listen(8)
open(sys.argv[2], "w").close()
threading.Event().wait()' "$address" "$WORK/dns.ready" &
	# Through at_exit: a plain trap would drop make_user's userdel.
	[[ -n ${servers-} ]] || at_exit 'kill $servers 2>/dev/null; wait 2>/dev/null'
	servers+=" $!"
	wait_for_file "$WORK/dns.ready"
	printf 'nameserver %s\noptions timeout:5 attempts:3\n' "$address" >resolv.conf
	out=$(timeout -s KILL 20 unshare -m sh -c '
		mount --bind "$1/resolv.conf" /etc/resolv.conf || exit 99
		"$2" check-port silent.example.com 80 --timeout 0.3; echo "port $?"
		"$2" check-url http://silent.example.com/ --timeout 0.3; echo "url $?"' \
		sh "$WORK" "$PROMISE_RUN" 2>&1)
	status=$?
	expect_status 0
	expect_line '^silent\.example\.com on 80 isn.t listening \(name resolution timed out\)$'
	expect_line '^port 1$'
	expect_line '^http://silent\.example\.com/ is not available \(server not reachable\)\. Resolving timed out'
	expect_line '^url 1$'
}

test_check_url_usage_errors_exit_3() {
	check check-url
	expect_status 3
	expect_err '^promise-run check-url: no URL given \(see --help\)$'
	check check-url 'http://[::1'
	expect_status 3
	check check-url 'gopher://example.org/'
	expect_status 3
	check check-url http://127.0.0.1/ --expect 999
	expect_status 3
	expect_err "expects an HTTP status from 100 to 599 or a class from 1xx to 5xx, not '999'"
	check check-url http://127.0.0.1/ --bogus
	expect_status 3
	check check-url --help
	expect_status 0
	expect_line '^Usage: promise-run check-url URL'
}

test_check_url_verifies_tls_with_the_given_ca() {
	make_certificates
	start_server tls 127.0.0.1 server.crt server.key
	url="https://localhost:$port/ok"
	check check-url "$url"
	expect_status 1
	expect_line 'server not reachable.*(certificate|SSL)'
	check check-url "$url" --cacert ca.crt
	expect_status 0
	check check-url "https://127.0.0.1:$port/ok" --cacert ca.crt
	expect_status 0
	check check-url "$url" --insecure
	expect_status 0
}

test_check_url_presents_a_client_certificate() {
	make_certificates
	start_server mtls 127.0.0.1 server.crt server.key ca.crt
	url="https://localhost:$port/ok"
	check check-url "$url" --cacert ca.crt
	expect_status 1
	check check-url "$url" --cacert ca.crt --cert client.crt --key client.key
	expect_status 0
}

test_check_url_and_port_over_ipv6() {
	make_certificates
	start_server v6 ::1 server.crt server.key
	check check-url "https://[::1]:$port/ok" --cacert ca.crt
	expect_status 0
	check check-port ::1 "$port"
	expect_status 0
}

test_check_port_open_and_closed() {
	start_server plain 127.0.0.1
	check check-port 127.0.0.1 "$port"
	expect_status 0
	[[ -z $out ]] || fail "a working check said something"
	check check-port localhost "$port"
	expect_status 0
	closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	check check-port 127.0.0.1 "$closed"
	expect_status 1
	[[ $out == "127.0.0.1 on $closed isn't listening (Connection refused)" ]] || fail "message"
	check check-port no-such-host.invalid 80 --timeout 2
	expect_status 1
	expect_line "^no-such-host.invalid on 80 isn't listening \("
}

test_check_port_usage_errors_exit_3() {
	check check-port 127.0.0.1 http
	expect_status 3
	check check-port 127.0.0.1 70000
	expect_status 3
	check check-port 127.0.0.1
	expect_status 3
	check check-port 127.0.0.1 80 --timeout never
	expect_status 3
}

test_promises_that_exec_the_builtin_checks() {
	start_server plain 127.0.0.1
	make_instance home
	printf '#!/bin/sh\nexec "%s" check-url http://127.0.0.1:%s/ok\n' "$PROMISE_RUN" "$port" >home/etc/promise/web
	printf '#!/bin/sh\nexec "%s" check-url http://127.0.0.1:%s/missing\n' "$PROMISE_RUN" "$port" >home/etc/promise/web-missing
	printf '#!/bin/sh\nexec "%s" check-port 127.0.0.1 %s\n' "$PROMISE_RUN" "$port" >home/etc/promise/port
	chmod +x home/etc/promise/*
	run_pr home
	expect_status 2
	expect_line '^ok .* web$'
	expect_line '^ok .* port$'
	expect_line '^failed .* web-missing \(exit code 2\)$'
	expect_line "^ +http://127.0.0.1:$port/missing is not available \(returned 404, expected 200\)\.$"
}

test_an_instance_home_named_like_a_check_is_given_with_a_path() {
	mkdir -p check-url/etc/promise
	printf '#!/bin/sh\nexit 0\n' >check-url/etc/promise/a
	chmod +x check-url/etc/promise/a
	out=$(PROMISE_RUN_TEST_TAG=$TEST_TAG "$PROMISE_RUN" ./check-url --keep-env PROMISE_RUN_TEST_TAG)
	status=$?
	expect_status 0
	expect_line "^== $WORK/check-url$"
}
