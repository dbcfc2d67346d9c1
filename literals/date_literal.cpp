// parse_date: 2024-03-01 and 2024年3月1日, validated against the Gregorian calendar.
#include "literal_support.h"

namespace xy::lit {
namespace {

using namespace detail;

const auto year_digits = x3::uint_parser<int, 10, 4, 4>{};
const auto month_day_digits = x3::uint_parser<int, 10, 1, 2>{};

Result<Date, LiteralError> parse_date_impl(std::string_view text) {
  Input in(text);
  if (in.empty()) return fail<Date>(in.empty_offset(), "empty date", "日期为空");
  Iter it = in.begin;

  Iter year_at = it;
  int year = 0;
  if (!match(it, in.end, year_digits, year) || (it != in.end && *it >= '0' && *it <= '9')) {
    return fail<Date>(in, year_at, "expected a four-digit year", "应为四位数年份");
  }
  if (year < 1) return fail<Date>(in, year_at, "year out of range", "年份超出范围");

  bool chinese = false;
  if (eat(it, in.end, "年")) {
    chinese = true;
  } else if (!eat(it, in.end, "-")) {
    return fail<Date>(in, it, "expected `-` or `年` after the year", "年份后应有“-”或“年”");
  }

  Iter month_at = it;
  int month = 0;
  if (!match(it, in.end, month_day_digits, month)) {
    return fail<Date>(in, it, "expected the month", "应为月份");
  }
  if (month < 1 || month > 12) {
    return fail<Date>(in, month_at, "month out of range", "月份超出范围");
  }
  if (!eat(it, in.end, chinese ? "月" : "-")) {
    return chinese ? fail<Date>(in, it, "expected `月` after the month", "月份后应有“月”")
                   : fail<Date>(in, it, "expected `-` after the month", "月份后应有“-”");
  }

  Iter day_at = it;
  int day = 0;
  if (!match(it, in.end, month_day_digits, day)) {
    return fail<Date>(in, it, "expected the day", "应为日");
  }
  if (chinese && !eat(it, in.end, "日") && !eat(it, in.end, "号")) {
    return fail<Date>(in, it, "expected `日` after the day", "日期后应有“日”");
  }
  if (it != in.end) {
    return fail<Date>(in, it, "unexpected text after the date", "日期后有多余内容");
  }

  std::optional<Date> date = Date::from_ymd(year, month, day);
  if (!date) {
    return fail<Date>(in, day_at, "no such day in that month", "该月没有这一天");
  }
  return *date;
}

}  // namespace

Result<Date, LiteralError> parse_date(std::string_view text) {
  return detail::guarded<Date>([&] { return parse_date_impl(text); });
}

}  // namespace xy::lit
