#!/usr/bin/env python3
"""Fault injection: does the test suite catch plausible single bugs?

Each mutants/*.mutant names a file, an exact snippet of it and the snippet's
replacement, and the check that should catch it: C tests ("ctests:", built
and run as `make test` does) or any command ("check:"):

    # what the bug is (comment lines, any number)
    file: src/ring/complete.rs
    ctests: reap overflow
    --- from
    <the exact original lines>
    --- to
    <their replacement>

The tree (without build/ and target/) is copied once to build/mutants/tree.
Each distinct check first runs on the unchanged copy and must pass there:
otherwise a "caught" mutant would mean nothing. Then each mutant is applied
in turn (a snippet that is not found exactly once is an error), its check
runs, and the file is restored. Fails when a mutant is not caught.

Builds in TREE skip the release profile's LTO and take incremental,
parallel code generation (FAST_BUILD): a mutant changes one file, which
then rebuilds in seconds rather than the half minute a whole LTO build
takes. No check here depends on what LTO removes.

A mutant this machine cannot catch yet says why in a "missed-until: REASON"
line: it is reported, not failed. Once such a mutant is caught, the run
fails until that line is dropped, so the set only ever gets stricter.

usage: tools/mutants.py [MUTANT_FILE...]   (default: every mutants/*.mutant)
"""
import filecmp
import glob
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TREE = os.path.join(ROOT, "build", "mutants", "tree")
TIMEOUT = int(os.environ.get("MUTANT_TIMEOUT", "600"))
FAST_BUILD = {"CARGO_PROFILE_RELEASE_LTO": "off", "CARGO_PROFILE_RELEASE_CODEGEN_UNITS": "16",
              "CARGO_PROFILE_RELEASE_INCREMENTAL": "true"}


def parse(path):
    head, sections, cur = [], {}, None
    with open(path) as f:
        for line in f:
            if line.startswith("--- "):
                cur = line[4:].strip()
                sections[cur] = []
            elif cur is None:
                head.append(line.rstrip("\n"))
            else:
                sections[cur].append(line)
    fields = dict(h.split(": ", 1) for h in head if h and not h.startswith("#"))
    why = " ".join(h.lstrip("# ") for h in head if h.startswith("#"))
    if "ctests" in fields:
        fields["check"] = ctests_check(fields["ctests"].split())
    if set(sections) != {"from", "to"} or not {"file", "check"} <= set(fields):
        sys.exit(f"mutants: {path}: needs file:, check: or ctests:, '--- from' and '--- to'")
    return {"name": os.path.basename(path)[: -len(".mutant")], "why": why, "file": fields["file"],
            "check": fields["check"], "known": fields.get("missed-until"),
            "from": "".join(sections["from"]), "to": "".join(sections["to"])}


def ctests_check(tests):
    """Builds the C tests named and runs each (through its ctests/run-NAME.sh
    driver when it has one)."""
    runs = [f"bash ctests/run-{t}.sh build/ctests/{t}" if os.path.exists(os.path.join(ROOT, f"ctests/run-{t}.sh"))
            else f"build/ctests/{t}" for t in tests]
    return " && ".join(["make -s lib " + " ".join(f"build/ctests/{t}" for t in tests)] + runs)


def copy_tree():
    """The project's files (tracked and new, not ignored) into TREE. Only
    files that differ are copied, and they get a new mtime: an old one could
    let cargo or make take a build of an earlier mutant for up to date."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                           capture_output=True).stdout.decode().split("\0")
    for rel in filter(None, files):
        src, dst = os.path.join(ROOT, rel), os.path.join(TREE, rel)
        if os.path.isfile(src) and not (os.path.isfile(dst) and filecmp.cmp(src, dst, shallow=False)):
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy(src, dst)


def run(check):
    """Runs check in TREE: (exit status, seconds, last lines of output)."""
    start = time.time()
    try:
        p = subprocess.run(["bash", "-c", check], cwd=TREE, capture_output=True, text=True, timeout=TIMEOUT,
                           env=os.environ | FAST_BUILD)
        rc, out = p.returncode, p.stdout + p.stderr
    except subprocess.TimeoutExpired:
        rc, out = -1, f"timed out after {TIMEOUT}s"
    return rc, time.time() - start, "\n".join(out.strip().splitlines()[-3:])


def main():
    paths = sys.argv[1:] or sorted(glob.glob(os.path.join(ROOT, "mutants", "*.mutant")))
    mutants = [parse(p) for p in paths]
    for m in mutants:
        count = open(os.path.join(ROOT, m["file"])).read().count(m["from"])
        if count != 1:
            sys.exit(f"mutants: {m['name']}: the 'from' snippet occurs {count} times in {m['file']}, not once")
    os.makedirs(TREE, exist_ok=True)
    copy_tree()
    for check in dict.fromkeys(m["check"] for m in mutants):
        rc, secs, out = run(check)
        print(f"mutants: baseline {'pass' if rc == 0 else 'FAIL'} ({secs:.0f}s): {check}", flush=True)
        if rc != 0:
            sys.exit(f"mutants: this check fails on the unchanged tree, so it cannot judge a mutant:\n{out}")
    missed, known, stale = [], [], []
    for m in mutants:
        path = os.path.join(TREE, m["file"])
        original = open(path).read()
        with open(path, "w") as f:
            f.write(original.replace(m["from"], m["to"], 1))
        try:
            rc, secs, out = run(m["check"])
        finally:
            # A new mtime on the restored file, so the next build sees it.
            with open(path, "w") as f:
                f.write(original)
        # A test that skips (77) has not caught anything: the mutant may
        # have broken the very detection the test skips on.
        survived = rc in (0, 77)
        verdict = "caught" if not survived else "not caught, as expected" if m["known"] else "NOT CAUGHT"
        if rc == 77:
            verdict += " (the check skipped)"
        print(f"mutants: {m['name']}: {verdict} ({secs:.0f}s): {m['why']}", flush=True)
        if not survived:
            print("    " + out.replace("\n", "\n    "))
            if m["known"]:
                stale.append(m["name"])
        elif m["known"]:
            print(f"    (missed until {m['known']})")
            if rc == 77:
                print("    " + out.replace("\n", "\n    "))
            known.append(m["name"])
        else:
            missed.append(m["name"])
    print(f"mutants: {len(mutants) - len(missed) - len(known)} of {len(mutants)} caught"
          + (f"; NOT CAUGHT: {' '.join(missed)}" if missed else "")
          + (f"; known misses: {' '.join(known)}" if known else ""))
    if stale:
        print(f"mutants: caught now, drop their missed-until line: {' '.join(stale)}")
    sys.exit(1 if missed or stale else 0)


if __name__ == "__main__":
    main()
