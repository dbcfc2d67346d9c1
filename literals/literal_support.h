// Helpers shared by the literal parsers: trimming, whitespace, byte offsets and error results.
#pragma once
#include <exception>
#include <string>
#include <string_view>
#include <utility>

#include "cn_numeral_rules.h"
#include "xiangyue/literals/literals.h"

namespace xy::lit::detail {

inline bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// The input with surrounding ASCII whitespace removed; offsets stay relative to `all`.
struct Input {
  std::string_view all;
  Iter begin;
  Iter end;

  explicit Input(std::string_view text) : all(text), begin(text.begin()), end(text.end()) {
    while (begin != end && is_ascii_space(*begin)) ++begin;
    while (end != begin && is_ascii_space(*(end - 1))) --end;
  }
  bool empty() const { return begin == end; }
  std::size_t offset(Iter it) const { return std::size_t(it - all.begin()); }
  // For an empty input every byte was whitespace: the first unconsumed byte is the end.
  std::size_t empty_offset() const { return all.size(); }
};

inline std::string_view rest(Iter it, Iter end) {
  return it == end ? std::string_view() : std::string_view(&*it, std::size_t(end - it));
}

inline bool starts_with(Iter it, Iter end, std::string_view s) {
  return rest(it, end).starts_with(s);
}

// Consumes `s` if the input continues with it.
inline bool eat(Iter& it, Iter end, std::string_view s) {
  if (!starts_with(it, end, s)) return false;
  it += std::ptrdiff_t(s.size());
  return true;
}

// Skips ASCII whitespace and the ideographic space U+3000; true when something was skipped.
inline bool skip_ws(Iter& it, Iter end) {
  Iter start = it;
  for (;;) {
    if (it != end && is_ascii_space(*it)) {
      ++it;
    } else if (!eat(it, end, "\u3000")) {
      break;
    }
  }
  return it != start;
}

inline bool at_ws(Iter it, Iter end) {
  return (it != end && is_ascii_space(*it)) || starts_with(it, end, "\u3000");
}

// Length of the UTF-8 sequence starting at `it` (1 for stray continuation bytes).
inline std::ptrdiff_t utf8_len(Iter it, Iter end) {
  unsigned char c = static_cast<unsigned char>(*it);
  std::ptrdiff_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  return n <= end - it ? n : end - it;
}

// Runs an X3 parser at `it`, advancing only on success.
template <class Parser, class Attr>
bool match(Iter& it, Iter end, const Parser& p, Attr& attr) {
  Iter i = it;
  if (!x3::parse(i, end, p, attr)) return false;
  it = i;
  return true;
}
template <class Parser>
bool match(Iter& it, Iter end, const Parser& p) {
  Iter i = it;
  if (!x3::parse(i, end, p)) return false;
  it = i;
  return true;
}

// True when `p` matches at `it` (nothing is consumed).
template <class Parser>
bool looking_at(Iter it, Iter end, const Parser& p) {
  return match(it, end, p);
}

inline LiteralError error_at(const Input& in, Iter at, std::string en, std::string zh) {
  return LiteralError{in.offset(at), std::move(en), std::move(zh)};
}

// Explains why a numeral could not be read at `at` (see parse_numeral_at).
inline LiteralError numeral_error(const Input& in, Iter at, NumeralStatus st,
                                  std::string_view what_en, std::string_view what_zh) {
  switch (st) {
    case NumeralStatus::zero:
      return error_at(in, at, "a numeral cannot be zero or start with `零`",
                      "数字不能为零，也不能以“零”开头");
    case NumeralStatus::too_large:
      return error_at(in, at, "numeral too large", "数字过大");
    default:
      return error_at(in, at, "expected " + std::string(what_en), "应为" + std::string(what_zh));
  }
}

template <class T>
Result<T, LiteralError> fail(LiteralError e) {
  return Result<T, LiteralError>::failure(std::move(e));
}
template <class T>
Result<T, LiteralError> fail(std::size_t offset, std::string en, std::string zh) {
  return fail<T>(LiteralError{offset, std::move(en), std::move(zh)});
}
template <class T>
Result<T, LiteralError> fail(const Input& in, Iter at, std::string en, std::string zh) {
  return fail<T>(error_at(in, at, std::move(en), std::move(zh)));
}

// Calls `body` and turns any exception into a LiteralError at offset 0.
template <class T, class Body>
Result<T, LiteralError> guarded(Body&& body) noexcept {
  try {
    return body();
  } catch (...) {
    try {
      return fail<T>(0, "internal parser error", "解析器内部错误");
    } catch (...) {
      std::terminate();
    }
  }
}

}  // namespace xy::lit::detail
