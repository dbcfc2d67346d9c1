"""`xy replay` end to end: an audit store recorded from the shipped candidate-review policies (whose
姓名 and 身份证号 are sensitive, so the store keeps them masked), then each case in cases/ replayed
under a changed copy of those policies, in every format and language, and the error cases.

Usage: run.py XY PROJECT_DIR WORK_DIR
A case is a folder cases/NAME/ holding
  case.json      what it tests ("what"); the changes to a copy of the policies: "edits" (each
                 replaces "old" by "new" in "file", once, or everywhere with "all"; "file" may be
                 *.xy), files to add in add/, or "same_as" another case's policies; "store_edit" (SQL
                 run on a copy of the store); the extra "args"; and "expect": the totals, the changed
                 records (outcomes and rules before and after), the rules grouped, and each record
                 that cannot be replayed with its reason (and the fact path and rule for masked facts
                 or facts that do not fit), all checked against the JSON report;
  expected.en.txt, expected.zh.txt, expected.json
                 the reports as printed (hashes as ‹hash›; the JSON indented); XY_UPDATE_EXPECTED=1
                 rewrites them (review the diff before committing).
Every report is also checked for consistency (the totals add up, text and JSON agree, each record
as of its own date) and for sensitive values in clear (none may appear). The HTML reports are left
in WORK_DIR/NAME/ for the replay_html test (check_html.py)."""
import json
import os
import pathlib
import re
import shutil
import sqlite3
import subprocess
import sys

XY = pathlib.Path(sys.argv[1]).resolve()
ROOT = pathlib.Path(sys.argv[2]).resolve()
WORK = pathlib.Path(sys.argv[3]).resolve()
HERE = pathlib.Path(__file__).resolve().parent
UPDATE = os.environ.get("XY_UPDATE_EXPECTED") == "1"
SET = ROOT / "policies" / "candidate-review"
LAWS = ROOT / "policies" / "laws"
CLEAR = ["张某某", "110101198003150000"]  # the requests' sensitive values

passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}" + (f"\n     {detail}" if detail else ""))


def xy(*args, cwd=WORK, stdin=None):
    r = subprocess.run([str(XY), *map(str, args)], cwd=cwd, input=stdin, capture_output=True)
    return r.returncode, r.stdout.decode("utf-8"), r.stderr.decode("utf-8")


def normalised(text):
    return re.sub(r"\b(?:[0-9a-f]{64}|[0-9a-f]{12})\b", "‹hash›", text)


def compare(name, path, got):
    got = normalised(got)
    if UPDATE:
        path.write_text(got, encoding="utf-8")
    want = path.read_text(encoding="utf-8") if path.exists() else None
    if want == got:
        check(name, True)
        return
    first = next((i for i, (a, b) in enumerate(zip((want or "").split("\n"), got.split("\n")))
                  if a != b), None)
    line = (want or "").split("\n")[first] if first is not None else "(end)"
    check(name, False, f"{path.name} differs at line {(first or 0) + 1}: expected {line!r}, "
          f"got {got.split(chr(10))[first] if first is not None else '(end)'!r}"
          if want is not None else f"{path} is missing (XY_UPDATE_EXPECTED=1 writes it)")


# ── the store: the fifteen candidate-review requests, recorded in file order as #1 … #15 ──────
shutil.rmtree(WORK, ignore_errors=True)
WORK.mkdir(parents=True)
requests = sorted((SET / "requests").glob("*.json"))
stream = b"".join(p.read_bytes() for p in requests)
code, _, err = xy("check", "policies/candidate-review", "--request", "-", "--audit",
                  WORK / "audit.db", "--lang", "en", cwd=ROOT, stdin=stream)
check("the store is recorded", code == 0 and len(requests) == 15, err)
STORE = WORK / "audit.db"


def policies_copy(case, spec, into):
    """A copy of the set's policy files with the edits of `spec` (a case.json) and the files in
    `case`/add/."""
    into.mkdir(parents=True)
    for f in SET.glob("*.xy"):
        shutil.copy(f, into / f.name)
    for e in spec.get("edits", []):
        files = sorted(into.glob(e["file"]))
        hits = sum(f.read_text("utf-8").count(e["old"]) for f in files)
        if not hits or (hits > 1 and not e.get("all")):
            raise SystemExit(f"{case.name}: edit {e['old']!r} matches {hits} times in {e['file']}")
        for f in files:
            f.write_text(f.read_text("utf-8").replace(e["old"], e["new"]), "utf-8")
    if (case / "add").is_dir():
        for f in (case / "add").iterdir():
            shutil.copy(f, into / f.name)


