# SPDX-License-Identifier: GPL-2.0
"""Docs that cannot drift: what docs/ names in backquotes exists.

The rules (docs/README.md says them to writers too).  In docs/*.md and
README.md, a backquoted span of one word is checked when it is one of:

  function  `name()`: some source file of ours or of the kernel tree
            (build/src) has `name(` (a definition, a call or a macro).
  struct    `struct name`: some source file has `struct name`.
  file      a span with a `/` or ending in .c .h .S .py .sh .md .lds .txt:
            a tracked file or directory whose path ends with it (`line.c`,
            `drivers/chan/line.c`, `arch/um/kernel/`; `*` globs allowed), or
            a path of the kernel tree (`init/main.c`).  Host and guest paths
            (`/dev/...`, `~/.uml`, `$HOME/...`), `<header.h>` includes and
            what the build makes (`build/...`, `generated/...`, `./linux`,
            what .gitignore names) are not checked, nor shorthands whose
            first part is no directory (`UML_STUB_ENTRY/SYSCALL`).
  option    `name=...`, `nameN=...` in lower case: `name` (or its start, as
            `ubd` of `ubdb=`) is an option of
            ours (UML_OPTION, __setup, early_param in arch/um) or a kernel
            command-line parameter (__setup, early_param in build/src), or
            one the root image's rootfs/init reads (`getty=no`).
  target    `make TARGET` (first word after the options and VAR=value
            words): a target of the top Makefile, or of DIR/Makefile for
            `make -C DIR`.  `make -C build/src ...` is the kernel's own.

Anything else in backquotes (code, commands, messages) is not checked.  To
name something that does not exist (upstream's name, a removed function),
write it without backquotes.  A failure names the doc, the line and the span.
"""
import fnmatch
import glob
import os
import re
import subprocess

import umltest
from umltest import TOP

KSRC = os.path.join(TOP, "build/src")
# the kernel tree's directories a doc may name functions and parameters of
KSRC_DIRS = ["include", "init", "kernel", "mm", "fs", "lib", "block",
             "drivers/tty", "drivers/base", "arch/x86", "security", "ipc",
             "net/core", "scripts"]
FILE_EXT = (".c", ".h", ".S", ".py", ".sh", ".md", ".lds", ".txt")
SPAN = re.compile(r"`([^`\n]+)`")


def tracked():
    # files not yet added count too (a writer runs the check before git add)
    out = subprocess.run(["git", "ls-files", "--cached", "--others",
                          "--exclude-standard"], cwd=TOP, capture_output=True,
                         text=True, check=True).stdout.split("\n")
    return [f for f in out if f]


def doc_spans():
    """(doc, line number, span) for every backquoted span of the docs."""
    docs = sorted(glob.glob(os.path.join(TOP, "docs", "*.md")))
    docs.append(os.path.join(TOP, "README.md"))
    for path in docs:
        rel = os.path.relpath(path, TOP)
        in_code = False
        with open(path) as f:
            for n, line in enumerate(f, 1):
                if line.lstrip().startswith("```"):
                    in_code = not in_code
                    continue
                if in_code:
                    continue
                for m in SPAN.finditer(line):
                    yield rel, n, m.group(1).strip()


def classify(span):
    """(kind, what to look up) or None when the span is not checked."""
    m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)\(\)", span)
    if m:
        return "function", m.group(1)
    m = re.fullmatch(r"struct ([A-Za-z_][A-Za-z0-9_]*)", span)
    if m:
        return "struct", m.group(1)
    m = re.fullmatch(r"make((?: -\S+| [A-Z_]+=\S+| -C \S+)*) ([a-z][\w.-]*)"
                     r"(?: .*)?", span)
    if m:
        d = re.search(r"-C (\S+)", m.group(1))
        d = d.group(1) if d else "."
        if d.startswith("build/src"):
            return None
        return "target", (d, m.group(2))
    if " " in span:
        return None
    m = re.fullmatch(r"([a-z][a-z_]*)(?:[0-9]+|N)?[a-z]*=.*", span)
    if m:
        return "option", m.group(1)
    if span.startswith(("/", "~", "$", "<", ".", "build/", "generated/",
                        "-", "http")) or "=" in span or ":" in span:
        return None
    if "/" in span or span.endswith(FILE_EXT):
        if not re.fullmatch(r"[\w.*/{},+-]+", span):
            return None
        return "file", span
    return None


