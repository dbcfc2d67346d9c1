#!/usr/bin/env bash
# Regenerates the seed corpora in fuzz/corpus/<target>/ from the project's own inputs: the
# conformance cases, the shipped policies, requests and test tables, the filter and literal unit
# tests, and a compiled bundle (made with BUILD_DIR/cli/xy). Usage: fuzz/seed.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
xy=$(realpath "${1:?usage: fuzz/seed.sh BUILD_DIR}")/cli/xy
out=fuzz/corpus
rm -rf "$out"
targets=(compile_policy literals request_readers audit_filter bundle_load service test_tables lsp fmt
  workbook)
for target in "${targets[@]}"; do mkdir -p "$out/$target"; done

# Writes stdin to DIR/NAME, or to DIR/<sha1 of the content> without a name.
put() {
  local dir=$1 name=${2:-} tmp
  tmp=$(mktemp)
  cat >"$tmp"
  [[ -n $name ]] || name=$(sha1sum "$tmp" | cut -c1-16)
  chmod 644 "$tmp"
  mv "$tmp" "$out/$dir/$name"
}
# The C++ string literals in a file, one per line, with \" and \\ undone (others left as written).
strings_in() {
  grep -oP '"\K(?:[^"\\]|\\.)*(?=")' "$1" | sed -e 's/\\"/"/g' -e 's/\\\\/\\/g' | sort -u
}

# compile_policy: each conformance case's policy (its files joined) and one shipped set joined.
for c in tests/conformance/cases/*/; do
  files=("$c"policy/*.xy)
  [[ -e ${files[0]} ]] && cat "${files[@]}" | put compile_policy "$(basename "$c").xy"
done
cat policies/work-items/*.xy | put compile_policy work-items.xy

# literals: the first byte picks the grammar (0 date, 1 duration, 2 number, 3 citation, 4 numeral).
grammars=(date_literal duration_literal number_literal citation numeral)
for g in "${!grammars[@]}"; do
  while IFS= read -r s; do
    { printf "\\x0$g"; printf '%s' "$s"; } | put literals
  done < <(strings_in "literals/tests/${grammars[$g]}_test.cpp")
done
while IFS= read -r s; do
  { printf '\x03'; printf '%s' "$s"; } | put literals
done < <(grep -ohP '《[^》\n"]+》[^\s"，。；]*' policies/*/*.xy | sort -u | head -40)

# request_readers: the work-items requests (its bundle decides them) and the conformance requests.
for r in policies/work-items/requests/*.json; do
  put request_readers "work-items-$(basename "$r" | cut -c1-2).json" <"$r"
done
for r in tests/conformance/cases/*/request.json; do
  put request_readers "$(basename "$(dirname "$r")").json" <"$r"
done

# audit_filter: every filter in the unit tests (the first string of each case).
grep -oP '^\s*\{\K"(?:[^"\\]|\\.)*"(?=,)' audit/tests/filter_test.cpp |
  sed -e 's/^"//' -e 's/"$//' -e 's/\\"/"/g' -e 's/\\\\/\\/g' | sort -u |
  while IFS= read -r f; do printf '%s' "$f" | put audit_filter; done

# bundle_load: a small conformance bundle and a shipped one.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$xy" compile tests/conformance/cases/001-permit/policy -o "$tmp/small.xyb" >/dev/null
"$xy" compile policies/work-items -o "$tmp/work-items.xyb" >/dev/null
put bundle_load 001-permit.xyb <"$tmp/small.xyb"
put bundle_load work-items.xyb <"$tmp/work-items.xyb"

