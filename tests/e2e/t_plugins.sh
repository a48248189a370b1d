# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# Python plugins (etc/plugin/NAME.py) run through slapos.core's own runner,
# as slapgrid runs them: found from the home's software_release link and
# the plugins' sys.path list, started as one task, each plugin's result
# read back from the file the runner writes.  CI has no slapos.core: the
# runner is tests/plugins/runpromises.py, a stand-in that keeps its
# options, files and exit statuses (t_plugins_slapos.sh runs the real one).

# plugin_software: a software release whose bin/buildout names python3,
# and an egg folder holding the stand-in runner, in $WORK.
plugin_software() {
	mkdir -p "$WORK/software/bin" "$WORK/eggs/other" \
		"$WORK/eggs/slapos.core/slapos/grid/promise"
	printf '#!/usr/bin/python3\n# buildout\n' >"$WORK/software/bin/buildout"
	chmod +x "$WORK/software/bin/buildout"
	cp "$REPO/tests/plugins/runpromises.py" \
		"$WORK/eggs/slapos.core/slapos/grid/promise/runpromises.py"
}

# as_instance_user HOME...: as root, the homes are given to a throw-away
# user (root runs no plugin of a home of root's), $WORK opened to it.
as_instance_user() {
	[[ $(id -u) == 0 ]] || return 0
	[[ -n ${user-} ]] || { make_user; chmod 755 "$WORK"; }
	chown -R "$user": "$@"
}

# plugin HOME NAME CONFIG: a plugin as the promise.plugin recipe writes
# one, its extra_config_dict CONFIG (a Python dict's inside).
plugin() {
	mkdir -p "$1/etc/plugin"
	cat >"$1/etc/plugin/$2" <<PLUGIN
import sys
sys.path[0:0] = [
  "$WORK/eggs/other",
  "$WORK/eggs/slapos.core",
]
extra_config_dict = {
  $3
}
from slapos.promise.plugin.check_stand_in import RunPromise
PLUGIN
	[[ -z ${user-} ]] || chown "$user": "$1/etc/plugin/$2"
}

# plugin_home HOME: 3 plugins (one fails) and 2 legacy promises that work.
plugin_home() {
	make_instance "$1"
	ln -sfn "$WORK/software" "$1/software_release"
	plugin "$1" check-db.py "'result': 'ok'"
	plugin "$1" check-frontend.py "'result': 'fail', 'message': 'frontend is down'"
	plugin "$1" check-url.py "'result': 'ok', 'message': 'http://[::1]:8080/ is available'"
	promise "$1" check-config.sh 'echo config ok'
	promise "$1" check-port 'exit 0'
	as_instance_user "$1"
}

test_plugins_and_legacy_promises_in_every_format() {
	plugin_software
	plugin_home home
	golden plugins-text -t 5 home
	golden plugins-verbose --no-state --force -t 5 -v home
	local format
	for format in json tap junit prometheus nagios; do
		golden "plugins-$format" --no-state --force -t 5 -f "$format" home
	done
}

test_plugins_results_are_the_runners_own_files() {
	plugin_software
	plugin_home home
	run_pr home
	expect_status 2
	jq -e '.result.failed == true and .result.message == "frontend is down"' \
		home/.slapgrid/promise/result/check-frontend.status.json >/dev/null ||
		fail "the runner's result file"
	grep -q ' - ERROR - .* - frontend is down$' \
		home/.slapgrid/promise/log/check-frontend.log ||
		fail "the runner's log: $(cat home/.slapgrid/promise/log/check-frontend.log)"
	# Written once, by the runner: promise-run adds no record of its own.
	[[ $(wc -l <home/.slapgrid/promise/log/check-db.log) == 1 ]] ||
		fail "check-db.log: $(cat home/.slapgrid/promise/log/check-db.log)"
	# The legacy ones are promise-run's, as before.
	jq -e '.result.failed == false' \
		home/.slapgrid/promise/result/check-port.status.json >/dev/null ||
		fail "check-port's result file"
}

test_plugins_list_says_the_python_and_the_runner() {
	plugin_software
	plugin_home home
	golden plugins-list --list home
	golden plugins-list-json --list -f json home
}

test_plugins_only_selects_a_plugin() {
	plugin_software
	plugin_home home
	run_pr --no-state --only check-db.py home
	expect_status 0
	expect_line '^ok +[0-9.]+s  check-db\.py$'
	expect_no_line 'check-frontend'
	expect_no_line 'check-port'
	# No plugin selected: the runner does not start.
	rm -r home/.slapgrid
	run_pr --only check-port home
	expect_status 0
	[[ ! -e home/.slapgrid/promise/result/check-db.status.json ]] ||
		fail "the runner ran for no plugin"
}

