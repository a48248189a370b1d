# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# Timeouts, the kill sequence, and what promises leave behind.

test_a_hanging_promise_times_out_with_the_exact_message() {
	make_instance home
	promise home hang 'echo partial; sleep 30'
	promise home quick 'exit 0'
	# Only hang times out: quick gets time enough on a loaded machine.
	printf '[promise:hang]\ntimeout = 0.2\n' >home/etc/promise-run.conf
	run_pr -k 0.2 home
	expect_status 2
	expect_line '^timeout +[0-9.]+s  hang$'
	expect_line '^ +Error: Promise timed out after 0\.2 seconds$'
	expect_line '^ok .* quick$'
}

test_a_promise_that_ignores_sigterm_is_killed() {
	make_instance home
	promise home stubborn "trap '' TERM; while :; do sleep 0.05; done"
	run_pr -t 0.2 -k 0.2 home
	expect_status 2
	expect_line '^timeout .* stubborn$'
}

test_a_promise_that_exits_on_sigterm_is_still_a_timeout() {
	make_instance home
	promise home polite "trap 'exit 0' TERM; sleep 30 & wait"
	run_pr -t 0.2 home
	expect_status 2
	expect_line '^timeout .* polite$'
}

test_a_stopped_promise_is_woken_and_stopped() {
	make_instance home
	promise home stopped 'kill -STOP $$; exit 0'
	# Woken by SIGCONT, it dies of the SIGTERM: without the SIGCONT, only
	# the SIGKILL five seconds later would end it.
	run_pr -t 0.2 -k 5 -f json home
	expect_status 2
	jq -e '.instances[0].promises[0] | .status == "timeout" and .signal == 15' \
		>/dev/null <<<"$out" || fail "not ended by SIGTERM: $out"
}

test_a_background_child_holding_stdout_does_not_delay_the_verdict() {
	make_instance home
	promise home background 'sleep 30 & echo started'
	run_pr -t 10 --verbose home
	expect_status 0
	expect_line '^ok +0\.[0-9]+s +0\.[0-9]+s cpu  background$'
	expect_line '^ +started$'
}

test_a_descendant_that_escapes_with_setsid_is_killed() {
	make_instance home
	promise home escape 'setsid sleep 30 & setsid sh -c "sleep 31 >/dev/null 2>&1 </dev/null" & exit 0'
	# Frozen then killed as an orphan, and with its cgroup where it has one.
	for containment in freeze auto; do
		run_pr --containment=$containment home
		expect_status 0
		[[ -z $(processes_tagged "$TEST_TAG") ]] ||
			fail "$containment: an escaped descendant survived the run"
	done
}

test_a_double_forked_daemon_is_killed() {
	make_instance home
	promise home daemon '( ( exec sleep 30 ) & ) ; exit 0'
	run_pr home
	expect_status 0
}

test_no_zombie_or_orphan_remains_between_promises() {
	make_instance home
	promise home a-escape 'setsid sleep 30 & exit 0'
	promise home b-background 'sleep 30 & exit 0'
	# Sorted last: with -j 1 it runs alone, after both above finished.
	promise home c-probe 'children=$(cat /proc/$PPID/task/$PPID/children)
for pid in $children; do
	[ "$pid" = $$ ] && continue
	echo "stray child $pid: $(cat /proc/$pid/stat)"; exit 1
done'
	run_pr -j 1 home
	expect_status 0
}

test_promises_that_exit_at_once_in_parallel_all_reap() {
	make_instance home
	for i in $(seq 1 40); do promise home "p$i" 'exit 0'; done
	# A promise that just exited is a zombie until promise-run reaps it:
	# the probe gives the others a second to be reaped, and fails if one
	# stays a zombie.
	promise home zz-probe 'tries=0
while :; do
	zombies=
	for pid in $(cat /proc/$PPID/task/$PPID/children); do
		[ "$pid" = $$ ] && continue
		state=$(awk "{print \$3}" /proc/$pid/stat 2>/dev/null)
		[ "$state" = Z ] && zombies="$zombies $pid"
	done
	[ -z "$zombies" ] && exit 0
	tries=$((tries + 1))
	[ $tries -lt 100 ] || { echo "zombies:$zombies"; exit 1; }
	sleep 0.01
done'
	run_pr -j 8 home
	expect_status 0
	expect_line 'working \(41 promises\)'
}

test_a_promises_leftovers_die_with_it_while_others_run() {
	make_instance home
	# a leaves a child holding its output; b watches for that child to
	# die, which must happen as a ends (its group killed after the drain),
	# not only once nothing runs any more.
	promise home a-leaves "sleep 30 & echo \$! >$WORK/leftover.new; mv $WORK/leftover.new $WORK/leftover; exit 0"
	promise home b-watches "i=0; until [ -s $WORK/leftover ] && ! kill -0 \$(cat $WORK/leftover) 2>/dev/null; do i=\$((i + 1)); [ \$i -lt 300 ] || exit 1; sleep 0.01; done"
	# Killed as a process group, and as a cgroup where one can be had.
	for containment in freeze auto; do
		rm -f "$WORK/leftover"
		run_pr -j 2 --containment=$containment home
		expect_status 0
	done
}