# service: the requests of every set to their endpoint, and the other endpoints.
http() {  # METHOD TARGET TOKEN [BODY]
  printf '%s %s\nAuthorization: Bearer fuzz-%s\nContent-Type: application/json\n\n%s' "$@"
}
for r in policies/*/requests/0[12]-*.json; do
  set=$(basename "$(dirname "$(dirname "$r")")")
  endpoint=check
  [[ $set == candidate-review ]] && endpoint=review
  http POST "/v1/$endpoint" check "$(cat "$r")" | put service "$set-$(basename "$r" | cut -c1-2)"
done
batch="$(cat policies/work-items/requests/01-*.json),$(cat policies/charters/requests/01-*.json)"
http POST /v1/check/batch admin "{\"requests\":[$batch]}" | put service batch
http POST /v1/check audit "$(cat policies/work-items/requests/03-*.json)" | put service forbidden
printf 'POST /v1/check\n\n{}' | put service no-token
http GET /v1/health admin "" | put service health
http GET /metrics admin "" | put service metrics
http GET '/v1/decisions?filter=outcome%20%3D%20deny%20and%20rule%20%3D%20A7&limit=5' audit "" |
  put service decisions
http GET '/v1/decisions?filter=%E7%BB%93%E8%AE%BA+%3D+%E4%B8%8D%E8%83%BD&lang=zh' audit "" |
  put service decisions-zh
http GET /v1/decisions/1 audit "" | put service decision
http GET /v1/decisions/1.html audit "" | put service decision-html
http DELETE /v1/check check "" | put service wrong-method
http GET /v2/nothing check "" | put service not-found

# test_tables: the work-items tables (their requests exist beside them) and one other set's.
for t in policies/work-items/tests/*.md; do
  put test_tables "work-items-$(basename "$t")" <"$t"
done
put test_tables candidate-review-2.md <"policies/candidate-review/tests/情景2.md"

# fmt: the formatter's layout cases as they were before formatting, and one shipped list file.
for c in tests/fmt/cases/*/; do put fmt "$(basename "$c").xy" <"$c/input.xy"; done
put fmt work-items-lists.xy <policies/work-items/lists.xy

# lsp: two editor sessions (open, hover, complete, go to definition, edit, outline, format, shut
# down) on the formatter's cases, and a stream whose framing breaks.
/usr/bin/python3 - "$out/lsp" <<'PY'
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
def frame(m):
    b = json.dumps(m, ensure_ascii=False).encode()
    return b"Content-Length: %d\r\n\r\n" % len(b) + b
for name, case, loc in [("session-zh", "01-layout-zh", "zh-CN"), ("session-en", "02-layout-en", "en")]:
    text = pathlib.Path(f"tests/fmt/cases/{case}/expected.xy").read_text()
    u, doc = "untitled:" + name + ".xy", {"uri": "untitled:" + name + ".xy"}
    edited = text.replace("事项", "事", 1) if loc == "zh-CN" else text[:-20]
    at = lambda line, ch: {"textDocument": doc, "position": {"line": line, "character": ch}}
    msgs = [{"id": 1, "method": "initialize", "params": {"locale": loc, "capabilities": {
                "general": {"positionEncodings": ["utf-32"]}}}},
            {"method": "initialized", "params": {}},
            {"method": "textDocument/didOpen", "params": {"textDocument": {
                "uri": u, "languageId": "xiangyue", "version": 1, "text": text}}},
            {"id": 2, "method": "textDocument/hover", "params": at(12, 8)},
            {"id": 3, "method": "textDocument/completion", "params": at(12, 9)},
            {"id": 4, "method": "textDocument/definition", "params": at(13, 6)},
            {"method": "textDocument/didChange", "params": {"textDocument": {"uri": u, "version": 2},
                                                            "contentChanges": [{"text": edited}]}},
            {"id": 5, "method": "textDocument/documentSymbol", "params": {"textDocument": doc}},
            {"id": 6, "method": "textDocument/formatting", "params": {"textDocument": doc,
                                                                      "options": {"tabSize": 2}}},
            {"id": 7, "method": "shutdown"}, {"method": "exit"}]
    (out / name).write_bytes(b"".join(frame({"jsonrpc": "2.0", **m}) for m in msgs))
(out / "broken-framing").write_bytes(b"Content-Length: 5\r\n\r\n{not}Content-Length: 99999999999999999999\r\n\r\n")
PY

# workbook: a tiny openpyxl workbook, a hand-made one (rich text, inline strings, 1904 dates), and
# a roster as UTF-8 and as GB18030 CSV (sheets/tests/make_inputs.py).
/usr/bin/python3 sheets/tests/make_inputs.py --seeds "$out/workbook"

du -sb "$out"/*
du -sb "$out"
