# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
"""A stand-in for slapos.core's slapos/grid/promise/runpromises.py, for the
tests of a machine without slapos.core.  It keeps the runner's surface:
its options, the sys.path list it reads from the first plugin, the files it
writes (.slapgrid/promise/result/TITLE.status.json, LOG/TITLE.log,
.slapgrid/promise/cache/TITLE) and its exit statuses (0; 2 when a plugin
failed, the first failure's message on stderr; 1 on any other error, the
message on stderr).  A plugin says what it does in its extra_config_dict:
  'result': 'ok' (default), 'fail', 'timeout' (reported as slapos.core
            reports a timed-out plugin, without waiting for it)
  'message': its message
  'periodicity': minutes between runs in anomaly mode (default 2)
  'runner': 'crash' (the runner raises after the plugins ran, as 1.24.0
            does without --legacy-promise-folder), 'hang' (it never ends),
            'kill' (it dies by SIGKILL), 'orphan' (it leaves a process of
            a session of its own, its parent gone), 'env' (it writes its environment
            and arguments to PARTITION/runner-env)
  'rendezvous': FOLDER, 'peers': N: before it ends, the runner leaves a
            file in FOLDER and waits (at most 30 s) until N runners have:
            alone, it exits 1
The plugins are run in byte order (slapos.core takes os.listdir's)."""
from __future__ import print_function

import argparse
import ast
import json
import os
import random
import signal
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument('--promise-folder', required=True)
parser.add_argument('--legacy-promise-folder', default=None)
parser.add_argument('--promise-timeout', type=int, default=20)
parser.add_argument('--partition-folder', default=None)
parser.add_argument('--log-folder', default=None)
parser.add_argument('--force', action='store_true')
parser.add_argument('--check-anomaly', action='store_true')
parser.add_argument('--debug', action='store_true')
for option in ('--master-url', '--partition-cert', '--partition-key',
               '--partition-id', '--computer-id'):
    parser.add_argument(option, default=None)
args = parser.parse_args()


def assignment(tree, target):
    for node in tree.body:
        if isinstance(node, ast.Assign) and \
                ast.unparse(node.targets[0]) == target:
            return ast.literal_eval(node.value)
    return None


plugins = sorted(p for p in os.listdir(args.promise_folder)
                 if p.endswith('.py') and not p.startswith('__init__'))
trees = {}
for name in plugins:
    with open(os.path.join(args.promise_folder, name)) as f:
        trees[name] = ast.parse(f.read(), mode='exec')
# As the real runner: the first plugin's first assignment is sys.path's.
first = next(e for e in trees[plugins[0]].body if isinstance(e, ast.Assign))
assert ast.unparse(first.targets[0]) == 'sys.path[0:0]'
sys.path[0:0] = ast.literal_eval(first.value)

partition = args.partition_folder or os.getcwd()
state = os.path.join(partition, '.slapgrid', 'promise')
log_folder = args.log_folder or os.path.join(state, 'log')
for folder in ('result', 'cache'):
    os.makedirs(os.path.join(state, folder), mode=0o700, exist_ok=True)
os.makedirs(log_folder, mode=0o700, exist_ok=True)

err = os.dup(2)
os.dup2(1, 2)


def write_json(path, value):
    with open(path + '.tmp', 'w') as f:
        json.dump(value, f)
    os.rename(path + '.tmp', path)


first_failure = None
runner_fault = None
now = time.time()
for name in plugins:
    title = name[:-3]
    config = assignment(trees[name], 'extra_config_dict') or {}
    runner_fault = runner_fault or config.get('runner')
    result_path = os.path.join(state, 'result', title + '.status.json')
    cache_path = os.path.join(state, 'cache', title)
    print('Checking promise %s...' % name, flush=True)
    if args.check_anomaly and not args.force and os.path.exists(cache_path):
        with open(cache_path) as f:
            if json.load(f)['next_run_after'] > now:
                with open(result_path) as r:
                    stored = json.load(r)['result']
                if stored['failed'] and first_failure is None:
                    first_failure = (name, stored['message'])
                continue
    outcome = config.get('result', 'ok')
    message = config.get('message', '')
    if outcome == 'timeout':
        message = 'Error: Promise timed out after %s seconds' % \
            args.promise_timeout
    failed = outcome != 'ok'
    write_json(cache_path, {
        'is_tested': True, 'is_anomaly_detected': True,
        'periodicity': config.get('periodicity', 2),
        'next_run_after': now + 60 * config.get('periodicity', 2),
        'timestamp': now, 'module_file': os.path.join(args.promise_folder, name),
        'module_file_mtime': now})
    write_json(result_path, {
        'title': title, 'name': name,
        'path': os.path.join(args.promise_folder, name),
        'execution-time': 0.05,
        'result': {'type': 'Anomaly Result' if args.check_anomaly
                   else 'Test Result', 'failed': failed,
                   'date': time.strftime('%Y-%m-%dT%H:%M:%S+0000',
                                         time.gmtime()),
                   'message': message}})
    with open(os.path.join(log_folder, title + '.log'), 'a') as log:
        log.write('%s - %s - %d-%d - %s\n' % (
            time.strftime('%Y-%m-%d %H:%M:%S'),
            'ERROR' if failed else 'INFO', int(now),
            random.randint(100, 999), message))
    if failed:
        print('ERROR %s' % message, flush=True)
        if first_failure is None:
            first_failure = (name, message)

rendezvous = None
for name in plugins:
    config = assignment(trees[name], 'extra_config_dict') or {}
    if 'rendezvous' in config:
        rendezvous = (config['rendezvous'], config.get('peers', 2))
if rendezvous:
    open(os.path.join(rendezvous[0], str(os.getpid())), 'w').close()
    deadline = time.time() + 30
    while len(os.listdir(rendezvous[0])) < rendezvous[1]:
        if time.time() > deadline:
            os.write(err, b'alone: no other runner ran meanwhile')
            sys.exit(1)
        time.sleep(0.05)
if runner_fault == 'env':
    with open(os.path.join(partition, 'runner-env'), 'w') as f:
        f.write(''.join('%s=%s\n' % item for item in sorted(os.environ.items())))
        f.write('argv: %s\n' % ' '.join(sys.argv[1:]))
if runner_fault == 'orphan':
    os.system('setsid sleep 60 &')
if runner_fault == 'hang':
    open(os.path.join(partition, 'runner-hangs'), 'w').close()
    while True:
        time.sleep(60)
if runner_fault == 'kill':
    os.kill(os.getpid(), signal.SIGKILL)
if runner_fault == 'crash':
    os.write(err, b"expected str, bytes or os.PathLike object, not NoneType")
    sys.exit(1)
if first_failure:
    os.write(err, ("Promise %r failed with output: %s" % first_failure)
             .encode('utf-8', 'replace'))
    sys.exit(2)
