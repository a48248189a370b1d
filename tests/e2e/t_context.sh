# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# The context a promise runs in: descriptors, signals, folder, environment.

test_a_promise_has_only_descriptors_0_1_2() {
	make_instance home
	promise home fds 'exec ls /proc/self/fd'
	# An fd promise-run inherits must not reach the promise either.
	exec 9>"$WORK/inherited"
	run_pr --verbose home
	exec 9>&-
	expect_status 0
	fds=$(awk '/^ok/ {p=1; next} p && NF {print $1}' <<<"$out" | head -n -1 | tr '\n' ' ')
	# 3 is the folder ls itself opens to list /proc/self/fd.
	[[ $fds == "0 1 2 3 " ]] || fail "descriptors were: $fds"
}

test_stdout_and_stderr_are_one_pipe_and_stdin_is_dev_null() {
	make_instance home
	promise home where 'readlink /proc/self/fd/0; readlink /proc/self/fd/1; readlink /proc/self/fd/2 >&2'
	run_pr --verbose home
	expect_status 0
	expect_line '^ +/dev/null$'
	pipes=$(grep -oE 'pipe:\[[0-9]+\]' <<<"$out" | sort -u | wc -l)
	count=$(grep -cE 'pipe:\[[0-9]+\]' <<<"$out")
	[[ $pipes == 1 && $count == 2 ]] || fail "stdout and stderr differ"
}

test_a_promise_that_reads_stdin_gets_eof_at_once() {
	make_instance home
	promise home reader 'cat; echo read done'
	mkfifo "$WORK/fifo"
	# promise-run's own stdin never ends: only /dev/null lets cat finish.
	exec 7<>"$WORK/fifo"
	run_pr -t 2 home <&7
	exec 7>&-
	expect_status 0
	expect_line '^ok .* reader$'
}

test_signal_mask_and_dispositions_are_reset() {
	make_instance home
	promise home signals 'grep -E "^Sig(Blk|Ign):" /proc/self/status'
	# promise-run itself starts with signals ignored, as under nohup.
	( trap '' INT TERM HUP PIPE QUIT USR1; run_pr --verbose home
	  expect_status 0
	  expect_line '^ +SigBlk:[[:space:]]+0000000000000000$'
	  expect_line '^ +SigIgn:[[:space:]]+0000000000000000$' ) || exit 1
}

test_a_promise_runs_in_its_own_session_in_the_instance_home() {
	make_instance home
	promise home context 'echo "cwd=$(pwd)"; echo "home=$INSTANCE_HOME"
awk "{print (\$1 == \$5 && \$1 == \$6) ? \"leader\" : \"not leader\"}" /proc/$$/stat'
	ln -s home link
	run_pr --verbose link
	expect_status 0
	expect_line "^ +cwd=$WORK/home$"
	expect_line "^ +home=$WORK/home$"
	expect_line '^ +leader$'
}

test_the_environment_is_inherited_with_instance_home() {
	make_instance home
	promise home env 'echo "mine=$MY_VARIABLE"; echo "home=$INSTANCE_HOME"'
	if (( EUID == 0 )); then
		# As root, only what --keep-env names passes (see the next test).
		MY_VARIABLE=kept INSTANCE_HOME=/wrong run_pr --keep-env MY_VARIABLE --verbose home
	else
		MY_VARIABLE=kept INSTANCE_HOME=/wrong run_pr --verbose home
	fi
	expect_status 0
	expect_line '^ +mine=kept$'
	expect_line "^ +home=$WORK/home$"
}

test_as_root_roots_environment_does_not_reach_promises() {
	(( EUID == 0 )) || skip "needs root"
	make_instance home
	promise home env 'env | cut -d= -f1 | sort | tr "\n" " "'
	ROOT_TOKEN=s3cr3t LANG=C.UTF-8 LC_ALL=C.UTF-8 run_pr --verbose home
	expect_status 0
	expect_line '^ +HOME INSTANCE_HOME LANG LC_ALL LOGNAME PATH PROMISE_RUN PROMISE_RUN_TEST_TAG PWD SHELL USER$'
}

# slapgrid's way, asked for: the caller's whole environment; the user's
# own HOME, USER, LOGNAME and SHELL still, as for any other user.
test_as_root_inherit_env_passes_the_whole_environment() {
	(( EUID == 0 )) || skip "needs root"
	make_user
	make_instance home
	promise home env 'echo "$ROOT_TOKEN $USER"'
	chown -R "$user": home
	ROOT_TOKEN=s3cr3t run_pr --inherit-env --verbose --no-state home
	expect_status 0
	expect_line "^ +s3cr3t $user$"
	ROOT_TOKEN=s3cr3t run_pr --verbose --no-state home
	expect_line "^ +$user$"
}

test_closed_standard_descriptors_are_reopened() {
	make_instance home
	promise home fds 'exec ls /proc/self/fd'
	( exec 0<&- 2>&-
	  PROMISE_RUN_TEST_TAG=$TEST_TAG "$PROMISE_RUN" --keep-env PROMISE_RUN_TEST_TAG --verbose home >"$WORK/report" )
	grep -qE 'working \(1 promise\)' "$WORK/report" || { cat "$WORK/report"; fail "no verdict"; }
}
