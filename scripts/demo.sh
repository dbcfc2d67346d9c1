#!/usr/bin/env bash
# Quick start 1: set up, build, then decide the domain's three worked scenarios, run the county joint
# review over the sample returned spreadsheets, decide every other shipped example request with its
# reasons (the cited statute quoted), and run the policy tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh build >/dev/null
xy=build/cli/xy
lang=${XY_LANG:-zh}
check() { "$xy" check "$1" --request "$2" --lang "$lang" || true; }

echo "════ 情景一 / Scenario 1: a township pushes down unfunded work (work-items)"
check policies/work-items policies/work-items/requests/01-养犬证明-负面清单.json
check policies/work-items policies/work-items/requests/02-文明创建调查台账-未准入无经费.json
echo
echo "════ 情景二 / Scenario 2: a candidate with an old conviction, under three rule sets (candidate-review)"
for r in policies/candidate-review/requests/0[123]-情景2-*.json; do check policies/candidate-review "$r"; done
echo
echo "════ 情景三 / Scenario 3: a city regulation on grassroots governance, dated 2024 and 2019 (legislation)"
for r in policies/legislation/requests/0[12]-*.json; do check policies/legislation "$r"; done
echo
echo "════ 情景四 / Scenario 4: the county joint review over the returned spreadsheets (candidate-review/examples)"
rm -rf build/review-demo
"$xy" review policies/candidate-review --policy 候选人资格联审_甲省2021 \
  --candidates policies/candidate-review/examples/名册.xlsx --returns policies/candidate-review/examples \
  --out build/review-demo --as-of 2024-05-20 --lang "$lang"
cat build/review-demo/*.csv
echo
for set in policies/*/; do
  [[ -d $set/requests ]] || continue
  echo "════ ${set%/}"
  for req in "$set"requests/*.json; do
    echo "── $req"
    check "$set" "$req"
  done
done
echo
echo "════ xy test policies/ (the test tables beside each policy set)"
"$xy" test policies --require-coverage --lang "$lang"
