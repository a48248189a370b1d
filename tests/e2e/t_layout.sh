# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# Layouts that would hand root to an instance's user are refused, and what
# promise-run does in a home it does with no more power than the user's.
# These tests need root (throw-away users); they are skips without it.

# root_program: a root-owned program outside every home that says, when
# run, who ran it ($WORK/marks/ran-as-UID): what a user would link to.
root_program() {
	mkdir -m 1777 "$WORK/marks"
	cat >"$WORK/program" <<EOF
#!/bin/sh
touch "$WORK/marks/ran-as-\$(id -u)"
EOF
	chmod 755 "$WORK/program"
}

# expect_not_run: the root program ran for no one.
expect_not_run() {
	local ran
	ran=$(ls "$WORK/marks")
	[[ -z $ran ]] || fail "the program ran: $ran"
}

# expect_refused REASON: the run refused home/ with exactly this message,
# ran nothing, and reported the home not checked.
expect_refused() {
	expect_status 1
	[[ $err == "promise-run: refused instance home '$WORK/home': its promises would run as root, but $1" ]] ||
		fail "not the one line expected: $1"
	expect_line "^$WORK/home: not checked"
	expect_not_run
}

test_as_root_a_root_home_whose_promise_folder_the_user_owns_is_refused() {
	need_root
	make_user
	root_program
	make_instance home
	chown "$user": home/etc/promise
	# The user's choice of a root program, under the user's choice of name.
	ln -s "$WORK/program" home/etc/promise/reboot
	chown -h "$user": home/etc/promise/reboot
	run_pr home
	expect_refused "'$WORK/home/etc/promise' is owned by user '$user', not by root"
}

test_as_root_a_root_home_whose_etc_the_user_owns_is_refused() {
	need_root
	make_user
	root_program
	make_instance home
	ln -s "$WORK/program" home/etc/promise/reboot
	# The user may rename etc/promise away and put their own in its place.
	chown "$user": home/etc
	run_pr home
	expect_refused "'$WORK/home/etc' is owned by user '$user', not by root"
}

test_as_root_a_root_home_with_a_folder_others_may_write_is_refused() {
	need_root
	root_program
	make_instance home
	ln -s "$WORK/program" home/etc/promise/reboot
	local group
	group=$(id -gn nobody)
	chgrp "$group" home/etc
	chmod 775 home/etc
	run_pr home
	expect_refused "'$WORK/home/etc' is writable by group '$group'"
	chgrp root home/etc
	chmod 755 home/etc
	# Sticky or not: others may still create there what they want run.
	chmod 1777 home
	run_pr home
	expect_refused "'$WORK/home' is writable by every user"
	chmod 755 home
	chmod 775 home/etc/promise
	run_pr home
	expect_refused "'$WORK/home/etc/promise' is writable by group 'root'"
	chmod 755 home/etc/promise
	# Root's own layout: the promise runs, as root.
	run_pr home
	expect_status 0
	[[ -e $WORK/marks/ran-as-0 ]] || fail "root's own promise did not run"
}

test_as_root_user_root_on_a_users_home_is_refused() {
	need_root
	make_user
	root_program
	make_instance home
	ln -s "$WORK/program" home/etc/promise/reboot
	chown -R -h "$user": home
	run_pr --user root home
	expect_refused "'$WORK/home' is owned by user '$user', not by root"
	# Run as its owner, the home is the user's to arrange.
	run_pr home
	expect_status 0
	[[ -e $WORK/marks/ran-as-$(id -u "$user") ]] || fail "the user's promise did not run"
}

test_as_root_a_pattern_match_that_is_a_symbolic_link_is_refused() {
	need_root
	make_user
	root_program
	mkdir homes
	make_instance homes/p1
	promise homes/p1 ok 'exit 0'
	chown -R "$user": homes/p1
	# A root folder that looks like a home, reached through a link.
	make_instance rootdir
	ln -s "$WORK/program" rootdir/etc/promise/reboot
	ln -s "$WORK/rootdir" homes/p2
	run_pr -f json "$WORK/homes/p*"
	expect_status 1
	[[ $err == "promise-run: refused instance home '$WORK/homes/p2': it is a symbolic link (matched by '$WORK/homes/p*')" ]] ||
		fail "not the one line expected"
	jq -e '[.instances[] | [.home, .verdict]] == [["'"$WORK/homes/p1"'", "working"], ["'"$WORK/homes/p2"'", "not checked"]]' \
		>/dev/null <<<"$out" || fail "the homes: $out"
	expect_not_run
	[[ ! -e rootdir/.slapgrid ]] || fail "root wrote in the linked folder"
	# Named on the command line, a link is the operator's choice.
	run_pr "$WORK/homes/p2"
	expect_status 0
}

