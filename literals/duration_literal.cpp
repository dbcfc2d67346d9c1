// parse_duration: 5年, 6个月, 30日/30天, 2周, 1年6个月, and English 5 years, 6 months, 2 weeks.
#include <cstdint>
#include <limits>

#include "literal_support.h"

namespace xy::lit {
namespace {

using namespace detail;

// Units ranked from largest to smallest; a duration lists each unit at most once, in order.
enum Unit { kYear = 0, kMonth = 1, kWeek = 2, kDay = 3 };

const x3::symbols<Unit> unit_name({{"年", kYear},
                                   {"个月", kMonth},
                                   {"周", kWeek},
                                   {"星期", kWeek},
                                   {"日", kDay},
                                   {"天", kDay},
                                   {"years", kYear},
                                   {"year", kYear},
                                   {"months", kMonth},
                                   {"month", kMonth},
                                   {"weeks", kWeek},
                                   {"week", kWeek},
                                   {"days", kDay},
                                   {"day", kDay}},
                                  "duration unit");

const auto count_digits = x3::uint_parser<std::int64_t>{};

bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

Result<Duration, LiteralError> parse_duration_impl(std::string_view text) {
  Input in(text);
  if (in.empty()) return fail<Duration>(in.empty_offset(), "empty duration", "期限为空");
  Iter it = in.begin;
  std::int64_t months = 0;
  std::int64_t days = 0;
  int next_rank = kYear;
  while (it != in.end) {
    if (next_rank > kYear) eat(it, in.end, "零");  // 1年零6个月
    Iter count_at = it;
    std::int64_t count = 0;
    if (it != in.end && *it >= '0' && *it <= '9') {
      if (!match(it, in.end, count_digits, count) || count > std::numeric_limits<int>::max()) {
        return fail<Duration>(in, count_at, "number too large", "数字过大");
      }
    } else {
      int cn = 0;
      NumeralStatus st = parse_numeral_at(it, in.end, cn);
      if (st == NumeralStatus::none && it != in.end && *it == '-') {  // `1年零` ends here
        return fail<Duration>(in, it, "a duration cannot be negative", "期限不能为负数");
      }
      if (st != NumeralStatus::ok) {
        return fail<Duration>(numeral_error(in, it, st, "a number of years, months, weeks or days",
                                            "年、月、周或日的数量"));
      }
      count = cn;
    }
    skip_ws(it, in.end);
    Iter unit_at = it;
    Unit unit = kDay;
    if (!match(it, in.end, unit_name, unit) || (it != in.end && is_ascii_letter(*it))) {
      return fail<Duration>(
          in, unit_at, "expected a unit: `年`, `个月`, `周`, `日` or years, months, weeks, days",
          "应为时间单位：“年”“个月”“周”“日”");
    }
    if (unit < next_rank) {
      return fail<Duration>(in, count_at, "units must go from largest to smallest, each once",
                            "时间单位应从大到小排列且不重复");
    }
    next_rank = unit + 1;
    switch (unit) {
      case kYear:
        months += count * 12;
        break;
      case kMonth:
        months += count;
        break;
      case kWeek:
        days += count * 7;
        break;
      case kDay:
        days += count;
        break;
    }
    if (months > std::numeric_limits<std::int32_t>::max() ||
        days > std::numeric_limits<std::int32_t>::max()) {
      return fail<Duration>(in, count_at, "duration too long", "期限过长");
    }
    skip_ws(it, in.end);
  }
  return Duration{std::int32_t(months), std::int32_t(days)};
}

}  // namespace

Result<Duration, LiteralError> parse_duration(std::string_view text) {
  return detail::guarded<Duration>([&] { return parse_duration_impl(text); });
}

}  // namespace xy::lit
