// Tests for parse_duration: Chinese and English units, combinations, and rejected durations.
#include <catch2/catch.hpp>

#include "xiangyue/literals/literals.h"

using xy::Duration;
using xy::lit::parse_duration;

namespace {
Duration ok(std::string_view text) {
  auto r = parse_duration(text);
  INFO(text << " -> " << (r ? std::string() : r.error().en));
  REQUIRE(r.ok());
  return *r;
}
std::size_t bad(std::string_view text) {
  auto r = parse_duration(text);
  INFO(text);
  REQUIRE_FALSE(r.ok());
  CHECK_FALSE(r.error().en.empty());
  CHECK_FALSE(r.error().zh.empty());
  return r.error().offset;
}
}  // namespace

TEST_CASE("Chinese units", "[duration]") {
  CHECK(ok("5年") == Duration{60, 0});
  CHECK(ok("6个月") == Duration{6, 0});
  CHECK(ok("30日") == Duration{0, 30});
  CHECK(ok("30天") == Duration{0, 30});
  CHECK(ok("2周") == Duration{0, 14});
  CHECK(ok("1年6个月") == Duration{18, 0});
  CHECK(ok("1年零6个月") == Duration{18, 0});
  CHECK(ok("1年2个月3日") == Duration{14, 3});
  CHECK(ok("0日") == Duration{});
  CHECK(ok("三年") == Duration{36, 0});
  CHECK(ok("十五日") == Duration{0, 15});
  CHECK(ok(" 5 年 ") == Duration{60, 0});
}

TEST_CASE("English units", "[duration]") {
  CHECK(ok("5 years") == Duration{60, 0});
  CHECK(ok("1 year") == Duration{12, 0});
  CHECK(ok("6 months") == Duration{6, 0});
  CHECK(ok("1 month") == Duration{1, 0});
  CHECK(ok("30 days") == Duration{0, 30});
  CHECK(ok("1 day") == Duration{0, 1});
  CHECK(ok("2 weeks") == Duration{0, 14});
  CHECK(ok("5years") == Duration{60, 0});
  CHECK(ok("1 year 6 months") == Duration{18, 0});
}

TEST_CASE("round trip through Duration::to_string", "[duration]") {
  for (const char* s : {"5年", "6个月", "1年6个月", "30日", "0日"}) {
    CHECK(ok(s).to_string() == s);
  }
}

TEST_CASE("rejects unknown units and malformed durations", "[duration]") {
  CHECK(bad("5 parsecs") == 2);
  CHECK(bad("5") == 1);
  CHECK(bad("") == 0);
  CHECK(bad("年") == 0);
  CHECK(bad("-5年") == 0);
  CHECK(bad("5 yearsx") == 2);
  CHECK(bad("6月") == 1);
  CHECK(bad("1.5年") == 1);
  CHECK(bad("6个月1年") == std::string_view("6个月").size());
  CHECK(bad("1年1年") == std::string_view("1年").size());
  CHECK(bad("5年 x") == std::string_view("5年 ").size());
  CHECK(bad("99999999999年") == 0);
  CHECK(bad("200000000年") == 0);
  CHECK(bad("十十年") == 3);
  CHECK(bad("2周零") == std::string_view("2周零").size());  // 零 then the end (fuzz)
}
