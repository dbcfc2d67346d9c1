// Excel's _xHHHH_ escapes, both ways (x_escapes.h).
#include "x_escapes.h"

#include <cstdio>
#include <vector>

#include "xiangyue/common/diagnostic.h"

namespace xy::sheets {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

long unit_escaped_at(std::string_view text, std::size_t i) {
  if (i + 7 > text.size() || text[i] != '_' || text[i + 1] != 'x' || text[i + 6] != '_') return -1;
  long v = 0;
  for (std::size_t k = i + 2; k < i + 6; ++k) {
    int d = hex_digit(text[k]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

std::string unescape_x(std::string_view text) {
  if (text.find("_x") == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    long unit = unit_escaped_at(text, i);
    if (unit < 0) {
      out += text[i++];
      continue;
    }
    char32_t cp = static_cast<char32_t>(unit);
    std::size_t used = 7;
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      long low = unit_escaped_at(text, i + 7);
      if (low < 0xDC00 || low > 0xDFFF) {  // a lone surrogate is not text: left as written
        out += text[i++];
        continue;
      }
      cp = 0x10000 + ((static_cast<char32_t>(unit) - 0xD800) << 10) +
           (static_cast<char32_t>(low) - 0xDC00);
      used = 14;
    } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
      out += text[i++];
      continue;
    }
    out += encode_utf8(std::u32string(1, cp));
    i += used;
  }
  return out;
}

std::string escape_x(const std::string& text) {
  // First the control characters (XML cannot hold them; a CR would be read back as LF) ...
  std::string out;
  std::vector<bool> literal;  // per byte of `out`: from the text, not from an escape
  for (char c : text) {
    if (c >= 0 && c < 0x20 && c != '\t' && c != '\n') {
      char escape[8];
      std::snprintf(escape, sizeof escape, "_x%04X_", static_cast<unsigned>(c));
      out += escape;
      literal.insert(literal.end(), 7, false);
    } else {
      out += c;
      literal.push_back(true);
    }
  }
  // ... then each "_" of the text that a reader would take for the start of an escape.
  std::string done;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (literal[i] && unit_escaped_at(out, i) >= 0) done += "_x005F";
    done += out[i];
  }
  return done;
}

}  // namespace xy::sheets
