#!/usr/bin/env bash
# End-to-end test of `xy check --audit` and `xy audit list|show|verify|export` through the CLI.
# Usage: run.sh XY PROJECT_DIR WORK_DIR
set -u
xy=$1 root=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
db=$work/audit.db
pass=0 fail=0
ok() { if eval "$2"; then pass=$((pass + 1)); echo "ok   $1"; else fail=$((fail + 1)); echo "FAIL $1"; fi; }
cr=$root/policies/candidate-review
for f in "$cr"/requests/0[1-5]-*.json; do
  "$xy" check "$cr" --request "$f" --audit "$db" --format json --lang en >> "$work/check.jsonl"
done
wi=$root/policies/work-items
"$xy" check "$wi" --request "$wi/requests/01-养犬证明-负面清单.json" --audit "$db" --lang en > "$work/check.txt"
ok "six decisions printed with audit ids" '[ "$(grep -c "\"audit_id\"" "$work/check.jsonl")" = 5 ] && grep -q "audit record #6" "$work/check.txt"'
"$xy" audit list "$db" --lang en > "$work/list.txt"
ok "list prints one line per decision" '[ "$(wc -l < "$work/list.txt")" = 6 ]'
"$xy" audit list "$db" --filter 'outcome = 不能 and rule = R1_刑事处罚' > "$work/filtered.txt"
ok "the filter selects decisions by outcome and rule" '[ "$(wc -l < "$work/filtered.txt")" = 2 ] && grep -q "^#2 " "$work/filtered.txt"'
"$xy" audit list "$db" --filter '行为 = 下派事项 且 基准日 >= 2024-01-01' > "$work/zh.txt"
ok "the filter in Chinese keywords" '[ "$(wc -l < "$work/zh.txt")" = 1 ] && grep -q "^#6 " "$work/zh.txt"'
"$xy" audit list "$db" --filter 'outcom = deny' --lang en > /dev/null 2> "$work/bad.txt"; code=$?
ok "a bad filter exits 2 with a caret and a suggestion" '[ $code = 2 ] && grep -q "\^" "$work/bad.txt" && grep -q "outcome" "$work/bad.txt"'
"$xy" audit show "$db" 2 --lang zh > "$work/show.txt"
ok "show prints rules, statute text and policy source" 'grep -q "R1_刑事处罚" "$work/show.txt" && grep -q "原文" "$work/show.txt" && grep -q " | " "$work/show.txt"'
ok "show lists the facts the deciding rule read, with their values" 'grep -q "^  读取的事实" "$work/show.txt" && grep -qF "    候选人.刑事记录[].释放日 = [2017-03-10]    ← R1_刑事处罚" "$work/show.txt" && grep -qF "    候选人.刑事记录[].罪名 = [聚众斗殴罪]    ← R1_刑事处罚" "$work/show.txt"'
"$xy" audit show "$db" 2 --format json > "$work/show.json"
ok "show --format json carries the record" 'grep -q "\"id\":2" "$work/show.json" && grep -q "\"hash\"" "$work/show.json"'
ok "show --format json lists the facts read" 'grep -qF "{\"path\":\"候选人.刑事记录[].释放日\",\"value\":[\"2017-03-10\"],\"rules\":[\"R1_刑事处罚\"]}" "$work/show.json"'
"$xy" audit show "$db" 2 --format html --lang zh > "$work/show.html"
ok "show --format html is one self-contained page" 'grep -q "<html" "$work/show.html" && ! grep -q "<script" "$work/show.html"'
ok "show --format html has the facts read" 'grep -qF "<td class=\"mono path\">候选人.刑事记录[].释放日</td>" "$work/show.html"'
ok "sensitive facts are masked in what show prints" '! grep -q "身份证号\":\"[0-9]\{17\}" "$work/show.json"'
"$xy" audit show "$db" 99 > /dev/null 2>&1; code=$?
ok "show of a missing record exits 2" '[ $code = 2 ]'
"$xy" audit export "$db" --format jsonl > "$work/export.jsonl"
ok "export jsonl writes every record" '[ "$(wc -l < "$work/export.jsonl")" = 6 ]'
"$xy" audit export "$db" --format csv --filter 'outcome = deny' > "$work/export.csv"
# Requests are stored as received (here over several lines): count records, not lines.
ok "export csv writes a header and the matching records" '[ "$(grep -c "^[0-9][0-9]*,\"" "$work/export.csv")" = 1 ] && head -1 "$work/export.csv" | grep -q "^id,recorded_at"'
"$xy" audit verify "$db" > "$work/verify.txt"; code=$?
ok "verify of an untouched store exits 0" '[ $code = 0 ] && grep -q "intact: 6 records" "$work/verify.txt"'
echo "$pass passed, $fail failed"
[ $fail = 0 ]
