# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# What ships to operators: units, timers, the cron file, bash completion.

test_systemd_units_pass_systemd_analyze() {
	command -v systemd-analyze >/dev/null || skip "systemd-analyze is missing"
	mkdir units
	# The units name the installed binary: here, the one under test.
	for unit in "$REPO"/etc/systemd/*; do
		sed "s#/usr/bin/promise-run#$PROMISE_RUN#" "$unit" >"units/${unit##*/}"
	done
	out=$(systemd-analyze verify --man=no units/* 2>&1)
	status=$?
	expect_status 0
	[[ -z $out ]] || fail "systemd-analyze: $out"
}

test_the_units_commands_run_as_written() {
	make_instance slappart1; promise slappart1 ok 'exit 0'
	make_instance slappart2; promise slappart2 bad 'exit 1'
	local unit command
	for unit in "$REPO"/etc/systemd/*.service; do
		command=$(sed -n 's/^ExecStart=//p' "$unit")
		command=${command//\/usr\/bin\/promise-run/$PROMISE_RUN --keep-env PROMISE_RUN_TEST_TAG}
		command=${command//\/srv\/slapgrid/$WORK}
		command=${command//\/var\/lib\/prometheus\/node-exporter/$WORK}
		# As systemd would: split on blanks, no shell, no pattern expansion.
		read -r -a words <<<"$command"
		out=$(PROMISE_RUN_TEST_TAG=$TEST_TAG "${words[@]}" 2>&1)
		status=$?
		expect_status 2
	done
	grep -q '^promise_run_ok{home="'"$WORK"'/slappart2",promise="bad"} 0$' \
		"$WORK/promise-run.prom" || fail "no textfile"
}

test_the_cron_file_runs_as_written() {
	make_instance slappart1; promise slappart1 ok 'exit 0'
	local line command
	line=$(grep -v '^#' "$REPO/etc/cron.d/promise-run" | grep -v '^[A-Z]*=' | grep .)
	[[ $(wc -l <<<"$line") == 1 ]] || fail "one job expected: $line"
	read -r minute hour day month weekday user command <<<"$line"
	[[ "$minute $hour $day $month $weekday $user" == "*/5 * * * * root" ]] ||
		fail "schedule: $line"
	command=${command//\/srv\/slapgrid/$WORK}
	out=$(PATH=/usr/sbin:/usr/bin:/sbin:/bin:$(dirname "$PROMISE_RUN") \
		PROMISE_RUN_TEST_TAG=$TEST_TAG sh -c "${command/promise-run/promise-run --keep-env PROMISE_RUN_TEST_TAG}" 2>&1)
	status=$?
	expect_status 0
	[[ -z $out ]] || fail "cron would mail: $out"
}

test_bash_completion_knows_options_formats_and_checks() {
	[[ -r /usr/share/bash-completion/bash_completion ]] ||
		skip "bash-completion is missing"
	out=$(bash -c '
		. /usr/share/bash-completion/bash_completion
		. "$1"
		complete_words() {
			COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
			COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
			COMPREPLY=(); _promise_run
			printf "%s " "${COMPREPLY[@]}"; echo
		}
		complete_words promise-run --form
		complete_words promise-run --format ""
		complete_words promise-run check-
		complete_words promise-run check-url --ca
	' bash "$REPO/etc/bash-completion/promise-run")
	[[ $out == "--format 
text json json-seq tap junit prometheus nagios 
check-url check-port "*"
--cacert " ]] || fail "completions: $out"
}
