# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
"""Runs a partition's promises the way `slapos node instance` does when the
partition has plugins and a software python (slapos.core's
slapos/grid/slapgrid.py, _checkPromiseList): slapos.core's own
runpromises.py, under that python, given the plugin folder and the legacy
promise folder, in the partition, with slapgrid's timeout of the whole
(promises x timeout + 10 s), as the partition's owner.  No SlapOS code here: the runner is the one
of the slapos.core checkout given.  It prints the runner's error text on
stderr and exits as slapgrid concludes: 0, 2 (a promise failed) or 1.

usage: slapgrid_way.py PYTHON RUNPROMISES PARTITION [--promise-timeout N]
       [--check-anomaly] [--no-force]"""
import argparse
import os
import subprocess
import sys

parser = argparse.ArgumentParser()
parser.add_argument('python')
parser.add_argument('runner')
parser.add_argument('partition')
parser.add_argument('--promise-timeout', type=int, default=20)
parser.add_argument('--check-anomaly', action='store_true')
parser.add_argument('--no-force', action='store_true')
args = parser.parse_args()

partition = os.path.abspath(args.partition)
plugin_dir = os.path.join(partition, 'etc', 'plugin')
legacy_dir = os.path.join(partition, 'etc', 'promise')


def listifdir(path):
    return os.listdir(path) if os.path.isdir(path) else []


command = [args.python, args.runner,
           '--promise-folder', plugin_dir,
           '--legacy-promise-folder', legacy_dir,
           '--promise-timeout', str(args.promise_timeout),
           '--partition-folder', partition,
           '--log-folder', os.path.join(partition, '.slapgrid', 'promise',
                                        'log')]
# Test mode (after instantiation) forces; anomaly mode honours periodicity.
if not args.no_force:
    command.append('--force')
if args.check_anomaly:
    command.append('--check-anomaly')
plugins = sum(1 for p in listifdir(plugin_dir)
              if p.endswith('.py') and not p.startswith('__init__'))
timeout = (plugins + len(listifdir(legacy_dir))) * args.promise_timeout + 10
# slapgrid's clean environment (getCleanEnvironment).
env = {k: v for k, v in os.environ.items()
       if not k.startswith('PYTHON') and not k.startswith('LC_') and
       k not in ('CONFIG_SITE', 'ENV', 'LOGNAME', 'TEMP', 'TMP', 'TMPDIR',
                 'LANG', 'LANGUAGE')}
env['PYTHONNOUSERSITE'] = 'true'
try:
    import pwd
    env['HOME'] = pwd.getpwuid(os.stat(partition).st_uid).pw_dir
except KeyError:
    pass
# As the partition's owner, as slapgrid's dropPrivileges (when root).
owner = os.stat(partition)


def drop_privileges():
    if os.getuid() == 0 and owner.st_uid != 0:
        os.setgroups([owner.st_gid])
        os.setgid(owner.st_gid)
        os.setuid(owner.st_uid)


process = subprocess.Popen(command, cwd=partition, env=env,
                           preexec_fn=drop_privileges,
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True)
try:
    out, err = process.communicate(timeout=timeout)
except subprocess.TimeoutExpired:
    process.kill()
    process.communicate()
    sys.stderr.write('timed out after %s seconds\n' % timeout)
    sys.exit(1)
sys.stderr.write(err)
sys.exit(2 if process.returncode == 2 else 1 if process.returncode else 0)
