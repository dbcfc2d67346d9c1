#!/usr/bin/env bash
# What the CLI promises beyond single decisions: `xy test --require-basis` fails on a rule without a
# basis; citations that could only be checked for form say so (and fail under --require-basis);
# facts that do not fit the schema are refused by `xy check` exactly as by the service, every one
# named; each class of failure has its documented exit code.
# Usage: run.sh XY PROJECT_DIR WORK_DIR
set -u
source "$(dirname "$0")/../support/checks.sh"
laws=$root/policies/laws

# 1. --require-basis: a rule that cites nothing fails the run (it printed "no basis" and exited 0).
mkdir -p tree/policies && cp -r "$root/policies/work-items" tree/policies/ && cp -r "$laws" tree/policies/
# Drop the basis of the first rule that has one (one line), keeping everything else.
awk '!done && /^ *(依据|basis) / {done=1; next} {print}' tree/policies/work-items/rules.xy > r.xy &&
  mv r.xy tree/policies/work-items/rules.xy
"$xy" test tree/policies/work-items --lang en > t1.out 2> t1.err; code=$?
ok "without --require-basis a rule without basis is listed, the run passes (exit $code)" \
  '[ $code = 0 ] && grep -q "no basis: " t1.out'
"$xy" test tree/policies/work-items --require-basis --lang en > t2.out 2> t2.err; code=$?
ok "with --require-basis it fails (exit $code, 1 expected)" '[ $code = 1 ] && grep -q "no basis: " t2.out'
"$xy" test tree/policies/work-items --require-basis --format json --lang en > t3.out 2> t3.err
ok "the JSON report lists the rule under uncited" 'grep -q "\"uncited\":\[{\"rule\":" t3.out'

# 2. No law texts found: citations are checked for form only, and the user is told so.
mkdir -p alone && cp -r "$root/policies/work-items" alone/
sed -i '0,/第三十七条/s//第九百九十九条/' alone/work-items/rules.xy  # an article that does not exist
req=alone/work-items/requests/01-养犬证明-负面清单.json
"$xy" check alone/work-items --request "$req" --lang en > c1.out 2> c1.err; code=$?
ok "outside the tree, xy check warns that citations were checked for form only (exit $code)" \
  '[ $code = 0 ] && grep -q "warning\[W0306\]: citations are checked for form only: no law texts found (looked in .*alone/work-items/laws" c1.err'
"$xy" test alone/work-items --require-basis --lang en > c2.out 2> c2.err; code=$?
ok "with --require-basis that is an error E0306 (exit $code, 1 expected)" \
  '[ $code = 1 ] && grep -q "error\[E0306\]" c2.err'
"$xy" test alone/work-items --require-basis --laws "$laws" --lang en > c3.out 2> c3.err; code=$?
ok "given the law texts, the citation of a missing article is an error E0305 (exit $code)" \
  '[ $code = 1 ] && grep -q "error\[E0305\].*九百九十九\|error\[E0305\].*999" c3.err'
"$xy" check alone/work-items --request "$req" --lang zh > c4.out 2> c4.err
ok "the warning in Chinese" 'grep -q "警告\[W0306\]: 引用只检查了格式" c4.err'

# 3. Facts that do not fit the schema: the CLI refuses them like the service, naming every one.
wi=$root/policies/work-items
sed 's/"接收": "村民委员会"/"接收": "村委会"/; s/"职权随转": false/"职权随转": "否"/' \
  "$wi/requests/01-养犬证明-负面清单.json" | tr -d '\n' > bad.json
echo >> bad.json
"$xy" check "$wi" --request bad.json --format json --lang en > f1.out 2> f1.err; code=$?
ok "xy check refuses a request with two ill-typed facts, one read by no deciding rule (exit $code)" \
  '[ $code = 2 ] && ! grep -q outcome f1.out'
ok "both facts are named in the structured list" \
  'python3 -c "import json,sys; e=json.load(open(\"f1.out\")); p=[f[\"path\"] for f in e[\"facts\"]]; sys.exit(0 if p==[\"接收\",\"事项.职权随转\"] and all(f[\"problem\"]==\"invalid\" for f in e[\"facts\"]) else 1)"'
