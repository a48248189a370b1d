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
