// The joint review's HTML report: counts per outcome, then the candidates grouped by the roster's
// labels (township, then village), each with its outcome, findings and articles, the departments
// not returned and what could not be read; the records on no roster row and the problems last.
// One self-contained page: no script, no fetch, readable on paper.
#include <algorithm>
#include <map>

#include "xiangyue/audit/html_parts.h"
#include "xiangyue/review/summary.h"
#include "xiangyue/runtime/vocabulary.h"

namespace xy::review {

namespace {

using audit::html::esc;
using audit::html::tr;

constexpr std::string_view kCss = R"css(
.tally { display: flex; flex-wrap: wrap; gap: 10px; margin-top: 12px; }
.tally .pill { font-size: 15px; padding: 2px 14px; }
h3 { font-size: 16px; margin: 18px 0 8px; }
h3 .n, h2 .n { color: var(--muted); font-weight: 400; font-size: 14px; margin-left: .5em; }
td.outcome, td.v, th { white-space: nowrap; }
td.findings p { margin: 0 0 4px; }
td.findings .cite { font-weight: 400; color: var(--muted); }
td.problems { color: var(--bad); font-size: 13px; }
td.id { font-family: "DejaVu Sans Mono", monospace; white-space: nowrap; }
)css";

std::string pill(ir::Outcome o, Lang lang, const std::string& extra = "") {
  return "<span class=\"pill tone-" +
         std::string(audit::html::outcome_tone(outcome_words(o).wire)) + "\">" +
         esc(outcome_word(o, lang)) + extra + "</span>";
}

// "不能 2 · 通过 1" for a group.
std::string counts(const std::vector<const Reviewed*>& rs, Lang lang) {
  std::map<ir::Outcome, std::size_t> n;
  for (const auto* r : rs) ++n[r->decided.outcome];
  std::string out;
  for (auto o :
       {ir::Outcome::Reject, ir::Outcome::Refer, ir::Outcome::Pass, ir::Outcome::Indeterminate})
    if (n[o])
      out += (out.empty() ? "" : " · ") + outcome_word(o, lang) + " " + std::to_string(n[o]);
  return out;
}

std::string table(const checked::Returns& returns, const std::vector<const Reviewed*>& rs,
                  std::size_t shown_labels, const SummaryOptions& o) {
  Lang l = o.lang;
  std::string out = "<table class=\"wide\"><thead><tr><th>" + esc(tr(l, "Row", "行")) + "</th>";
  for (std::size_t i = shown_labels; i < returns.labels.size(); ++i)
    out += "<th>" + esc(returns.labels[i].name) + "</th>";
  for (const auto& c : returns.columns)
    out += "<th>" + esc(c.titles.empty() ? c.fact.text : c.titles[0]) + "</th>";
  out += "<th>" + esc(tr(l, "ID number", "身份证号码")) + "</th><th>" +
         esc(tr(l, "Outcome", "结论")) + "</th><th>" +
         esc(tr(l, "Findings and articles", "审查情形及依据")) + "</th><th>" +
         esc(tr(l, "Not returned / could not be read", "未报送 / 无法读取")) +
         "</th></tr></thead><tbody>";
  for (const auto* r : rs) {
    const Candidate& c = *r->candidate;
    out += "<tr><td>" + std::to_string(c.row) + "</td>";
    for (std::size_t i = shown_labels; i < returns.labels.size(); ++i)
      out += "<td class=\"v\">" + esc(c.labels[i]) + "</td>";
    for (const auto& col : returns.columns) {
      std::string v = fact_text(c.facts, col.fact.text);
      out += "<td class=\"v\">" + esc(v) + "</td>";
    }
    out += "<td class=\"id\">" + esc(shown_id(c.id, o.show_ids)) + "</td><td class=\"outcome\">" +
           pill(r->decided.outcome, l) + "</td><td class=\"findings\">";
    for (const auto& f : r->decided.findings)
      out += "<p><b>" + esc(f.rule) + "</b> " +
             esc(l == Lang::zh ? effect_words(f.effect).zh : effect_words(f.effect).wire) +
             (l == Lang::zh ? "：" : ": ") + esc(f.text) +
             (f.cite.empty() ? "" : " <span class=\"cite\">" + esc(f.cite) + "</span>") + "</p>";
    if (r->decided.outcome == ir::Outcome::Indeterminate && !r->decided.missing.empty()) {
      std::string m;
      for (const auto& x : r->decided.missing) m += (m.empty() ? "" : "、") + x;
      out += "<p class=\"muted\">" + esc(tr(l, "No value: ", "缺少：")) + esc(m) + "</p>";
    }
    out += "</td><td class=\"problems\">";
    for (const auto& d : c.outstanding)
      out += "<p>" + esc(tr(l, "Not returned: ", "未报送：")) + esc(d) + "</p>";
    for (const auto& p : c.problems) out += "<p>" + esc(problem_text(p, l)) + "</p>";
    if (r->decided.refused) out += "<p>" + esc(r->decided.refused->in(l)) + "</p>";
    out += "</td></tr>";
  }
  return out + "</tbody></table>";
}

}  // namespace

