#!/usr/bin/env python3
"""xy diff end to end: each case in tests/diff/cases/NNN-name/ holds two versions of a small policy
set (old/ and new/), what it shows (case.md), the extra arguments (args, optional: `--lang zh`,
`--format json`, `--as-of DATE`, `--old-as-of DATE --new-as-of DATE` …) and expected.out: the exact
stdout of `xy diff [args] old new` run in the case's folder, then a last line `exit N`.

A case may also hold a file `bundle` naming the sides (`old`, `new`) given to xy diff as bundles:
the case is then copied to a scratch folder, each side named is compiled there with
`xy compile SIDE -o SIDE.xyb`, and `xy diff [args] old.xyb new` runs in that folder (the bundle is
made from the sources at test time, so no binary file is checked in).

Besides the comparison, for every case: nothing is printed on stderr (a disagreement between the
solver and a runtime is reported there, with exit 4), both versions are formatted
(`xy fmt --check`), and every example request of the JSON report is decided again by `xy check`,
by the old version as of the old side's date and by the new version as of the new side's, with
the outcome the report states for each; each example's outcomes differ in the direction the
verdict says. Every verdict and both words for review policies (milder, harsher) have a case.

usage: run.py XY REPO   (XY_UPDATE_EXPECTED=1 rewrites each case's expected.out; review the diff)
"""
import json
import pathlib
import re
import shlex
import shutil
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "support"))
from case_runner import REPO, fail, failures, xy, expect  # noqa: E402

VERDICTS = ["equivalent", "more_permissive", "less_permissive", "incomparable", "only_old",
            "only_new", "facts_changed", "kind_changed", "not_in_force", "no_common_date"]
REVIEW_WORDS = ["milder", "harsher"]
# Outcomes from the most severe up (docs/analysis.md): checks and reviews, wire names and words.
RANK = {"deny": 0, "not_permitted": 1, "permit": 2,
        "reject": 0, "refer": 1, "pass": 2, "不能": 0, "不宜": 1, "通过": 2}
def option(args, name):
    """The value of `name` in args (`--name VALUE` or `--name=VALUE`, the last one), or None."""
    value = None
    for i, a in enumerate(args):
        if a == name and i + 1 < len(args):
            value = args[i + 1]
        elif a.startswith(name + "="):
            value = a[len(name) + 1:]
    return value


def without(args, *names):
    """args without the options named (each with its value)."""
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
        elif a in names:
            skip = True
        elif not any(a.startswith(n + "=") for n in names):
            out.append(a)
    return out


def recheck_examples(case, where, args, old, new, shown):
    """Each example of the JSON report, decided by `xy check` on each side: the outcome it states,
    in the direction the verdict says. Records the verdicts the report gives in `shown`."""
    rc, out, err = xy(where, "diff", "--format", "json",
                      *without(args, "--format", "-f", "--lang"), old, new)
    try:
        report = json.loads(out)
    except ValueError:
        fail(f"{case.name}: --format json prints no JSON (exit {rc})", out + err)
        return
    if err:
        fail(f"{case.name}: xy diff --format json printed on stderr (exit {rc})", err)
    if report["disagreements"]:
        fail(f"{case.name}: --format json reports disagreements (exit {rc})",
             json.dumps(report["disagreements"], ensure_ascii=False))
    sides = {"old": (old, option(args, "--old-as-of") or option(args, "--as-of")),
             "new": (new, option(args, "--new-as-of") or option(args, "--as-of"))}
    for entry in report["entries"]:
        shown.add(entry["verdict"])
        pair = f"{entry['action']} / {entry['policy']}"
        ups = set()
        for n, ex in enumerate(entry["examples"], 1):
            request = json.dumps(ex["request"], ensure_ascii=False).encode("utf-8")
            for side, (path, as_of) in sides.items():
                policies = ["--bundle", path] if path.endswith(".xyb") else [path]
                dated = ["--as-of", as_of] if as_of else []
                rc, out, err = xy(where, "check", *policies, "--request", "-", "--format", "json",
                                  *dated, stdin=request)
                got = json.loads(out)["outcome"] if rc == 0 else f"exit {rc}"
                if got != ex[side]["outcome"]:
                    fail(f"{case.name}: {pair}, example {n}: the {side} version decides "
                         f"{got}, the report says {ex[side]['outcome']}", out + err)
            before, after = RANK.get(ex["old"]["outcome"]), RANK.get(ex["new"]["outcome"])
            if before is None or after is None or before == after:
                fail(f"{case.name}: {pair}, example {n}: {ex['old']['outcome']} → "
                     f"{ex['new']['outcome']} is no change of outcome")
            else:
                ups.add(after > before)
        expected = {"more_permissive": {True}, "less_permissive": {False},
                    "incomparable": {True, False}}.get(entry["verdict"], set())
        if not ups <= expected:
            fail(f"{case.name}: {pair} is {entry['verdict']}, but an example's outcomes "
                 f"go the other way")


def prepare(case, scratch):
    """Where xy diff runs and the paths of OLD and NEW: the case's folder, or a scratch copy with
    the sides named in `bundle` compiled (None when a bundle cannot be made)."""
    sides = (case / "bundle").read_text().split() if (case / "bundle").exists() else []
    if not sides:
        return case, "old", "new"
    where = pathlib.Path(scratch) / case.name
    for side in ("old", "new"):
        shutil.copytree(case / side, where / side)
    for side in sides:
        rc, out, err = xy(where, "compile", side, "-o", f"{side}.xyb")
        if rc != 0:
            fail(f"{case.name}: xy compile {side} -o {side}.xyb fails (exit {rc})", out + err)
            return None
    return (where, *(f"{s}.xyb" if s in sides else s for s in ("old", "new")))


started = time.monotonic()
cases = sorted(p for p in (REPO / "tests/diff/cases").iterdir() if p.is_dir())
shown, words = set(), set()
with tempfile.TemporaryDirectory(prefix="xy-diff-") as scratch:
    for case in cases:
        if not (case / "case.md").exists() or not all(
                list((case / side).rglob("*.xy")) for side in ("old", "new")):
            fail(f"{case.name}: a case holds case.md, and old/ and new/ with .xy files")
            continue
        args = shlex.split((case / "args").read_text()) if (case / "args").exists() else []
        prepared = prepare(case, scratch)
        if prepared is None:
            continue
        where, old, new = prepared
        rc, out = expect(case, where, "diff", *args, old, new)
        words.update(re.findall(r"^[^ ].* / .*: (milder|harsher)$", out, re.MULTILINE))
        for side in ("old", "new"):
            rc, diff, err = xy(case, "fmt", "--check", side)
            if rc != 0:
                fail(f"{case.name}: {side}/ is not formatted (xy fmt --write)", diff + err)
        recheck_examples(case, where, args, old, new, shown)

for verdict in VERDICTS:
    if verdict not in shown:
        fail(f"no case shows the verdict {verdict}")
for word in REVIEW_WORDS:
    if word not in words:
        fail(f"no case shows a review policy becoming {word}")
print(f"diff: {len(cases)} cases, {len(failures)} failures, "
      f"{time.monotonic() - started:.1f} s", flush=True)
sys.exit(1 if failures else 0)
