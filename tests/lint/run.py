#!/usr/bin/env python3
"""xy lint end to end: each case in tests/lint/cases/NNN-name/ holds a small policy set (policy/),
what it shows (case.md), the extra arguments (args, optional: `--lang zh`, `--as-of DATE`,
`--format json`, `--deny-warnings` …) and expected.out: the exact stdout of
`xy lint [args] policy` run in the case's folder, then a last line `exit N`.

Besides the comparison, for every case: nothing is printed on stderr (a disagreement between the
solver and the runtime is reported there, with exit 4), the policy is formatted (`xy fmt --check`),
and every example request in the JSON report is decided again by `xy check` with the outcome the
finding states. Every lint code has a case.

usage: run.py XY REPO   (XY_UPDATE_EXPECTED=1 rewrites each case's expected.out; review the diff)
"""
import json
import pathlib
import shlex
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "support"))
from case_runner import REPO, fail, failures, xy, expect  # noqa: E402

CODES = ["W0700", "W0701", "W0702", "W0703", "I0704", "W0705", "W0706", "W0707", "W0708", "W0709"]


def recheck_examples(case):
    """Each example request of the JSON report, decided by `xy check`: the outcome it states."""
    rc, out, err = xy(case, "lint", "--format", "json", "policy")
    try:
        sets = json.loads(out)
    except ValueError:
        fail(f"{case.name}: --format json prints no JSON (exit {rc})", out + err)
        return
    for s in sets:
        for f in s["findings"]:
            if "example" not in f:
                continue
            outcome = f["example_outcome"]
            request = json.dumps(f["example"], ensure_ascii=False).encode("utf-8")
            rc, out, err = xy(case, "check", *s["policies"].split(" "), "--request", "-",
                              "--format", "json", stdin=request)
            got = json.loads(out)["outcome"] if rc == 0 else f"exit {rc}"
            if got != outcome:
                fail(f"{case.name}: the example of {f['code']} at line {f['line']} is decided "
                     f"{got}, the finding says {outcome}", out + err)


cases = sorted(p for p in (REPO / "tests/lint/cases").iterdir() if p.is_dir())
shown = set()
for case in cases:
    if not (case / "case.md").exists() or not list((case / "policy").rglob("*.xy")):
        fail(f"{case.name}: a case holds case.md and policy/ with .xy files")
        continue
    args = shlex.split((case / "args").read_text()) if (case / "args").exists() else []
    rc, out = expect(case, case, "lint", *args, "policy")
    printed = out + f"exit {rc}\n"
    shown.update(code for code in CODES if f"[{code}]" in printed or f'"{code}"' in printed)
    rc, diff, err = xy(case, "fmt", "--check", "policy")
    if rc != 0:
        fail(f"{case.name}: the policy is not formatted (xy fmt --write)", diff + err)
    recheck_examples(case)

for code in CODES:
    if code not in shown:
        fail(f"no case shows {code}")
print(f"lint: {len(cases)} cases, {len(failures)} failures", flush=True)
sys.exit(1 if failures else 0)
