// Tests for parse_date: ISO and Chinese forms, calendar validation and error offsets.
#include <catch2/catch.hpp>

#include "xiangyue/literals/literals.h"

using xy::Date;
using xy::lit::parse_date;

namespace {
Date ok(std::string_view text) {
  auto r = parse_date(text);
  INFO(text << " -> " << (r ? std::string() : r.error().en));
  REQUIRE(r.ok());
  return *r;
}
xy::lit::LiteralError bad(std::string_view text) {
  auto r = parse_date(text);
  INFO(text);
  REQUIRE_FALSE(r.ok());
  CHECK_FALSE(r.error().en.empty());
  CHECK_FALSE(r.error().zh.empty());
  return r.error();
}
Date ymd(int y, int m, int d) {
  return *Date::from_ymd(y, m, d);
}
}  // namespace

TEST_CASE("ISO dates", "[date]") {
  CHECK(ok("2024-03-01") == ymd(2024, 3, 1));
  CHECK(ok("2024-02-29") == ymd(2024, 2, 29));
  CHECK(ok("2024-3-1") == ymd(2024, 3, 1));
  CHECK(ok(" 1970-01-01\t") == ymd(1970, 1, 1));
  CHECK(ok("0001-01-01") == ymd(1, 1, 1));
  CHECK(ok("9999-12-31") == ymd(9999, 12, 31));
}

TEST_CASE("Chinese dates", "[date]") {
  CHECK(ok("2024年3月1日") == ymd(2024, 3, 1));
  CHECK(ok("2024年03月01日") == ymd(2024, 3, 1));
  CHECK(ok("2024年12月31日") == ymd(2024, 12, 31));
  CHECK(ok("2000年2月29日") == ymd(2000, 2, 29));
  CHECK(ok("2024年3月1号") == ymd(2024, 3, 1));
  CHECK(ok(" 2024年3月1日 ") == ymd(2024, 3, 1));
}

TEST_CASE("rejects days the calendar does not have", "[date]") {
  auto e = bad("2024-02-30");
  CHECK(e.offset == 8);
  CHECK(e.en == "no such day in that month");
  CHECK(bad("2023年2月29日").offset == std::string_view("2023年2月").size());
  CHECK(bad("1900-02-29").offset == 8);
  CHECK(bad("2024-04-31").offset == 8);
  CHECK(bad("2024-01-00").offset == 8);
  CHECK(bad("2024-13-01").offset == 5);
  CHECK(bad("2024-00-01").offset == 5);
  CHECK(bad("0000-01-01").offset == 0);
}

TEST_CASE("rejects malformed dates", "[date]") {
  CHECK(bad("").offset == 0);
  CHECK(bad("24-03-01").offset == 0);
  CHECK(bad("20240-03-01").offset == 0);
  CHECK(bad("2024/03/01").offset == 4);
  CHECK(bad("2024-03").offset == 7);
  CHECK(bad("2024-03-").offset == 8);
  CHECK(bad("2024-03-011").offset == 10);
  CHECK(bad("2024年3-1").offset == 8);
  CHECK(bad("2024年3月1").offset == std::string_view("2024年3月1").size());
  CHECK(bad("2024-03-01日").offset == 10);
  CHECK(bad("2024-03-01 x").offset == 10);  // no whitespace inside a date
  CHECK(bad("二〇二四年三月一日").offset == 0);
}
