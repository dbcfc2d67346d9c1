#!/usr/bin/env python3
"""`xy lsp` end to end: a client speaking LSP over pipes checks every feature on the shipped
policies — diagnostics on open and change (the compiler's codes, in the client's locale), hover on
a fact path, a citation, a list, a rule and an enum member, go to definition, completion after `.`
and elsewhere, document symbols, formatting, UTF-16 and UTF-32 positions, shutdown and exit.

usage: run.py XY REPO
"""
import json
import pathlib
import subprocess
import sys
import threading
import urllib.parse

XY, REPO = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]).resolve()
failures = []


def check(what, ok, detail=""):
    if not ok:
        failures.append(what)
        print(f"FAIL {what}\n{detail}", flush=True)
    else:
        print(f"ok   {what}", flush=True)


def uri(path):
    return "file://" + urllib.parse.quote(str(path))


class Client:
    def __init__(self, locale, utf32=False):
        self.proc = subprocess.Popen([str(XY), "lsp", "--stdio"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.next_id = 0
        self.notes = []
        caps = {"general": {"positionEncodings": ["utf-32", "utf-16"]}} if utf32 else {}
        self.init = self.request("initialize", {"processId": None, "rootUri": uri(REPO),
                                                "locale": locale, "capabilities": caps})
        self.notify("initialized", {})

    def send(self, msg):
        body = json.dumps(msg, ensure_ascii=False).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self):
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("the server closed its output: " + self.proc.stderr.read().decode())
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.proc.stdout.read(length))

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            msg = self.read()
            if msg.get("id") == self.next_id:
                return msg
            self.notes.append(msg)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics_for(self, u):
        """The last diagnostics published for a uri (reading until they arrive)."""
        found = None
        for m in self.notes:
            if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == u:
                found = m["params"]["diagnostics"]
        return found

    def wait_diagnostics(self, u):
        self.notes = [m for m in self.notes if m.get("method") != "textDocument/publishDiagnostics"]
        # Diagnostics follow the notification; a request after it flushes them in order.
        self.request("textDocument/documentSymbol", {"textDocument": {"uri": u}})
        return self.diagnostics_for(u)

    def close(self):
        r = self.request("shutdown", None)
        self.notify("exit", None)
        code = self.proc.wait(timeout=10)
        return r, code


def position(text, needle, offset=0, utf16=True):
    """The LSP position of `needle` (+offset code points) in text."""
    at = text.index(needle) + offset
    line = text.count("\n", 0, at)
    start = text.rfind("\n", 0, at) + 1
    col = sum(2 if ord(c) > 0xFFFF and utf16 else 1 for c in text[start:at])
    return {"line": line, "character": col}


def hover_text(client, u, text, needle, offset=1):
    r = client.request("textDocument/hover", {"textDocument": {"uri": u},
                                              "position": position(text, needle, offset)})
    res = r.get("result")
    return res["contents"]["value"] if res else ""


rules = REPO / "policies/work-items/rules.xy"
schema = REPO / "policies/work-items/schema.xy"
lists = REPO / "policies/work-items/lists.xy"
text = rules.read_text()
u = uri(rules)

c = Client("zh-CN")
caps = c.init["result"]["capabilities"]
check("initialize answers the capabilities", caps.get("hoverProvider") and
      caps.get("documentFormattingProvider") and caps.get("positionEncoding") == "utf-16",
      json.dumps(c.init))

c.notify("textDocument/didOpen", {"textDocument": {"uri": u, "languageId": "xiangyue",
                                                   "version": 1, "text": text}})
diags = c.wait_diagnostics(u)
check("a shipped policy opens without diagnostics", diags == [], json.dumps(diags, ensure_ascii=False))

# An edit that misspells a field: E0101 at its place, in Chinese, with the help.
broken = text.replace("且 事项.名称 属于 依法履职事项", "且 事项.名字 属于 依法履职事项", 1)
check("the test edit applies", broken != text)
c.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": 2},
                                    "contentChanges": [{"text": broken}]})
