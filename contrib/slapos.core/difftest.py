# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
"""Side by side: the patched launcher with promise-run-binary off and on.

Usage: python difftest.py PROMISE_RUN_BINARY SCRATCH_FOLDER [SCENARIO...]
       python difftest.py PROMISE_RUN_BINARY SCRATCH_FOLDER --as-root USER...
PROMISE_RUN_BINARY is contrib/slapos.core/test's wrapper, which logs each
call to the file DIFFTEST_CALLS names: a step where the launcher with the
key did not call it fails too (but in `fallback`).

Each scenario builds the same partition twice and runs slapos.core's
PromiseLauncher on each in the same steps (mode, forced or not), the
first without promise-run-binary (slapos.core runs the promises), the
second with it (promise-run does).  After each step it compares what
slapgrid would say and leave: the PromiseError text, every result file
(type, failed, message), the log levels of each transaction of every
promise log, the cache files (is_tested, is_anomaly_detected, periodicity,
next_run_after - timestamp).  Every difference must be one of EXPECTED,
each a row of the README's divergence table; any other fails the run.

--as-root (as root): slapgrid's promise step over one partition of each
USER, as slapgrid calls the launcher (the partition owner's uid and gid),
slapos.core dropping to each user in its Python process, promise-run
dropping to each in its own.
"""
import json
import logging
import os
import pwd
import re
import shutil
import sys

from slapos.grid.promise import PromiseLauncher, PromiseError

binary, scratch = sys.argv[1], sys.argv[2]
wanted = sys.argv[3:]
as_root = wanted[:1] == ['--as-root']
TIMEOUT = 1

PLUGIN = '''from zope.interface import implementer
from slapos.grid.promise import interface
from slapos.grid.promise import GenericPromise

@implementer(interface.IPromise)
class RunPromise(GenericPromise):
  def __init__(self, config):
    GenericPromise.__init__(self, config)
    self.setPeriodicity(minute=2)
  def sense(self):
    self.logger.info("plugin works")
  def anomaly(self):
    return self._anomaly(result_count=3, failure_amount=3)
  def test(self):
    return self._test(result_count=1, failure_amount=1)
'''

# The nth run of a promise (from 0), counted in a file of the partition.
NTH = 'n=$(cat .count-$(basename "$0") 2>/dev/null || echo 0)\n' \
      'echo $((n + 1)) >.count-$(basename "$0")\n'

# name: (files {name: (content, mode)}, plugins {name: content}, steps)
# A step: (check_anomaly, force).
TEST, ANOMALY = (False, True), (True, True)
SCENARIOS = {
  'success': ({'ok': ('#!/bin/sh\necho all good\n', 0o755)}, {}, [TEST]),
  'failure-stdout-stderr': ({'fail': (
    '#!/bin/sh\necho to-stdout\necho to-stderr >&2\nexit 3\n', 0o755)},
    {}, [TEST]),
  'non-ascii': ({'accents': (
    '#!/bin/sh\necho "d\xe9j\xe0 vu \u2713"\nexit 1\n', 0o755)}, {}, [TEST]),
  'over-5000-characters': ({'long': (
    '#!/bin/sh\nseq 1 3000\nexit 1\n', 0o755)}, {}, [TEST]),
  'timeout': ({'hang': ('#!/bin/sh\nexec sleep 30\n', 0o755)}, {}, [TEST]),
  'timeout-child-holds-stdout': ({'hang-child': (
    '#!/bin/sh\nsleep 30 &\nsleep 30\n', 0o755)}, {}, [TEST]),
  'exit-0-child-holds-stdout': ({'background': (
    '#!/bin/sh\nsleep 30 &\nexit 0\n', 0o755)}, {}, [TEST]),
  'exec-failure': ({'no-shebang': ('echo no interpreter line\n', 0o755)},
    {}, [TEST]),
  'bad-files': ({'ok': ('#!/bin/sh\nexit 0\n', 0o755),
                 'not-executable': ('#!/bin/sh\nexit 1\n', 0o644),
                 'folder/': None, 'dangling@': '/nonexistent',
                 '.hidden': ('#!/bin/sh\necho hidden; exit 1\n', 0o755)},
    {}, [TEST]),
  'anomaly-fail-x4': ({'broken': ('#!/bin/sh\necho down\nexit 1\n', 0o755)},
    {}, [ANOMALY] * 4),
  'anomaly-timeout-after-ok': ({'flip': ('#!/bin/sh\n' + NTH +
    '[ "$n" = 0 ] && exit 0\nexec sleep 30\n', 0o755)}, {},
    [ANOMALY] * 3),
  'anomaly-timeout-after-failure': ({'flip': ('#!/bin/sh\n' + NTH +
    '[ "$n" = 0 ] && { echo down; exit 1; }\nexec sleep 30\n', 0o755)}, {},
    [ANOMALY] * 2),
  'periodicity-anomaly': ({'once': ('#!/bin/sh\n' + NTH +
    'echo "run $n"\nexit 1\n', 0o755)}, {}, [ANOMALY, (True, False)]),
  'periodicity-test': ({'once': ('#!/bin/sh\n' + NTH +
    'echo "run $n"\nexit 1\n', 0o755)}, {}, [TEST, (False, False)]),
  # promise-run cannot be run: the launcher says so and runs them itself
  'fallback': ({'ok': ('#!/bin/sh\necho fine\n', 0o755),
                'fail': ('#!/bin/sh\necho bad\nexit 1\n', 0o755)}, {}, [TEST]),
  'plugins-and-legacy': ({'legacy-ok': ('#!/bin/sh\necho legacy\n', 0o755),
                          'legacy-fail': ('#!/bin/sh\necho bad\nexit 1\n',
                                          0o755)},
    {'plugin_ok.py': PLUGIN}, [TEST, ANOMALY]),
}

