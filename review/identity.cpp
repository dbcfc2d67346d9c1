// The citizen ID number (GB 11643-1999): 17 digits and a check character by ISO 7064 MOD 11-2,
// the birth date in characters 7-14.
#include "xiangyue/review/collate.h"

namespace xy::review {

std::optional<Localized> id_problem(std::string_view id, Date* birth) {
  if (id.size() != 18)
    return Localized{"an ID number has 18 characters, this one " + std::to_string(id.size()),
                     "居民身份证号码应为 18 位，此号码为 " + std::to_string(id.size()) + " 位"};
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    if (id[i] < '0' || id[i] > '9')
      return Localized{"character " + std::to_string(i + 1) + " of the ID number is not a digit",
                       "居民身份证号码第 " + std::to_string(i + 1) + " 位不是数字"};
    sum += (id[i] - '0') * kWeights[i];
  }
  static constexpr char kCheck[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
  char want = kCheck[sum % 11];
  if (id[17] != want)
    return Localized{
        std::string("the check digit of the ID number is wrong (it should be ") + want +
            "): a digit is likely mistyped",
        std::string("居民身份证号码的校验码不对（应为 ") + want + "）：可能有数字录错"};
  auto num = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (id[i] - '0');
    return v;
  };
  auto d = Date::from_ymd(num(6, 4), num(10, 2), num(12, 2));
  if (!d || num(6, 4) < 1900)
    return Localized{"characters 7-14 of the ID number are no birth date",
                     "居民身份证号码第 7 至 14 位不是有效的出生日期"};
  if (birth) *birth = *d;
  return std::nullopt;
}

}  // namespace xy::review
