#!/usr/bin/env python3
"""One language per run: with --lang zh (or ?lang=zh), nothing English reaches a Chinese reader.

Runs the CLI (check, test, compile, audit list/show/verify/export errors, replay, bad requests, a
bad bundle, a missing store) and the service (bad requests, a failed reload, health) in Chinese and
looks for English words in what people read. Allowed: identifiers from the policies (rule ids,
paths, hashes), JSON keys and wire values (permit, deny, …), and a short list of technical names.
Usage: run.py XY PROJECT_DIR WORK_DIR
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

xy, root, work = sys.argv[1], sys.argv[2], sys.argv[3]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
os.chdir(work)
env = dict(os.environ, XY_LANG="zh", LANG="zh_CN.UTF-8")

# Words a Chinese reader may meet: names of tools, formats and protocols, wire values, options.
ALLOWED = {
    "xy", "json", "jsonl", "csv", "html", "http", "https", "utf", "utc", "sqlite", "wal", "id",
    "ed25519", "post", "get", "admin", "check", "audit", "reviewer", "lang", "zh", "en", "true",
    "false", "null", "permit", "deny", "not_permitted", "indeterminate", "reject", "refer", "pass",
    "allow_removal", "reload_allow_removal", "art", "sha256", "bearer", "authorization",
    "md", "xyb", "db", "anchors", "wal", "shm", "laws", "policies", "requests", "tests",
    "schema", "filter", "format", "reason", "receipts", "public", "key", "recover", "verify",
    "list", "show", "export", "serve", "compile", "test", "as_of", "facts", "action", "policy",
    "outcome", "rule", "rules", "bundle", "missing", "invalid", "masked", "text", "ok",
}
# A token: letters, digits, underscores and CJK together. One with a digit, an underscore or a
# CJK character in it is an identifier (A3b, K_罚款, ed25519); only plain letters are words.
TOKEN = re.compile(r"[A-Za-z0-9_\u3400-\u9fff]+")
WORD = re.compile(r"^[A-Za-z]{2,}$")
results = []


def strip_ok(text):
    """Drop what is not language: paths, hashes, times, quoted code, identifiers."""
    text = re.sub(r"\S*[/\\]\S*", " ", text)                  # paths
    text = re.sub(r"\b[0-9a-f]{8,}\b", " ", text)             # hashes
    text = re.sub(r"\d{4}-\d\d-\d\dT[\d:.]+Z?", " ", text)    # timestamps
    text = re.sub(r"`[^`]*`|「[^」]*」|“[^”]*”|\"[^\"]*\"", " ", text)  # quoted names and code
    text = re.sub(r"--[a-z-]+", " ", text)                    # options
    return text


def english_words(text):
    found = []
    for w in TOKEN.findall(strip_ok(text)):
        if WORD.match(w) and w.lower() not in ALLOWED:
            found.append(w)
    return found


def human_text(out, is_json):
    """The parts of an output meant for people: all of it, or the messages inside JSON."""
    if not is_json:
        return out
    parts = []
    for line in out.splitlines():
        try:
            v = json.loads(line)
        except ValueError:
            parts.append(line)
            continue
        stack = [v]
        while stack:
            x = stack.pop()
            if isinstance(x, dict):
                for k, y in x.items():
                    if k in ("message", "error", "detail", "text") and isinstance(y, str):
                        parts.append(y)
                    else:
                        stack.append(y)
            elif isinstance(x, list):
                stack.extend(x)
    return "\n".join(parts)


def check(what, out, is_json=False):
    words = english_words(human_text(out, is_json))
    ok = not words
    results.append(ok)
    shown = " ".join(sorted(set(words))[:12])
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else ": English words: " + shown))
    if not ok:
        for line in out.splitlines():
            if any(w in line for w in words[:3]):
                print("     | " + line[:160])
                break


def run(args, stdin=None):
    p = subprocess.run([xy] + args, input=stdin, capture_output=True, env=env)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


pol = os.path.join(root, "policies")
wi = os.path.join(pol, "work-items")
req01 = os.path.join(wi, "requests", "01-养犬证明-负面清单.json")

# The CLI.
for n, s in enumerate(sorted(os.listdir(pol))):
    reqs = os.path.join(pol, s, "requests")
    if not os.path.isdir(reqs):
        continue
    # Compiled once (its messages checked too), then every example decided from the bundle: a
    # compile per request cost most of this test's time under the sanitizers.
    _, out, err = run(["compile", os.path.join(pol, s), "-o", f"{n}.xyb", "--lang", "zh"])
    check(f"xy compile {s}", out + err)
    for r in sorted(f for f in os.listdir(reqs) if f.endswith(".json")):
        _, out, err = run(["check", "--bundle", f"{n}.xyb", "--request", os.path.join(reqs, r),
                           "--lang", "zh"])
        check(f"xy check {s}/{r}", out + err)
_, out, err = run(["test", pol, "--lang", "zh"])
check("xy test policies", out + err)
_, out, err = run(["check", wi, "--request", "-", "--lang", "zh"], stdin=b"{\"action\": 1}\n")
check("xy check: a bad request", out + err)
bad = open(req01, encoding="utf-8").read().replace("\"村民委员会\"", "\"村委会\"")
_, out, err = run(["check", wi, "--request", "-", "--lang", "zh", "--format", "json"],
                  stdin=bad.replace("\n", " ").encode() + b"\n")
check("xy check: a fact that does not fit (JSON)", out + err, is_json=True)
os.makedirs("broken")
open("broken/a.xy", "w", encoding="utf-8").write(
    "结构 {\n  记录 甲 { 乙: 丙 }\n}\n政策 测 {\n  类型 检查\n  默认 未授权\n  规则 R1 允许 当事项\n}\n")
_, out, err = run(["compile", "broken", "-o", "b.xyb", "--lang", "zh"])
check("xy compile: diagnostics", out + err)
open("bad.xyb", "wb").write(b"XYBUNDLE\x01\x00\x00\x00garbage")
_, out, err = run(["check", "--bundle", "bad.xyb", "--request", req01, "--lang", "zh"])
check("xy check --bundle: a corrupt bundle", out + err)
_, out, err = run(["check", wi, "--request", req01, "--audit", "a.db", "--lang", "zh"])
check("xy check --audit", out + err)
for args in (["list", "a.db"], ["show", "a.db", "1"], ["verify", "a.db"], ["key", "a.db"],
             ["list", "nothere.db"], ["show", "a.db", "99"], ["list", "a.db", "--filter", "结论 = 好"],
             ["recover", "a.db", "--reason", "测试"]):
    _, out, err = run(["audit"] + args + ["--lang", "zh"])
    check("xy audit " + " ".join(args), out + err)
# xy replay: a store of the candidate reviews replayed under a changed copy (a threshold changed, a
# rule reading the masked ID number added): the report in text, JSON and HTML (tags and style left
# out), and a bad filter.
cr = os.path.join(pol, "candidate-review")
reqs = sorted(os.path.join(cr, "requests", f) for f in os.listdir(os.path.join(cr, "requests"))
              if f.endswith(".json"))
run(["check", cr, "--request", "-", "--audit", "联审.db", "--lang", "zh"],
    stdin=b"".join(open(f, "rb").read() for f in reqs))
shutil.copytree(cr, "新策略")
with open("新策略/rules-甲省-2021.xy", encoding="utf-8") as f:
    text = f.read().replace("r.释放日 + 5年 > 基准日", "r.释放日 + 3年 > 基准日")
open("新策略/rules-甲省-2021.xy", "w", encoding="utf-8").write(text)
open("新策略/rules-核验.xy", "w", encoding="utf-8").write(
    "政策 候选人资格联审_乙省2014 {\n  规则 R9 不宜 当 候选人.身份证号 = \"\"\n}\n")
replay = ["replay", "联审.db", "--policies", "新策略", "--laws", os.path.join(pol, "laws")]
_, out, err = run(replay + ["--lang", "zh"])
check("xy replay", out + err)
_, out, err = run(replay + ["--format", "json", "--lang", "zh"])
check("xy replay --format json", out + err, is_json=True)
_, out, err = run(replay + ["--format", "html", "--lang", "zh"])
page = re.sub(r"<style>.*?</style>|<[^>]+>", " ", out, flags=re.S).replace("&#47;", "/")
check("xy replay --format html", page + err)
_, out, err = run(replay + ["--filter", "结论 = 好", "--lang", "zh"])
check("xy replay: a bad filter", out + err)
shutil.copy("a.db", "c.db")
open("c.db-wal", "wb").write(b"")
_, out, err = run(["audit", "verify", "c.db", "--lang", "zh"])
check("xy audit verify: a store copied without its checkpoints", out + err)

# The service.
shutil.copytree(wi, "served/work-items")
shutil.copytree(os.path.join(pol, "laws"), "served/laws")
srv = subprocess.Popen([xy, "serve", "--policies", "served", "--audit", "s.db", "--listen",
                        "127.0.0.1:0", "--lang", "en"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=env)
line = srv.stdout.readline().decode()
port = re.search(r":(\d+)", line).group(1)


def call(method, path, body=None):
    r = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method=method,
                               headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(r, timeout=30) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


for body, what in ((b"{", "malformed JSON"), (b"{\"action\": \"x\"}", "unknown action"),
                   (bad.encode(), "a fact that does not fit")):
    status, out = call("POST", "/v1/check?lang=zh", body)
    check(f"POST /v1/check?lang=zh: {what} ({status})", out, is_json=True)
status, out = call("GET", "/v1/decisions?lang=zh&filter=" + urllib.parse.quote("结论 = 好"))
check(f"GET /v1/decisions?lang=zh: a bad filter ({status})", out, is_json=True)
with open("served/work-items/rules.xy", "a", encoding="utf-8") as f:
    f.write("\n规则 坏 允许 当事项\n")
status, out = call("POST", "/v1/reload?lang=zh")
check(f"POST /v1/reload?lang=zh: a failed reload ({status})", out, is_json=True)
status, out = call("GET", "/v1/health?lang=zh")
check(f"GET /v1/health?lang=zh after it ({status})", out, is_json=True)
srv.send_signal(signal.SIGTERM)
srv.wait(timeout=30)

print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
sys.exit(0 if all(results) else 1)
