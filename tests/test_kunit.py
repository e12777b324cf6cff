# SPDX-License-Identifier: GPL-2.0
"""KUnit on our port: tools/testing/kunit/kunit.py run --arch=um in the
assembled tree.

The reference kernel (upstream arch/um of the same package) runs 381 tests
in the default set and 467 in the extra set, all passing but 9 skips
(docs/kunit-reference.md); ours must run at least those, plus the port's
own uml_arch suite, with no failure.  The extra set
(scripts/kunit-extra.config) is KUNIT_ALL_TESTS, the default set's only
line, plus more: one tree, the extra one, is built here (`scripts/kunit.sh
--only extra`), and every suite of the reference's default run must be in
it.  `make kunit` still runs both.
"""
import json
import os
import re
import subprocess

from umltest import TOP

TIMEOUT = 3600

REFERENCE_EXTRA = 467


def reference_default_suites():
    """The suites of the reference kernel's default run, with their case
    counts (docs/kunit-reference.md)."""
    text = open(os.path.join(TOP, "docs/kunit-reference.md")).read()
    part = text.split("## Suites of the default run", 1)[1].split("\n## ", 1)[0]
    return {m.group(1): sum(map(int, m.group(2, 3, 4)))
            for m in re.finditer(r"^- `([^`]+)`: (\d+)/(\d+)/(\d+)", part, re.M)}


def count_cases(group):
    n = len(group.get("test_cases", []))
    for s in group.get("sub_groups", []):
        n += count_cases(s)
    return n


def test_kunit_default_and_extra_sets_pass():
    p = subprocess.run(["sh", os.path.join(TOP, "scripts/kunit.sh"),
                        "--only", "extra", os.path.join(TOP, "build/src")],
                       capture_output=True, text=True, timeout=3600)
    out = p.stdout + p.stderr
    assert p.returncode == 0, out[-5000:]
    m = re.search(r"kunit extra: (\d+) tests: (\d+) passed, (\d+) skipped, "
                  r"(\d+) failed", out)
    assert m, "no summary for the extra run:\n%s" % out[-3000:]
    total, passed, skipped, failed = map(int, m.groups())
    assert failed == 0, out
    assert total >= REFERENCE_EXTRA + 5, "extra run: %d tests, reference %d" % (
        total, REFERENCE_EXTRA)
    assert skipped <= 9, "extra run: %d skipped" % skipped
    # the default set, inside the extra run: every suite of it ran
    root = json.load(open(os.path.join(TOP, "build/kunit-extra/results.json")))
    ours = {s["name"]: count_cases(s) for s in root.get("sub_groups", [])}
    ours.update({c["name"]: 1 for c in root.get("test_cases", [])})
    ref = reference_default_suites()
    assert len(ref) >= 40 and sum(ref.values()) == 381, \
        "docs/kunit-reference.md: %d suites" % len(ref)
    missing = sorted(s for s in ref if s not in ours)
    assert not missing, "default-set suites not run: %s" % missing
    log = open(os.path.join(TOP, "build/kunit-extra/kunit.log")).read()
    assert re.search(r"\[PASSED\] uml_arch", log), "uml_arch suite missing"