def run_case(case):
    spec = json.loads((case / "case.json").read_text("utf-8"))
    out = WORK / case.name
    source = HERE / "cases" / spec["same_as"] if "same_as" in spec else case
    policies_copy(source, json.loads((source / "case.json").read_text("utf-8")), out / "new")
    store = STORE
    if "store_edit" in spec:
        store = out / "audit.db"
        with sqlite3.connect(STORE) as src, sqlite3.connect(store) as dst:
            src.backup(dst)
            dst.execute(spec["store_edit"])
    store_arg = os.path.relpath(store, out)
    base = ["replay", store_arg, "--policies", "new", "--laws", LAWS, *spec.get("args", [])]
    reports = {}
    for name, extra in [("en.txt", ["--lang", "en"]), ("zh.txt", ["--lang", "zh"]),
                        ("json", ["--format", "json", "--lang", "en"])]:
        code, text, err = xy(*base, *extra, cwd=out)
        check(f"{case.name}: {name} exits 0", code == 0, err)
        reports[name] = text
        shown = text
        if name == "json" and code == 0:  # kept one member a line, so that a diff can be read
            shown = json.dumps(json.loads(text), ensure_ascii=False, indent=1) + "\n"
        compare(f"{case.name}: {name} as expected", case / f"expected.{name}", shown)
    for lang in ("zh", "en"):
        code, text, err = xy(*base, "--format", "html", "--lang", lang, "-o", f"report.{lang}.html",
                             cwd=out)
        page = (out / f"report.{lang}.html").read_text("utf-8") if code == 0 else ""
        check(f"{case.name}: html ({lang}) written with -o, nothing on stdout",
              code == 0 and text == "" and page.startswith("<!DOCTYPE html>")
              and page.rstrip().endswith("</html>") and "<script" not in page, err)
        reports[f"{lang}.html"] = page
    for name, text in reports.items():
        check(f"{case.name}: {name} has no sensitive value in clear",
              not any(v in text for v in CLEAR))
    report = json.loads(reports["json"])
    consistent(case.name, report, reports)
    expected(case.name, spec["expect"], report)
    return report


def consistent(name, r, reports):
    t = r["totals"]
    ok = (t["read"] == t["replayed"] + t["cannot_replay"]
          and t["replayed"] == t["unchanged"] + t["changed"]
          and len(r["changed"]) == t["changed"] and len(r["cannot_replay"]) == t["cannot_replay"])
    check(f"{name}: totals add up", ok, json.dumps(t))
    en = reports["en.txt"]
    line = (f"  read {t['read']} record{'s' if t['read'] != 1 else ''}, replayed {t['replayed']} "
            f"(unchanged {t['unchanged']}, changed {t['changed']}), "
            f"cannot replay {t['cannot_replay']}\n")
    check(f"{name}: text and JSON give the same totals", line in en, line)
    for c in r["changed"]:
        check(f"{name}: #{c['id']} changed (outcome or rules)",
              c["before"]["outcome"] != c["after"]["outcome"]
              or sorted((x["rule"], x["effect"]) for x in c["before"]["rules"])
              != sorted((x["rule"], x["effect"]) for x in c["after"]["rules"]))
        if r["as_of"] is None:
            # the record's own date decided: the new decision's rules say so through their reasons
            check(f"{name}: #{c['id']} shown as of its own date", f"#{c['id']}  联审 @ {c['as_of']}"
                  in en)


def rules_of(side):
    return [f"{x['rule']}/{x['effect']}" for x in side["rules"]]


def expected(name, want, r):
    for k, v in want.get("totals", {}).items():
        check(f"{name}: totals.{k} = {v}", r["totals"][k] == v, f"got {r['totals'][k]}")
    if "changed" in want:
        got_ids = [c["id"] for c in r["changed"]]
        check(f"{name}: changed records {[c['id'] for c in want['changed']]}",
              got_ids == [c["id"] for c in want["changed"]], f"got {got_ids}")
        by_id = {c["id"]: c for c in r["changed"]}
        for w in want["changed"]:
            c = by_id.get(w["id"])
            if not c:
                continue
            for side in ("before", "after"):
                if isinstance(w.get(side), list):  # [outcome, rule…] exactly
                    got = [c[side]["outcome"], *[x["rule"] for x in c[side]["rules"]]]
                    check(f"{name}: #{w['id']} {side} {w[side]}", got == w[side], f"got {got}")
                elif isinstance(w.get(side), str):
                    check(f"{name}: #{w['id']} {side} {w[side]}", c[side]["outcome"] == w[side],
                          f"got {c[side]['outcome']}")
            for rule in w.get("after_has", []):
                check(f"{name}: #{w['id']} newly decided by {rule}", rule in rules_of(c["after"])
                      and rule not in rules_of(c["before"]))
            for rule in w.get("after_lacks", []):
                check(f"{name}: #{w['id']} no longer decided by {rule}",
                      rule not in rules_of(c["after"]) and rule in rules_of(c["before"]))
            cited = all(x["basis"] and x["basis"]["cite"] for x in c["after"]["rules"])
            check(f"{name}: #{w['id']} new rules carry their citations", cited)
    for w in want.get("rules", []):
        got = [g for g in r["rules"] if g["rule"] == w["rule"] and g["effect"] == w["effect"]]
        ok = (len(got) == 1 and got[0]["newly_decides"]["ids"] == w["newly"]
              and got[0]["stops_deciding"]["ids"] == w["stopped"]
              and got[0]["newly_decides"]["count"] == len(w["newly"])
              and got[0]["stops_deciding"]["count"] == len(w["stopped"]))
        check(f"{name}: by rule {w['rule']} [{w['effect']}]", ok, json.dumps(got, ensure_ascii=False))
    if "rules" in want:
        check(f"{name}: no other rule grouped", len(r["rules"]) == len(want["rules"]))
    if "cannot_replay" in want:
        got = {str(s["id"]): s for s in r["cannot_replay"]}
        check(f"{name}: cannot replay {sorted(want['cannot_replay'], key=int)}",
              sorted(got, key=int) == sorted(want["cannot_replay"], key=int), f"got {sorted(got)}")
        for i, w in want["cannot_replay"].items():
            s = got.get(i)
            if not s:
                continue
            ok = s["reason"] == w[0] and s["detail"]
            if w[0] == "masked_facts_read":
                ok = ok and s["masked"] == [{"path": w[1], "rules": [w[2]]}]
            elif w[0] == "does_not_fit" and len(w) > 1:
                ok = ok and [f["path"] for f in s["facts"]] == [w[1]]
            check(f"{name}: #{i} cannot replay: {' '.join(w)}", ok,
                  json.dumps(s, ensure_ascii=False))