std::string report_html(const checked::Returns& returns, const Collation& c,
                        const std::vector<Reviewed>& reviewed, const ReportInfo& info,
                        const SummaryOptions& o) {
  Lang l = o.lang;
  std::vector<const Reviewed*> all;
  for (const auto& r : reviewed) all.push_back(&r);
  std::string title = tr(l, "Joint review of candidates", "候选人资格联审结果");
  std::string out = audit::html::page_start(title, l, kCss);
  out += "<header class=\"top tone-none\"><div class=\"summary\"><div class=\"kicker\">" +
         esc(info.policy) + "</div><h1>" + esc(title) + "</h1><dl class=\"meta\"><dt>" +
         esc(tr(l, "Review date", "联审之日")) + "</dt><dd>" + esc(info.as_of.to_string()) +
         "</dd><dt>" + esc(tr(l, "Candidates", "候选人")) + "</dt><dd>" +
         std::to_string(reviewed.size()) + "</dd><dt>" + esc(tr(l, "Returned", "已报送")) +
         "</dt><dd>";
  std::string list;
  for (const auto& d : c.returned) list += (list.empty() ? "" : "、") + d;
  out += esc(list.empty() ? tr(l, "none", "无") : list) + "</dd><dt>" +
         esc(tr(l, "Not returned", "未报送")) + "</dt><dd>";
  list.clear();
  for (const auto& d : c.outstanding) list += (list.empty() ? "" : "、") + d;
  out += esc(list.empty() ? tr(l, "none", "无") : list) + "</dd></dl><div class=\"tally\">";
  std::map<ir::Outcome, std::size_t> n;
  for (const auto& r : reviewed) ++n[r.decided.outcome];
  for (auto oc :
       {ir::Outcome::Reject, ir::Outcome::Refer, ir::Outcome::Pass, ir::Outcome::Indeterminate})
    out += pill(oc, l, " " + std::to_string(n[oc]));
  out += "</div></div></header>";

  // Grouped by the first label, then the second (the others are columns).
  std::size_t depth = std::min<std::size_t>(returns.labels.size(), 2);
  auto group = [&](const std::vector<const Reviewed*>& rs, std::size_t label) {
    std::vector<std::pair<std::string, std::vector<const Reviewed*>>> groups;
    for (const auto* r : rs) {
      const std::string& v = r->candidate->labels[label];
      auto it = std::find_if(groups.begin(), groups.end(), [&](auto& g) { return g.first == v; });
      if (it == groups.end()) it = groups.insert(groups.end(), {v, {}});
      it->second.push_back(r);
    }
    return groups;
  };
  if (depth == 0) {
    out += "<section>" + table(returns, all, 0, o) + "</section>";
  } else {
    for (const auto& [first, rs] : group(all, 0)) {
      out += "<section><h2>" + esc(first.empty() ? tr(l, "(empty)", "（空）") : first) +
             "<span class=\"n\">" + esc(counts(rs, l)) + "</span></h2>";
      if (depth == 1) {
        out += table(returns, rs, 1, o);
      } else {
        for (const auto& [second, rs2] : group(rs, 1))
          out += "<h3>" + esc(second.empty() ? tr(l, "(empty)", "（空）") : second) +
                 "<span class=\"n\">" + esc(counts(rs2, l)) + "</span></h3>" +
                 table(returns, rs2, 2, o);
      }
      out += "</section>";
    }
  }
  if (!c.orphans.empty()) {
    out += "<section><h2>" + esc(tr(l, "Records on no roster row", "名册外的记录")) +
           "<span class=\"n\">" + std::to_string(c.orphans.size()) +
           "</span></h2><table class=\"wide\"><thead><tr><th>" + esc(tr(l, "Department", "部门")) +
           "</th><th>" + esc(tr(l, "ID number", "身份证号码")) + "</th><th>" +
           esc(tr(l, "Where", "位置")) + "</th></tr></thead><tbody>";
    for (const auto& orphan : c.orphans)
      out += "<tr><td>" + esc(orphan.department) + "</td><td class=\"id\">" +
             esc(shown_id(orphan.id, o.show_ids)) + "</td><td>" + esc(orphan.at.text(l)) +
             "</td></tr>";
    out += "</tbody></table></section>";
  }
  if (!c.problems.empty()) {
    out += "<section><h2>" + esc(tr(l, "Problems", "问题")) + "<span class=\"n\">" +
           std::to_string(c.problems.size()) + "</span></h2><ul class=\"plain\">";
    for (const auto& p : c.problems) out += "<li>" + esc(problem_text(p, l)) + "</li>";
    out += "</ul></section>";
  }
  return out + "</main></body></html>\n";
}

}  // namespace xy::review