class Tree:
    """What exists: our tracked files and the kernel tree's sources."""

    def __init__(self):
        self.files = tracked()
        self.dirs = {d for f in self.files for d in f.split("/")[:-1]}
        if os.path.isdir(KSRC):
            self.dirs |= {d for d in os.listdir(KSRC)
                          if os.path.isdir(os.path.join(KSRC, d))}
        self.dirs |= {"asm", "host", "uml", "asm-generic", "linux"}
        self.tails = set()
        for f in self.files:
            parts = f.split("/")
            for i in range(len(parts)):
                self.tails.add("/".join(parts[i:]))
                if i < len(parts) - 1:
                    self.tails.add("/".join(parts[i:-1]) + "/")
            for i in range(1, len(parts)):
                self.tails.add("/".join(parts[:i]) + "/")
        # this file names made-up things on purpose
        self.sources = [f for f in self.files
                        if (f.endswith((".c", ".h", ".S", ".lds", ".py",
                                        ".sh")) or "Makefile" in f)
                        and f != "tests/test_docs.py"]
        self._text = None

    def text(self):
        if self._text is None:
            parts = []
            for f in self.sources:
                try:
                    with open(os.path.join(TOP, f), errors="replace") as fh:
                        parts.append(fh.read())
                except OSError:
                    pass
            self._text = "\n".join(parts)
        return self._text

    def is_path(self, span):
        """A path, not a shorthand like `UML_STUB_ENTRY/SYSCALL`: its
        first part is a directory we or the kernel tree have, or its last
        part ends like a source file."""
        parts = span.rstrip("/").split("/")
        return parts[0] in self.dirs or parts[-1].endswith(FILE_EXT)

    def ignored(self, span):
        """Something the build makes, as .gitignore says."""
        return subprocess.run(["git", "check-ignore", "-q", "--no-index",
                               span], cwd=TOP).returncode == 0

    def has_file(self, span):
        if "*" in span or "{" in span:
            pats = [span]
            m = re.search(r"\{([^}]*)\}", span)
            if m:
                pats = [span[:m.start()] + alt + span[m.end():]
                        for alt in m.group(1).split(",")]
            return all(any(fnmatch.fnmatch(t, p) for t in self.tails)
                       for p in pats)
        if span in self.tails or span + "/" in self.tails:
            return True
        rest = span.split("/", 1)[-1]
        for p in (span, "include/" + span, "include/asm-generic/" + rest,
                  "include/linux/" + span):
            if os.path.exists(os.path.join(KSRC, p)):
                return True
        return self.ignored(span)

    def ksrc_grep(self, pattern, words):
        """The words of @words that match @pattern (a format with the word)
        somewhere in the kernel tree's sources."""
        if not words or not os.path.isdir(KSRC):
            return set()
        dirs = [os.path.join(KSRC, d) for d in KSRC_DIRS
                if os.path.isdir(os.path.join(KSRC, d))]
        found = set()
        regex = "|".join(pattern % re.escape(w) for w in sorted(words))
        p = subprocess.run(["grep", "-rhoE", "--include=*.[chS]", regex]
                           + dirs, capture_output=True, text=True)
        for w in words:
            if re.search(pattern % re.escape(w), p.stdout):
                found.add(w)
        return found

    def options(self):
        text = self.text()
        names = set(re.findall(r'UML_OPTION\(\s*\w+\s*,\s*"([a-z_]+)',
                               text))
        names |= set(re.findall(r'(?:__setup|early_param)\("([a-z_]+)',
                                text))
        # what the root image's init reads from the kernel command line
        with open(os.path.join(TOP, "rootfs/init")) as f:
            names |= set(re.findall(r"\b([a-z_]+)=", f.read()))
        return names

    def make_targets(self, d):
        path = os.path.join(TOP, d, "Makefile")
        if not os.path.exists(path):
            return set()
        targets = set()
        with open(path) as f:
            text = f.read().replace("\\\n", " ")
        for line in text.splitlines():
            m = re.match(r"([\w./ $()-]+?)\s*::?(?!=)", line)
            if m and not line.startswith("\t"):
                targets |= set(m.group(1).split())
            if line.startswith(".PHONY"):
                targets |= set(line.split(":", 1)[1].split())
        return targets