cases = sorted(p for p in (HERE / "cases").iterdir() if p.is_dir())
results = {c.name: run_case(c) for c in cases}

# --bundle: the policies of 02 compiled by `xy compile` give the same report.
out = WORK / "bundle"
case02 = HERE / "cases" / "02-threshold-effect-masked"
policies_copy(case02, json.loads((case02 / "case.json").read_text("utf-8")), out / "new")
code, _, err = xy("compile", "new", "-o", "new.bundle", "--laws", LAWS, cwd=out)
code, text, err = xy("replay", "../audit.db", "--bundle", "new.bundle", "--format", "json", cwd=out)
got = json.loads(text) if code == 0 else {}
want = results["02-threshold-effect-masked"]
check("--bundle: the same report as from the policy paths",
      {**got, "policies": None} == {**want, "policies": None} and got.get("policies") == "new.bundle",
      err)

# ── errors: located, in the chosen language, never a crash ────────────────────────────────────
new02 = WORK / "02-threshold-effect-masked" / "new"


def error(name, args, want_code, *texts, cwd=WORK):
    code, out_text, err = xy(*args, cwd=cwd)
    ok = code == want_code and all(t in err for t in texts) and out_text == ""
    check(f"error: {name} (exit {want_code})", ok, f"exit {code}, stderr: {err[:400]!r}")


error("a store that does not exist", ["replay", "missing.db", "--policies", new02, "--lang", "en"],
      2, "missing.db")
(WORK / "corrupt.db").write_bytes(b"this is not a database, only text " * 200)
error("a file that is not a store", ["replay", "corrupt.db", "--policies", new02, "--lang", "en"],
      2, "error: ")
error("a bad filter, with a caret",
      ["replay", "audit.db", "--policies", new02, "--filter", "outcom = deny", "--lang", "en"], 2,
      "^", "outcome")
error("a bad filter, in Chinese",
      ["replay", "audit.db", "--policies", new02, "--filter", "结论 = ", "--lang", "zh"], 2, "^")
error("policies that cannot be read",
      ["replay", "audit.db", "--policies", "no-such-dir", "--lang", "en"], 1, "no-such-dir",
      "E0501")
broken = WORK / "broken"
shutil.copytree(new02, broken)
(broken / "rules-乙省-2014.xy").write_text(
    (broken / "rules-乙省-2014.xy").read_text("utf-8").replace("规则 N1 不能", "规则 N1 不能不能"),
    "utf-8")
error("policies that do not compile, located",
      ["replay", "audit.db", "--policies", "broken", "--laws", LAWS, "--lang", "en"], 1,
      "broken/rules-乙省-2014.xy:", "error[")
(WORK / "bad.bundle").write_bytes(b"not a bundle")
error("a bundle that cannot be read",
      ["replay", "audit.db", "--bundle", "bad.bundle", "--lang", "en"], 1, "error: ")
error("both --policies and --bundle",
      ["replay", "audit.db", "--policies", new02, "--bundle", "bad.bundle", "--lang", "en"], 2,
      "not both")
error("neither --policies nor --bundle", ["replay", "audit.db", "--lang", "zh"], 2, "二者选一")
error("a bad --as-of", ["replay", "audit.db", "--policies", new02, "--as-of", "2024-13-01",
                        "--lang", "en"], 2, "--as-of")
error("an unknown format", ["replay", "audit.db", "--policies", new02, "--format", "xml"], 2,
      "xml")
error("an output file that cannot be written",
      ["replay", "audit.db", "--policies", new02, "--laws", LAWS, "-o", "no/such/dir/r.html",
       "--format", "html", "--lang", "en"], 2, "cannot write")
code, _, _ = xy("audit", "verify", "audit.db", "--lang", "en")
check("replay never writes the store (it still verifies)", code == 0)

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
