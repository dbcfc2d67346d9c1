#!/usr/bin/env python3
"""`xy serve`'s answers checked against docs/openapi.yaml.

Every operation of the spec is called: with the shipped example requests, a batch, searches, every
record, reloads, and the requests each error status is for (wrong method, token and role from the
spec itself, so that a new endpoint is covered too). Each answer's status, Content-Type and headers
must be declared for its operation, and its JSON must fit the declared schema, strictly (spec.py):
a member the spec does not document fails.

Usage: check.py XY_BINARY PROJECT_ROOT WORK_DIR
"""
import copy
import http.client
import json
import re
import select
import subprocess
import sys
import urllib.parse
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from spec import Spec  # noqa: E402

TOKENS = {"check": "openapi-test-check-token", "audit": "openapi-test-audit-token",
          "admin": "openapi-test-admin-token"}
# Small limits, so that 413 costs little; the check examples go in batches of MAX_BATCH.
MAX_BODY, MAX_BATCH = 65536, 100


def start(xy, root, work):
    work.mkdir(parents=True, exist_ok=True)
    for old in work.glob("o.db*"):  # a fresh store: record ids start at 1
        old.unlink()
    config = work / "serve.json"
    config.write_text(json.dumps({
        "watch": False, "max_body_bytes": MAX_BODY, "max_batch": MAX_BATCH,
        "tokens": [{"name": r, "token": t, "roles": [r]} for r, t in TOKENS.items()]}))
    with open(work / "serve.log", "w") as log:
        server = subprocess.Popen(
            [xy, "serve", "--policies", str(root / "policies"), "--audit", str(work / "o.db"),
             "--listen", "127.0.0.1:0", "--config", str(config)],
            stdout=subprocess.PIPE, stderr=log, text=True)
    ready, _, _ = select.select([server.stdout], [], [], 15)
    line = server.stdout.readline() if ready else ""
    found = re.search(r"listening on http://[^:]+:(\d+)", line)
    if not found:
        server.kill()
        sys.exit(f"FAIL xy serve did not start (exit {server.wait()}); see {work}/serve.log")
    return server, int(found.group(1))


def examples(root):
    """(name, is a review, request) of policies/*/requests/*.json. A set is of the review kind
    when its policies say `类型 审查`: those go to /v1/review."""
    out = []
    for folder in sorted((root / "policies").iterdir()):
        review = any(re.search(r"^\s*类型\s+审查", f.read_text(encoding="utf-8"), re.M)
                     for f in folder.glob("*.xy"))
        for f in sorted(folder.glob("requests/*.json")):
            out.append((f"{folder.name}/{f.name}", review,
                        json.loads(f.read_text(encoding="utf-8"))))
    return out


class Checker:
    def __init__(self, spec, port):
        self.spec, self.port = spec, port
        self.passed = self.failed = 0
        self.answered = set()  # operations answered 2xx

    def call(self, method, path, url, body=None, auth=None, expect=200, code=None, note=""):
        """One request; `path` is the spec's path (None: one it lacks), `auth` a role or a
        token. The answer is checked against the spec and against `expect` and `code`."""
        if isinstance(body, (dict, list)):
            body = json.dumps(body, ensure_ascii=False)
        if isinstance(body, str):
            body = body.encode()
        headers = {"Content-Type": "application/json", "Connection": "close"}
        if auth:
            headers["Authorization"] = "Bearer " + TOKENS.get(auth, auth)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method.upper(), url, body=body, headers=headers)
            res = conn.getresponse()
            status, data = res.status, res.read()
        finally:
            conn.close()
        problems = self.spec.problems(path, method, status, res.headers, data)
        try:
            answer = json.loads(data)
        except ValueError:  # a page, metrics; or broken JSON, which problems() names
            answer = None
        got_code = answer.get("error", {}).get("code") if isinstance(answer, dict) else None
        if status != expect or (code and got_code != code):
            problems.insert(0, f"expected {expect} {code or ''}, got {status} {got_code or ''}")
        if 200 <= status < 300 and path:
            self.answered.add((path, method))
        what = f"{method.upper()} {urllib.parse.unquote(url)} → {status}"
        self.report(problems, what + (f" ({note})" if note else ""))
        return answer

    def report(self, problems, what):
        if problems:
            self.failed += 1
            more = f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""
            print(f"FAIL {what}: " + "; ".join(problems[:3]) + more)
        else:
            self.passed += 1
            print(f"ok   {what}")


def decide(c, cases):
    for name, review, request in cases:
        path = "/v1/review" if review else "/v1/check"
        c.call("post", path, path, request, "check", note=name)
    checks = [r for _, review, r in cases if not review]
    for at in range(0, len(checks), MAX_BATCH):  # every check example, in batches that fit
        part = checks[at:at + MAX_BATCH]
        c.call("post", "/v1/check/batch", "/v1/check/batch", {"requests": part}, "check",
               note=f"{len(part)} requests")
    c.call("post", "/v1/check/batch", "/v1/check/batch", {"requests": []}, "check", note="empty")