test_plugins_without_a_runner_are_errors_and_the_rest_goes_on() {
	plugin_software
	plugin_home home
	plugin_home other
	rm home/software_release
	run_pr --no-state home other
	expect_status 2
	expect_line "^error +[0-9.]+s  check-db\.py$"
	expect_line "^ +no python for the plugins: '$WORK/home/software_release': No such file or directory \(--plugin-python names one\)$"
	expect_line '^ok +[0-9.]+s  check-port$'
	expect_line "^$WORK/home: not working \(3 of 5 promises do not work\)$"
	expect_line "^$WORK/other: not working \(1 of 5 promises does not work\)$"
	# The operator names them where the rules do not hold.
	run_pr --no-state --plugin-python /usr/bin/python3 home
	expect_line "^$WORK/home: not working \(1 of 5 promises does not work\)$"
	# No runner in the plugins' path; the operator's elsewhere (in the
	# test's folder: the checkout may be closed to the home's user, as
	# under /root).
	mkdir "$WORK/elsewhere"
	cp "$WORK/eggs/slapos.core/slapos/grid/promise/runpromises.py" "$WORK/elsewhere/"
	rm -r "$WORK/eggs/slapos.core"
	run_pr --no-state other
	expect_line "^ +no plugin runner: no folder of the sys\.path list of '$WORK/other/etc/plugin/check-db\.py' holds slapos/grid/promise/runpromises\.py \(--plugin-runner names one\)$"
	run_pr --no-state --plugin-runner "$WORK/elsewhere/runpromises.py" other
	expect_line "^$WORK/other: not working \(1 of 5 promises does not work\)$"
	# Paths are run from the home: the operator's must be absolute.
	run_pr --no-state --plugin-runner runpromises.py other
	expect_line "^ +no plugin runner: 'runpromises\.py' \(--plugin-runner\) is not an absolute path$"
	# A buildout wrapped in /bin/sh names its python on its second line.
	printf '#!/bin/sh\nexec "/usr/bin/python3" "$0" "$@"\n' >"$WORK/software/bin/buildout"
	run_pr --list -f json --plugin-runner /dev/null other
	jq -e '.instances[0]."plugin-python" == "/usr/bin/python3"' >/dev/null <<<"$out" ||
		fail "the /bin/sh wrapper: $out"
}

test_plugins_runner_that_fails_makes_every_plugin_an_error() {
	plugin_software
	plugin_home home
	plugin home check-db.py "'runner': 'crash'"
	run_pr --no-state home
	expect_status 2
	expect_line "^ +slapos\.core's plugin runner exited with status 1: expected str, bytes or os\.PathLike object, not NoneType$"
	expect_line '^ok +[0-9.]+s  check-port$'
	expect_line "^$WORK/home: not working \(3 of 5 promises do not work\)$"
	plugin home check-db.py "'runner': 'kill'"
	run_pr --no-state home
	expect_line "^ +slapos\.core's plugin runner was killed by signal 9$"
}

# What the runner leaves behind dies with it (slapos.core leaves a
# timed-out plugin's children running).
test_plugins_runner_leaves_nothing_behind() {
	plugin_software
	plugin_home home
	plugin home check-db.py "'runner': 'orphan'"
	run_pr --no-state home
	expect_status 2
	local left
	left=$(processes_tagged "$TEST_TAG")
	[[ -z $left ]] || fail "left behind: $(ps -o pid,args -p ${left// /,})"
}

test_plugins_runner_is_stopped_at_its_timeout_with_its_tree() {
	plugin_software
	plugin_home home
	plugin home check-db.py "'runner': 'hang'"
	# max-timeout bounds the runner's timeout (3 plugins x 1 s + 10 s).
	run_pr --no-state -t 0.5 --max-timeout 0.5 -k 0.1 home
	expect_status 2
	[[ -e home/runner-hangs ]] || fail "the runner did not get to hang"
	expect_line "^ +slapos\.core's plugin runner timed out after 0\.5 seconds$"
	expect_line '^ok +[0-9.]+s  check-port$'
}

test_plugins_anomaly_mode_reports_slapos_cached_results() {
	plugin_software
	plugin_home home
	run_pr --check-anomaly home
	expect_status 2
	expect_line '^failed +[0-9.]+s  check-frontend\.py$'
	# Not due yet: the runner re-reports the stored result, as cached.
	run_pr --check-anomaly home
	expect_status 2
	expect_line '^cached +check-frontend\.py \(not due: the stored result, failed\)$'
	expect_line '^cached +check-db\.py \(not due: the stored result, working\)$'
	# --force runs them again.
	run_pr --check-anomaly --force home
	expect_line '^ok +[0-9.]+s  check-db\.py$'
	# In test mode an old file is a plugin the runner did not run.
	plugin home check-db.py "'result': 'ok'"
	run_pr --check-anomaly --force -f json home
	jq -e '.instances[0].promises[] | select(.name == "check-frontend.py") | .status == "failed"' \
		>/dev/null <<<"$out" || fail "json: $out"
}

