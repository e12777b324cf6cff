# SPDX-License-Identifier: GPL-2.0
"""KUnit on our port: tools/testing/kunit/kunit.py run --arch=um in the
assembled tree, the default .kunitconfig and scripts/kunit-extra.config.

The reference kernel (upstream arch/um of the same package) runs 381 tests
in the default set and 467 in the extra set, all passing but 9 skips
(docs/kunit-reference.md); ours must run at least those, plus the port's
own uml_arch suite, with no failure.
"""
import os
import re
import subprocess

from umltest import TOP

TIMEOUT = 3600

REFERENCE = {"default": 381, "extra": 467}


def test_kunit_default_and_extra_sets_pass():
    p = subprocess.run(["sh", os.path.join(TOP, "scripts/kunit.sh"),
                        os.path.join(TOP, "build/src")],
                       capture_output=True, text=True, timeout=3600)
    out = p.stdout + p.stderr
    assert p.returncode == 0, out[-5000:]
    for name, ref in REFERENCE.items():
        m = re.search(r"kunit %s: (\d+) tests: (\d+) passed, (\d+) skipped, "
                      r"(\d+) failed" % name, out)
        assert m, "no summary for the %s run:\n%s" % (name, out[-3000:])
        total, passed, skipped, failed = map(int, m.groups())
        assert failed == 0, out
        assert total >= ref + 5, "%s run: %d tests, reference %d" % (
            name, total, ref)
        assert skipped <= 9, "%s run: %d skipped" % (name, skipped)
    log = open(os.path.join(TOP, "build/kunit-default/kunit.log")).read()
    assert re.search(r"\[PASSED\] uml_arch", log), "uml_arch suite missing"
