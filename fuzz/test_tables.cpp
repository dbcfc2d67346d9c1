// Fuzz target: the test-table reader (Markdown tables of policy test cases). The text is read as
// policies/work-items/tests/fuzz.md, so its cases can name the set's real requests; cases read
// are run against the set. Errors and differences for people are valid UTF-8.
#include "check.h"
#include "policies.h"
#include "xiangyue/tooling/policy_test.h"

// The policies are compiled before fuzzing starts (not within the first input's time limit).
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  xy::fuzz::policy_bundle("work-items");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace xy;
  static const std::string set = fuzz::policies_dir() + "/work-items";
  const Bundle& bundle = fuzz::policy_bundle("work-items");
  std::string_view text = fuzz::as_text(data, size);
  auto cases = policytest::parse_tables(set + "/tests/fuzz.md", text);
  if (!cases) {
    fuzz::require(cases.error().line <= size + 1, "a table error past the last line", text);
    fuzz::require_utf8(cases.error().message.en, "a table error (en)");
    fuzz::require_utf8(cases.error().message.zh, "a table error (zh)");
    return 0;
  }
  auto report = policytest::run(bundle, set, *cases);
  fuzz::require(report.results.size() == cases->size(), "a case was not run");
  for (const auto& r : report.results)
    for (const auto& d : r.diffs)
      for (xy::Lang lang : {xy::Lang::en, xy::Lang::zh})
        fuzz::require_utf8(policytest::describe(d, lang), "a difference in a report");
  return 0;
}
