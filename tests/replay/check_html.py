"""Opens the replay reports that run.py left in WORK_DIR in headless Chromium (as
tests/html_view/check.sh does for the decision view): asserts on the DOM Chromium builds, and leaves
screenshots beside them. Usage: check_html.py WORK_DIR"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

WORK = pathlib.Path(sys.argv[1]).resolve()
BROWSER = os.environ.get("CHROMIUM", "chromium")
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name}" + (f": {detail}" if detail else ""))


if not shutil.which(BROWSER):
    print(f"FAIL: {BROWSER} not installed (scripts/setup.sh installs it)\n0 passed, 1 failed")
    sys.exit(1)
profile = tempfile.mkdtemp()


def chromium(*args):
    """Headless Chromium with no network, no sync, no first-run noise."""
    with open(WORK / "chromium.log", "ab") as log:
        return subprocess.run(
            [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={profile}", *args],
            stdout=subprocess.PIPE, stderr=log, timeout=120).stdout.decode("utf-8")


doms = {}


def expect(page, *texts, absent=()):
    """The DOM of PAGE (as Chromium built it) holds each of `texts` and none of `absent`."""
    if page not in doms:
        path = WORK / page
        if not path.exists():
            check(f"{page} was written", False)
            return
        doms[page] = chromium("--dump-dom", path.as_uri())
        check(f"{page}: Chromium built the page", "<main>" in doms[page])
        check(f"{page}: no script", "<script" not in doms[page])
    for t in texts:
        check(f"{page}: has {t!r}", t in doms[page])
    for t in absent:
        check(f"{page}: lacks {t!r}", t not in doms[page])


CASE = "02-threshold-effect-masked"
zh, en = f"{CASE}/report.zh.html", f"{CASE}/report.en.html"
# the totals, as the JSON gives them
expect(zh, '<td class="num" id="total-read">15</td>', '<td class="num" id="total-replayed">12</td>',
       '<td class="num" id="total-unchanged">9</td>', '<td class="num" id="total-changed">3</td>',
       '<td class="num" id="total-cannot">3</td>', "乡约 · 重放报告", "各记录的原基准日",
       absent=["张某某", "110101198003150000"])
# each changed decision: its card, the recorded side and the new one, the rules that differ in full
expect(zh, '<article class="card change tone-ok" id="r2">', '<article class="card change tone-bad" id="r5">',
       '<li class="gone"><span class="rule-id mono">R1_刑事处罚</span>', "不再作出决定",
       "没有规则适用，按政策默认结果裁决。",
       '<li class="new"><span class="rule-id mono">S7_拖欠集体资金</span> <span class="pill tone-bad">不能</span>',
       "（七）拖欠村集体资金，经催缴仍未归还的。", "new/rules-甲省-2021.xy:102:3",
       "另有 14 条规则前后都作出决定")
# the rules grouped, linking to the cards; the outcomes; the records that cannot be replayed
expect(zh, '<a href="#r2">#2</a>, <a href="#r13">#13</a>', "按结论",
       '<tr class="masked_facts_read" id="r3">', "新规则读取已遮蔽的事实",
       "<code>候选人.身份证号</code>", "R9_身份核验")
expect(en, "xiangyue · replay report", "Decisions that change", "no longer decides",
       "newly decides", "Cannot be replayed", "the new rules read masked facts", 'lang="en"')
# a report where nothing changes, and one with a record that cannot be read or does not fit
expect("01-same-policies/report.en.html", "No replayed decision changes.",
       '<td class="num" id="total-unchanged">15</td>')
expect("04-policy-gone-schema/report.zh.html", '<tr class="no_policy" id="r3">',
       '<tr class="does_not_fit" id="r5">', "候选人.刑事记录[0].执行方式")
expect("06-unreadable-record/report.en.html", '<tr class="unreadable" id="r4">')


def shoot(page, png):
    out = WORK / png
    out.unlink(missing_ok=True)
    chromium(f"--screenshot={out}", "--window-size=1280,1800", "--hide-scrollbars",
             (WORK / page).as_uri())
    size = out.stat().st_size if out.exists() else 0
    check(f"{png}: a screenshot", size > 30000, f"{size} bytes")


shoot(zh, "replay.png")
shoot(en, "replay-en.png")
fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True).stdout
check("a CJK font is installed (else the screenshots show boxes)", bool(fonts.strip()))
shutil.rmtree(profile, ignore_errors=True)
print(f"screenshots: {WORK / 'replay.png'} {WORK / 'replay-en.png'}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