test_as_root_homes_in_a_folder_others_may_write_are_refused() {
	need_root
	make_user
	mkdir homes
	make_instance homes/p1
	promise homes/p1 ok 'touch ran'
	chown -R "$user": homes/p1
	local folder=$WORK/homes pattern=$WORK/homes/p*
	chmod 1777 homes
	run_pr "$pattern"
	expect_status 1
	[[ $err == "promise-run: refused instance home '$folder/p1': the folder holding it, '$folder', is writable by every user (matched by '$pattern')" ]] ||
		fail "not the one line expected (1777)"
	expect_line "^$folder/p1: not checked"
	chmod 755 homes
	chown "$user" homes
	run_pr "$pattern"
	expect_status 1
	[[ $err == "promise-run: refused instance home '$folder/p1': the folder holding it, '$folder', is owned by user '$user', not by root (matched by '$pattern')" ]] ||
		fail "not the one line expected (the user's)"
	[[ ! -e homes/p1/ran ]] || fail "a refused home's promise ran"
	# Root's folder: the home is checked.
	chown root homes
	run_pr "$pattern"
	expect_status 0
	[[ -e homes/p1/ran ]] || fail "the promise did not run"
}

# watch_opens FILE...: a fanotify listener ($watcher) that holds each open
# of FILE by promise-run until it has written the opener's filesystem uid
# and effective capabilities to $WORK/opens (one "FSUID CAPEFF" line).
watch_opens() {
	command -v python3 >/dev/null || skip "needs python3"
	cat >"$WORK/watch.py" <<'PY'
import ctypes, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.fanotify_mark.argtypes = [ctypes.c_int, ctypes.c_uint, ctypes.c_uint64,
                               ctypes.c_int, ctypes.c_char_p]
FAN_CLASS_CONTENT, FAN_MARK_ADD, FAN_OPEN_PERM, FAN_ALLOW = 0x4, 0x1, 0x10000, 1
fd = libc.fanotify_init(FAN_CLASS_CONTENT, os.O_RDONLY)
if fd < 0:
    print("no fanotify:", os.strerror(ctypes.get_errno()))
    sys.exit(77)
for path in sys.argv[2:]:
    if libc.fanotify_mark(fd, FAN_MARK_ADD, FAN_OPEN_PERM, -100, path.encode()) < 0:
        sys.exit("fanotify_mark: " + os.strerror(ctypes.get_errno()))
out = open(sys.argv[1] + "/opens", "a", buffering=1)
open(sys.argv[1] + "/watching", "w").close()
while True:
    data = os.read(fd, 4096)
    while data:
        length, _, _, _, mask, event_fd, pid = struct.unpack_from("<IBBHQii", data)
        try:
            with open("/proc/%d/status" % pid) as status:
                fields = dict(line.split(":", 1) for line in status)
            if os.readlink("/proc/%d/exe" % pid) == os.path.realpath(os.environ["PROMISE_RUN"]):
                out.write("%s %s\n" % (fields["Uid"].split()[3], fields["CapEff"].strip()))
        finally:
            os.write(fd, struct.pack("<iI", event_fd, FAN_ALLOW))
            os.close(event_fd)
        data = data[length:]
PY
	python3 "$WORK/watch.py" "$WORK" "$@" >"$WORK/watch.log" 2>&1 &
	watcher=$!
	at_exit "kill $watcher 2>/dev/null"
	local tries=0
	until [[ -e $WORK/watching ]]; do
		if ! kill -0 "$watcher" 2>/dev/null; then
			wait "$watcher"
			(($? == 77)) && skip "fanotify permission events: $(cat "$WORK/watch.log")"
			fail "the watcher: $(cat "$WORK/watch.log")"
		fi
		((tries++ < 500)) || fail "the watcher never started"
		sleep 0.01
	done
}

test_as_root_home_io_is_done_with_no_capability() {
	need_root
	make_user
	make_instance home
	promise home ok 'exit 0'
	printf '[run]\ntimeout = 5\n' >home/etc/promise-run.conf
	chown -R "$user": home
	run_pr --force home
	expect_status 0
	# Its configuration is read, and its log appended to, as the user.
	watch_opens "$WORK/home/etc/promise-run.conf" \
		"$WORK/home/.slapgrid/promise/log/ok.log"
	run_pr --force home
	expect_status 0
	local uid
	uid=$(id -u "$user")
	[[ $(cat "$WORK/opens") == "$uid 0000000000000000
$uid 0000000000000000" ]] || fail "opens (fsuid, CapEff): $(cat "$WORK/opens")"
	# Root's capabilities are back for the next home: its own runs.
	make_instance roots
	promise roots mine "touch $WORK/roots-ran"
	run_pr --force home roots
	expect_status 0
	[[ -e $WORK/roots-ran ]] || fail "root's home after the user's"
}
