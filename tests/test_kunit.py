# SPDX-License-Identifier: GPL-2.0
"""KUnit on our port, in the debug kernel.

The KUnit tests are built into the debug build (build/obj-debug, `make
linux-debug`): defconfig, arch/um/configs/debug-checks.config, then
scripts/kunit-extra.config with kunit.py's arch_uml.config and
arch/um/configs/debug-kunit.config (CONFIG_KUNIT_DEFAULT_ENABLED off, so
the tests run only when the command line says kunit.enable=1).  make check
builds no kernel tree for KUnit; this test runs KUnit's own runner there,
`tools/testing/kunit/kunit.py exec --arch=um`, on two virtual CPUs, under
lockdep and DEBUG_PAGEALLOC.

The reference kernel (upstream arch/um of the same package) runs 381 tests
in the default set and 467 in the extra set, all passing but 9 skips
(docs/kunit-reference.md); ours must run every suite of both, plus the
port's own uml_arch suite, with no failure.  `make kunit` still runs both
sets the reference's way, each in a tree of its own.
"""
import json
import os
import re
import subprocess
import tempfile

from umltest import TOP

# make check builds it beside the first tests (conftest.py): the debug
# kernel, which has the KUnit tests
NEEDS_BUILD = ("linux-debug",)

OBJ_DEBUG = os.path.join(TOP, "build/obj-debug")
OUT = os.path.join(TOP, "build/kunit-debug")
KSRC = os.path.join(TOP, "build/src")

REFERENCE_EXTRA = 467


def reference_suites(run):
    """The suites of one of the reference kernel's runs ("default" or
    "extra"), with their case counts (docs/kunit-reference.md)."""
    text = open(os.path.join(TOP, "docs/kunit-reference.md")).read()
    part = text.split("## Suites of the %s run" % run, 1)[1].split("\n## ", 1)[0]
    return {m.group(1): sum(map(int, m.group(2, 3, 4)))
            for m in re.finditer(r"^- `([^`]+)`: (\d+)/(\d+)/(\d+)", part, re.M)}


def statuses(group):
    """The status of every test case in a kunit.py results group."""
    out = [c["status"] for c in group.get("test_cases", [])]
    for s in group.get("sub_groups", []):
        out += statuses(s)
    return out


def config_lines(path):
    return {line.strip() for line in open(path)
            if re.match(r"(CONFIG_\w+=|# CONFIG_\w+ is not set)", line)}


def test_kunit_config_is_in_the_debug_build():
    """What kunit.py run would insist on: every line of the kunitconfig
    and of arch_uml.config is in the debug build's final .config."""
    final = config_lines(os.path.join(OBJ_DEBUG, ".config"))
    for frag in (os.path.join(TOP, "scripts/kunit-extra.config"),
                 os.path.join(KSRC, "tools/testing/kunit/configs/arch_uml.config"),
                 os.path.join(TOP, "arch/um/configs/debug-kunit.config")):
        missing = sorted(config_lines(frag) - final)
        assert not missing, "%s: not in build/obj-debug/.config: %s" % (
            frag, missing)


def test_kunit_default_and_extra_sets_pass():
    assert os.access(os.path.join(OBJ_DEBUG, "linux"), os.X_OK), \
        "no build/obj-debug/linux (make linux-debug)"
    os.makedirs(OUT, exist_ok=True)
    results = os.path.join(OUT, "results.json")
    if os.path.exists(results):
        os.unlink(results)
    with tempfile.TemporaryDirectory(prefix="uml-kunit-") as umldir:
        p = subprocess.run(
            ["python3", "tools/testing/kunit/kunit.py", "exec", "--arch=um",
             "--build_dir", OBJ_DEBUG,
             "--kunitconfig", os.path.join(TOP, "scripts/kunit-extra.config"),
             "--json=" + results, "--timeout", "1500",
             "--kernel_args", "ncpus=2", "--kernel_args", "uml_dir=" + umldir],
            cwd=KSRC, capture_output=True, text=True, timeout=1800)
    out = p.stdout + p.stderr
    open(os.path.join(OUT, "kunit.log"), "w").write(out)
    assert p.returncode == 0, out[-5000:]
    root = json.load(open(results))
    st = statuses(root)
    total, passed, skipped = len(st), st.count("PASS"), st.count("SKIP")
    assert total - passed - skipped == 0, out[-5000:]
    assert total >= REFERENCE_EXTRA + 5, "%d tests, reference %d" % (
        total, REFERENCE_EXTRA)
    assert skipped <= 9, "%d skipped" % skipped
    # every suite of the reference's two runs ran, with as many cases
    ours = {s["name"]: len(statuses(s)) for s in root.get("sub_groups", [])}
    ours.update({c["name"]: 1 for c in root.get("test_cases", [])})
    for run, ncases in (("default", 381), ("extra", REFERENCE_EXTRA)):
        ref = reference_suites(run)
        assert len(ref) >= 40 and sum(ref.values()) == ncases, \
            "docs/kunit-reference.md: %d suites in the %s run" % (len(ref), run)
        short = sorted("%s (%d of %d)" % (s, ours.get(s, 0), n)
                       for s, n in ref.items() if ours.get(s, 0) < n)
        assert not short, "%s-set suites missing or short: %s" % (run, short)
    assert re.search(r"\[PASSED\] uml_arch", out), "uml_arch suite missing"
    print("kunit: %d tests: %d passed, %d skipped" % (total, passed, skipped))
