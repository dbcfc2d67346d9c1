// Exact rational numbers for amounts and legal thresholds (never floating point).
#pragma once
#include <compare>
#include <cstdint>
#include <optional>
#include <string>

namespace xy {

// A normalised fraction num/den with den > 0 and gcd(num, den) == 1.
// Arithmetic returns std::nullopt on int64 overflow or division by zero.
struct Rational {
  std::int64_t num = 0;
  std::int64_t den = 1;

  static Rational integer(std::int64_t v) { return {v, 1}; }
  // Builds num/den normalised; nullopt when den == 0.
  static std::optional<Rational> make(std::int64_t num, std::int64_t den);

  bool is_integer() const { return den == 1; }
  std::string to_string() const;  // "3", "-2/3", never a decimal point

  friend bool operator==(const Rational&, const Rational&) = default;
  friend std::strong_ordering operator<=>(const Rational& a, const Rational& b);
};

std::optional<Rational> add(Rational a, Rational b);
std::optional<Rational> sub(Rational a, Rational b);
std::optional<Rational> mul(Rational a, Rational b);
std::optional<Rational> div(Rational a, Rational b);

}  // namespace xy