def bad_requests(c, cases):
    check = next(r for n, _, r in cases if n.startswith("work-items/01-"))
    review = next(r for _, is_review, r in cases if is_review)
    ill = copy.deepcopy(check)
    ill["facts"]["接收"] = "村委会"  # not in its enumeration 委员会类型

    def post(path, body, code, expect=400, url=None, note=""):
        c.call("post", path, url or path, body, "check", expect, code, note)

    post("/v1/check", '{"action": ', "bad_request", note="malformed JSON")
    post("/v1/check", ill, "bad_fact", note="接收 村委会")
    post("/v1/check", ill, "bad_fact", url="/v1/check?lang=zh", note="接收 村委会")
    post("/v1/check", dict(check, action="不存在的行为"), "bad_request", note="unknown action")
    post("/v1/check", '{"action": "下派事项", "action": "下派事项", "facts": {}}', "bad_request",
         note="duplicate key")
    post("/v1/check", review, "wrong_endpoint", note="a review")
    post("/v1/review", check, "wrong_endpoint", note="a check")
    post("/v1/review", ill, "bad_fact", note="接收 村委会")
    post("/v1/check/batch", "[]", "bad_request", note="not a batch")
    post("/v1/check/batch", {"requests": [check, ill]}, "bad_fact", note="item 1 bad")
    post("/v1/check/batch", {"requests": [check, review]}, "wrong_endpoint", note="a review")
    post("/v1/check/batch", {"requests": [{}] * (MAX_BATCH + 1)}, "too_many", 413,
         note=f"{MAX_BATCH + 1} items")
    big = json.dumps(check, ensure_ascii=False) + " " * MAX_BODY
    post("/v1/check", big, "too_large", 413, note=f"{len(big.encode())} bytes")


def read_audit(c):
    one, html = "/v1/decisions/{id}", "/v1/decisions/{id}.html"
    listing = c.call("get", "/v1/decisions", "/v1/decisions?limit=10000", auth="audit")
    for record in (listing or {}).get("decisions", []):
        c.call("get", one, f"/v1/decisions/{record['id']}", auth="audit")
    for filt in ("outcome = deny and rule = A7", "结论 = 不能 且 行为 = 联审", "outcome = permit"):
        query = urllib.parse.urlencode({"filter": filt, "limit": 5})
        c.call("get", "/v1/decisions", f"/v1/decisions?{query}", auth="audit")
    c.call("get", "/v1/decisions", "/v1/decisions?filter=outcom%20%3D%20deny", auth="audit",
           expect=400, code="bad_filter")
    c.call("get", "/v1/decisions", "/v1/decisions?limit=0", auth="audit", expect=400,
           code="bad_request")
    c.call("get", html, "/v1/decisions/1.html", auth="audit")
    for path, url in ((one, "/v1/decisions/abc"), (html, "/v1/decisions/abc.html")):
        c.call("get", path, url, auth="audit", expect=400, code="bad_request")
    for path, url in ((one, "/v1/decisions/999999"), (html, "/v1/decisions/999999.html")):
        c.call("get", path, url, auth="audit", expect=404, code="not_found")


def operate(c):
    for query in ("", "?lang=zh", "?allow_removal=true"):
        c.call("post", "/v1/reload", "/v1/reload" + query, auth="admin")
    c.call("get", "/v1/health", "/v1/health")
    c.call("get", "/metrics", "/metrics")
    c.call("get", None, "/v1/nothing", expect=404, code="not_found")
    c.call("post", None, "/v2/check", "{}", "check", 404, "not_found")


def access(c, spec):
    """From the spec: a method each path lacks is 405; an operation that needs a role answers
    401 without a token or with an unknown one, and 403 to a token with other roles."""
    for path, item in spec.doc["paths"].items():
        url = path.replace("{id}", "1")
        wrong = next(m for m in ("get", "post", "delete") if m not in item)
        c.call(wrong, path, url, "{}", "admin", 405, "method_not_allowed")
        for method, op in item.items():
            roles = op.get("x-roles", [])
            if not roles:
                continue
            c.call(method, path, url, "{}", None, 401, "unauthorized", note="no token")
            c.call(method, path, url, "{}", "not-a-token-of-this-service", 401, "unauthorized",
                   note="unknown token")
            other = next(r for r in TOKENS if r not in roles)
            c.call(method, path, url, "{}", other, 403, "forbidden", note=f"role {other}")


def main():
    xy, root, work = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    spec = Spec(root / "docs" / "openapi.yaml")
    server, port = start(xy, root, work)
    c = Checker(spec, port)
    try:
        c.call("get", "/v1/health", "/v1/health")
        cases = examples(root)
        decide(c, cases)
        bad_requests(c, cases)
        read_audit(c)
        operate(c)
        access(c, spec)
        c.report([f"{m.upper()} {p} was not" for p, m in spec.operations()
                  if (p, m) not in c.answered], "every operation of the spec answered 2xx")
    finally:
        server.terminate()
        try:
            code = server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            code = server.wait()
    c.report([] if code == 0 else [f"exit {code}"], "xy serve stopped by SIGTERM, exit 0")
    print(f"{c.passed + c.failed} checks: {c.passed} ok, {c.failed} failed")
    sys.exit(1 if c.failed else 0)


if __name__ == "__main__":
    main()
