// Parsers for the literals inside policies (Boost.Spirit X3): citations, Chinese numerals,
// dates, durations, numbers, fractions and amounts. Each parser consumes the whole input.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "xiangyue/common/date.h"
#include "xiangyue/common/rational.h"
#include "xiangyue/common/result.h"

namespace xy::lit {

// Why a literal was rejected: the byte offset into the input where it went wrong, and a short
// lowercase message in English and in Chinese (names in backticks).
struct LiteralError {
  std::size_t offset = 0;
  std::string en;
  std::string zh;
};

// A legal citation split into its parts. `cite` is the input as written (trimmed).
// Accepted forms (whitespace between parts is allowed):
//   《村民委员会组织法》第二十四条第一款第（三）项     law + article + paragraph + item
//   《立法法》（2023年修正）第八十一条                  version in parentheses after the title
//   《立法法（2023）》第八十一条                        version inside the title brackets
//   立法法 art. 81(1)   立法法 2023 art. 81(1)(3)       English form: law [version] art.
//   N(para)(item) 某省村两委换届候选人资格审查办法 第四条第一项        a bare title, then the
//   article 县《村级组织工作事项准入办法》第五条                 an issuer before the title: issuer
//   = "县" 民政部等六部门《关于……的指导意见》                    a whole document: no article
// Rejected: empty input, unbalanced 《》, 款 or 项 without 条 before it, numerals that are not
// numbers (第十十条), zero articles, trailing text that is not part of a citation.
struct Citation {
  std::string issuer;                  // "" when none
  std::string law;                     // the title without 《》 and without the version
  std::optional<std::string> version;  // "2023", "2023年修正", as written inside the parentheses
  std::optional<int> article;
  std::optional<int> paragraph;
  std::optional<int> item;
  std::string cite;
};
Result<Citation, LiteralError> parse_citation(std::string_view text);

// Chinese numerals up to 9999 (一百零三, 二千零二十四, 十五, 两千) or Arabic digits. Rejects 0.
Result<int, LiteralError> parse_cn_numeral(std::string_view text);
// The inverse for 1..9999 (24 → 二十四, 15 → 十五, 103 → 一百零三); other numbers in digits.
std::string format_cn_numeral(int n);

// Dates: 2024-03-01 and 2024年3月1日 (also 2024年03月01日); validated against the calendar.
Result<Date, LiteralError> parse_date(std::string_view text);

// Durations: 5年, 6个月, 30日, 30天, 2周, 1年6个月, and English 5 years, 1 year, 6 months,
// 30 days, 2 weeks (the space is optional). Numbers are non-negative integers.
Result<Duration, LiteralError> parse_duration(std::string_view text);

// Exact numbers: 12, -3, 1.25, 2/3, 三分之二, 二分之一; amounts 20000元, 2万元, 1.5万, 3亿元.
Result<Rational, LiteralError> parse_number(std::string_view text);

}  // namespace xy::lit
