// The reviewers' filter language (Boost.Spirit X3), translated to a parameterised SQL condition.
//
//   outcome = deny and rule = A7 and as_of >= 2024-01-01 and action = "下派事项"
//   结论 = 不能 且 (规则 = R1_刑事处罚 或 规则 = R4_涉黑涉恶) 且 基准日 >= 2021-01-01
//
// Fields (English | 中文): id | 编号 (integer), time | 时间 (recorded at, ISO date or date-time),
// as_of | 基准日 (date), action | 行为, policy | 政策, outcome | 结论, rule | 规则 (any rule that
// gave a reason), overridden | 例外 (a rule set aside), bundle | 策略包 (hash or a prefix of it
// with `^=`). Operators: = != < <= > >= (dates, time, id only for the ordering ones), `in (a, b)`,
// `^=` (prefix; bundle only), and/or/not (且/或/非), parentheses. Values: bare words (Unicode),
// "quoted strings", dates 2024-01-01, integers.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "xiangyue/common/diagnostic.h"
#include "xiangyue/common/result.h"

namespace xy::audit {

// A condition over the `decisions` table aliased `d` (and `decision_rules` for rule/overridden),
// with `?` placeholders bound, in order, to `params`. Never contains a value from the input.
struct SqlFilter {
  std::string where;
  std::vector<std::string> params;
};

struct FilterError {
  std::size_t offset = 0;  // byte offset into the filter text
  std::size_t length = 1;
  Localized message;
  std::optional<Localized> help;
};

Result<SqlFilter, FilterError> compile_filter(std::string_view text);

// Renders a filter error with the filter text and a caret under the offending part.
std::string render_filter_error(std::string_view text, const FilterError& e, Lang lang);

}  // namespace xy::audit
