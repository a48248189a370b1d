# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# The configuration file, the environment, and running as root.


test_config_timeout_applies() {
	make_instance home
	promise home hang 'sleep 30'
	conf '[run]' 'timeout = 0.2' 'kill-after = 0.1'
	run_pr home
	expect_status 2
	expect_line '^ +Error: Promise timed out after 0\.2 seconds$'
}

test_per_promise_timeout_wins_over_run_and_command_line_over_all() {
	make_instance home
	promise home hang 'sleep 30'
	promise home other 'sleep 30'
	conf '[run]' 'timeout = 0.3' 'kill-after = 0.1' '[promise:hang]' 'timeout = 0.2'
	run_pr --force --list home
	expect_line '^promise +timeout 0\.2s \(config\) +hang$'
	expect_line '^promise +timeout 0\.3s \(config\) +other$'
	run_pr --force home
	expect_status 2
	expect_line 'timed out after 0\.2 seconds'
	expect_line 'timed out after 0\.3 seconds'
	run_pr --force -t 0.25 home
	[[ $(grep -c 'timed out after 0\.25 seconds' <<<"$out") == 2 ]] || fail "command line did not win"
	rm home/etc/promise-run.conf
	run_pr --force --list home
	expect_line '^promise +timeout 20s \(default\) +hang$'
}

test_a_skipped_promise_does_not_run() {
	make_instance home
	promise home old "touch $WORK/ran; exit 1"
	promise home good 'exit 0'
	conf '[promise:old]' 'skip = yes'
	run_pr home
	expect_status 0
	expect_line '^disabled +old: disabled in config$'
	[[ ! -e $WORK/ran ]] || fail "a disabled promise ran"
	run_pr -f tap home
	expect_line '^ok [0-9]+ - old # SKIP disabled in config$'
	run_pr -f json home
	jq -e '.instances[0].skipped == [{"name": "old", "reason": "disabled in config"}] and (.instances[0].promises | length) == 1' \
		>/dev/null <<<"$out" || fail "json"
	run_pr -f junit home
	printf '%s\n' "$out" >"$WORK/r.xml"
	[[ $(xmllint --xpath 'count(//testcase[@name="old"]/skipped)' "$WORK/r.xml") == 1 ]] || fail "junit"
}

test_config_settings_for_jobs_state_and_format() {
	make_instance home
	promise home a 'exit 0'
	conf '[run]' 'jobs = 1' 'state = no' 'format = json'
	run_pr home
	expect_status 0
	expect_line '^== '
	expect_err "^promise-run: warning: $WORK/home/etc/promise-run.conf:4: 'format' is a setting of the whole run: give it on the command line or in --config \\(ignored here\\)$"
	[[ ! -e home/.slapgrid ]] || fail "state = no wrote state"
	printf '[run]\nformat = json\n' >"$WORK/operator.conf"
	run_pr --config "$WORK/operator.conf" home
	jq -e '.verdict == "working"' >/dev/null <<<"$out" || fail "format from --config"
	run_pr -f tap --config "$WORK/operator.conf" home
	expect_line '^TAP version 13$'
}

test_an_unknown_key_names_file_and_line_and_nothing_runs() {
	make_instance home
	promise home toucher "touch $WORK/ran"
	conf '[run]' 'timeout = 3' 'timout = 4'
	run_pr home
	expect_status 1
	expect_err "^promise-run: $WORK/home/etc/promise-run.conf:3: unknown key 'timout' in \[run\] \(expected timeout, kill-after, jobs, clean-env, state, mode, periodicity or nagios-levels\)$"
	[[ ! -e $WORK/ran ]] || fail "a promise ran"
}

test_a_bad_config_is_its_homes_error_and_the_others_run() {
	make_instance one; promise one toucher "touch $WORK/ran"
	make_instance two; promise two other "touch $WORK/other-ran"
	printf '[run]\njobs = many\n' >two/etc/promise-run.conf
	run_pr one two
	expect_status 1
	expect_err "two/etc/promise-run.conf:2: bad value 'many' for 'jobs'"
	expect_line "^$WORK/two: not checked \\($WORK/two/etc/promise-run.conf:2: bad value 'many' for 'jobs': expected a whole number from 1 to 4096\\)$"
	[[ -e $WORK/ran ]] || fail "the other home did not run"
	[[ ! -e $WORK/other-ran ]] || fail "a promise of the broken home ran"
}

test_the_shipped_example_config_is_valid() {
	make_instance home
	promise home check-frontend-listening 'exit 0'
	run_pr --config "$REPO/etc/promise-run.conf" --list home
	expect_status 0
	expect_line '^promise +timeout 20s \(config\) +check-frontend-listening$'
	[[ -z $err ]] || fail "warnings: $err"
	# As a home's own file, as it is: not a warning either.
	cp "$REPO/etc/promise-run.conf" home/etc/promise-run.conf
	run_pr -q home
	expect_status 0
	[[ -z $err && -z $out ]] || fail "as a home's file, it says something"
}