diags = c.wait_diagnostics(u) or []
d = diags[0] if diags else {}
want = position(broken, "事项.名字", 3)
check("diagnostics on change: the compiler's code, place and Chinese message",
      d.get("code") == "E0101" and d.get("range", {}).get("start") == want and
      "没有字段" in d.get("message", "") and "帮助" in d.get("message", ""),
      json.dumps(diags, ensure_ascii=False))
c.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": 3},
                                    "contentChanges": [{"text": text}]})
check("fixing the edit clears the diagnostics", c.wait_diagnostics(u) == [])

# Hover: a fact path, a citation, a list, a rule (in `例外于`), an enum member.
h = hover_text(c, u, text, "事项.经费 超过 0", 4)
check("hover on a fact path shows its type, owner and schema comment",
      "字段" in h and "经费" in h and "`金额`" in h, h)
h = hover_text(c, u, text, "依据 \"《村民委员会组织法》第二条第二款\"", 6)
check("hover on a citation quotes the statute", "村民委员会" in h and "出处" in h and ">" in h, h)
h = hover_text(c, u, text, "属于 依法履职事项\n", 4)
check("hover on a list name lists its items", "清单" in h and "调解民间纠纷" in h, h)
h = hover_text(c, u, text, "例外于 A4_未准入", 5)
check("hover on a rule id shows effect, reason and citation",
      "规则" in h and "A4_未准入" in h and "禁止" in h and "理由" in h and "依据" in h, h)
h = hover_text(c, u, text, "层级 >= 县", 6)
check("hover on an enum member names its enum", "枚举" in h and "县" in h, h)
# Inside a condition, where no declaration is named: the expression's type from the checker.
h = hover_text(c, u, text, "事项.经费 超过 0", 6)
check("hover on a comparison word shows the comparison and its checked type",
      h.startswith("`事项.经费 超过 0`") and h.endswith("布尔"), h)
legal = REPO / "policies/candidate-review/rules-法定条件.xy"
ltext = legal.read_text()
c.notify("textDocument/didOpen", {"textDocument": {"uri": uri(legal), "languageId": "xiangyue",
                                                   "version": 1, "text": ltext}})
c.wait_diagnostics(uri(legal))
h = hover_text(c, uri(legal), ltext, "周岁(候选人.出生日期, 选举日) 不满 18", 0)
check("hover on a built-in call shows the call and its checked type (整数)",
      h == "`周岁(候选人.出生日期, 选举日)`：整数", h)

# Definition: a fact path's field in schema.xy, a list in lists.xy, a rule named in `例外于`.
r = c.request("textDocument/definition", {"textDocument": {"uri": u},
                                          "position": position(text, "事项.经费 超过 0", 4)})
res = r.get("result") or {}
schema_text = schema.read_text()
check("definition of a fact goes to its field", res.get("uri") == uri(schema) and
      res["range"]["start"] == position(schema_text, "经费:"), json.dumps(res, ensure_ascii=False))
r = c.request("textDocument/definition", {"textDocument": {"uri": u},
                                          "position": position(text, "属于 依法履职事项\n", 4)})
res = r.get("result") or {}
check("definition of a list goes to its declaration", res.get("uri") == uri(lists),
      json.dumps(res, ensure_ascii=False))
r = c.request("textDocument/definition", {"textDocument": {"uri": u},
                                          "position": position(text, "例外于 A4_未准入", 5)})
res = r.get("result") or {}
check("definition of a rule in `例外于` goes to the rule", res.get("uri") == u and
      res["range"]["start"] == position(text, "A4_未准入 禁止"), json.dumps(res, ensure_ascii=False))
r = c.request("textDocument/definition", {"textDocument": {"uri": u},
                                          "position": position(text, "层级 >= 县", 1)})
res = r.get("result") or {}
check("definition of a type's field path goes to the field", res.get("uri") == uri(schema),
      json.dumps(res, ensure_ascii=False))

# Completion: fields after `.`, then names and Chinese keywords elsewhere.
r = c.request("textDocument/completion", {"textDocument": {"uri": u},
                                          "position": position(text, "事项.经费 超过 0", 3)})
