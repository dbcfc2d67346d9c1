#!/usr/bin/env python3
"""xy fmt end to end: the layout cases (tests/fmt/cases/NAME/{input.xy, expected.xy, args}), that
the shipped policies and the conformance cases are formatted, and that keyword translation goes
there and back on every shipped policy.

usage: run.py XY REPO   (XY_UPDATE_EXPECTED=1 rewrites each case's expected.xy)
"""
import os
import pathlib
import subprocess
import sys
import tempfile

XY, REPO = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
failures = []


def fmt(*args, stdin_path=None):
    r = subprocess.run([str(XY), "fmt", "--lang", "en", *map(str, args)], capture_output=True)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


def fail(what, detail=""):
    failures.append(what)
    print(f"FAIL {what}\n{detail}", flush=True)


# 1. Layout cases: expected output, idempotence, --check both ways.
cases = sorted((REPO / "tests/fmt/cases").iterdir())
for case in cases:
    args = (case / "args").read_text().split() if (case / "args").exists() else []
    rc, out, err = fmt(*args, case / "input.xy")
    if rc != 0:
        fail(f"{case.name}: exit {rc}", err)
        continue
    expected = case / "expected.xy"
    if os.environ.get("XY_UPDATE_EXPECTED"):
        expected.write_text(out)
    if not expected.exists() or out != expected.read_text():
        fail(f"{case.name}: output differs from expected.xy", out)
        continue
    rc, again, err = fmt(*args, expected)
    if rc != 0 or again != out:
        fail(f"{case.name}: not idempotent", again + err)
    rc, diff, _ = fmt("--check", *args, expected)
    if rc != 0 or diff:
        fail(f"{case.name}: --check of the formatted file exits {rc}", diff)
    if out != (case / "input.xy").read_text():
        rc, diff, err = fmt("--check", *args, case / "input.xy")
        if rc != 1 or not diff.startswith("--- ") or "not formatted" not in err:
            fail(f"{case.name}: --check of the input exits {rc}", diff + err)
print(f"fmt: {len(cases)} layout cases", flush=True)

# 2. The shipped policies are formatted.
rc, diff, err = fmt("--check", REPO / "policies")
if rc != 0:
    fail("policies/ are not formatted (run `xy fmt --write policies`)", diff + err)

# 3. Every conformance case that parses is formatted; a case that does not parse must expect a
#    syntax error.
checked = 0
for case in sorted((REPO / "tests/conformance/cases").iterdir()):
    policy = case / "policy"
    if not policy.is_dir() or not any(policy.rglob("*.xy")):
        continue
    if (case / "unformatted").exists():  # the case is about the layout itself (it says why)
        continue
    rc, diff, err = fmt("--check", policy)
    expected = (case / "expected.out").read_text() if (case / "expected.out").exists() else ""
    if rc == 2:
        if "E0001" not in expected and "E0002" not in expected:
            fail(f"conformance {case.name}: xy fmt cannot read it", err)
        continue
    checked += 1
    if rc != 0:
        fail(f"conformance {case.name} is not formatted (xy fmt --write {policy})", diff + err)
print(f"fmt: policies and {checked} conformance cases checked", flush=True)

# 4. Keywords there and back on every shipped policy. English → Chinese → English is exact;
#    Chinese → English → Chinese gives the file back with each keyword in its main spelling (the
#    synonyms below, and nothing else, change), and from there round trips are exact.
SYNONYMS = {"如果": "当", "每个": "所有", "并且": "且", "或者": "或", "大于": "超过", "小于": "不满",
            "不低于": "不少于", "不小于": "不少于", "不高于": "不超过", "不大于": "不超过"}


def main_spelling(line):
    words = line.split(" ")
    return " ".join(SYNONYMS.get(w, w) for w in words)


def translate(src, lang, tmp, name):
    rc, out, err = fmt("--keywords", lang, src)
    if rc != 0:
        raise RuntimeError(f"{src}: --keywords {lang} exits {rc}\n{err}")
    (tmp / name).write_text(out)
    return out


with tempfile.TemporaryDirectory() as tmp:
    tmp = pathlib.Path(tmp)
    files = sorted((REPO / "policies").rglob("*.xy"))
    for f in files:
        try:
            en1 = translate(f, "en", tmp, "en1.xy")
            zh1 = translate(tmp / "en1.xy", "zh", tmp, "zh1.xy")
            en2 = translate(tmp / "zh1.xy", "en", tmp, "en2.xy")
            zh2 = translate(tmp / "en2.xy", "zh", tmp, "zh2.xy")
        except RuntimeError as e:
            fail(str(e))
            continue
        if en2 != en1 or zh2 != zh1:
            fail(f"{f}: a second round trip is not exact")
        original = f.read_text().split("\n")
        back = zh1.split("\n")
        if len(original) != len(back):
            fail(f"{f}: zh → en → zh changed the number of lines")
            continue
        for k, (a, b) in enumerate(zip(original, back)):
            if a != b and main_spelling(a) != b:
                fail(f"{f}:{k + 1}: zh → en → zh changed more than keyword spellings",
                     f"- {a}\n+ {b}")
                break
    print(f"fmt: {len(files)} policies translated there and back", flush=True)

print(f"fmt: {len(failures)} failures")
sys.exit(1 if failures else 0)
