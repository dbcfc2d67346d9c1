"""What the case-folder runners share (tests/lint/run.py, tests/diff/run.py): xy run with a fixed
environment (English messages, UTC), failures counted and printed, and a command's stdout with
its exit code compared with a case's expected.out (XY_UPDATE_EXPECTED=1 rewrites it)."""
import os
import pathlib
import subprocess
import sys

XY, REPO = pathlib.Path(sys.argv[1]).resolve(), pathlib.Path(sys.argv[2]).resolve()
UPDATE = os.environ.get("XY_UPDATE_EXPECTED") == "1"
ENV = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "XY_LANG")}
ENV.update(LANG="C.UTF-8", XY_LANG="en", TZ="UTC")
failures = []


def fail(what, detail=""):
    failures.append(what)
    print(f"FAIL {what}" + (f"\n{detail}" if detail else ""), flush=True)


def xy(where, *args, stdin=None):
    r = subprocess.run([str(XY), *args], cwd=where, env=ENV, input=stdin, capture_output=True,
                       timeout=300)
    return r.returncode, r.stdout.decode("utf-8"), r.stderr.decode("utf-8")


def expect(case, where, *args):
    """Runs `xy ARGS` in `where` and compares its stdout and a last line `exit N` with
    case/expected.out; nothing may be printed on stderr. Returns (exit code, stdout)."""
    rc, out, err = xy(where, *args)
    printed = out + f"exit {rc}\n"
    shown = " ".join(str(a) for a in args)
    if err:
        fail(f"{case.name}: xy {shown} printed on stderr (exit {rc})", err)
    expected = case / "expected.out"
    if UPDATE:
        expected.write_text(printed, encoding="utf-8")
    if not expected.exists():
        fail(f"{case.name}: no expected.out (run with XY_UPDATE_EXPECTED=1)")
    elif printed != expected.read_text(encoding="utf-8"):
        fail(f"{case.name}: xy {shown} prints otherwise now", printed)
    else:
        print(f"ok   {case.name}", flush=True)
    return rc, out