labels = [i["label"] for i in (r.get("result") or {}).get("items", [])]
check("completion after `事项.` offers its fields", "经费" in labels and "名称" in labels and
      "规则" not in labels, str(labels))
r = c.request("textDocument/completion", {"textDocument": {"uri": u},
                                          "position": position(text, "当 接收 = 村民委员会", 2)})
labels = [i["label"] for i in (r.get("result") or {}).get("items", [])]
check("completion in a condition offers facts, lists, members and Chinese keywords",
      "事项" in labels and "依法履职事项" in labels and "县" in labels and "属于" in labels and
      "when" not in labels, str(labels[:40]))

# Document symbols: the policy with its rules.
r = c.request("textDocument/documentSymbol", {"textDocument": {"uri": u}})
syms = r.get("result") or []
names = [s["name"] for s in syms]
rules_in = [k["name"] for s in syms for k in s.get("children", [])]
check("document symbols: the policy and its rules", "工作事项准入" in names and "A3a_村" in rules_in and
      "A4_未准入" in rules_in, json.dumps(names, ensure_ascii=False))

# Formatting: a messy edit comes back as `xy fmt` lays it out.
messy = text.replace("  规则 A3a_村 允许 下派事项", "  规则   A3a_村   允许 下派事项", 1)
c.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": 4},
                                    "contentChanges": [{"text": messy}]})
c.wait_diagnostics(u)
r = c.request("textDocument/formatting", {"textDocument": {"uri": u},
                                          "options": {"tabSize": 2, "insertSpaces": True}})
edits = r.get("result") or []
check("formatting returns xy fmt's layout", len(edits) == 1 and edits[0]["newText"] == text,
      json.dumps(edits, ensure_ascii=False)[:300])

resp, code = c.close()
check("shutdown then exit ends the server with status 0", resp.get("result") is None and code == 0,
      f"exit {code}")

# English client, UTF-32 positions, a new file outside any set.
e = Client("en", utf32=True)
check("a client offering utf-32 gets code point positions",
      e.init["result"]["capabilities"]["positionEncoding"] == "utf-32")
eu = uri(REPO / "tests/lsp/untitled-🙂.xy")
etext = ('schema { action A { n: int } }\npolicy P {\n  kind check\n  default not_permitted\n'
         '  for A\n  rule R permit when m > 1 because "🙂 {n}"\n}\n')
e.notify("textDocument/didOpen", {"textDocument": {"uri": eu, "languageId": "xiangyue",
                                                   "version": 1, "text": etext}})
diags = e.wait_diagnostics(eu) or []
d = diags[0] if diags else {}
check("English messages, positions in code points",
      d.get("code") == "E0101" and "unknown name" in d.get("message", "") and
      d["range"]["start"] == position(etext, "m > 1", 0, utf16=False),
      json.dumps(diags, ensure_ascii=False))
r = e.request("textDocument/completion", {"textDocument": {"uri": eu},
                                          "position": position(etext, "m > 1", 0, False)})
labels = [i["label"] for i in (r.get("result") or {}).get("items", [])]
check("English keywords in an English file", "when" in labels and "n" in labels and
      "当" not in labels, str(labels[:30]))
r = e.request("textDocument/hover", {"textDocument": {"uri": eu}, "position": {"line": 99, "character": 0}})
check("hover outside the text is empty, not an error", "error" not in r and r.get("result") is None,
      json.dumps(r))
r = e.request("textDocument/hover", {"textDocument": {"uri": 7}, "position": "here"})
check("a request with parameters of the wrong types is answered, not a crash",
      "error" in r or r.get("result") is None, json.dumps(r))
body = b"{not json"
e.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
e.proc.stdin.flush()
r = e.read()
check("a message that is not JSON gets a parse error", r.get("error", {}).get("code") == -32700,
      json.dumps(r))
r = e.request("workspace/unknownThing", {})
check("an unknown request is MethodNotFound", r.get("error", {}).get("code") == -32601, json.dumps(r))
resp, code = e.close()
check("the second client ends cleanly", code == 0)

print(f"lsp: {len(failures)} failures")
sys.exit(1 if failures else 0)