test_plugins_left_to_slapgrid_with_no_plugins() {
	plugin_software
	plugin_home home
	run_pr --no-state --no-plugins home
	expect_status 0
	expect_line "^$WORK/home: working \(2 promises; 3 Python plugins not run: --no-plugins\)$"
	printf '[run]\nplugins = no\n' >"$WORK/operator.conf"
	run_pr --no-state -c "$WORK/operator.conf" home
	expect_status 0
	expect_line "^$WORK/home: working \(2 promises; 3 Python plugins not run: --no-plugins\)$"
}

test_plugins_of_a_node_run_in_parallel_across_homes() {
	plugin_software
	local i
	# Each runner waits for all 6 to have started: one after another,
	# the first would wait alone and fail.
	mkdir -m 777 "$WORK/rendezvous"
	for i in $(seq 1 6); do
		plugin_home "part$i"
		plugin "part$i" check-db.py "'rendezvous': '$WORK/rendezvous', 'peers': 6"
	done
	run_pr --no-state -j 40 -f json 'part*'
	expect_status 2
	jq -e '[.instances[].summary | .promises == 5 and ."not-working" == 1] | all and length == 6' \
		>/dev/null <<<"$out" || fail "json: $out"
}

# As root, the runner runs as the home's user, who owns what it writes,
# and promise-run reads the results back as that user.
test_plugins_runner_runs_as_the_homes_user() {
	need_root
	plugin_software
	plugin_home home
	run_pr --no-state home
	expect_status 2
	expect_line "^$WORK/home: not working \(1 of 5 promises does not work\)$"
	[[ $(stat -c %U home/.slapgrid/promise/result/check-db.status.json) == "$user" ]] ||
		fail "the result file is not the user's"
}

# The runner's environment is the promises', cleaned of PYTHON* as
# slapgrid cleans it; its arguments are slapgrid's, the legacy folder
# pointing at nothing.
test_plugins_runner_gets_slapgrids_arguments_and_a_clean_python_environment() {
	plugin_software
	plugin_home home
	plugin home check-db.py "'runner': 'env'"
	# Even what promises get (here as root through --keep-env).
	PYTHONPATH=/nowhere PYTHONHOME=/nowhere run_pr --keep-env PYTHONPATH \
		--keep-env PYTHONHOME --no-state -t 2.5 home
	expect_status 2
	grep -qx 'PYTHONNOUSERSITE=true' home/runner-env ||
		fail "no PYTHONNOUSERSITE: $(cat home/runner-env)"
	! grep -q '^PYTHONPATH=\|^PYTHONHOME=' home/runner-env ||
		fail "PYTHON* passed: $(cat home/runner-env)"
	grep -qx "argv: --promise-folder $WORK/home/etc/plugin --legacy-promise-folder /proc/self/promise-run-runs-the-legacy-promises --promise-timeout 3 --partition-folder $WORK/home --log-folder $WORK/home/.slapgrid/promise/log" \
		home/runner-env || fail "arguments: $(grep argv home/runner-env)"
	# Periodicity is the runner's unless forced, in either mode.
	run_pr --no-state --force home
	grep -q -- '--partition-folder .* --force$' \
		home/runner-env || fail "forced: $(grep argv home/runner-env)"
	run_pr --no-state --check-anomaly home
	grep -q -- '--promise-timeout 20 --partition-folder .* --check-anomaly$' \
		home/runner-env || fail "anomaly: $(grep argv home/runner-env)"
}

# Root runs no plugin of a home of root's: the runner would run code found
# through the home as root.  The legacy promises run, as before.
test_plugins_of_a_home_of_roots_are_not_run_as_root() {
	need_root
	plugin_software
	plugin_home home
	chown -R root: home
	run_pr --no-state home
	expect_status 2
	expect_line "^ +the plugins are not run as root: '$WORK/home' belongs to root \(--user names who runs them\)$"
	expect_line '^ok +[0-9.]+s  check-port$'
	[[ ! -e home/.slapgrid/promise/result/check-db.status.json ]] ||
		fail "the runner ran as root"
	run_pr --list home
	expect_line "^plugins  the plugins are not run as root"
}

# The run's deadline stops the runner like any promise.
test_plugins_runner_is_stopped_by_the_deadline() {
	plugin_software
	plugin_home home
	plugin home check-db.py "'runner': 'hang'"
	run_pr --no-state --deadline 3 -k 0.1 home
	expect_status 2
	expect_line "^ +slapos\.core's plugin runner was stopped: the run's deadline came$"
	expect_line '^ok +[0-9.]+s  check-port$'
}
