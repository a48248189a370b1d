# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# Containment: what an instance user does with its own processes cannot
# stall root's run, steer root's signals to another process, or leave
# anything behind.  The attackers are compiled here, from the C below.
# Most tests need root (a throw-away user) and are skips without it.

# attacker NAME: compiles $WORK/NAME from the C source on standard input,
# readable and executable by everyone.
attacker() {
	command -v cc >/dev/null || skip "no C compiler"
	cc -O2 -o "$WORK/$1" -x c - || fail "cannot compile $1"
	chmod 755 "$WORK/$1"
}

# The stopper: stops, again and again, every process its user may signal.
stopper() {
	attacker stopper <<'EOF'
#include <signal.h>
int main(void) { for (;;) kill(-1, SIGSTOP); }
EOF
}

# need_cgroup: a writable cgroup v2 where promise-run can contain promises.
need_cgroup() {
	run_pr --containment=cgroup --list --no-state home
	[[ $status == 0 ]] || skip "no cgroup containment here: $err"
}

# await COMMAND...: waits up to 5 s, in short steps, until COMMAND succeeds.
await() {
	local tries=0
	until "$@"; do
		((tries++ < 500)) || fail "never came: $*"
		sleep 0.01
	done
}

# user_processes: the pids of the test user's live processes.
user_processes() {
	pgrep -u "$user" | tr '\n' ' '
}

# no_user_process_within_half_a_second: the issue's bound, waited for.
no_user_process_within_half_a_second() {
	local tries=0
	while [[ -n $(user_processes) ]]; do
		((tries++ < 50)) || fail "left behind: $(user_processes)"
		sleep 0.01
	done
}

# The user's stopper loop, as one of 41 promises: every other promise of
# the user is stopped too; the run still ends by the promises' timeouts
# and the deadline, every promise reported.
test_a_promise_stopping_its_users_processes_stalls_no_run() {
	need_root
	make_user
	stopper
	make_instance home
	promises home 40 'exit 0'
	# First in byte order: the other 40 start while it runs.
	promise home 0-stopper "exec $WORK/stopper"
	chown -R "$user": home
	run_pr --no-state -f json -t 1 -k 0.2 -j 64 --deadline 8 home
	expect_status 2
	[[ $(jq '.instances[0].promises | length' <<<"$out") == 41 ]] ||
		fail "not every promise reported"
	[[ $(jq -r '.instances[0].promises[] | select(.name == "0-stopper") | .status' <<<"$out") == timeout ]] ||
		fail "the stopper did not time out"
	no_user_process_within_half_a_second
}

# The same loop run by the user outside promise-run, during the run:
# promises stopped before or after their exec time out, nothing hangs,
# and SIGTERM still ends promise-run.
test_a_user_stopping_its_processes_from_outside_stalls_no_run() {
	need_root
	make_user
	stopper
	make_instance home
	promises home 40 'exit 0'
	chown -R "$user": home
	setpriv --reuid="$user" --regid="$user" --clear-groups "$WORK/stopper" &
	stopper_pid=$!
	# Before the user is removed, which its processes would prevent.
	exit_commands="kill -KILL $stopper_pid 2>/dev/null; pkill -KILL -u '$user'
$exit_commands"
	run_pr --no-state -f json -t 1 -k 0.2 -j 64 --deadline 6 home
	[[ $status == [02] ]] || fail "the run did not end by itself"
	[[ $(jq '.instances[0].promises | length' <<<"$out") == 40 ]] ||
		fail "not every promise reported"
	start_pr --no-state -t 30 -j 64 home
	await pgrep -P "$pr_pid"
	kill -TERM "$pr_pid"
	finish_pr
	expect_status 143
}

