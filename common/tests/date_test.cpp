// Unit tests for xy::Date and xy::Duration: validation, calendar arithmetic, ages, formatting.
#include <catch2/catch.hpp>

#include "xiangyue/common/date.h"

using xy::Date;
using xy::Duration;

namespace {
Date ymd(int y, int m, int d) {
  return *Date::from_ymd(y, m, d);
}
Duration years(int n) {
  return Duration{n * 12, 0};
}
Duration months(int n) {
  return Duration{n, 0};
}
Duration days(int n) {
  return Duration{0, n};
}
}  // namespace

TEST_CASE("from_ymd and accessors", "[date]") {
  CHECK(ymd(1970, 1, 1).days == 0);
  CHECK(ymd(1970, 1, 2).days == 1);
  CHECK(ymd(1969, 12, 31).days == -1);
  CHECK(ymd(2000, 3, 1).days == 11017);
  Date d = ymd(2024, 2, 29);
  CHECK(d.year() == 2024);
  CHECK(d.month() == 2);
  CHECK(d.day() == 29);
  CHECK(ymd(1, 1, 1).year() == 1);
  CHECK(ymd(9999, 12, 31).day() == 31);
}

TEST_CASE("from_ymd rejects invalid dates", "[date]") {
  CHECK_FALSE(Date::from_ymd(2023, 2, 29));
  CHECK_FALSE(Date::from_ymd(1900, 2, 29));
  CHECK(Date::from_ymd(2000, 2, 29));
  CHECK_FALSE(Date::from_ymd(2024, 2, 30));
  CHECK_FALSE(Date::from_ymd(2024, 4, 31));
  CHECK_FALSE(Date::from_ymd(2024, 13, 1));
  CHECK_FALSE(Date::from_ymd(2024, 0, 1));
  CHECK_FALSE(Date::from_ymd(2024, 1, 0));
  CHECK_FALSE(Date::from_ymd(2024, -1, 1));
  CHECK_FALSE(Date::from_ymd(0, 1, 1));
  CHECK_FALSE(Date::from_ymd(10000, 1, 1));
}

TEST_CASE("to_string is ISO", "[date]") {
  CHECK(ymd(2024, 3, 1).to_string() == "2024-03-01");
  CHECK(ymd(1, 1, 1).to_string() == "0001-01-01");
  CHECK(ymd(9999, 12, 31).to_string() == "9999-12-31");
}

TEST_CASE("dates are ordered", "[date]") {
  CHECK(ymd(2024, 1, 1) < ymd(2024, 1, 2));
  CHECK(ymd(1969, 12, 31) < ymd(1970, 1, 1));
  CHECK(ymd(2024, 1, 1) == ymd(2024, 1, 1));
}

TEST_CASE("add clamps to the end of the month", "[date]") {
  CHECK(xy::add(ymd(2020, 2, 29), years(1)) == ymd(2021, 2, 28));
  CHECK(xy::add(ymd(2020, 2, 29), years(4)) == ymd(2024, 2, 29));
  CHECK(xy::add(ymd(2024, 1, 31), months(1)) == ymd(2024, 2, 29));
  CHECK(xy::add(ymd(2023, 1, 31), months(1)) == ymd(2023, 2, 28));
  CHECK(xy::add(ymd(2024, 3, 31), months(1)) == ymd(2024, 4, 30));
  CHECK(xy::add(ymd(2024, 11, 15), months(2)) == ymd(2025, 1, 15));
  CHECK(xy::add(ymd(2024, 1, 15), Duration{18, 0}) == ymd(2025, 7, 15));
}

TEST_CASE("add applies months before days", "[date]") {
  // 01-31 + 1 month = 02-29, then + 1 day = 03-01 (days first would give 03-01 + 1 month).
  CHECK(xy::add(ymd(2024, 1, 31), Duration{1, 1}) == ymd(2024, 3, 1));
  CHECK(xy::add(ymd(2024, 1, 1), days(30)) == ymd(2024, 1, 31));
  CHECK(xy::add(ymd(2024, 2, 28), days(1)) == ymd(2024, 2, 29));
  CHECK(xy::add(ymd(2023, 12, 31), days(1)) == ymd(2024, 1, 1));
  CHECK(xy::add(ymd(2024, 3, 1), Duration{}) == ymd(2024, 3, 1));
}

