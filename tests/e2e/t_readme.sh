# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# Every example of the README runs as written (paths moved into the test
# folder): each code block after a "<!-- example: NAME -->" line.

# readme_example NAME: the lines of that example's code block.
readme_example() {
	awk -v name="$1" '
		$0 ~ "<!-- example: " name " -->" { found = 1; next }
		found && /^ *```/ { if (inside) exit; inside = 1; next }
		inside { sub(/^  /, ""); print }' "$REPO/README.md"
}

# as_test LINE: a README line with its paths moved into the test folder.
as_test() {
	local line=$1
	# The tests run as root already, or as a user sudo would not serve.
	line=${line//\/usr\/bin\/sudo -n /}
	line=${line//\/usr\/bin\/promise-run/promise-run}
	line=${line//\/srv\/slapgrid/$WORK/srv/slapgrid}
	line=${line//\/var\/lib\/prometheus\/node-exporter/$WORK/textfile}
	line=${line//promise-run /"$PROMISE_RUN" --keep-env PROMISE_RUN_TEST_TAG }
	printf '%s' "$line"
}

readme_node() {
	mkdir -p srv/slapgrid textfile
	make_instance srv/slapgrid/slappart3
	promise srv/slapgrid/slappart3 check-config-present.sh 'exit 0'
	promise srv/slapgrid/slappart3 check-frontend-listening 'echo frontend is not running; exit 1'
	make_instance srv/slapgrid/slappart4
	promise srv/slapgrid/slappart4 ok 'exit 0'
}

test_readme_examples_of_usage_run() {
	readme_node
	local line count=0
	while read -r line; do
		line=${line%%#*}
		[[ -z ${line// } ]] && continue
		out=$(PROMISE_RUN_TEST_TAG=$TEST_TAG eval "$(as_test "$line")" 2>&1)
		status=$?
		[[ $status == [02] ]] || fail "'$line' exited $status: $out"
		count=$((count + 1))
	done < <(readme_example one-instance)
	((count == 4)) || fail "$count commands run"
}

test_readme_textfile_example_runs() {
	readme_node
	out=$(PROMISE_RUN_TEST_TAG=$TEST_TAG eval "$(as_test "$(readme_example textfile)")" 2>&1)
	status=$?
	expect_status 2
	grep -q '^promise_run_ok{home="'"$WORK"'/srv/slapgrid/slappart3",promise="check-frontend-listening"} 0$' \
		textfile/promise-run.prom || fail "textfile: $(cat textfile/promise-run.prom)"
}

test_readme_nrpe_command_runs() {
	readme_node
	local command
	command=$(readme_example nrpe | sed -n 's/^command\[promise_run\]=//p')
	[[ -n $command ]] || fail "no command"
	out=$(PROMISE_RUN_TEST_TAG=$TEST_TAG eval "$(as_test "$command")" 2>&1)
	status=$?
	expect_status 2
	expect_line '^PROMISE-RUN CRITICAL - 1 of 3 promises do not work in 2 instances \| '
}

test_readme_check_examples_run_as_promises() {
	make_instance home
	readme_example check-url >home/etc/promise/url
	readme_example check-port >home/etc/promise/port
	chmod +x home/etc/promise/*
	run_pr -v home
	# Nothing listens there: each says so, in its own words.
	expect_status 2
	expect_line '^ +https://\[::1\]:8443/ is not available \(server not reachable\)\. '
	expect_line "^ +2001:db8::12 on 5432 isn't listening \("
}
