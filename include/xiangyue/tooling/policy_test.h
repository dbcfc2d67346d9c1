// Policy tests written as Markdown tables beside the policies (docs/testing.md): parse, run,
// report.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "xiangyue/common/diagnostic.h"
#include "xiangyue/common/result.h"
#include "xiangyue/runtime/bundle.h"

namespace xy::policytest {

// An expected list of rule ids or fact paths: nullopt = not checked.
using Expected = std::optional<std::vector<std::string>>;

struct Case {
  std::string file;  // the test file
  std::uint32_t line = 0;
  std::string name;
  std::string request;  // path of the JSON request, resolved against the test file's folder
  std::vector<std::pair<std::string, std::string>> edits;  // fact path, value text
  std::string as_of;                                       // empty: the request's
  std::string policy;                                      // empty: the request's
  std::string outcome;                                     // canonical outcome name, or "error"
  Expected rules, overridden, missing;
  std::string note;
};

// A malformed test file: where and why.
struct TableError {
  std::string file;
  std::uint32_t line = 0;
  Localized message;
};

// Reads every test table in one Markdown file.
Result<std::vector<Case>, TableError> read_tables(const std::string& path);
// The same for a file's text already in memory (`path` names it in cases and errors, and request
// files resolve against its folder).
Result<std::vector<Case>, TableError> parse_tables(const std::string& path, std::string_view text);

// Where a case's result differs from the table: the column, what it expected, what happened.
struct Diff {
  Localized column, expected, actual;
};
// "结论：预期 准许，实际 不准许" / "outcome: expected permit, got deny".
std::string describe(const Diff& d, Lang lang);

struct CaseResult {
  const Case* test = nullptr;
  bool passed = false;
  std::vector<Diff> diffs;
};

struct SetReport {
  std::string set;  // the policy set's directory
  std::vector<CaseResult> results;
  std::vector<std::uint32_t> uncovered;  // rule indexes no case exercised
  std::size_t passed() const;
  std::size_t failed() const;
};

// A directory with .xy files of its own is one policy set; otherwise each subfolder holding .xy
// files is one (sorted).
std::vector<std::string> find_sets(const std::string& path);
// The Markdown test files under a set's `tests/` folder (sorted).
std::vector<std::string> test_files(const std::string& set);
// Every test case of a set, from all its test files.
Result<std::vector<Case>, TableError> read_set_tables(const std::string& set);

// Runs cases against a compiled bundle of their policy set.
SetReport run(const Bundle& bundle, const std::string& set, const std::vector<Case>& cases);

// The canonical outcome name for a cell (`准许` → permit, …); empty when unknown.
std::string canonical_outcome(const std::string& cell);

}  // namespace xy::policytest
