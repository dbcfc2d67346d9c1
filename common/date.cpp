// Dates as days since the epoch, and calendar arithmetic with legal durations.
#include "xiangyue/common/date.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <limits>

namespace xy {
namespace {

namespace chr = std::chrono;

constexpr int kMinYear = 1;
constexpr int kMaxYear = 9999;

chr::year_month_day to_ymd(Date d) {
  return chr::year_month_day{chr::sys_days{chr::days{d.days}}};
}

Date from_sys(chr::sys_days sd) {
  return Date{static_cast<std::int32_t>(sd.time_since_epoch().count())};
}

bool year_in_range(std::int64_t y) {
  return y >= kMinYear && y <= kMaxYear;
}

// Shifts by `months` (clamping the day to the month's end), then by `days`.
std::optional<Date> shift(Date d, std::int64_t months, std::int64_t days) {
  chr::year_month_day ymd = to_ymd(d);
  std::int64_t index = std::int64_t(int(ymd.year())) * 12 + (unsigned(ymd.month()) - 1) + months;
  std::int64_t y = index >= 0 ? index / 12 : -((-index + 11) / 12);
  std::int64_t m = index - y * 12 + 1;
  if (!year_in_range(y)) return std::nullopt;
  chr::year_month ym{chr::year{int(y)}, chr::month{unsigned(m)}};
  chr::day last = chr::year_month_day_last{ym.year(), chr::month_day_last{ym.month()}}.day();
  chr::day day = ymd.day() > last ? last : ymd.day();
  chr::sys_days moved{ym / day};
  std::int64_t total = std::int64_t(moved.time_since_epoch().count()) + days;
  // Any in-range date is well within int32; reject values far outside before converting.
  if (total < std::numeric_limits<std::int32_t>::min() / 2 ||
      total > std::numeric_limits<std::int32_t>::max() / 2) {
    return std::nullopt;
  }
  Date out{static_cast<std::int32_t>(total)};
  if (!year_in_range(out.year())) return std::nullopt;
  return out;
}

}  // namespace

std::optional<Date> Date::from_ymd(int year, int month, int day) {
  if (!year_in_range(year) || month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  chr::year_month_day ymd{chr::year{year}, chr::month{unsigned(month)}, chr::day{unsigned(day)}};
  if (!ymd.ok()) return std::nullopt;
  return from_sys(chr::sys_days{ymd});
}

int Date::year() const {
  return int(to_ymd(*this).year());
}
int Date::month() const {
  return int(unsigned(to_ymd(*this).month()));
}
int Date::day() const {
  return int(unsigned(to_ymd(*this).day()));
}

std::string Date::to_string() const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year(), month(), day());
  return buf;
}

namespace {
// Appends e.g. "-6个月"; built with append() because GCC 12 -O2 reports a false -Wrestrict on
// `const char* + std::string`.
void append_part(std::string& out, bool negative, std::int64_t n, const char* unit) {
  if (negative) out.push_back('-');
  out.append(std::to_string(n)).append(unit);
}
}  // namespace

std::string Duration::to_string() const {
  if (months == 0 && days == 0) return "0日";
  std::string out;
  std::int64_t abs_m = std::llabs(std::int64_t(months));
  if (abs_m / 12 != 0) append_part(out, months < 0, abs_m / 12, "年");
  if (abs_m % 12 != 0) append_part(out, months < 0, abs_m % 12, "个月");
  if (days != 0) append_part(out, false, days, "日");
  return out;
}

std::optional<Date> add(Date d, Duration dur) {
  return shift(d, dur.months, dur.days);
}

std::optional<Date> subtract(Date d, Duration dur) {
  return shift(d, -std::int64_t(dur.months), -std::int64_t(dur.days));
}

// Counts N such that from + N年 (with the same end-of-month clamping as add) is on or before
// `to`, so someone born on 02-29 completes a year on 02-28 of a common year.
int whole_years_between(Date from, Date to) {
  if (to < from) return -whole_years_between(to, from);
  int years = to.year() - from.year();
  std::optional<Date> anniversary = shift(from, std::int64_t(years) * 12, 0);
  if (anniversary && *anniversary > to) --years;
  return years;
}

std::optional<std::strong_ordering> compare(const Duration& a, const Duration& b) {
  if (a.days == 0 && b.days == 0) return a.months <=> b.months;
  if (a.months == 0 && b.months == 0) return a.days <=> b.days;
  return std::nullopt;
}

Date Date::today() {
  auto days = chr::floor<chr::days>(chr::system_clock::now());
  return Date{static_cast<std::int32_t>(days.time_since_epoch().count())};
}

std::string utc_timestamp(bool with_ms) {
  auto ms =
      chr::duration_cast<chr::milliseconds>(chr::system_clock::now().time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  if (with_ms)
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms % 1000));
  else
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

}  // namespace xy
