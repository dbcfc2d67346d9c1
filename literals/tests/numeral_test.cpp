// Tests for parse_cn_numeral: Chinese numerals 1..9999, Arabic digits, and malformed numerals.
#include <catch2/catch.hpp>

#include "xiangyue/literals/literals.h"

using xy::lit::parse_cn_numeral;

namespace {
int ok(std::string_view text) {
  auto r = parse_cn_numeral(text);
  INFO(text << " -> " << (r ? std::string() : r.error().en));
  REQUIRE(r.ok());
  return *r;
}
std::size_t bad(std::string_view text) {
  auto r = parse_cn_numeral(text);
  INFO(text);
  REQUIRE_FALSE(r.ok());
  CHECK_FALSE(r.error().en.empty());
  CHECK_FALSE(r.error().zh.empty());
  return r.error().offset;
}
}  // namespace

TEST_CASE("single digits and tens", "[numeral]") {
  CHECK(ok("一") == 1);
  CHECK(ok("二") == 2);
  CHECK(ok("九") == 9);
  CHECK(ok("十") == 10);
  CHECK(ok("十五") == 15);
  CHECK(ok("一十五") == 15);
  CHECK(ok("二十") == 20);
  CHECK(ok("二十四") == 24);
  CHECK(ok("九十九") == 99);
}

TEST_CASE("hundreds with 零", "[numeral]") {
  CHECK(ok("一百") == 100);
  CHECK(ok("一百零三") == 103);
  CHECK(ok("一百一十") == 110);
  CHECK(ok("一百一十五") == 115);
  CHECK(ok("三百四十") == 340);
  CHECK(ok("九百九十九") == 999);
  CHECK(ok("两百") == 200);
}

TEST_CASE("thousands", "[numeral]") {
  CHECK(ok("一千") == 1000);
  CHECK(ok("两千") == 2000);
  CHECK(ok("二千零二十四") == 2024);
  CHECK(ok("两千零二十四") == 2024);
  CHECK(ok("一千零五") == 1005);
  CHECK(ok("一千零十") == 1010);
  CHECK(ok("一千零一十") == 1010);
  CHECK(ok("一千二百") == 1200);
  CHECK(ok("一千两百") == 1200);
  CHECK(ok("一千二百零五") == 1205);
  CHECK(ok("一千二百三十四") == 1234);
  CHECK(ok("九千九百九十九") == 9999);
}

TEST_CASE("Arabic digits and whitespace", "[numeral]") {
  CHECK(ok("81") == 81);
  CHECK(ok("007") == 7);
  CHECK(ok(" 二十四 ") == 24);
  CHECK(ok("2147483647") == 2147483647);
}

TEST_CASE("rejects malformed numerals", "[numeral]") {
  CHECK(bad("十十") == 3);
  CHECK(bad("零") == 0);
  CHECK(bad("0") == 0);
  CHECK(bad("") == 0);
  CHECK(bad("  ") == 2);
  CHECK(bad("两") == 0);
  CHECK(bad("百") == 0);
  CHECK(bad("千") == 0);
  CHECK(bad("一百零") == 6);
  CHECK(bad("一百十") == 6);
  CHECK(bad("一千一十") == 6);
  CHECK(bad("一万") == 3);
  CHECK(bad("二十三百") == 9);
  CHECK(bad("一二") == 3);
  CHECK(bad("-1") == 0);
  CHECK(bad("2147483648") == 0);
  CHECK(bad("12a") == 2);
  CHECK(bad("a") == 0);
  CHECK(bad(" 十 十") == 4);
}

TEST_CASE("format_cn_numeral writes what parse_cn_numeral reads", "[numeral]") {
  using xy::lit::format_cn_numeral;
  CHECK(format_cn_numeral(1) == "一");
  CHECK(format_cn_numeral(10) == "十");
  CHECK(format_cn_numeral(15) == "十五");
  CHECK(format_cn_numeral(24) == "二十四");
  CHECK(format_cn_numeral(100) == "一百");
  CHECK(format_cn_numeral(103) == "一百零三");
  CHECK(format_cn_numeral(110) == "一百一十");
  CHECK(format_cn_numeral(1010) == "一千零一十");
  CHECK(format_cn_numeral(2024) == "二千零二十四");
  CHECK(format_cn_numeral(0) == "0");
  for (int n = 1; n <= 9999; ++n) {
    auto back = parse_cn_numeral(format_cn_numeral(n));
    INFO(n << " -> " << format_cn_numeral(n));
    REQUIRE(back.ok());
    REQUIRE(*back == n);
  }
}
