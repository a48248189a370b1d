# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
# Sourced by contrib/slapos.core/test and difftest: a patched copy of the
# slapos.core checkout SLAPOS_CORE in a scratch folder, $work, with a venv
# that imports it ($work/venv/bin/python), a minimal xml_marshaller, and
# $work/bin/promise-run, a wrapper that logs each call to $work/calls and
# execs PROMISE_RUN.  Skips (77) without SLAPOS_CORE or a package; as
# root, $runner runs a command as nobody (slapgrid will not drop to uid 0).
# The caller sets $here and $repo.
skip() { echo "skip: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

[[ -n ${SLAPOS_CORE:-} ]] ||
	skip "SLAPOS_CORE is not set: give a checkout of slapos.core at the release contrib/slapos.core/README.md names (this test needs no network, but that checkout is not in this repository)"
[[ -f $SLAPOS_CORE/slapos/grid/promise/__init__.py ]] ||
	fail "SLAPOS_CORE=$SLAPOS_CORE is not a slapos.core checkout"
promise_run=${PROMISE_RUN:-$repo/build/promise-run}
[[ -x $promise_run ]] || fail "$promise_run is missing: run make first"
promise_run=$(cd "$(dirname "$promise_run")" && pwd)/$(basename "$promise_run")
python=/usr/bin/python3

# What slapos.core and its tests import, from Debian (sh .ci/deps slapos).
[[ -x $python ]] || skip "no $python (sh .ci/deps slapos)"
missing=$("$python" - <<'PY'
import importlib
names = ['mock', 'httmock', 'supervisor', 'netifaces', 'cliff', 'lxml',
         'psutil', 'requests', 'zc.buildout', 'zope.interface', 'uritemplate',
         'jsonschema', 'netaddr', 'yaml', 'flask', 'six', 'distro', 'venv']
for name in names:
  try:
    importlib.import_module(name)
  except ImportError:
    print(name, end=' ')
PY
)
[[ -z $missing ]] || skip "python modules missing: $missing(sh .ci/deps slapos)"
for tool in socat supervisord patch; do
	command -v "$tool" >/dev/null || skip "no $tool (sh .ci/deps slapos)"
done

work=$(mktemp -d /tmp/promise-run-slapos.XXXXXX)
runner=()
if [[ $(id -u) == 0 ]]; then
	runner=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi

# The processes the tests leave (supervisord daemons, their shells): those
# whose command line names the scratch folder, stopped by pid.
leftovers() {
	local proc pid
	for proc in /proc/[0-9]*; do
		pid=${proc#/proc/}
		[[ $pid == "$$" || $pid == "$BASHPID" ]] && continue
		tr '\0' ' ' 2>/dev/null <"$proc/cmdline" | grep -qF "$work" &&
			echo "$pid"
	done
}
cleanup() {
	local pids
	pids=$(leftovers)
	[[ -n $pids ]] && kill -KILL $pids 2>/dev/null
	if [[ -n ${KEEP:-} ]]; then
		echo "kept: $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT

# The copy, patched.
mkdir -p "$work/slapos.core" "$work/lib/xml_marshaller" "$work/bin" \
	"$work/home" "$work/tmp"
tar -C "$SLAPOS_CORE" --exclude=.git -cf - . | tar -C "$work/slapos.core" -xf - ||
	fail "cannot copy $SLAPOS_CORE"
patch=${PATCH:-$here/promise-run.patch}
patch -s -p1 -d "$work/slapos.core" <"$patch" ||
	fail "$patch does not apply to $SLAPOS_CORE"

# xml_marshaller, which Debian lacks: a minimal one, for the tests only.
: >"$work/lib/xml_marshaller/__init__.py"
cp "$here/xml_marshaller_for_tests.py" "$work/lib/xml_marshaller/xml_marshaller.py"
cp "$here/shim.py" "$work/bin/shim.py"

# A venv that sees Debian's packages, and the source through a .pth: the
# tests start interpreters with a cleaned environment (no PYTHONPATH).
"$python" -m venv --system-site-packages --without-pip "$work/venv" ||
	fail "cannot make a venv"
site=$("$work/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
printf '%s\n' "$work/slapos.core" "$work/lib" >"$site/promise-run-test.pth"

# promise-run through a wrapper that logs each call; its paths are baked
# in (runpromises.py runs it with a cleaned environment).
calls=$work/calls
: >"$calls"
cat >"$work/bin/promise-run" <<WRAPPER
#!/bin/sh
echo "\$*" >>'$calls'
exec '$promise_run' "\$@"
WRAPPER
chmod 755 "$work/bin/promise-run"

chmod 755 "$work"
[[ ${#runner[@]} == 0 ]] || chown -R nobody:nogroup "$work" ||
	fail "cannot give $work to nobody"
