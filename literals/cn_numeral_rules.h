// Shared Boost.Spirit X3 rules for the literal parsers: Chinese numerals (1..9999) and digits.
#pragma once
#include <boost/spirit/home/x3.hpp>
#include <cstdint>
#include <string_view>

namespace xy::lit::detail {

namespace x3 = boost::spirit::x3;
using Iter = std::string_view::const_iterator;

// Semantic actions. UTF-8 text is matched byte-wise, so Chinese characters are string literals.
struct Assign {
  template <class Ctx>
  void operator()(Ctx& ctx) const {
    x3::_val(ctx) = x3::_attr(ctx);
  }
};
template <int Scale>
struct AssignScaled {
  template <class Ctx>
  void operator()(Ctx& ctx) const {
    x3::_val(ctx) = x3::_attr(ctx) * Scale;
  }
};
struct AddAttr {
  template <class Ctx>
  void operator()(Ctx& ctx) const {
    x3::_val(ctx) += x3::_attr(ctx);
  }
};
template <int Value>
struct AssignConst {
  template <class Ctx>
  void operator()(Ctx& ctx) const {
    x3::_val(ctx) = Value;
  }
};

// 一..九; 两 only stands before 百 and 千 (两百, 两千).
inline const x3::symbols<int> cn_digit({{"一", 1},
                                        {"二", 2},
                                        {"三", 3},
                                        {"四", 4},
                                        {"五", 5},
                                        {"六", 6},
                                        {"七", 7},
                                        {"八", 8},
                                        {"九", 9}},
                                       "cn digit");
inline const x3::symbols<int> cn_lead({{"一", 1},
                                       {"二", 2},
                                       {"两", 2},
                                       {"三", 3},
                                       {"四", 4},
                                       {"五", 5},
                                       {"六", 6},
                                       {"七", 7},
                                       {"八", 8},
                                       {"九", 9}},
                                      "cn leading digit");

// 二十, 二十五, 一十五 (a digit before 十 is required after 百/千: 一百一十).
inline const auto cn_tens_full = x3::rule<struct cn_tens_full_id, int>{
    "tens"} = cn_digit[AssignScaled<10>{}] >> x3::lit("十") >> -cn_digit[AddAttr{}];
// Also 十 and 十五 at the start of a numeral.
inline const auto cn_tens = x3::rule<struct cn_tens_id, int>{"tens"} =
    cn_tens_full[Assign{}] | x3::lit("十")[AssignConst<10>{}] >> -cn_digit[AddAttr{}];
// 三百, 一百零三, 一百一十五, 两百.
inline const auto cn_hundreds = x3::rule<struct cn_hundreds_id, int>{"hundreds"} =
    cn_lead[AssignScaled<100>{}] >> x3::lit("百") >>
    -(cn_tens_full[AddAttr{}] | x3::lit("零") >> cn_digit[AddAttr{}]);
// 二千, 二千零二十四, 一千零五, 一千二百三十四, 两千.
inline const auto cn_thousands = x3::rule<struct cn_thousands_id, int>{"thousands"} =
    cn_lead[AssignScaled<1000>{}] >> x3::lit("千") >>
    -(cn_hundreds[AddAttr{}] | x3::lit("零") >> (cn_tens[AddAttr{}] | cn_digit[AddAttr{}]));
// A Chinese numeral 1..9999.
inline const auto cn_number = x3::rule<struct cn_number_id, int>{"chinese numeral"} =
    cn_thousands | cn_hundreds | cn_tens | cn_digit;

// Arabic digits; the value check (overflow, zero) is done by the caller.
inline const auto ascii_digit = x3::char_('0', '9');
inline const auto arabic_int = x3::uint_parser<std::int64_t>{};

enum class NumeralStatus { ok, none, zero, too_large };

// Parses a positive numeral (Chinese up to 9999, or Arabic up to int max) at `it`; advances
// `it` only on success.
inline NumeralStatus parse_numeral_at(Iter& it, Iter end, int& out) {
  Iter i = it;
  if (x3::parse(i, end, cn_number, out)) {
    it = i;
    return NumeralStatus::ok;
  }
  if (i != end && std::string_view(&*i, std::size_t(end - i)).starts_with("零")) {
    return NumeralStatus::zero;
  }
  if (i == end || *i < '0' || *i > '9') return NumeralStatus::none;
  std::int64_t v = 0;
  if (!x3::parse(i, end, arabic_int, v) || v > 0x7fffffff) return NumeralStatus::too_large;
  if (v == 0) return NumeralStatus::zero;
  out = int(v);
  it = i;
  return NumeralStatus::ok;
}

}  // namespace xy::lit::detail
