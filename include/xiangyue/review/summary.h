// What `xy review` writes about its candidates: the summary table (a workbook sheet, and the same
// as CSV), the sheets of orphan records and problems, and a JSON line per decision. ID numbers
// are shown partly hidden unless asked.
#pragma once
#include <string>
#include <vector>

#include "xiangyue/review/decide.h"
#include "xiangyue/sheets/write.h"

namespace xy::review {

struct Reviewed {
  const Candidate* candidate = nullptr;
  Decided decided;
};

struct SummaryOptions {
  bool show_ids = false;
  Lang lang = Lang::zh;
};

// One row per candidate, in roster order: labels, the roster's columns, the ID number, the
// outcome (不能/不宜/通过/无法判定), every finding with its article, the departments still out,
// what could not be read.
sheets::OutSheet summary_sheet(const checked::Returns& returns,
                               const std::vector<Reviewed>& reviewed, const SummaryOptions& o);
// Returned rows on no roster row; problems of files and sheets.
sheets::OutSheet orphans_sheet(const Collation& c, const SummaryOptions& o);
sheets::OutSheet problems_sheet(const Collation& c, const SummaryOptions& o);

// {"row", "labels", "id", "outcome", "decision", "problems", "outstanding"} on one line.
std::string decision_line(const checked::Returns& returns, const Reviewed& r,
                          const SummaryOptions& o);

// A fact's value in a request's facts as the reports show it (`候选人.姓名`; booleans 是/否; ""
// when it has none).
std::string fact_text(const boost::json::object& facts, const std::string& path);

struct ReportInfo {
  std::string policy;
  Date as_of;
};
// The HTML report: counts per outcome, the candidates grouped by the first two labels (township,
// village), then the records on no roster row and the problems. Self-contained, no script.
std::string report_html(const checked::Returns& returns, const Collation& c,
                        const std::vector<Reviewed>& reviewed, const ReportInfo& info,
                        const SummaryOptions& o);

// "名册.xlsx，工作表「名册」，单元格 D6：…" — where, and why, in the reports' language.
std::string problem_text(const Problem& p, Lang lang);

// The ID number as reports show it: partly hidden unless show_ids.
std::string shown_id(const std::string& id, bool show_ids);
// The outcome's word: 不能, 不宜, 通过, 无法判定 (or English).
std::string outcome_word(ir::Outcome o, Lang lang);

}  // namespace xy::review
