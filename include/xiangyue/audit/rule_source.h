// Where a rule stands in its policy source: shared by the text and the HTML views of a decision.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "xiangyue/common/diagnostic.h"

namespace xy::audit {

// The source file whose path is `file` (exactly, else the one that ends with it or it ends with).
const SourceFile* find_source(const std::vector<SourceFile>& sources, const std::string& file);

// The lines of the rule that starts at 1-based `line` and ends on `end_line` (the compiler's
// extent, recorded with each decision), at most 40 lines; `context_from` includes up to three
// comment lines right above it. Records written before extents were kept (end_line 0) get the
// old guess: up to the next rule, a blank line or `}`, at most 12 lines. Indexes are 0-based into
// `lines`. Empty when the line is outside the file.
struct RuleExtent {
  std::vector<std::string_view> lines;  // every line of the file
  std::size_t context_from = 0, first = 0, last = 0;
  bool cut = false;  // the rule goes on past the lines shown
};
std::optional<RuleExtent> rule_extent(const SourceFile& src, std::size_t line,
                                      std::size_t end_line = 0);

}  // namespace xy::audit
