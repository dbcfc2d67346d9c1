// The HTML views' inline stylesheet and page head: local fonts only, no url(), no script, readable
// on screen and on paper.
#include "xiangyue/audit/html_parts.h"

namespace xy::audit::html {

std::string_view stylesheet() {
  return R"css(
:root { --ink: #1f2328; --muted: #656d76; --line: #d8dee4; --paper: #ffffff; --bg: #f3f4f6;
  --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #c62828; --bad-bg: #ffebe9; --warn: #b26a00;
  --warn-bg: #fff4d6; --none: #59636e; --none-bg: #eaeef2; --hl: #fff8c5; --hl-edge: #d4a72c; }
* { box-sizing: border-box; }
html { background: var(--bg); }
body { margin: 0; color: var(--ink); font-size: 15px; line-height: 1.6;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
    "PingFang SC", "Microsoft YaHei", "Segoe UI", "DejaVu Sans", sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 40px; }
.mono, code, .code, .chain dd { font-family: "DejaVu Sans Mono", "Noto Sans Mono CJK SC",
    "WenQuanYi Zen Hei Mono", "Consolas", monospace; }
header.top { display: flex; gap: 28px; align-items: stretch; background: var(--paper);
  border: 1px solid var(--line); border-radius: 12px; padding: 22px 26px;
  border-top: 8px solid var(--tone); }
.tone-ok { --tone: var(--ok); --tone-bg: var(--ok-bg); }
.tone-bad { --tone: var(--bad); --tone-bg: var(--bad-bg); }
.tone-warn { --tone: var(--warn); --tone-bg: var(--warn-bg); }
.tone-none { --tone: var(--none); --tone-bg: var(--none-bg); }
.badge { flex: 0 0 auto; min-width: 190px; display: flex; flex-direction: column;
  justify-content: center; align-items: center; border-radius: 10px; padding: 14px 26px;
  background: var(--tone); color: #fff; text-align: center; }
.badge .word { font-size: 40px; font-weight: 700; line-height: 1.15; letter-spacing: .04em; }
.badge .raw { font-size: 13px; opacity: .85; margin-top: 4px; }
.summary { flex: 1 1 auto; min-width: 0; }
.kicker { color: var(--muted); font-size: 13px; letter-spacing: .03em; }
h1 { font-size: 26px; margin: 2px 0 10px; line-height: 1.3; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
.sep { color: var(--muted); padding: 0 .35em; }
.counts { margin-top: 10px; color: var(--muted); font-size: 13.5px; }
section { margin-top: 26px; }
h2 { font-size: 19px; margin: 0 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
h2 .n { color: var(--muted); font-weight: 400; font-size: 15px; margin-left: .4em; }
.card { background: var(--paper); border: 1px solid var(--line); border-left: 5px solid var(--tone);
  border-radius: 10px; padding: 16px 20px 18px; margin-bottom: 16px; break-inside: avoid; }
.card-head { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; }
.rule-id { font-weight: 700; font-size: 16px; }
.pill { display: inline-block; border-radius: 999px; padding: 0 10px; font-size: 13px;
  background: var(--tone-bg); color: var(--tone); border: 1px solid var(--tone); font-weight: 600; }
.tag { display: inline-block; border-radius: 6px; padding: 0 8px; font-size: 12.5px;
  background: var(--none-bg); color: var(--none); }
.where { margin-left: auto; color: var(--muted); font-size: 12.5px; }
.reason { font-size: 17px; margin: 10px 0 14px; }
.cols { display: grid; grid-template-columns: minmax(0, 1.35fr) minmax(0, 1fr); gap: 18px; }
.label { color: var(--muted); font-size: 12.5px; margin-bottom: 4px; letter-spacing: .03em; }
.code { background: #f6f8fa; border: 1px solid var(--line); border-radius: 8px; padding: 8px 0;
  font-size: 13px; line-height: 1.55; overflow: hidden; }
.ln { display: flex; padding: 0 10px 0 0; border-left: 3px solid transparent; }
.ln.hl { background: var(--hl); border-left-color: var(--hl-edge); }
.ln.ctx .tx { color: var(--muted); }
.ln .no { flex: 0 0 3.2em; text-align: right; padding-right: 12px; color: #8c959f;
  user-select: none; }
.ln .tx { flex: 1 1 auto; min-width: 0; white-space: pre-wrap; overflow-wrap: anywhere;
  tab-size: 2; padding-left: 1.6em; text-indent: -1.6em; }
.law { background: #f8f6f1; border: 1px solid #e4dccb; border-radius: 8px; padding: 10px 14px; }
.cite { font-weight: 700; }
blockquote { margin: 8px 0 6px; padding: 2px 0 2px 12px; border-left: 3px solid #c9b98f;
  font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", "DejaVu Serif",
    serif; font-size: 15px; }
blockquote p { margin: 0 0 6px; }
.law .src { color: var(--muted); font-size: 12.5px; }
.note { color: var(--muted); font-style: italic; }
.box { border-radius: 10px; padding: 12px 16px; margin-top: 18px; }
.box.error { background: var(--bad-bg); border: 1px solid var(--bad); color: #82071e; }
.box.info { background: var(--paper); border: 1px dashed var(--line); }
.box pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 12.5px; margin: 8px 0 0;
  color: var(--ink); max-height: 18em; overflow: hidden; }
ul.plain { list-style: none; padding: 0; margin: 0; }
ul.plain li { background: var(--paper); border: 1px solid var(--line); border-radius: 8px;
  padding: 8px 14px; margin-bottom: 8px; }
table { border-collapse: collapse; background: var(--paper); }
th, td { border: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; font-size: 13.5px; }
table.wide { width: 100%; }
.panel { background: var(--paper); border: 1px solid var(--line); border-radius: 10px;
  padding: 14px 18px; }
dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 4px 18px;
  margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
dl.facts dl.facts { border-left: 2px solid var(--line); padding-left: 12px; }
ul.inline { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px; }
ul.inline li { background: var(--none-bg); border-radius: 6px; padding: 0 8px; }
ol.items { margin: 0; padding-left: 1.4em; }
.muted { color: var(--muted); }
.tag.missing { background: var(--warn-bg); color: var(--warn); }
.facts-read td.path { white-space: nowrap; }
.facts-read td.value { overflow-wrap: anywhere; }
.facts-read .note { margin: 0 0 10px; font-size: 13.5px; }
details > summary { cursor: pointer; font-size: 19px; font-weight: 700; margin: 0 0 12px;
  padding-bottom: 6px; border-bottom: 2px solid var(--line); }
details:not([open]) > summary { font-size: 16px; color: var(--muted); }
.masked { font-family: "DejaVu Sans Mono", monospace; }
.chain { font-size: 12px; color: var(--muted); }
.chain h2 { font-size: 15px; color: var(--ink); }
.chain dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0; }
.chain dd { margin: 0; overflow-wrap: anywhere; }
@media (max-width: 820px) { header.top { flex-direction: column; } .cols { grid-template-columns: 1fr; } }
@media print { html { background: #fff; } main { max-width: none; padding: 0; }
  .card, .panel, header.top { border-color: #999; } }
)css";
}

std::string page_start(std::string_view title, Lang lang, std::string_view more_css) {
  return std::string("<!DOCTYPE html>\n<html lang=\"") + tr(lang, "en", "zh-CN") +
         "\"><head><meta charset=\"utf-8\">"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'\"><meta name=\"viewport\" "
         "content=\"width=device-width, initial-scale=1\"><title>" +
         esc(title) + "</title><style>" + std::string(stylesheet()) + std::string(more_css) +
         "</style></head><body><main>";
}

}  // namespace xy::audit::html