"$xy" serve --policies "$wi" --audit s.db --listen 127.0.0.1:0 > serve.out 2> serve.err &
spid=$!
for _ in $(seq 300); do grep -q "listening on" serve.out 2>/dev/null && break; sleep 0.05; done
port=$(sed -nE 's/.*127\.0\.0\.1:([0-9]+).*/\1/p' serve.out | head -1)
curl -s -o f2.out -w '%{http_code}' -X POST "http://127.0.0.1:$port/v1/check?lang=en" \
  -H 'Content-Type: application/json' --data-binary @bad.json > f2.status
ok "the service answers 400 bad_fact with the same list ($(cat f2.status))" \
  '[ "$(cat f2.status)" = 400 ] && python3 -c "import json,sys; e=json.load(open(\"f2.out\"))[\"error\"]; c=json.load(open(\"f1.out\")); sys.exit(0 if e[\"code\"]==\"bad_fact\" and e[\"facts\"]==c[\"facts\"] else 1)"'
kill -TERM $spid; wait $spid

# 4. Exit codes by class: 1 policy errors, 2 bad request or usage, 3 the audit store, 4 a fault in
# xy itself (out of memory here), never 3 for what is not the audit store.
mkdir -p broken && printf 'schema {\n  record 甲 { 乙: 丙 }\n}\n' > broken/a.xy
"$xy" check broken --request bad.json > /dev/null 2>&1; code=$?
ok "policy errors: exit 1 (got $code)" '[ $code = 1 ]'
"$xy" check "$wi" --request /nonexistent.json > /dev/null 2>&1; code=$?
ok "an unreadable request: exit 2 (got $code)" '[ $code = 2 ]'
"$xy" check "$wi" --request bad.json --audit /nonexistent/dir/a.db > /dev/null 2>&1; code=$?
ok "an audit store that cannot be opened: exit 3 (got $code)" '[ $code = 3 ]'
# 40 MB of requests under a 64 MB address-space limit: memory runs out inside xy.
python3 -c "
import json
big = json.dumps({'action': '下派事项', 'facts': {'事项': {'名称': 'x' * 40_000_000}}})
open('huge.json', 'w').write(big)"
(ulimit -v 200000; exec "$xy" check "$wi" --request huge.json) > oom.out 2> oom.err; code=$?
if grep -q "AddressSanitizer" oom.err; then
  echo "skip out of memory: exit 4 (a sanitizer build cannot run under an address-space limit)"
else
  ok "out of memory: exit 4, said plainly (got $code: $(head -c 200 oom.err))" \
    '[ $code = 4 ] && grep -q "out of memory" oom.err'
fi

# 5. A policy folder whose name is not UTF-8: the path goes into diagnostics, decisions and the
# bundle with U+FFFD for the stray byte, so the bundle loads and the JSON parses.
odd=$(printf 'p\xff')
mkdir -p "$odd" && cp -r "$wi"/*.xy "$odd"/
"$xy" compile "$odd" -o odd.xyb --laws "$laws" > /dev/null 2> odd1.err; code=$?
"$xy" check --bundle odd.xyb --request "$req" --format json > odd2.out 2> odd2.err; code2=$?
ok "a policy under a non-UTF-8 path compiles (exit $code) into a bundle that loads (exit $code2)" \
  '[ $code = 0 ] && [ $code2 = 0 ]'
ok "its decision is valid JSON naming the file as p\uFFFD/…" \
  '/usr/bin/python3 -c "import json,sys; d=json.loads(open(\"odd2.out\",\"rb\").read().decode()); sys.exit(0 if any(r[\"location\"][\"file\"].startswith(\"p\ufffd/\") for r in d[\"reasons\"]) else 1)"'

# 6. --version prints the version and succeeds; an unknown option is bad usage.
"$xy" --version > v.out 2> v.err; code=$?
ok "xy --version prints the version (exit $code, 0 expected)" '[ $code = 0 ] && grep -q "^xy [0-9]" v.out'
"$xy" --no-such-option > u.out 2> u.err; code=$?
ok "an unknown option is bad usage (exit $code, 2 expected)" '[ $code = 2 ]'

finish
