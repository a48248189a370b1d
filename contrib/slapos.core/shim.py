# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The promise-run authors
"""Runs slapos.core's own test modules with delegation to promise-run on.

Usage: python shim.py PROMISE_RUN_BINARY MODULE...

slapos.core's tests never name promise-run: this gives the patch's new
settings a default where a test leaves them unset, then runs the modules
unchanged.  `Slapgrid(promise_run_binary=...)` gets it, so every slapgrid
of the tests hands it on by itself, in-process and through runpromises.py.
A launcher made by the tests themselves (test_promise) gets the
`promise-run-binary` key; a launcher made by slapgrid without the key is
a plumbing bug of the patch, and fails its test instead of being mended.
No environment variable: the patch has no hidden production setting.
"""
import sys
import unittest

binary = sys.argv[1]
modules = sys.argv[2:]

from slapos.grid import slapgrid
from slapos.grid.promise import PromiseLauncher

slapgrid_init = slapgrid.Slapgrid.__init__
launcher_init = PromiseLauncher.__init__


def slapgrid_with_promise_run(self, *args, **kw):
  if kw.get('promise_run_binary') is None:
    kw['promise_run_binary'] = binary
  slapgrid_init(self, *args, **kw)


def launcher_with_promise_run(self, config=None, *args, **kw):
  config = dict(config or {})
  if not config.get('promise-run-binary'):
    if sys._getframe(1).f_code.co_name == '_checkPromiseList':
      raise AssertionError('slapgrid made a launcher without '
                           'promise-run-binary')
    config['promise-run-binary'] = binary
  launcher_init(self, config, *args, **kw)


slapgrid.Slapgrid.__init__ = slapgrid_with_promise_run
PromiseLauncher.__init__ = launcher_with_promise_run

suite = unittest.defaultTestLoader.loadTestsFromNames(modules)
result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
print('shim: ran %d, failures %d, errors %d, skipped %d' % (
  result.testsRun, len(result.failures), len(result.errors),
  len(result.skipped)))
sys.exit(0 if result.wasSuccessful() else 1)
