#!/usr/bin/env bash
# Opens the rendered decision pages in headless Chromium: asserts on the DOM, leaves screenshots.
# Usage: check.sh OUTDIR   (OUTDIR holds render_sample's *.zh.html / *.en.html; PNGs are left there)
set -uo pipefail
out=${1:?usage: check.sh OUTDIR}
out=$(cd "$out" && pwd) || exit 2
browser=${CHROMIUM:-chromium}
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

command -v "$browser" >/dev/null || { echo "FAIL: $browser not installed (scripts/setup.sh installs it)"; echo "0 passed, 1 failed"; exit 1; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
run() {  # run ARGS… : headless Chromium with no network, no sync, no first-run noise
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" "$@" 2>"$out/chromium.log"
}

# expect PAGE TEXT… : the DOM of PAGE (rendered by Chromium) contains each TEXT
declare -A dom
expect() {
  local page=$1
  shift
  if [[ -z ${dom[$page]+x} ]]; then
    if [[ ! -f $out/$page ]]; then bad "$page was not rendered"; return; fi
    dom[$page]=$(run --dump-dom "file://$out/$page")
    if [[ ${dom[$page]} == *"<main>"* ]]; then ok; else bad "$page: Chromium returned no page"; fi
    if [[ ${dom[$page]} != *"<script"* ]]; then ok; else bad "$page: has a <script>"; fi
  fi
  local text
  for text in "$@"; do
    if [[ ${dom[$page]} == *"$text"* ]]; then ok; else bad "$page: no \"$text\""; fi
  done
}
# absent PAGE TEXT… : the DOM of PAGE does not contain TEXT (call expect first)
absent() {
  local page=$1 text
  shift
  for text in "$@"; do
    if [[ ${dom[$page]} != *"$text"* ]]; then ok; else bad "$page: unexpected \"$text\""; fi
  done
}

# work items, request 06: permit by an exception (A4 sets A4_未准入 aside)
expect work-items-06-permit.zh.html 准许 'class="rule-id mono">A4<' \
  「高标准农田设施日常巡查」为新增事项，已于2024-03-15经某县人民政府批准准入 \
  经批准准入的事项，列入协助政府工作事项清单，并在下一次清单调整时公布。 \
  某县《村级组织工作事项准入办法》第六条 policies/work-items/rules.xy:86:3 \
  '<span class="no">86</span>' 被例外排除的规则 A4_未准入 高标准农田设施日常巡查 某政函〔2024〕12号
expect work-items-06-permit.en.html '>permit<' 'Deciding rules' 'Rules set aside by exceptions' \
  经批准准入的事项，列入协助政府工作事项清单，并在下一次清单调整时公布。
# candidate review, request 05: 不能, every finding listed, the ID number masked
expect candidate-review-05-reject.zh.html '>不能<' R1_刑事处罚 S7_拖欠集体资金 \
  依照法律被剥夺政治权利，不享有被选举权 \
  （一）因犯罪受过刑事处罚，刑满释放或者缓刑考验期满不满五年的； \
  但是，依照法律被剥夺政治权利的人除外。 '<span class="no">33</span>' 已遮蔽 县委政法委
absent candidate-review-05-reject.zh.html 110101198003150000
expect candidate-review-05-reject.en.html '>reject<' 'Legal basis' 'Policy source'
# the facts read: each path the deciding rules read, its value in the request, the rules reading it;
# the whole request still there, collapsed
expect candidate-review-05-reject.zh.html '<h2>读取的事实<span class="n">23</span></h2>' \
  '<td class="mono path">候选人.刑事记录[].释放日</td><td class="value"><ul class="inline"><li>2020-09-03</li></ul></td><td class="mono">R1_刑事处罚</td>' \
  '<td class="mono path">候选人.认定记录[].类别</td><td class="value"><ul class="inline"><li>村霸</li><li>涉黑涉恶</li><li>邪教</li></ul></td><td class="mono">R3_村霸, R4_涉黑涉恶, R5_邪教</td>' \
  '<section class="request"><details><summary>请求中的全部事实</summary>'
absent candidate-review-05-reject.zh.html '<td class="mono path">候选人.身份证号'
expect candidate-review-05-reject.en.html '<h2>Facts read<span class="n">23</span></h2>' 'not a trace of the evaluation'
expect work-items-06-permit.zh.html \
  '<td class="mono path">事项.准入批准.批准日期</td><td class="value">2024-03-15</td><td class="mono">A4</td>'
# no rule applied; and a record kept without its policy sources
expect candidate-review-04-default-no-sources.zh.html '>通过<' 没有规则适用，按政策默认结果（通过）裁决。
expect candidate-review-04-default-no-sources.en.html 'No rule applied: the policy default decided (pass).'
expect candidate-review-04-default-no-sources.zh.html 没有规则作出决定，因此没有列出规则读取的事实。 '<details open="">'
# indeterminate: a missing fact
expect work-items-08-indeterminate.zh.html 无法判定 缺失或无效的事实 事项.经费 A3b_未随转
expect work-items-08-indeterminate.en.html '>indeterminate<' 'Missing or invalid facts'
expect work-items-08-indeterminate.zh.html \
  '<td class="mono path">事项.经费</td><td class="value"><span class="tag missing">缺失</span></td><td class="mono">A3b, A3b_未随转, A1</td>'
expect work-items-08-indeterminate.en.html '<span class="tag missing">missing</span>'
# a damaged decision JSON: an error box, the rest of the record still shown
expect work-items-02-malformed.zh.html 不准许 '决定 JSON 无法解析' 文明创建入户调查台账
expect work-items-02-malformed.en.html 'The decision JSON could not be read'

# screenshots, left in OUTDIR as artefacts
shoot() {  # shoot PAGE PNG
  rm -f "$out/$2"
  run --screenshot="$out/$2" --window-size=1280,1600 --hide-scrollbars "file://$out/$1" >/dev/null
  local size
  size=$(stat -c %s "$out/$2" 2>/dev/null || echo 0)
  if ((size > 30000)); then ok; else bad "$2: missing or trivial ($size bytes)"; fi
}
shoot work-items-06-permit.zh.html decision.png
shoot candidate-review-05-reject.zh.html decision-review.png
shoot work-items-06-permit.en.html decision-en.png
# Chinese text renders only with a CJK font installed (else the screenshots show boxes)
if fc-list :lang=zh 2>/dev/null | grep -q .; then ok; else bad "no CJK font (install fonts-noto-cjk)"; fi

echo "screenshots: $out/decision.png $out/decision-review.png $out/decision-en.png"
echo "$passed passed, $failed failed"
((failed == 0))
