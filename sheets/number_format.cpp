// Date number formats and serial-number dates (number_format.h).
#include "number_format.h"

#include <cmath>

namespace xy::sheets {

namespace {

bool built_in_date(int id) {
  return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 31) || id == 36 ||
         (id >= 50 && id <= 54) || id == 57 || id == 58;
}

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (lower(s[i]) != lower(prefix[i])) return false;
  return true;
}

}  // namespace

bool is_date_format(int id, std::string_view code) {
  if (code.empty()) return built_in_date(id);
  if (starts_with_nocase(code, "general")) return false;
  bool y = false, d = false, m = false, time = false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == ';') break;  // the first section is the one for positive numbers and dates
    if (c == '"') {
      auto close = code.find('"', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is literal, padding or fill
    } else if (c == '[') {
      auto close = code.find(']', i + 1);
      if (close == std::string_view::npos) break;
      std::string_view inside = code.substr(i + 1, close - i - 1);
      // [h], [mm], [ss]: elapsed time; [Red], [$-804], [DBNum1], [>=100]: not about dates.
      if (!inside.empty() && inside.find_first_not_of("hHmMsS") == std::string_view::npos)
        time = true;
      i = close;
    } else if (starts_with_nocase(code.substr(i), "am/pm")) {
      i += 4;
    } else if (starts_with_nocase(code.substr(i), "a/p")) {
      i += 2;
    } else {
      switch (lower(c)) {
        case 'y':
          y = true;
          break;
        case 'd':
          d = true;
          break;
        case 'm':
          m = true;
          break;
        case 'h':
        case 's':
          time = true;
          break;
        default:
          break;
      }
    }
  }
  return y || d || (m && !time);
}

std::optional<Date> serial_date(double serial, bool date1904) {
  if (!std::isfinite(serial)) return {};
  // Half a millisecond up: Excel stores times rounded to the millisecond, so 45292.99999999999
  // is midnight of the next day.
  double day = std::floor(serial + 0.5 / 86400000.0);
  static const std::int32_t epoch1900 = Date::from_ymd(1899, 12, 30)->days;
  static const std::int32_t epoch1904 = Date::from_ymd(1904, 1, 1)->days;
  static const std::int32_t last = Date::from_ymd(9999, 12, 31)->days;
  double base = date1904 ? epoch1904 : epoch1900;
  if (date1904 ? day < 0 : day < 1) return {};
  if (!date1904 && day == 60) return {};
  if (!date1904 && day < 60) base += 1;  // days before the 1900-02-29 that Lotus counted
  if (base + day > last) return {};
  return Date{static_cast<std::int32_t>(base + day)};
}

std::optional<double> date_serial(Date date) {
  static const Date first = *Date::from_ymd(1900, 1, 1);
  static const Date march = *Date::from_ymd(1900, 3, 1);
  static const std::int32_t epoch1900 = Date::from_ymd(1899, 12, 30)->days;
  if (date < first) return {};
  return static_cast<double>(date.days - epoch1900 - (date < march ? 1 : 0));
}

std::optional<Date> parse_iso_date(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return {};
  if (text.size() > 10 && text[10] != 'T') return {};
  int parts[3] = {0, 0, 0};
  std::size_t spans[3][2] = {{0, 4}, {5, 7}, {8, 10}};
  for (int k = 0; k < 3; ++k)
    for (std::size_t i = spans[k][0]; i < spans[k][1]; ++i) {
      if (text[i] < '0' || text[i] > '9') return {};
      parts[k] = parts[k] * 10 + (text[i] - '0');
    }
  return Date::from_ymd(parts[0], parts[1], parts[2]);
}

}  // namespace xy::sheets
