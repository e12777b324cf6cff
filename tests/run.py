#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Test runner: imports tests/test_*.py and runs every function test_*().

A test passes when it returns, fails when it raises; a test may call
skip(reason) to be counted neither way.  Usage: tests/run.py [-k PATTERN]
[FILE...].  The last line is always "N passed, N failed".
"""
import importlib.util
import os
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import umltest  # noqa: E402


def load(path):
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main(argv):
    pattern = None
    files = []
    while argv:
        a = argv.pop(0)
        if a == "-k":
            pattern = argv.pop(0)
        else:
            files.append(os.path.abspath(a))
    if not files:
        files = sorted(os.path.join(HERE, f) for f in os.listdir(HERE)
                       if f.startswith("test_") and f.endswith(".py"))
    passed = failed = skipped = 0
    for path in files:
        mod = load(path)
        for name in sorted(n for n in dir(mod) if n.startswith("test_")):
            fn = getattr(mod, name)
            if not callable(fn):
                continue
            full = "%s::%s" % (os.path.basename(path), name)
            if pattern and pattern not in full:
                continue
            t0 = time.monotonic()
            try:
                fn()
            except umltest.Skip as e:
                skipped += 1
                print("SKIP %s (%s)" % (full, e), flush=True)
                continue
            except Exception:
                failed += 1
                print("FAIL %s (%.1fs)" % (full, time.monotonic() - t0))
                traceback.print_exc()
                sys.stdout.flush()
                continue
            finally:
                umltest.cleanup()
            passed += 1
            print("PASS %s (%.1fs)" % (full, time.monotonic() - t0), flush=True)
    if skipped:
        print("%d skipped" % skipped)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
