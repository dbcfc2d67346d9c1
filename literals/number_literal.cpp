// parse_number: exact numbers 12, -3, 1.25, 2/3, 三分之二, 百分之五, 20%, and amounts 2万元, 3亿元.
#include <cstdint>
#include <string>

#include "literal_support.h"

namespace xy::lit {
namespace {

using namespace detail;
using R = Result<Rational, LiteralError>;

const x3::symbols<std::int64_t> amount_unit(
    {{"元", 1}, {"万元", 10000}, {"万", 10000}, {"亿元", 100000000}, {"亿", 100000000}},
    "amount unit");
const auto digit_run = +ascii_digit;
// 两 is a numeral only before 万 and 亿 here (两万元).
const auto liang_before_unit = x3::lit("两") >> x3::attr(2) >> &(x3::lit("万") | x3::lit("亿"));

bool is_digit(Iter it, Iter end) {
  return it != end && *it >= '0' && *it <= '9';
}

R out_of_range(const Input& in, Iter at) {
  return fail<Rational>(in, at, "number out of range", "数值超出范围");
}

// Reads digits[.digits] at `it` into an exact rational.
R parse_decimal(const Input& in, Iter& it) {
  Iter start = it;
  std::string int_digits;
  std::string frac_digits;
  match(it, in.end, digit_run, int_digits);
  if (eat(it, in.end, ".")) {
    if (!match(it, in.end, digit_run, frac_digits)) {
      return fail<Rational>(in, it, "expected digits after `.`", "“.”后应有数字");
    }
  }
  while (!frac_digits.empty() && frac_digits.back() == '0') frac_digits.pop_back();
  if (frac_digits.size() > 18) return out_of_range(in, start);
  std::int64_t whole = 0;
  std::int64_t frac = 0;
  std::int64_t scale = 1;
  for (char c : int_digits) {
    if (__builtin_mul_overflow(whole, 10, &whole) ||
        __builtin_add_overflow(whole, c - '0', &whole)) {
      return out_of_range(in, start);
    }
  }
  for (char c : frac_digits) {
    frac = frac * 10 + (c - '0');
    scale *= 10;
  }
  std::optional<Rational> v = add(Rational::integer(whole), *Rational::make(frac, scale));
  if (!v) return out_of_range(in, start);
  return *v;
}

// Reads a positive numeral (Chinese or Arabic) used as a fraction part.
R fraction_part(const Input& in, Iter& it, const char* en, const char* zh) {
  int n = 0;
  NumeralStatus st = parse_numeral_at(it, in.end, n);
  if (st != NumeralStatus::ok) return fail<Rational>(numeral_error(in, it, st, en, zh));
  return Rational::integer(n);
}

// 三分之二: the denominator comes first. `den_at` is where the denominator started.
R chinese_fraction(const Input& in, Iter& it, Rational den, Iter den_at) {
  if (den.num == 0) {
    return fail<Rational>(in, den_at, "denominator must not be zero", "分母不能为零");
  }
  R num = fraction_part(in, it, "the numerator after `分之`", "“分之”后的分子");
  if (!num) return num;
  std::optional<Rational> v = div(*num, den);
  if (!v) return out_of_range(in, den_at);
  return *v;
}

R parse_number_impl(std::string_view text) {
  Input in(text);
  if (in.empty()) return fail<Rational>(in.empty_offset(), "empty number", "数字为空");
  Iter it = in.begin;
  bool negative = eat(it, in.end, "-");
  Iter start = it;
  std::optional<Rational> value;
  bool plain = false;  // a whole or decimal number, which may take an amount unit

  if (eat(it, in.end, "百分之") || eat(it, in.end, "千分之")) {
    Rational den = Rational::integer(starts_with(start, in.end, "百") ? 100 : 1000);
    R v = chinese_fraction(in, it, den, start);
    if (!v) return v;
    value = *v;
  } else if (is_digit(it, in.end)) {
    R v = parse_decimal(in, it);
    if (!v) return v;
    value = *v;
    plain = true;
    Iter op_at = it;
    if (v->is_integer() && eat(it, in.end, "分之")) {
      R f = chinese_fraction(in, it, *v, start);
      if (!f) return f;
      value = *f;
      plain = false;
    } else if (v->is_integer() && eat(it, in.end, "/")) {
      Iter den_at = it;
      if (!is_digit(it, in.end)) {
        return fail<Rational>(in, it, "expected the denominator after `/`", "“/”后应有分母");
      }
      std::int64_t den = 0;
      if (!match(it, in.end, arabic_int, den)) return out_of_range(in, den_at);
      if (den == 0)
        return fail<Rational>(in, den_at, "denominator must not be zero", "分母不能为零");
      value = div(*v, Rational::integer(den));
      plain = false;
    } else if (eat(it, in.end, "%")) {
      value = div(*v, Rational::integer(100));
      plain = false;
    }
    if (!value) return out_of_range(in, op_at);
  } else {
    int n = 0;
    NumeralStatus st = match(it, in.end, liang_before_unit, n) ? NumeralStatus::ok
                                                               : parse_numeral_at(it, in.end, n);
    if (st != NumeralStatus::ok)
      return fail<Rational>(numeral_error(in, it, st, "a number", "数字"));
    value = Rational::integer(n);
    plain = true;
    if (eat(it, in.end, "分之")) {
      R f = chinese_fraction(in, it, *value, start);
      if (!f) return f;
      value = *f;
      plain = false;
    }
  }

  // An amount unit may follow a whole or decimal number (not a fraction or percentage).
  Iter unit_at = it;
  skip_ws(it, in.end);
  std::int64_t scale = 0;
  if (plain && match(it, in.end, amount_unit, scale)) {
    value = mul(*value, Rational::integer(scale));
    if (!value) return out_of_range(in, start);
  } else {
    it = unit_at;
  }
  Iter after = it;
  skip_ws(after, in.end);
  if (after != in.end) {
    return fail<Rational>(in, after, "unexpected text after the number", "数字后有多余内容");
  }
  if (negative) value = sub(Rational::integer(0), *value);
  if (!value) return out_of_range(in, start);
  return *value;
}

}  // namespace

Result<Rational, LiteralError> parse_number(std::string_view text) {
  return detail::guarded<Rational>([&] { return parse_number_impl(text); });
}

}  // namespace xy::lit
