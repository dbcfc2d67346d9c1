// The checks shared by the fuzz targets (check.h).
#include "check.h"

#include <cstdio>
#include <cstdlib>

namespace xy::fuzz {

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
