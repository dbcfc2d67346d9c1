// The summary table, orphan and problem sheets, and decision lines of `xy review`.
#include "xiangyue/review/summary.h"

#include "xiangyue/audit/html_parts.h"

#include "xiangyue/runtime/vocabulary.h"

namespace xy::review {

namespace json = boost::json;

using audit::html::tr;

std::string problem_text(const Problem& p, Lang lang) {
  return p.at.text(lang) + (lang == Lang::zh ? "：" : ": ") + p.why.in(lang);
}

std::string fact_text(const json::object& facts, const std::string& path) {
  const json::object* at = &facts;
  std::size_t from = 0;
  for (;;) {
    std::size_t dot = path.find('.', from);
    std::string name = path.substr(from, dot == std::string::npos ? dot : dot - from);
    auto it = at->find(name);
    if (it == at->end()) return "";
    if (dot == std::string::npos) {
      const json::value& v = it->value();
      if (v.is_string()) return std::string(v.as_string());
      if (v.is_bool()) return v.as_bool() ? "是" : "否";
      return json::serialize(v);
    }
    if (!it->value().is_object()) return "";
    at = &it->value().as_object();
    from = dot + 1;
  }
}

std::string shown_id(const std::string& id, bool show_ids) {
  return show_ids ? id : partly_hidden(id);
}

std::string outcome_word(ir::Outcome o, Lang lang) {
  const auto& w = outcome_words(o);
  return lang == Lang::zh ? w.zh : w.en;
}

sheets::OutSheet summary_sheet(const checked::Returns& returns,
                               const std::vector<Reviewed>& reviewed, const SummaryOptions& o) {
  Lang l = o.lang;
  sheets::OutSheet s;
  s.name = tr(l, "Summary", "联审结果汇总");
  for (const auto& label : returns.labels) s.header.push_back(label.name);
  for (const auto& col : returns.columns)  // headed as the roster heads it
    s.header.push_back(col.titles.empty() ? col.fact.text : col.titles[0]);
  for (const char* h :
       {tr(l, "ID number", "身份证号码"), tr(l, "Outcome", "结论"),
        tr(l, "Findings", "审查情形及依据"), tr(l, "Departments not returned", "未报送部门"),
        tr(l, "Could not be read", "无法读取的内容"), tr(l, "Roster row", "名册行号")})
    s.header.push_back(h);
  for (const auto& r : reviewed) {
    const Candidate& cand = *r.candidate;
    std::vector<sheets::OutCell> row;
    for (const auto& label : cand.labels) row.emplace_back(label);
    for (const auto& col : returns.columns) row.emplace_back(fact_text(cand.facts, col.fact.text));
    row.emplace_back(shown_id(cand.id, o.show_ids));
    row.emplace_back(outcome_word(r.decided.outcome, l));
    std::string findings;
    for (const auto& f : r.decided.findings)
      findings += (findings.empty() ? "" : "\n") + f.rule + " " +
                  (l == Lang::zh ? effect_words(f.effect).zh : effect_words(f.effect).wire) +
                  (l == Lang::zh ? "：" : ": ") + f.text +
                  (f.cite.empty()  ? ""
                   : l == Lang::zh ? "（" + f.cite + "）"
                                   : " (" + f.cite + ")");
    if (r.decided.outcome == ir::Outcome::Indeterminate && !r.decided.missing.empty()) {
      std::string missing;
      for (const auto& m : r.decided.missing) missing += (missing.empty() ? "" : "、") + m;
      findings +=
          (findings.empty() ? "" : "\n") + std::string(tr(l, "no value: ", "缺少：")) + missing;
    }
    row.emplace_back(findings);
    std::string out;
    for (const auto& d : cand.outstanding) out += (out.empty() ? "" : "、") + d;
    row.emplace_back(out);
    std::string problems;
    for (const auto& p : cand.problems)
      problems += (problems.empty() ? "" : "\n") + problem_text(p, l);
    if (r.decided.refused) problems += (problems.empty() ? "" : "\n") + r.decided.refused->in(l);
    row.emplace_back(problems);
    row.emplace_back(cand.row);
    s.rows.push_back(std::move(row));
  }
  return s;
}

sheets::OutSheet orphans_sheet(const Collation& c, const SummaryOptions& o) {
  Lang l = o.lang;
  sheets::OutSheet s;
  s.name = tr(l, "Records on no roster row", "名册外的记录");
  s.header = {tr(l, "Department", "部门"), tr(l, "ID number", "身份证号码"),
              tr(l, "Where", "位置")};
  for (const auto& orphan : c.orphans)
    s.rows.push_back({orphan.department, shown_id(orphan.id, o.show_ids), orphan.at.text(l)});
  return s;
}

sheets::OutSheet problems_sheet(const Collation& c, const SummaryOptions& o) {
  Lang l = o.lang;
  sheets::OutSheet s;
  s.name = tr(l, "Problems", "问题");
  s.header = {tr(l, "Where", "位置"), tr(l, "Problem", "问题")};
  for (const auto& p : c.problems) s.rows.push_back({p.at.text(l), p.why.in(l)});
  return s;
}

std::string decision_line(const checked::Returns& returns, const Reviewed& r,
                          const SummaryOptions& o) {
  const Candidate& cand = *r.candidate;
  json::object labels;
  for (std::size_t i = 0; i < returns.labels.size() && i < cand.labels.size(); ++i)
    labels[returns.labels[i].name] = cand.labels[i];
  json::array problems;
  for (const auto& p : cand.problems)
    problems.push_back(json::object{{"at", p.at.text(o.lang)}, {"message", p.why.in(o.lang)}});
  json::array outstanding;
  for (const auto& d : cand.outstanding) outstanding.push_back(json::string(d));
  json::object line{{"row", cand.row},
                    {"labels", std::move(labels)},
                    {"id", shown_id(cand.id, o.show_ids)},
                    {"outcome", outcome_words(r.decided.outcome).wire},
                    {"decision", r.decided.decision.empty() ? json::value(nullptr)
                                                            : json::parse(r.decided.decision)},
                    {"problems", std::move(problems)},
                    {"outstanding", std::move(outstanding)}};
  if (r.decided.refused) line["refused"] = r.decided.refused->in(o.lang);
  return json::serialize(line);
}

}  // namespace xy::review
