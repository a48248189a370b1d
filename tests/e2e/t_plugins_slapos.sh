# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# The plugins through slapos.core's real runpromises.py and real plugin
# classes, side by side with slapos.core's runner driven as slapgrid drives
# it (tests/plugins/slapgrid_way.py) on the same partition: the same
# verdict, result files and first failure.  Needs SLAPOS_CORE, a checkout
# of the public SlapOS/slapos.core repository, and the Debian packages its
# imports need (.ci/deps slapos); a skip (77) without them.

# need_slapos_core: a copy of SLAPOS_CORE's slapos package in
# $WORK/eggs/slapos.core (the checkout is only read), and a stand-in for
# xml_marshaller, which Debian lacks and the promise path never uses.
need_slapos_core() {
	[[ -n ${SLAPOS_CORE-} ]] || skip "SLAPOS_CORE names no slapos.core checkout"
	[[ -f $SLAPOS_CORE/slapos/grid/promise/runpromises.py ]] ||
		skip "no slapos/grid/promise/runpromises.py in SLAPOS_CORE=$SLAPOS_CORE"
	mkdir -p "$WORK/eggs/slapos.core" "$WORK/eggs/stubs/xml_marshaller" \
		"$WORK/software/bin"
	tar -C "$SLAPOS_CORE" -cf - --exclude=slapos/tests slapos |
		tar -C "$WORK/eggs/slapos.core" -xf -
	: >"$WORK/eggs/stubs/xml_marshaller/__init__.py"
	cat >"$WORK/eggs/stubs/xml_marshaller/xml_marshaller.py" <<'STUB'
def _unavailable(*args, **kw):
    raise RuntimeError('xml_marshaller stand-in of the tests')


class Marshaller(object):
    dumps = dump = _unavailable


class Unmarshaller(object):
    loads = load = _unavailable


dumps = loads = dump = load = _unavailable
STUB
	local why
	why=$(cd "$WORK" && /usr/bin/python3 -c 'import sys
sys.path[0:0] = ["eggs/slapos.core", "eggs/stubs"]
from slapos.grid.promise import PromiseLauncher
from slapos.cli.entry import SlapOSApp' 2>&1) ||
		skip "slapos.core cannot be imported: $(tail -n 1 <<<"$why") (sh .ci/deps slapos)"
	printf '#!/usr/bin/python3\n' >"$WORK/software/bin/buildout"
	chmod +x "$WORK/software/bin/buildout"
	# Compiled once, as a software release is: the user writes no cache.
	/usr/bin/python3 -m compileall -q "$WORK/eggs" >/dev/null 2>&1
	runner=$WORK/eggs/slapos.core/slapos/grid/promise/runpromises.py
}

# (As root, the homes are a throw-away user's: see as_instance_user.)

# real_plugin HOME NAME SENSE [PERIODICITY]: a plugin of a real
# GenericPromise class, whose sense() runs SENSE (Python).
real_plugin() {
	mkdir -p "$1/etc/plugin"
	cat >"$1/etc/plugin/$2" <<PLUGIN
import sys
sys.path[0:0] = [
  "$WORK/eggs/slapos.core",
  "$WORK/eggs/stubs",
]
extra_config_dict = {
  'bang-on-failure': False,
}
import time
from zope.interface import implementer
from slapos.grid.promise import interface
from slapos.grid.promise.generic import GenericPromise

@implementer(interface.IPromise)
class RunPromise(GenericPromise):
  def __init__(self, config):
    super(RunPromise, self).__init__(config)
    self.setPeriodicity(minute=${4:-2})
  def sense(self):
    $3
  def anomaly(self):
    return self._anomaly(result_count=3, failure_amount=3)
  def test(self):
    return self._test(result_count=1, failure_amount=1)
PLUGIN
	[[ -z ${user-} ]] || chown "$user": "$1/etc/plugin/$2"
}

real_home() {
	make_instance home
	ln -sfn "$WORK/software" home/software_release
	real_plugin home check-db.py 'self.logger.info("db ok")'
	real_plugin home check-frontend.py 'self.logger.error("frontend is down")'
	real_plugin home check-url.py 'self.logger.info("url ok")'
	promise home check-config.sh 'echo config ok'
	promise home check-port 'exit 0'
	as_instance_user home
}

# result_files DIR: each result file of home, without what varies by run.
result_files() {
	local file
	for file in home/.slapgrid/promise/result/*.status.json; do
		jq -S 'del(.result.date, ."execution-time")' "$file"
	done
}

test_real_slapos_same_verdict_result_files_and_first_failure_as_slapgrid() {
	need_slapos_core
	real_home
	python3 "$REPO/tests/plugins/slapgrid_way.py" /usr/bin/python3 \
		"$runner" home 2>"$WORK/slapgrid.err"
	local slapgrid_status=$?
	result_files >"$WORK/slapgrid.results"
	rm -r home/.slapgrid
	run_pr -f json home
	expect_status "$slapgrid_status"
	[[ $status == 2 ]] || fail "not the failure expected"
	result_files >"$WORK/promise-run.results"
	diff -u "$WORK/slapgrid.results" "$WORK/promise-run.results" >"$WORK/diff" ||
		fail "result files differ: $(cat "$WORK/diff")"
	[[ $(wc -l <"$WORK/slapgrid.results") -gt 20 ]] ||
		fail "too few results: $(cat "$WORK/slapgrid.results")"
	local first
	first=$(jq -r '[.instances[0].promises[] | select(.failed)][0] |
		"Promise '\''\(.name)'\'' failed with output: \(.message)"' <<<"$out")
	[[ $first == "$(cat "$WORK/slapgrid.err")" ]] ||
		fail "first failure: '$first' vs slapgrid's '$(cat "$WORK/slapgrid.err")'"
	run_pr --list home
	expect_line "^plugins  python /usr/bin/python3, runner $runner$"
}

test_real_slapos_plugin_timeout() {
	need_slapos_core
	make_instance home
	ln -sfn "$WORK/software" home/software_release
	# slapos.core leaves a timed-out plugin's children running: here they
	# die with the runner (the test fails on any process left behind).
	real_plugin home check-hang.py 'import subprocess; subprocess.Popen(["sh", "-c", "setsid sleep 60 &"]); time.sleep(30)'
	real_plugin home check-ok.py 'self.logger.info("fine")'
	as_instance_user home
	# The runner's own timeout: 2 plugins x 3 s + 10 s, ample to start it.
	run_pr -t 3 home
	expect_status 2
	expect_line '^timeout +[0-9.]+s  check-hang\.py$'
	expect_line '^ +Error: Promise timed out after 3 seconds$'
	expect_line '^ok +[0-9.]+s  check-ok\.py$'
	local left
	left=$(processes_tagged "$TEST_TAG")
	[[ -z $left ]] || fail "left behind: $(ps -o pid,args -p ${left// /,})"
}

test_real_slapos_anomaly_and_periodicity() {
	need_slapos_core
	make_instance home
	ln -sfn "$WORK/software" home/software_release
	real_plugin home check-down.py 'self.logger.error("down")'
	real_plugin home check-up.py 'self.logger.info("up")'
	as_instance_user home
	# Anomaly: slapos.core's rule (3 failures of 3), its own verdict.
	local statuses=
	for _ in 1 2 3; do
		run_pr --check-anomaly --force home
		statuses="$statuses $status"
	done
	[[ $statuses == " 0 0 2" ]] ||
		fail "anomaly statuses:$statuses: $(cat home/.slapgrid/promise/log/check-down.log)"
	# Periodicity: not due, slapos.core re-reports the stored result.
	run_pr --check-anomaly home
	expect_status 2
	expect_line '^cached +check-down\.py \(not due: the stored result, failed\)$'
	expect_line '^cached +check-up\.py \(not due: the stored result, working\)$'
}