# As root: what each user's partition holds.
AS_ROOT = ({'works': ('#!/bin/sh\necho "works as $(id -un)"\n', 0o755),
            'fails': ('#!/bin/sh\necho "fails as $(id -un)"\nexit 1\n', 0o755),
            'home': ('#!/bin/sh\necho "HOME=$HOME"\n', 0o755)},
           {}, [TEST, (True, False)])

# The differences the README's table lists: (scenario, what, title).
EXPECTED = {
  # a timeout's child holds stdout: slapos.core logs INFO only
  ('timeout-child-holds-stdout', 'log', 'hang-child'):
    'timeout: the promise\'s child still holds stdout',
  # exit 0 with a background child: slapos.core times out
  ('exit-0-child-holds-stdout', 'result', 'background'):
    'a promise exits 0 but a background child holds its output',
  ('exit-0-child-holds-stdout', 'log', 'background'):
    'a promise exits 0 but a background child holds its output',
  ('exit-0-child-holds-stdout', 'error', None):
    'a promise exits 0 but a background child holds its output',
  # exec failures: Python's errno wording against promise-run's
  ('exec-failure', 'result', 'no-shebang'): 'exec failure wording',
  ('exec-failure', 'error', None): 'exec failure wording',
  ('exec-failure', 'log', 'no-shebang'): 'exec failure wording',
  # as root: slapgrid leaves its own HOME (root's) to the promises
  ('as-root', 'result', 'home'): 'as root, HOME, USER, LOGNAME, SHELL',
}


def build(partition, files, plugins):
  for folder in ('etc/promise', 'etc/plugin', '.slapgrid/promise/log'):
    os.makedirs(os.path.join(partition, folder))
  for name, spec in files.items():
    path = os.path.join(partition, 'etc/promise', name.rstrip('/@'))
    if name.endswith('/'):
      os.mkdir(path)
    elif name.endswith('@'):
      os.symlink(spec, path)
    else:
      with open(path, 'w') as f:
        f.write(spec[0])
      os.chmod(path, spec[1])
  for name, content in plugins.items():
    with open(os.path.join(partition, 'etc/plugin', name), 'w') as f:
      f.write(content)