# A promise whose setsid child cycles pids until the leader's would be
# next, then lets the leader exit while it holds the output: the promise
# of another home started then must get no pid that promise-run still
# signals.  In a pid namespace of pids 300 to 399 the cycle is short.
test_a_recycled_pid_never_gets_another_promises_kill() {
	need_root
	command -v unshare >/dev/null || skip "no unshare"
	unshare --pid --fork --mount-proc sh -c 'echo 400 >/proc/sys/kernel/pid_max' 2>/dev/null ||
		skip "no pid namespace with its own pid_max (Linux 6.14)"
	attacker cycler <<'EOF'
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <unistd.h>
/* In a pid namespace whose pids cycle from 300 to 399. */
static pid_t after(pid_t pid) { return pid + 1 == 400 ? 300 : pid + 1; }
/* Whether the next pid to be given is `leader`: every one between is taken. */
static bool next_is(pid_t last, pid_t leader)
{
	for (pid_t pid = after(last); pid != leader; pid = after(pid))
		if (kill(pid, 0) < 0 && errno == ESRCH)
			return false;
	return true;
}
/* cycler FIFO: its child cycles pids until the leader's is next, then
   the leader exits; the child opens FIFO and keeps the output open. */
int main(int argc, char **argv)
{
	pid_t leader = getpid();
	int sync[2];
	char byte;

	if (argc < 2 || pipe(sync) < 0)
		return 1;
	if (fork() != 0) {
		close(sync[1]);
		return read(sync[0], &byte, 1) < 0;
	}
	close(sync[0]);
	setsid();
	for (int i = 0; i < 4000; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		waitpid(pid, NULL, 0);
		if (next_is(pid, leader))
			break;
	}
	close(sync[1]);
	while (getppid() == leader)
		;
	/* Opened and closed: the FIFO's reader goes on. */
	close(open(argv[1], O_WRONLY));
	pause();
}
EOF
	make_instance a
	make_instance b
	promise a cycler "exec $WORK/cycler $WORK/positioned"
	# Holds the second slot until the cycler is in place (forking
	# nothing), so that the victim is the next process to be started.
	promise b 0-wait "read line <$WORK/positioned"
	promise b 1-victim 'exec sleep 1'
	# Both containments: a process group is signalled by its number.
	local containment
	for run in 1 2 3 4; do
		containment=freeze
		((run % 2)) || containment=auto
		rm -f "$WORK/positioned"
		mkfifo "$WORK/positioned"
		# Pids below 300 are never given again: use the first 300 up.
		out=$(unshare --pid --fork --mount-proc sh -c \
			'echo 400 >/proc/sys/kernel/pid_max || exit 1
			 i=0; while [ $i -lt 300 ]; do (:); i=$((i + 1)); done
			 "$@"' sh "$PROMISE_RUN" --no-state -f json -j 2 -t 5 \
			--containment=$containment a b)
		status=$?
		[[ $(jq -r '.instances[1].promises[1].status' <<<"$out") == ok ]] ||
			fail "run $run ($containment): the other home's promise was killed"
	done
}

# A fork bomb of setsid children under RLIMIT_NPROC: nothing of it is
# alive half a second after the run, with a cgroup per promise.
test_a_fork_bomb_dies_with_its_promise_in_a_cgroup() {
	need_root
	make_user
	make_instance home
	need_cgroup
	fork_bomb_is_contained cgroup
}

# The same where no cgroup can be had: frozen, then killed.
test_a_fork_bomb_dies_with_its_promise_when_frozen() {
	need_root
	make_user
	make_instance home
	fork_bomb_is_contained freeze
}

fork_bomb_is_contained() {
	attacker bomb <<'EOF'
#include <time.h>
#include <unistd.h>
/* Every process forks children that leave its session, forever.  At the
   limit each tries again every 10 ms: 120 processes still fork as soon as
   one dies, and leave the processors to the other tests. */
int main(void)
{
	const struct timespec rest = { 0, 10000000 };

	for (;;) {
		pid_t pid = fork();

		if (pid == 0)
			setsid();
		else if (pid < 0)
			nanosleep(&rest, NULL);
	}
}
EOF
	promise home bomb "exec prlimit --nproc=120 $WORK/bomb"
	chown -R "$user": home
	run_pr --no-state --containment="$1" -t 1 -k 0.2 home
	expect_status 2
	expect_line '^timeout .* bomb$'
	no_user_process_within_half_a_second
}

# promise-run killed hard leaves the cgroup of a promise whose setsid
# child survives: the next run kills it and says so.
test_a_run_killed_hard_leaves_nothing_the_next_run_does_not_kill() {
	need_root
	make_instance home
	need_cgroup
	promise home escapee "setsid sh -c 'echo \$\$ >$WORK/escaped; exec sleep 60' & exec sleep 60"
	start_pr --no-state --containment=cgroup home
	wait_for_file "$WORK/escaped"
	await test -s "$WORK/escaped"
	kill -KILL "$pr_pid"
	finish_pr
	local escaped
	escaped=$(cat "$WORK/escaped")
	kill -0 "$escaped" 2>/dev/null || fail "the escapee did not survive the kill: no test"
	promise home escapee 'exit 0'
	run_pr --no-state --containment=cgroup home
	expect_status 0
	expect_err '^promise-run: killed what was left in 1 cgroup of earlier runs that were killed$'
	await eval "! kill -0 $escaped 2>/dev/null"
}

# --list and the JSON report say how promises are contained.
test_the_containment_is_told_in_list_and_json() {
	make_instance home
	promise home ok 'exit 0'
	run_pr --list --containment=freeze home
	expect_status 0
	expect_line '^containment: freeze \(no cgroup: --containment=freeze\)$'
	run_pr --no-state -f json --containment=freeze home
	[[ $(jq -r '.containment' <<<"$out") == freeze ]] || fail "containment not told"
	if [[ $(id -u) == 0 ]]; then
		need_cgroup
		run_pr --list home
		expect_line '^containment: cgroup$'
	fi
}

# Each promise's CPU time counts the processes it started: here a child
# that spins for a tenth of a second of CPU, in both containments.
test_a_promises_cpu_time_counts_its_children() {
	attacker spin <<'EOF'
#include <time.h>
int main(void)
{
	struct timespec now;
	do
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
	while (now.tv_sec == 0 && now.tv_nsec < 100000000);
	return 0;
}
EOF
	make_instance home
	promise home spin "$WORK/spin; exit 0"
	local containment
	for containment in freeze cgroup; do
		if [[ $containment == cgroup ]]; then
			[[ $(id -u) == 0 ]] || continue
			need_cgroup
		fi
		run_pr --no-state -f json --containment=$containment home
		expect_status 0
		jq -e '.instances[0].promises[0]["cpu-time"] >= 0.1' <<<"$out" >/dev/null ||
			fail "$containment: the child's CPU time is not counted"
		run_pr --no-state -v --containment=$containment home
		expect_line '^ok +[0-9.]+s +0\.[1-9][0-9]*s cpu  spin$'
	done
}

# With a cgroup per promise, a setsid child dies when its promise ends,
# not at the end of the run: another promise, still running, sees it gone.
test_an_escaped_child_dies_with_its_promise_while_others_run() {
	need_root
	make_instance home
	need_cgroup
	promise home a-holder "while [ ! -e $WORK/checked ]; do sleep 0.01; done"
	promise home b-escaper "setsid sleep 60 & echo \$! >$WORK/escapee"
	promise home c-check "kill -0 \$(cat $WORK/escapee) 2>/dev/null && echo alive; touch $WORK/checked; exit 0"
	run_pr --no-state -v --containment=cgroup -j 2 home
	expect_status 0
	expect_no_line '^ +alive$'
}
