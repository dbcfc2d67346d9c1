// Calendar dates and legal durations (years, months, days) with calendar arithmetic.
#pragma once
#include <compare>
#include <cstdint>
#include <optional>
#include <string>

namespace xy {

// A proleptic Gregorian date stored as days since 1970-01-01.
struct Date {
  std::int32_t days = 0;

  static std::optional<Date> from_ymd(int year, int month, int day);  // nullopt if invalid
  static Date today();                                                // in UTC
  int year() const;
  int month() const;              // 1..12
  int day() const;                // 1..31
  std::string to_string() const;  // ISO "2024-03-01"

  friend bool operator==(const Date&, const Date&) = default;
  friend auto operator<=>(const Date&, const Date&) = default;
};

// The current time in UTC, ISO 8601: "2026-11-26T07:31:45.123Z" (with_ms) or "…T07:31:45Z".
std::string utc_timestamp(bool with_ms = true);

// A duration as the law states it: months (a year is 12) and days (a week is 7).
struct Duration {
  std::int32_t months = 0;
  std::int32_t days = 0;

  std::string to_string() const;  // "5年", "6个月", "30日", "1年6个月"; zero is "0日"
  friend bool operator==(const Duration&, const Duration&) = default;
};

// Adds a duration: months first (the day is clamped to the month's end, so 2020-02-29 + 1年 is
// 2021-02-28), then days. nullopt when the result leaves years 1..9999.
std::optional<Date> add(Date d, Duration dur);
std::optional<Date> subtract(Date d, Duration dur);
// Whole years completed from `from` to `to` (age on a date); negative when to < from.
int whole_years_between(Date from, Date to);
// Durations compare only when both are pure months or both pure days; otherwise nullopt.
std::optional<std::strong_ordering> compare(const Duration& a, const Duration& b);

}  // namespace xy
