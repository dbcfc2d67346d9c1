// Tests for parse_number: integers, exact decimals, fractions, Chinese fractions and amounts.
#include <catch2/catch.hpp>

#include "xiangyue/literals/literals.h"

using xy::Rational;
using xy::lit::parse_number;

namespace {
Rational ok(std::string_view text) {
  auto r = parse_number(text);
  INFO(text << " -> " << (r ? std::string() : r.error().en));
  REQUIRE(r.ok());
  return *r;
}
xy::lit::LiteralError bad(std::string_view text) {
  auto r = parse_number(text);
  INFO(text);
  REQUIRE_FALSE(r.ok());
  CHECK_FALSE(r.error().en.empty());
  CHECK_FALSE(r.error().zh.empty());
  return r.error();
}
Rational q(std::int64_t n, std::int64_t d) {
  return *Rational::make(n, d);
}
Rational i(std::int64_t n) {
  return Rational::integer(n);
}
}  // namespace

TEST_CASE("integers and decimals", "[number]") {
  CHECK(ok("12") == i(12));
  CHECK(ok("-3") == i(-3));
  CHECK(ok("0") == i(0));
  CHECK(ok("-0") == i(0));
  CHECK(ok("1.25") == q(5, 4));
  CHECK(ok("-1.25") == q(-5, 4));
  CHECK(ok("0.1") == q(1, 10));
  CHECK(ok("2.50") == q(5, 2));
  CHECK(ok("3.000000000000000000000") == i(3));
  CHECK(ok(" 42 ") == i(42));
  CHECK(ok("9223372036854775807") == i(9223372036854775807));
}

TEST_CASE("fractions and percentages", "[number]") {
  CHECK(ok("2/3") == q(2, 3));
  CHECK(ok("-2/3") == q(-2, 3));
  CHECK(ok("4/6") == q(2, 3));
  CHECK(ok("三分之二") == q(2, 3));
  CHECK(ok("二分之一") == q(1, 2));
  CHECK(ok("十分之三") == q(3, 10));
  CHECK(ok("3分之2") == q(2, 3));
  CHECK(ok("百分之五") == q(1, 20));
  CHECK(ok("千分之三") == q(3, 1000));
  CHECK(ok("20%") == q(1, 5));
  CHECK(ok("12.5%") == q(1, 8));
}

TEST_CASE("amounts", "[number]") {
  CHECK(ok("20000元") == i(20000));
  CHECK(ok("2万元") == i(20000));
  CHECK(ok("1.5万") == i(15000));
  CHECK(ok("3亿元") == i(300000000));
  CHECK(ok("2亿") == i(200000000));
  CHECK(ok("0.5元") == q(1, 2));
  CHECK(ok("-2万元") == i(-20000));
  CHECK(ok("2 万元") == i(20000));
  CHECK(ok("三万元") == i(30000));
  CHECK(ok("两万元") == i(20000));
  CHECK(ok("十万") == i(100000));
  CHECK(ok("三") == i(3));
}

TEST_CASE("rejects division by zero and incomplete fractions", "[number]") {
  auto e = bad("1/0");
  CHECK(e.offset == 2);
  CHECK(e.en == "denominator must not be zero");
  CHECK(bad("1/").offset == 2);
  CHECK(bad("0分之1").offset == 0);
  CHECK(bad("三分之").offset == std::string_view("三分之").size());
  CHECK(bad("三分之零").offset == std::string_view("三分之").size());
  CHECK(bad("1.5/2").offset == 3);
  CHECK(bad("2/3万元").offset == 3);
  CHECK(bad("三分之二元").offset == std::string_view("三分之二").size());
}

TEST_CASE("rejects malformed numbers", "[number]") {
  CHECK(bad("").offset == 0);
  CHECK(bad("-").offset == 1);
  CHECK(bad("1.").offset == 2);
  CHECK(bad(".5").offset == 0);
  CHECK(bad("5 parsecs").offset == 2);
  CHECK(bad("1,000").offset == 1);
  CHECK(bad("1万万").offset == std::string_view("1万").size());
  CHECK(bad("--1").offset == 1);
  CHECK(bad("两").offset == 0);
  CHECK(bad("9223372036854775808").offset == 0);
  CHECK(bad("100000000000亿").offset == 0);
  CHECK(bad("0.0000000000000000001").offset == 0);
}