test_config_option_and_its_errors() {
	make_instance home
	promise home hang 'sleep 30'
	printf '[run]\ntimeout = 0.2\n' >"$WORK/my.conf"
	run_pr --config "$WORK/my.conf" -k 0.1 home
	expect_status 2
	expect_line 'timed out after 0\.2 seconds'
	run_pr --config "$WORK/missing.conf" home
	expect_status 1
	expect_err "^promise-run: cannot read '$WORK/missing.conf': No such file or directory$"
	printf 'garbage\n' >"$WORK/bad.conf"
	run_pr -c "$WORK/bad.conf" home
	expect_status 1
	expect_err "^promise-run: $WORK/bad.conf:1: syntax error"
}

test_a_section_for_no_promise_is_a_warning() {
	make_instance home
	promise home a 'exit 0'
	conf '[promise:gone.sh]' 'skip = yes'
	run_pr home
	expect_status 0
	# The line is that of the section's first key: inih does not report
	# a section header by itself.
	expect_err "warning: $WORK/home/etc/promise-run.conf:2: \[promise:gone.sh\] names no promise"
}

test_the_operators_section_warns_only_when_no_home_has_its_promise() {
	make_instance a
	make_instance b
	promise a p.sh 'exit 0'
	promise b q.sh 'exit 0'
	printf '[promise:p.sh]\ntimeout = 2\n[promise:gone.sh]\nskip = yes\n' >op.conf
	run_pr -q -c op.conf a b
	expect_status 0
	# One line for the section no home answers; none for p.sh, which b lacks.
	[[ $err == "promise-run: warning: op.conf:4: [promise:gone.sh] names no promise in any instance home" ]] ||
		fail "not the one warning expected"
}

test_clean_env_leaves_only_the_documented_variables() {
	make_instance home
	promise home env 'env | cut -d= -f1 | sort | tr "\n" " "'
	SECRET=1 TZ=UTC run_pr --force --clean-env --verbose home
	expect_status 0
	expect_line '^ +HOME INSTANCE_HOME LOGNAME PATH PROMISE_RUN PWD SHELL TZ USER$'
	conf '[run]' 'clean-env = yes'
	SECRET=1 run_pr --force --verbose home
	expect_line '^ +HOME INSTANCE_HOME LOGNAME PATH PROMISE_RUN PWD SHELL USER$'
	rm home/etc/promise-run.conf
	SECRET=1 run_pr --force --keep-env SECRET --verbose home
	expect_line 'SECRET'
}

test_as_root_promises_run_as_the_owner_of_the_home() {
	need_root
	make_user
	make_instance home
	promise home who 'id -un; id -u; echo "home=$HOME user=$USER"; touch "$INSTANCE_HOME/mine"'
	chown -R "$user": home
	run_pr --verbose home
	expect_status 0
	expect_line "^ +$user$"
	expect_line "^ +home=/home/$user user=$user$"
	[[ $(stat -c %U home/mine) == "$user" ]] || fail "file created as $(stat -c %U home/mine)"
	for file in home/.slapgrid home/.slapgrid/promise/result/who.status.json home/.slapgrid/promise/log/who.log home/.slapgrid/promise/promise-run.lock; do
		[[ $(stat -c %U "$file") == "$user" ]] || fail "$file is owned by $(stat -c %U "$file")"
	done
}

test_as_root_the_drop_cannot_be_undone() {
	need_root
	make_user
	make_instance home
	promise home ids 'grep -E "^(Uid|Gid|Groups):" /proc/self/status'
	chown -R "$user": home
	run_pr --verbose home
	expect_status 0
	# Real, effective, saved and file-system ids all changed: no way back.
	uid=$(id -u "$user") gid=$(id -g "$user")
	expect_line "^ +Uid:[[:space:]]+$uid[[:space:]]+$uid[[:space:]]+$uid[[:space:]]+$uid$"
	expect_line "^ +Gid:[[:space:]]+$gid[[:space:]]+$gid[[:space:]]+$gid[[:space:]]+$gid$"
	expect_line "^ +Groups:[[:space:]]+$gid[[:space:]]*$"
}

test_as_root_user_option_chooses_the_user() {
	need_root
	make_user
	make_instance home
	promise home who 'id -un'
	chmod 755 home
	run_pr --user "$user" --verbose --no-state home
	expect_status 0
	expect_line "^ +$user$"
}

