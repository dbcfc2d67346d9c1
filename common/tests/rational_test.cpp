// Unit tests for xy::Rational: normalisation, ordering, arithmetic and overflow.
#include <catch2/catch.hpp>
#include <limits>

#include "xiangyue/common/rational.h"

using xy::Rational;

namespace {
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
Rational r(std::int64_t n, std::int64_t d) {
  return *Rational::make(n, d);
}
}  // namespace

TEST_CASE("make normalises fractions", "[rational]") {
  CHECK(r(2, 4) == Rational{1, 2});
  CHECK(r(-2, 4) == Rational{-1, 2});
  CHECK(r(2, -4) == Rational{-1, 2});
  CHECK(r(-2, -4) == Rational{1, 2});
  CHECK(r(0, -7) == Rational{0, 1});
  CHECK(r(6, 3) == Rational::integer(2));
  CHECK(r(6, 3).is_integer());
  CHECK_FALSE(r(1, 3).is_integer());
  CHECK(r(kMax, kMax) == Rational{1, 1});
  CHECK(r(kMin, kMin) == Rational{1, 1});
  CHECK(r(kMin, 2) == Rational{kMin / 2, 1});
}

TEST_CASE("make rejects zero denominators and unrepresentable results", "[rational]") {
  CHECK_FALSE(Rational::make(1, 0));
  CHECK_FALSE(Rational::make(0, 0));
  CHECK_FALSE(Rational::make(kMin, -1));  // 2^63 does not fit
  CHECK_FALSE(Rational::make(1, kMin));   // denominator 2^63 does not fit
  CHECK(Rational::make(2, kMin) == Rational{-1, -(kMin / 2)});
}

TEST_CASE("to_string prints integers and fractions", "[rational]") {
  CHECK(Rational::integer(3).to_string() == "3");
  CHECK(r(-2, 3).to_string() == "-2/3");
  CHECK(r(4, -6).to_string() == "-2/3");
  CHECK(Rational{}.to_string() == "0");
  CHECK(Rational::integer(kMin).to_string() == "-9223372036854775808");
}

TEST_CASE("ordering is exact", "[rational]") {
  CHECK(r(1, 3) < r(1, 2));
  CHECK(r(-1, 2) < r(-1, 3));
  CHECK(r(2, 3) > r(3, 5));
  CHECK((r(2, 4) <=> r(1, 2)) == std::strong_ordering::equal);
  // These differ only far below double precision.
  CHECK_FALSE(r(kMax - 1, kMax) < r(kMax - 2, kMax - 1));
  CHECK(r(kMax - 2, kMax - 1) < r(kMax - 1, kMax));
  CHECK(Rational::integer(kMin) < Rational::integer(kMax));
  CHECK(r(1, kMax) > Rational{0, 1});
}

TEST_CASE("arithmetic", "[rational]") {
  CHECK(xy::add(r(1, 2), r(1, 3)) == r(5, 6));
  CHECK(xy::add(r(1, 2), r(1, 2)) == Rational::integer(1));
  CHECK(xy::sub(r(1, 2), r(1, 3)) == r(1, 6));
  CHECK(xy::sub(r(1, 3), r(1, 2)) == r(-1, 6));
  CHECK(xy::mul(r(2, 3), r(3, 4)) == r(1, 2));
  CHECK(xy::mul(r(-2, 3), r(3, 4)) == r(-1, 2));
  CHECK(xy::div(r(2, 3), r(4, 9)) == r(3, 2));
  CHECK(xy::div(r(2, 3), r(-4, 9)) == r(-3, 2));
  CHECK(xy::mul(Rational::integer(0), r(5, 7)) == Rational{0, 1});
}

TEST_CASE("division by zero gives nullopt", "[rational]") {
  CHECK_FALSE(xy::div(r(1, 2), Rational::integer(0)));
  CHECK_FALSE(xy::div(Rational::integer(0), Rational::integer(0)));
}

TEST_CASE("overflow gives nullopt", "[rational]") {
  CHECK_FALSE(xy::add(Rational::integer(kMax), Rational::integer(1)));
  CHECK_FALSE(xy::sub(Rational::integer(kMin), Rational::integer(1)));
  CHECK_FALSE(xy::mul(Rational::integer(kMax), Rational::integer(2)));
  CHECK_FALSE(xy::mul(Rational::integer(kMin), Rational::integer(-1)));
  CHECK_FALSE(xy::div(Rational::integer(kMin), Rational::integer(-1)));
  CHECK_FALSE(xy::div(Rational::integer(1), Rational::integer(kMin)));
  CHECK_FALSE(xy::add(r(1, kMax), r(1, kMax - 1)));  // denominator overflows
  CHECK_FALSE(xy::mul(r(1, 3037000500), r(1, 3037000500)));
}

TEST_CASE("intermediates wider than int64 still give exact results", "[rational]") {
  // kMax * 2 overflows int64, but the reduced result fits.
  CHECK(xy::mul(r(kMax, 3), r(3, kMax)) == Rational::integer(1));
  CHECK(xy::add(Rational::integer(kMax), Rational::integer(kMin)) == Rational::integer(-1));
  CHECK(xy::sub(Rational::integer(kMin + 1), Rational::integer(1)) == Rational::integer(kMin));
  CHECK(xy::div(Rational::integer(kMax), Rational::integer(kMax)) == Rational::integer(1));
  CHECK(xy::add(r(kMax, 2), r(kMax, 2)) == Rational::integer(kMax));
}
