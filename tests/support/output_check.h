// What every test that reads the output of `xy` or `xy serve` holds it to: every byte is valid
// UTF-8 (a case system or a terminal must never get a split character), and JSON output parses.
#pragma once
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace xy::testsupport {

// Where `bytes` stops being UTF-8 (overlong forms, surrogates and values past U+10FFFF count as
// invalid too), or nothing when all of it is.
inline std::optional<std::size_t> invalid_utf8_at(std::string_view bytes) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  for (std::size_t i = 0; i < bytes.size();) {
    unsigned char c = byte(i);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > bytes.size()) return i;
    char32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (std::size_t k = 1; k < n; ++k) {
      if ((byte(i + k) & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    bool overlong = (n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
    if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return i;
    i += n;
  }
  return std::nullopt;
}

// What is wrong with output meant for people or programs: not UTF-8, or (`json_lines`) a
// non-empty line that is not one JSON value. Nothing when it is fine.
inline std::optional<std::string> output_problem(std::string_view bytes, bool json_lines) {
  if (auto at = invalid_utf8_at(bytes)) return "invalid UTF-8 at byte " + std::to_string(*at);
  if (!json_lines) return std::nullopt;
  std::size_t line = 0;
  for (std::size_t start = 0; start < bytes.size();) {
    std::size_t end = bytes.find('\n', start);
    if (end == std::string_view::npos) end = bytes.size();
    ++line;
    std::string_view text = bytes.substr(start, end - start);
    boost::system::error_code ec;
    if (!text.empty()) boost::json::parse(text, ec);
    if (ec) return "line " + std::to_string(line) + " is not JSON: " + ec.message();
    start = end + 1;
  }
  return std::nullopt;
}

}  // namespace xy::testsupport