test_as_root_a_world_writable_promise_is_refused() {
	need_root
	make_user
	make_instance home
	promise home open "touch $WORK/ran"
	chmod 777 home/etc/promise/open
	chown -R "$user": home
	chmod 777 home/etc/promise/open
	run_pr home
	expect_status 2
	expect_line '^error .* open$'
	expect_line '^ +refused: writable by every user$'
	[[ ! -e $WORK/ran ]] || fail "a refused promise ran"
}

# slapgrid's way, asked for: files others may write run, with a warning
# each; a file of another owner is still refused.
test_as_root_accept_writable_runs_writable_promise_files_with_a_warning() {
	need_root
	make_user
	make_instance home
	promise home group-open "touch ran-group"
	promise home open "touch ran-open"
	promise home foreign "touch ran-foreign"
	promise home tight "touch ran-tight"
	chown -R "$user": home
	chown nobody:staff home/etc/promise/foreign
	chgrp staff home/etc/promise/group-open
	chmod 775 home/etc/promise/group-open
	chmod 777 home/etc/promise/open
	run_pr --accept-writable --no-state home
	expect_status 2
	[[ -e home/ran-group && -e home/ran-open && -e home/ran-tight ]] ||
		fail "a writable promise did not run"
	[[ ! -e home/ran-foreign ]] || fail "another user's promise ran"
	expect_line "^ +refused: owned by uid $(id -u nobody), not by root or $user$"
	[[ $err == "promise-run: warning: '$WORK/home/etc/promise/group-open' is writable by group 'staff': run all the same (--accept-writable)
promise-run: warning: '$WORK/home/etc/promise/open' is writable by every user: run all the same (--accept-writable)" ]] ||
		fail "warnings: $err"
}

test_as_root_a_promise_owned_by_another_user_is_refused() {
	need_root
	make_user
	make_instance home
	promise home foreign "touch $WORK/ran"
	chown -R "$user": home
	chown nobody home/etc/promise/foreign
	run_pr home
	expect_status 2
	expect_line "^ +refused: owned by uid $(id -u nobody), not by root or $user$"
	[[ ! -e $WORK/ran ]] || fail "a refused promise ran"
}

test_as_root_user_option_names_a_user_that_exists() {
	need_root
	make_instance home
	promise home a "touch $WORK/ran"
	run_pr --user no-such-user-here home
	expect_status 1
	[[ $err == "promise-run: option '--user': no user is named 'no-such-user-here'" ]] ||
		fail "not the one line expected"
	[[ -z $out && ! -e ran ]] || fail "something ran"
}

test_user_option_needs_root() {
	if [[ $(id -u) == 0 ]]; then
		# Root tries it as a user that is not root.
		out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups \
			"$PROMISE_RUN" --user nobody /tmp 2>&1)
		status=$? err=$out
	else
		run_pr --user nobody
	fi
	expect_status 1
	expect_err "^promise-run: option '--user' needs promise-run to run as root$"
}

test_each_home_uses_its_own_config() {
	make_instance one; promise one hang 'sleep 30'
	make_instance two; promise two hang 'sleep 30'
	printf '[run]\ntimeout = 0.2\nkill-after = 0.1\n' >one/etc/promise-run.conf
	printf '[run]\ntimeout = 0.3\nkill-after = 0.1\n' >two/etc/promise-run.conf
	run_pr one two
	expect_status 2
	[[ $(grep -A1 '^timeout' <<<"$out" | grep -c 'after 0\.2 seconds') == 1 ]] || fail "one"
	[[ $(grep -A1 '^timeout' <<<"$out" | grep -c 'after 0\.3 seconds') == 1 ]] || fail "two"
	run_pr -f json one two
	jq -e '[.instances[].promises[0].message] == ["Error: Promise timed out after 0.2 seconds", "Error: Promise timed out after 0.3 seconds"]' \
		>/dev/null <<<"$out" || fail "json"
}

test_an_instances_long_timeout_is_capped_by_max_timeout() {
	make_instance home
	promise home slow 'exit 0'
	printf '[run]\ntimeout = 2678400\nkill-after = 100000\n' >home/etc/promise-run.conf
	run_pr --list home
	expect_line '^promise +timeout 600s \(config, capped by max-timeout\) +slow$'
	run_pr --list --max-timeout 30 home
	expect_line '^promise +timeout 30s \(config, capped by max-timeout\) +slow$'
	# The operator's own choice is not capped.
	run_pr --list -t 2678400 home
	expect_line '^promise +timeout 2678400s \(command line\) +slow$'
}

test_a_config_line_too_long_is_an_error_never_split() {
	make_instance home
	promise home ok 'exit 0'
	printf '[run]\n; %s timeout = 0.001\n' "$(printf 'x%.0s' $(seq 1 197))" \
		>home/etc/promise-run.conf
	run_pr home
	expect_status 1
	expect_err "^promise-run: $WORK/home/etc/promise-run.conf:2: line longer than 197 characters$"
}
