// The replay report as one self-contained HTML page for reviewers (`xy replay --format html`): the
// totals, each changed decision before and after with its rules and citations, the changes by rule
// and by outcome, and the records that cannot be replayed with why. No script, no fetch.
#include "xiangyue/audit/html_parts.h"
#include "xiangyue/audit/replay.h"

namespace xy::audit {
using html::esc;
using html::tr;

namespace {

constexpr const char* kCss = R"css(
.sides { display: grid; grid-template-columns: minmax(0, 1fr) auto minmax(0, 1fr); gap: 12px;
  margin-top: 12px; }
.arrow { align-self: center; font-size: 26px; color: var(--muted); }
.side { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; background: #f6f8fa; }
.side.after { background: var(--paper); border-color: var(--tone); }
.side .outcome { font-size: 20px; font-weight: 700; color: var(--tone); }
ul.rules { list-style: none; padding: 0; margin: 8px 0 0; }
ul.rules li { padding: 7px 0 5px; border-top: 1px dashed var(--line); }
ul.rules .text { font-size: 14px; margin: 2px 0; }
ul.rules .cite { font-weight: 600; font-size: 13.5px; }
ul.rules blockquote { font-size: 13.5px; }
ul.rules .where { margin-left: 0; display: block; }
ul.rules li.new .rule-id { color: var(--ok); }
ul.rules li.gone .rule-id { color: var(--bad); text-decoration: line-through; }
.side details > summary, .side details:not([open]) > summary { font-size: 13px; font-weight: 400;
  color: var(--muted); border: 0; margin: 8px 0 4px; padding: 0; }
.side details ul.inline li { background: transparent; padding: 0 6px 0 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.totals { min-width: 360px; }
td a, .ids a { color: inherit; }
@media (max-width: 820px) { .sides { grid-template-columns: 1fr; } .arrow { transform: rotate(90deg); } }
)css";

std::string count_of(std::int64_t n, Lang lang) {
  return std::to_string(n) + (lang == Lang::zh ? " 条" : "");
}

// "2: #3, #5" with each id linking to its card or row; "—" for none.
std::string links(const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return "—";
  std::string out = std::to_string(ids.size()) + ": <span class=\"ids mono\">";
  for (std::size_t i = 0; i < ids.size(); ++i)
    out += (i ? ", " : "") + std::string("<a href=\"#r") + std::to_string(ids[i]) + "\">#" +
           std::to_string(ids[i]) + "</a>";
  return out + "</span>";
}

std::string header(const ReplayReport& rep, Lang lang) {
  std::int64_t changed = static_cast<std::int64_t>(rep.changed.size());
  std::string out =
      std::string("<header class=\"top tone-") + (changed ? "warn" : "ok") +
      "\"><div class=\"badge\"><div class=\"word\">" + std::to_string(changed) +
      "</div><div class=\"raw\">" +
      tr(lang, changed == 1 ? "decision changes" : "decisions change", "项决定改变") +
      "</div></div><div class=\"summary\"><div class=\"kicker\">" +
      tr(lang, "xiangyue · replay report", "乡约 · 重放报告") + "</div><h1>" +
      tr(lang, "Recorded decisions decided again under new policies",
         "按新政策重新裁决已记录的决定") +
      "</h1><dl class=\"meta\"><dt>" + tr(lang, "Audit store", "审计库") +
      "</dt><dd class=\"mono\">" + esc(rep.store) + "</dd><dt>" +
      tr(lang, "New policies", "新政策") + "</dt><dd><span class=\"mono\">" + esc(rep.policies) +
      "</span><span class=\"sep\">·</span><span class=\"muted\">" + tr(lang, "bundle", "策略包") +
      "</span> <span class=\"mono\">" + esc(rep.bundle.substr(0, 12)) + "</span></dd><dt>" +
      tr(lang, "Records", "记录") + "</dt><dd>" +
      (rep.filter.empty()
           ? std::string(tr(lang, "all", "全部"))
           : std::string(tr(lang, "filter ", "筛选 ")) + "<code>" + esc(rep.filter) + "</code>") +
      "</dd><dt>" + tr(lang, "As of", "基准日") + "</dt><dd>" +
      (rep.as_of.empty() ? std::string(tr(lang, "each record's own (the date it was decided as of)",
                                          "各记录的原基准日"))
                         : esc(rep.as_of) + tr(lang, " for every record", "（所有记录）")) +
      "</dd></dl><div class=\"counts\">";
  std::int64_t skipped = static_cast<std::int64_t>(rep.skipped.size());
  out += lang == Lang::zh
             ? "读取 " + count_of(rep.read, lang) + " · 重放 " + count_of(rep.replayed(), lang) +
                   " · 未变 " + count_of(rep.unchanged, lang) + " · 改变 " +
                   count_of(changed, lang) + " · 不能重放 " + count_of(skipped, lang)
             : std::to_string(rep.read) + " read · " + std::to_string(rep.replayed()) +
                   " replayed · " + std::to_string(rep.unchanged) + " unchanged · " +
                   std::to_string(changed) + " changed · " + std::to_string(skipped) +
                   " cannot be replayed";
  return out + "</div></div></header>";
}

std::string totals(const ReplayReport& rep, Lang lang) {
  auto row = [&](const char* id, const char* en, const char* zh, std::int64_t n) {
    return std::string("<tr><th>") + tr(lang, en, zh) + "</th><td class=\"num\" id=\"total-" + id +
           "\">" + std::to_string(n) + "</td></tr>";
  };
  return std::string("<section class=\"totals\"><h2>") + tr(lang, "Totals", "合计") +
         "</h2><table class=\"totals\"><tbody>" +
         row("read", "Records read", "读取的记录", rep.read) +
         row("replayed", "Replayed", "已重放", rep.replayed()) +
         row("unchanged", "Unchanged", "决定未变", rep.unchanged) +
         row("changed", "Changed", "决定改变", static_cast<std::int64_t>(rep.changed.size())) +
         row("cannot", "Cannot be replayed", "不能重放",
             static_cast<std::int64_t>(rep.skipped.size())) +
         "</tbody></table></section>";
}

// One side of a change. `other` is the side it is compared with: the rules that decide on this side
// only are shown in full (newly deciding after, no longer deciding before) with their reasons and
// citations (and, after, the cited text and where the rule stands); the rules deciding on both
// sides are listed by id below them, folded.
std::string side(const ReplaySide& s, const ReplaySide& other, bool after, Lang lang) {
  std::string out = std::string("<div class=\"side ") + (after ? "after" : "before") + " tone-" +
                    html::outcome_tone(s.outcome) + "\"><div class=\"label\">" +
                    (after ? tr(lang, "Under the new policies", "按新政策")
                           : tr(lang, "Recorded", "记录的决定")) +
                    "</div><div class=\"outcome\">" + esc(html::outcome_word(s.outcome, lang)) +
                    "</div>";
  if (s.rules.empty())
    out += std::string("<p class=\"note\">") +
           (s.by_default ? tr(lang, "No rule applied: the policy default decided.",
                              "没有规则适用，按政策默认结果裁决。")
                         : tr(lang, "No rule decided.", "没有规则作出决定。")) +
           "</p>";
  std::string same;
  std::size_t n_same = 0;
  out += "<ul class=\"rules\">";
  for (const auto& r : s.rules) {
    std::string pill = std::string("<span class=\"pill tone-") + html::effect_tone(r.effect) +
                       "\">" + esc(effect_label(r.effect, lang)) + "</span>";
    if (decides(other, r)) {
      same += "<li><span class=\"mono\">" + esc(r.rule) + "</span> " + pill + "</li>";
      ++n_same;
      continue;
    }
    out += std::string("<li class=\"") + (after ? "new" : "gone") +
           "\"><span class=\"rule-id mono\">" + esc(r.rule) + "</span> " + pill +
           " <span class=\"tag\">" +
           (after ? tr(lang, "newly decides", "新作出决定")
                  : tr(lang, "no longer decides", "不再作出决定")) +
           "</span>";
    if (!r.text.empty()) out += "<div class=\"text\">" + esc(r.text) + "</div>";
    if (!r.cite.empty()) out += "<div class=\"cite\">" + esc(r.cite) + "</div>";
    if (after && !r.quote.empty()) out += "<blockquote><p>" + esc(r.quote) + "</p></blockquote>";
    if (after && !r.file.empty())
      out += "<span class=\"where mono\">" +
             esc(r.file + ":" + std::to_string(r.line) + ":" + std::to_string(r.column)) +
             "</span>";
    out += "</li>";
  }
  for (const auto& m : s.missing) {
    std::string rules;
    for (const auto& id : m.rules) rules += (rules.empty() ? "" : ", ") + id;
    out += std::string("<li class=\"missing\"><span class=\"tag missing\">") +
           tr(lang, "missing or invalid", "缺少或无效") + "</span> <code>" + esc(m.fact) +
           "</code>" + (rules.empty() ? "" : " <span class=\"muted\">← " + esc(rules) + "</span>") +
           "</li>";
  }
  out += "</ul>";
  if (n_same)
    out += "<details class=\"same\"><summary>" +
           (lang == Lang::zh ? "另有 " + std::to_string(n_same) + " 条规则前后都作出决定"
                             : std::to_string(n_same) +
                                   (n_same == 1 ? " more rule decides" : " more rules decide") +
                                   " before and after") +
           "</summary><ul class=\"inline\">" + same + "</ul></details>";
  return out + "</div>";
}

std::string changes(const ReplayReport& rep, Lang lang) {
  std::string out = std::string("<section class=\"changes\"><h2>") +
                    tr(lang, "Decisions that change", "改变的决定") + "<span class=\"n\">" +
                    std::to_string(rep.changed.size()) + "</span></h2>";
  if (rep.changed.empty())
    return out + "<div class=\"box info\">" +
           tr(lang, "No replayed decision changes.", "重放的决定都没有改变。") + "</div></section>";
  for (const auto& c : rep.changed)
    out += "<article class=\"card change tone-" + std::string(html::outcome_tone(c.after.outcome)) +
           "\" id=\"r" + std::to_string(c.record.id) +
           "\"><div class=\"card-head\"><span class=\"rule-id mono\">#" +
           std::to_string(c.record.id) + "</span><span class=\"tag\">" + esc(c.record.action) +
           "</span><span class=\"tag\">" + tr(lang, "as of ", "基准日 ") + esc(c.record.as_of) +
           "</span><span class=\"where\">" + tr(lang, "policy ", "政策 ") + esc(c.record.policy) +
           "</span></div><div class=\"sides\">" + side(c.before, c.after, false, lang) +
           "<div class=\"arrow\">→</div>" + side(c.after, c.before, true, lang) +
           "</div></article>";
  return out + "</section>";
}

std::string by_rule(const ReplayReport& rep, Lang lang) {
  if (rep.rules.empty() && rep.outcomes.empty()) return {};
  std::string out = std::string("<section class=\"by-rule\"><h2>") + tr(lang, "By rule", "按规则") +
                    "<span class=\"n\">" + std::to_string(rep.rules.size()) +
                    "</span></h2><table class=\"wide\"><thead><tr><th>" + tr(lang, "Rule", "规则") +
                    "</th><th>" + tr(lang, "Policy", "政策") + "</th><th>" +
                    tr(lang, "Newly decides", "新作出决定") + "</th><th>" +
                    tr(lang, "No longer decides", "不再作出决定") + "</th><th>" +
                    tr(lang, "Basis", "依据") + "</th></tr></thead><tbody>";
  for (const auto& s : rep.rules)
    out += "<tr><td><span class=\"mono\">" + esc(s.rule) + "</span> <span class=\"pill tone-" +
           html::effect_tone(s.effect) + "\">" + esc(effect_label(s.effect, lang)) +
           "</span></td><td>" + esc(s.policy) + "</td><td class=\"newly\">" + links(s.newly) +
           "</td><td class=\"stopped\">" + links(s.stopped) + "</td><td>" +
           (s.cite.empty() ? "—" : esc(s.cite)) + "</td></tr>";
  out += std::string("</tbody></table></section><section class=\"outcomes\"><h2>") +
         tr(lang, "By outcome", "按结论") + "</h2><table><thead><tr><th>" +
         tr(lang, "Recorded", "原结论") + "</th><th>" + tr(lang, "New", "新结论") + "</th><th>" +
         tr(lang, "Records", "记录数") + "</th></tr></thead><tbody>";
  for (const auto& o : rep.outcomes)
    out += "<tr><td>" + esc(html::outcome_word(o.before, lang)) + "</td><td>" +
           esc(html::outcome_word(o.after, lang)) + "</td><td class=\"num\">" +
           std::to_string(o.count) + "</td></tr>";
  return out + "</tbody></table></section>";
}

std::string skipped(const ReplayReport& rep, Lang lang) {
  if (rep.skipped.empty()) return {};
  std::string out =
      std::string("<section class=\"cannot\"><h2>") + tr(lang, "Cannot be replayed", "不能重放") +
      "<span class=\"n\">" + std::to_string(rep.skipped.size()) +
      "</span></h2><table class=\"wide\"><thead><tr><th>" + tr(lang, "Record", "记录") +
      "</th><th>" + tr(lang, "Action", "行为") + "</th><th>" + tr(lang, "Policy", "政策") +
      "</th><th>" + tr(lang, "As of", "基准日") + "</th><th>" + tr(lang, "Recorded", "原结论") +
      "</th><th>" + tr(lang, "Why", "原因") + "</th></tr></thead><tbody>";
  for (const auto& s : rep.skipped) {
    std::string why = "<b>" + esc(no_replay_label(s.why).in(lang)) + "</b>";
    if (!s.masked.empty()) {
      why += "<ul class=\"plain masked-read\">";
      for (const auto& m : s.masked) {
        std::string rules;
        for (const auto& id : m.rules) rules += (rules.empty() ? "" : ", ") + id;
        why += "<li><code>" + esc(m.path) + "</code>" +
               (rules.empty() ? "" : " <span class=\"muted\">← " + esc(rules) + "</span>") +
               "</li>";
      }
      why += "</ul>";
    } else {
      why += "<div>" + esc(s.detail.in(lang)) + "</div>";
    }
    out += "<tr class=\"" + std::string(no_replay_name(s.why)) + "\" id=\"r" +
           std::to_string(s.record.id) + "\"><td class=\"mono\">#" + std::to_string(s.record.id) +
           "</td><td>" + esc(s.record.action) + "</td><td>" + esc(s.record.policy) + "</td><td>" +
           esc(s.record.as_of) + "</td><td>" + esc(html::outcome_word(s.outcome, lang)) +
           "</td><td>" + why + "</td></tr>";
  }
  return out + "</tbody></table></section>";
}

}  // namespace

std::string replay_html(const ReplayReport& rep, Lang lang) {
  std::string title = std::string(tr(lang, "Replay report · ", "重放报告 · ")) + rep.store;
  return html::page_start(title, lang, kCss) + header(rep, lang) + totals(rep, lang) +
         changes(rep, lang) + by_rule(rep, lang) + skipped(rep, lang) + "</main></body></html>\n";
}

}  // namespace xy::audit
