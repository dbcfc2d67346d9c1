// parse_cn_numeral: a positive Chinese numeral up to 9999 (二千零二十四) or Arabic digits.
#include "literal_support.h"

namespace xy::lit {

Result<int, LiteralError> parse_cn_numeral(std::string_view text) {
  using namespace detail;
  return guarded<int>([&]() -> Result<int, LiteralError> {
    Input in(text);
    if (in.empty()) return fail<int>(in.empty_offset(), "empty numeral", "数字为空");
    Iter it = in.begin;
    int value = 0;
    NumeralStatus st = parse_numeral_at(it, in.end, value);
    if (st != NumeralStatus::ok) return fail<int>(numeral_error(in, it, st, "a numeral", "数字"));
    if (it != in.end) {
      return fail<int>(in, it, "unexpected text after the numeral", "数字后有多余内容");
    }
    return value;
  });
}

std::string format_cn_numeral(int n) {
  if (n < 1 || n > 9999) return std::to_string(n);
  static const char* const kDigit[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  static const char* const kUnit[] = {"千", "百", "十", ""};
  int parts[] = {n / 1000, n / 100 % 10, n / 10 % 10, n % 10};
  std::string out;
  bool zero = false;  // a zero waits to be written before the next non-zero digit
  for (int i = 0; i < 4; ++i) {
    if (parts[i] == 0) {
      zero = !out.empty();
      continue;
    }
    if (zero) out += kDigit[0];
    zero = false;
    // 十五, not 一十五, when the number starts with its tens.
    if (!(i == 2 && parts[i] == 1 && out.empty())) out += kDigit[parts[i]];
    out += kUnit[i];
  }
  return out;
}

}  // namespace xy::lit
