// The checks shared by the fuzz targets (check.h).
#include "check.h"

#include <cstdio>
#include <cstdlib>

namespace xy::fuzz {

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t extra = c >= 0xC2 && c <= 0xDF   ? 1
                        : c >= 0xE0 && c <= 0xEF ? 2
                        : c >= 0xF0 && c <= 0xF4 ? 3
                                                 : 0;
    if (extra == 0 || s.size() - i <= extra) return false;
    for (std::size_t k = 1; k <= extra; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    auto n = static_cast<unsigned char>(s[i + 1]);
    if ((c == 0xE0 && n < 0xA0) || (c == 0xED && n >= 0xA0) || (c == 0xF0 && n < 0x90) ||
        (c == 0xF4 && n >= 0x90))
      return false;
    i += extra + 1;
  }
  return true;
}

void fail(std::string_view what, std::string_view text) {
  std::fprintf(stderr, "\nfuzz check failed: %.*s\n", static_cast<int>(what.size()), what.data());
  if (!text.empty()) {
    std::string shown;
    for (char ch : text.substr(0, 2000)) {
      auto c = static_cast<unsigned char>(ch);
      if (c >= 0x20 && c < 0x7F) {
        shown += ch;
      } else {
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02x", c);
        shown += hex;
      }
    }
    std::fprintf(stderr, "text: %s\n", shown.c_str());
  }
  std::abort();
}

}  // namespace xy::fuzz
