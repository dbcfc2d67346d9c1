// Rational arithmetic: normalised int64 fractions computed through 128-bit intermediates.
#include "xiangyue/common/rational.h"

#include <limits>

namespace xy {
namespace {

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

constexpr i128 kMin = std::numeric_limits<std::int64_t>::min();
constexpr i128 kMax = std::numeric_limits<std::int64_t>::max();

u128 magnitude(i128 v) {
  return v < 0 ? u128(0) - u128(v) : u128(v);
}

u128 gcd(u128 a, u128 b) {
  while (b != 0) {
    u128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

// Reduces n/d (d != 0) and returns it if both parts fit in int64 after normalisation.
std::optional<Rational> normalise(i128 n, i128 d) {
  if (d == 0) return std::nullopt;
  bool negative = (n < 0) != (d < 0);
  u128 un = magnitude(n);
  u128 ud = magnitude(d);
  u128 g = gcd(un, ud);
  if (g > 1) {
    un /= g;
    ud /= g;
  }
  if (un == 0) return Rational{0, 1};
  if (ud > u128(kMax)) return std::nullopt;
  i128 num;
  if (negative) {
    if (un > magnitude(kMin)) return std::nullopt;
    num = -i128(un);
  } else {
    if (un > u128(kMax)) return std::nullopt;
    num = i128(un);
  }
  return Rational{static_cast<std::int64_t>(num), static_cast<std::int64_t>(ud)};
}

}  // namespace

std::optional<Rational> Rational::make(std::int64_t num, std::int64_t den) {
  return normalise(num, den);
}

std::string Rational::to_string() const {
  std::string s = std::to_string(num);
  if (den != 1) {
    s.push_back('/');  // not `s += "/" + ...`: GCC 12 -O2 reports a false -Wrestrict there
    s += std::to_string(den);
  }
  return s;
}

std::strong_ordering operator<=>(const Rational& a, const Rational& b) {
  // Denominators are positive, so cross-multiplying preserves the order; |products| < 2^126.
  i128 lhs = i128(a.num) * b.den;
  i128 rhs = i128(b.num) * a.den;
  if (lhs < rhs) return std::strong_ordering::less;
  if (lhs > rhs) return std::strong_ordering::greater;
  return std::strong_ordering::equal;
}

std::optional<Rational> add(Rational a, Rational b) {
  // Each product is below 2^126 in magnitude, so their sum fits in 128 bits.
  return normalise(i128(a.num) * b.den + i128(b.num) * a.den, i128(a.den) * b.den);
}

std::optional<Rational> sub(Rational a, Rational b) {
  return normalise(i128(a.num) * b.den - i128(b.num) * a.den, i128(a.den) * b.den);
}

std::optional<Rational> mul(Rational a, Rational b) {
  return normalise(i128(a.num) * b.num, i128(a.den) * b.den);
}

std::optional<Rational> div(Rational a, Rational b) {
  if (b.num == 0) return std::nullopt;
  return normalise(i128(a.num) * b.den, i128(a.den) * b.num);
}

}  // namespace xy