def launch(partition, delegate, check_anomaly, force, owner=None,
           binary=binary):
  logger = logging.getLogger('difftest')
  logger.handlers = [logging.NullHandler()]
  config = {
    'promise-folder': os.path.join(partition, 'etc/plugin'),
    'legacy-promise-folder': os.path.join(partition, 'etc/promise'),
    'partition-folder': partition,
    'log-folder': os.path.join(partition, '.slapgrid/promise/log'),
    'promise-timeout': TIMEOUT,
    'check-anomaly': check_anomaly,
    'force': force,
  }
  if owner:
    config['uid'], config['gid'] = owner.pw_uid, owner.pw_gid
  if delegate:
    config['promise-run-binary'] = binary
  try:
    PromiseLauncher(config=config, logger=logger).run()
  except PromiseError as e:
    return str(e)
  return None


LOG_RECORD = re.compile(r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d - (\w+) - (\d+-\d{3}) - ')


def observe(partition):
  """{(what, title): value} of what slapgrid would read."""
  seen = {}
  state = os.path.join(partition, '.slapgrid/promise')
  for folder, what in (('result', 'result'), ('log', 'log'),
                       ('cache', 'cache')):
    path = os.path.join(state, folder)
    for name in sorted(os.listdir(path)) if os.path.isdir(path) else ():
      if name.startswith('.promise-run-spare') or name.endswith('.tmp'):
        continue
      with open(os.path.join(path, name), 'rb') as f:
        text = f.read().decode('utf-8', 'replace')
      if what == 'result':
        result = json.loads(text)['result']
        seen[what, name[:-len('.status.json')]] = (
          result['type'], result['failed'], result['message'])
      elif what == 'log':
        levels = []
        for line in text.splitlines():
          match = LOG_RECORD.match(line)
          if match and (not levels or levels[-1][0] != match.group(2)):
            levels.append((match.group(2), []))
          if match:
            levels[-1][1].append(match.group(1))
        seen[what, name[:-len('.log')]] = [tuple(l) for _, l in levels]
      else:
        cache = json.loads(text)
        seen[what, name] = (cache['is_tested'], cache['is_anomaly_detected'],
                            cache['periodicity'],
                            round(cache['next_run_after'] - cache['timestamp']))
  return seen


def calls():
  with open(os.environ['DIFFTEST_CALLS']) as f:
    return len(f.readlines())


def run(name, user=None):
  files, plugins, steps = AS_ROOT if user else SCENARIOS[name]
  owner = pwd.getpwnam(user) if user else None
  unexpected = listed_count = 0
  partitions = [os.path.join(scratch, name, user or '', side)
                for side in ('off', 'on')]
  for partition in partitions:
    build(partition, files, plugins)
    if owner:
      for folder, folders, names in os.walk(partition):
        for path in [folder] + [os.path.join(folder, n) for n in names]:
          os.lchown(path, owner.pw_uid, owner.pw_gid)
  for step, (check_anomaly, force) in enumerate(steps, 1):
    before = calls()
    errors = [launch(p, d, check_anomaly, force, owner,
                     '/nonexistent/promise-run' if name == 'fallback'
                     else binary)
              for p, d in zip(partitions, (False, True))]
    if calls() != before + (name != 'fallback'):
      print('DIFFERENT %s step %d: promise-run called %d times, not once' % (
        name, step, calls() - before))
      unexpected += 1
    off, on = (observe(p) for p in partitions)
    off['error', None], on['error', None] = errors
    for key in sorted(set(off) | set(on), key=repr):
      if off.get(key) == on.get(key):
        continue
      listed = EXPECTED.get((name,) + key)
      print('%s %s step %d %s %s:\n  slapos.core: %r\n  promise-run: %r' % (
        'listed' if listed else 'DIFFERENT', name, step, key[0], key[1],
        off.get(key), on.get(key)))
      if listed:
        print('  (README: %s)' % listed)
        listed_count += 1
      else:
        unexpected += 1
  print('%s%s: %d steps, %d listed differences, %d unlisted' % (
    name, ' of ' + user if user else '', len(steps), listed_count,
    unexpected))
  return unexpected


if as_root:
  unexpected = sum(run('as-root', user) for user in wanted[1:])
else:
  unexpected = sum(run(name) for name in (wanted or sorted(SCENARIOS)))
print('difftest: %d unlisted differences' % unexpected)
sys.exit(1 if unexpected else 0)