def missing_names():
    """Every (doc, line, span, kind) whose thing does not exist."""
    tree = Tree()
    refs = []
    for doc, n, span in doc_spans():
        c = classify(span)
        if c:
            refs.append((doc, n, span, c[0], c[1]))
    text = tree.text()
    options = tree.options()
    funcs = {w for *_, k, w in refs if k == "function"}
    structs = {w for *_, k, w in refs if k == "struct"}
    ours_f = {w for w in funcs
              if re.search(r"\b%s\s*\(" % re.escape(w), text) or
              re.search(r"#define %s\b" % re.escape(w), text)}
    ours_s = {w for w in structs if re.search(r"\bstruct %s\b" %
                                              re.escape(w), text)}
    known_f = ours_f | tree.ksrc_grep(r"\b%s\s*\(", funcs - ours_f)
    known_s = ours_s | tree.ksrc_grep(r"struct %s\b", structs - ours_s)
    opt_left = {w for *_, k, w in refs if k == "option"
                and not any(w[:i] in options for i in range(2, len(w) + 1))}
    known_o = options | tree.ksrc_grep(r'(__setup|early_param)\("%s[=",]',
                                       opt_left)
    bad = []
    for doc, n, span, kind, what in refs:
        if kind == "function":
            ok = what in known_f
        elif kind == "struct":
            ok = what in known_s
        elif kind == "option":
            # "ubdb=": the option "ubd" and its device letter
            ok = any(what[:i] in known_o for i in range(2, len(what) + 1))
        elif kind == "target":
            ok = what[1] in tree.make_targets(what[0])
        elif not tree.is_path(what):
            continue
        else:
            ok = tree.has_file(what)
        if not ok:
            bad.append("%s:%d: `%s` (%s) names nothing in the tree"
                       % (doc, n, span, kind))
    return bad


def test_docs_name_only_what_exists():
    if not os.path.isdir(os.path.join(TOP, ".git")) and \
            not os.path.exists(os.path.join(TOP, ".git")):
        umltest.skip("not a git checkout")
    bad = missing_names()
    assert not bad, ("docs name what does not exist (rules: tests/"
                     "test_docs.py; fix the doc or drop the backquotes):\n"
                     + "\n".join(bad))


def boundary_gaps():
    """What host-boundary.md leaves out of the boundary headers: a header
    without its section, a function declared there, an option of the
    table."""
    with open(os.path.join(TOP, "docs/host-boundary.md")) as f:
        doc = f.read()
    gaps = []
    hdrs = sorted(glob.glob(os.path.join(TOP,
                                         "arch/um/include/shared/host/*.h")))
    for h in hdrs:
        name = os.path.basename(h)
        if not re.search(r"^### %s" % re.escape(name), doc, re.M):
            gaps.append("%s has no section \"### %s\"" % (name, name))
        with open(h) as f:
            code = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S)
        for fn in re.findall(r"^[A-Za-z_][\w \t*]*?\b([a-z_]\w*)\s*\(",
                             code, re.M):
            if fn != "__attribute__" and \
                    not re.search(r"\b%s\b" % re.escape(fn), doc):
                gaps.append("%s: %s() is not named" % (name, fn))
    line = re.search(r"^- The options in use:.*$", doc, re.M)
    for opt in sorted(Tree().options() - {"getty"}):
        if not line or not re.search(r"`%s[=`]" % re.escape(opt),
                                     line.group(0)):
            if opt in read_rootfs_options():
                continue
            gaps.append("options.h: option %s is not in \"The options in "
                        "use\"" % opt)
    return gaps


def read_rootfs_options():
    with open(os.path.join(TOP, "rootfs/init")) as f:
        return set(re.findall(r"\b([a-z_]+)=", f.read()))


def test_host_boundary_doc_lists_every_function():
    gaps = boundary_gaps()
    assert not gaps, ("docs/host-boundary.md misses (add a line to the "
                      "header's section):\n" + "\n".join(gaps))


def test_docs_check_catches_a_missing_name():
    """The check itself: a made-up function, file and target are caught."""
    tree = Tree()
    assert classify("no_such_function_xyz()") == \
        ("function", "no_such_function_xyz")
    assert not re.search(r"\bno_such_function_xyz\s*\(", tree.text())
    assert not tree.has_file("drivers/chan/no_such_file.c")
    assert tree.has_file("drivers/chan/line.c")
    assert "linux" in tree.make_targets(".")
    assert "no-such-target" not in tree.make_targets(".")
    assert classify("con0=pty") == ("option", "con")
    assert "con" in tree.options()


if __name__ == "__main__":
    print("\n".join(missing_names()))