TEST_CASE("subtract", "[date]") {
  CHECK(xy::subtract(ymd(2024, 3, 31), months(1)) == ymd(2024, 2, 29));
  CHECK(xy::subtract(ymd(2024, 1, 15), months(1)) == ymd(2023, 12, 15));
  CHECK(xy::subtract(ymd(2024, 1, 1), days(1)) == ymd(2023, 12, 31));
  CHECK(xy::subtract(ymd(2024, 2, 29), years(1)) == ymd(2023, 2, 28));
  CHECK(xy::subtract(ymd(2024, 3, 1), Duration{12, 1}) == ymd(2023, 2, 28));
}

TEST_CASE("add and subtract stay within years 1..9999", "[date]") {
  CHECK_FALSE(xy::add(ymd(9999, 12, 31), days(1)));
  CHECK_FALSE(xy::add(ymd(9999, 12, 1), months(1)));
  CHECK_FALSE(xy::subtract(ymd(1, 1, 1), days(1)));
  CHECK_FALSE(xy::subtract(ymd(1, 1, 31), months(1)));
  CHECK(xy::add(ymd(9999, 12, 30), days(1)) == ymd(9999, 12, 31));
  CHECK_FALSE(xy::add(ymd(2024, 1, 1), Duration{2147483647, 2147483647}));
  CHECK_FALSE(xy::subtract(ymd(2024, 1, 1), Duration{-2147483647 - 1, -2147483647 - 1}));
  CHECK_FALSE(xy::add(ymd(2024, 1, 1), days(2147483647)));
}

TEST_CASE("whole_years_between counts completed years", "[date]") {
  Date born = ymd(2006, 3, 15);
  CHECK(xy::whole_years_between(born, ymd(2024, 3, 14)) == 17);
  CHECK(xy::whole_years_between(born, ymd(2024, 3, 15)) == 18);  // on the birthday
  CHECK(xy::whole_years_between(born, ymd(2024, 3, 16)) == 18);
  CHECK(xy::whole_years_between(born, born) == 0);
  CHECK(xy::whole_years_between(born, ymd(2007, 3, 14)) == 0);
  CHECK(xy::whole_years_between(ymd(2000, 12, 31), ymd(2001, 1, 1)) == 0);
  CHECK(xy::whole_years_between(ymd(2000, 1, 1), ymd(2000, 12, 31)) == 0);
  CHECK(xy::whole_years_between(ymd(2000, 1, 1), ymd(2001, 1, 1)) == 1);
}

TEST_CASE("whole_years_between for a 02-29 birthday matches add", "[date]") {
  Date born = ymd(2004, 2, 29);
  CHECK(xy::whole_years_between(born, ymd(2005, 2, 27)) == 0);
  CHECK(xy::whole_years_between(born, ymd(2005, 2, 28)) == 1);
  CHECK(xy::whole_years_between(born, ymd(2008, 2, 28)) == 3);
  CHECK(xy::whole_years_between(born, ymd(2008, 2, 29)) == 4);
}

TEST_CASE("whole_years_between is negative when to < from", "[date]") {
  CHECK(xy::whole_years_between(ymd(2024, 3, 15), ymd(2006, 3, 15)) == -18);
  CHECK(xy::whole_years_between(ymd(2024, 3, 15), ymd(2006, 3, 16)) == -17);
  CHECK(xy::whole_years_between(ymd(2024, 3, 15), ymd(2024, 3, 14)) == 0);
}

TEST_CASE("Duration::to_string in Chinese", "[duration]") {
  CHECK(years(5).to_string() == "5年");
  CHECK(months(6).to_string() == "6个月");
  CHECK(months(18).to_string() == "1年6个月");
  CHECK(days(30).to_string() == "30日");
  CHECK(Duration{}.to_string() == "0日");
  CHECK(Duration{14, 3}.to_string() == "1年2个月3日");
  CHECK(months(-6).to_string() == "-6个月");
}

TEST_CASE("durations compare only within the same unit", "[duration]") {
  CHECK(xy::compare(years(1), months(12)) == std::strong_ordering::equal);
  CHECK(xy::compare(months(6), years(1)) == std::strong_ordering::less);
  CHECK(xy::compare(days(30), days(7)) == std::strong_ordering::greater);
  CHECK(xy::compare(Duration{}, days(1)) == std::strong_ordering::less);
  CHECK(xy::compare(Duration{}, months(1)) == std::strong_ordering::less);
  CHECK_FALSE(xy::compare(months(1), days(30)));
  CHECK_FALSE(xy::compare(Duration{1, 1}, Duration{1, 1}));
  CHECK_FALSE(xy::compare(Duration{1, 1}, months(1)));
}
