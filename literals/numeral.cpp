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

}  // namespace xy::lit
