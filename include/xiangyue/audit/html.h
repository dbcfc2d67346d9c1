// The reviewer's view of one recorded decision: a single self-contained HTML page.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "xiangyue/audit/facts_read.h"
#include "xiangyue/common/diagnostic.h"

namespace xy::audit {

// One stored decision as the view needs it (see docs/audit.md for the columns).
struct RecordView {
  std::int64_t seq = 0;
  std::string recorded_at, as_of, action, policy, outcome, bundle, hash, prev_hash;
  std::string request_json;   // the request as stored (sensitive facts already masked)
  std::string decision_json;  // the decision JSON (reasons with text, basis incl. text, location…)
  std::vector<SourceFile>
      sources;  // the bundle's policy sources, to show each rule's text; may be empty
  // The facts the decision's rules read (facts_read.h), computed from the record's bundle; nullopt
  // when not given (the page says so and shows the whole request open).
  std::optional<std::vector<FactRead>> facts_read{};
};

// A complete HTML document (UTF-8) with inline CSS and no script or network fetch: the outcome at
// the top; each deciding rule with its reason, its policy source lines highlighted and the cited
// statute text beside it; overridden rules and the exception that set each aside; missing or
// invalid facts; the facts read by those rules, each with its value; the whole request (collapsed);
// the record's place in the hash chain.
std::string render_html(const RecordView& record, Lang lang);

}  // namespace xy::audit
