// A strict JSON cursor over a text (private to the runtime): the lexical part of the fast request
// reader (request_fast.cpp). Each step checks what it reads as strictly as Boost.JSON and returns
// false on anything it does not handle, leaving the caller to fall back to the general path.
#pragma once
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace xy::request_detail {

constexpr int kMaxDepth = 32;           // nesting of objects and arrays (the general path: 64)
constexpr std::size_t kMaxDigits = 18;  // whole numbers: always an int64 for Boost.JSON too

inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

inline int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Of eight bytes (loaded little-endian), the high bit of each that is a control character, '"',
// '\\' or not ASCII. Exact up to the first such byte (a borrow can only mark bytes after it), so
// its lowest set bit finds the first byte that needs a look.
inline std::uint64_t special(std::uint64_t x) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  std::uint64_t quote = x ^ (kOnes * '"'), backslash = x ^ (kOnes * '\\');
  std::uint64_t control = (x - kOnes * 0x20) & ~x;
  std::uint64_t q = (quote - kOnes) & ~quote;
  std::uint64_t b = (backslash - kOnes) & ~backslash;
  return (control | q | b | x) & kHigh;
}

class JsonCursor {
 protected:
  explicit JsonCursor(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  const char* p_;
  const char* end_;
  std::string scratch_;  // a string with escapes, decoded

  bool at(char c) const { return p_ != end_ && *p_ == c; }
  bool eat(char c) {
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  void ws() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  bool word(std::string_view w) {
    if (static_cast<std::size_t>(end_ - p_) < w.size() || std::memcmp(p_, w.data(), w.size()) != 0)
      return false;
    p_ += w.size();
    return true;
  }

  // One UTF-8 sequence at p_ (a byte >= 0x80), well-formed as Unicode defines it (no overlong
  // forms, no surrogates, nothing above U+10FFFF).
  bool utf8() {
    auto u = [this](int i) { return static_cast<unsigned char>(p_[i]); };
    auto cont = [&](int i) { return (u(i) & 0xC0) == 0x80; };
    unsigned char c = u(0);
    std::ptrdiff_t left = end_ - p_;
    if (c >= 0xE1 && c <= 0xEF && c != 0xED) {  // most CJK: any two continuation bytes
      std::uint16_t t;
      if (left < 3) return false;
      std::memcpy(&t, p_ + 1, 2);
      if ((t & 0xC0C0) != 0x8080) return false;
      p_ += 3;
      return true;
    }
    if (c >= 0xE0 && c <= 0xEF) {
      if (left < 3) return false;
      unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
      if (u(1) < lo || u(1) > hi || !cont(2)) return false;
      p_ += 3;
      return true;
    }
    if (c >= 0xC2 && c <= 0xDF) {
      if (left < 2 || !cont(1)) return false;
      p_ += 2;
      return true;
    }
    if (c >= 0xF0 && c <= 0xF4) {
      if (left < 4) return false;
      unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
      if (u(1) < lo || u(1) > hi || !cont(2) || !cont(3)) return false;
      p_ += 4;
      return true;
    }
    return false;
  }

  // A string at p_ (on its opening quote). `out` views the text, or scratch_ when it had escapes
  // (valid until the next string).
  bool str(std::string_view& out) {
    const char* start = ++p_;
    for (;;) {
      while (end_ - p_ >= 8) {  // ASCII that needs nothing, eight bytes at a time
        std::uint64_t x;
        std::memcpy(&x, p_, 8);
        if (std::uint64_t m = special(x)) {
          if constexpr (std::endian::native == std::endian::little) p_ += std::countr_zero(m) / 8;
          break;
        }
        p_ += 8;
      }
      if (p_ == end_) return false;
      auto c = static_cast<unsigned char>(*p_);
      if (c >= 0x80) {
        do {  // a run of UTF-8 sequences (CJK text)
          if (!utf8()) return false;
        } while (p_ != end_ && static_cast<unsigned char>(*p_) >= 0x80);
        continue;
      }
      if (c == '"') {
        out = std::string_view(start, static_cast<std::size_t>(p_ - start));
        ++p_;
        return true;
      }
      if (c == '\\') return escaped(start, out);
      if (c < 0x20) return false;
      ++p_;
    }
  }

  bool hex4(unsigned& cp) {
    if (end_ - p_ < 4) return false;
    cp = 0;
    for (int i = 0; i < 4; ++i) {
      int h = hex_digit(p_[i]);
      if (h < 0) return false;
      cp = cp * 16 + static_cast<unsigned>(h);
    }
    p_ += 4;
    return true;
  }

  void encode(unsigned cp) {
    if (cp < 0x80) {
      scratch_.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      scratch_.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      scratch_.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      scratch_.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      scratch_.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      scratch_.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      scratch_.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      scratch_.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      scratch_.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      scratch_.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  // The rest of a string from its first backslash (p_), decoded into scratch_.
  bool escaped(const char* start, std::string_view& out) {
    scratch_.assign(start, static_cast<std::size_t>(p_ - start));
    for (;;) {
      if (p_ == end_) return false;
      auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        out = scratch_;
        return true;
      }
      if (c < 0x20) return false;
      if (c >= 0x80) {
        const char* s = p_;
        if (!utf8()) return false;
        scratch_.append(s, static_cast<std::size_t>(p_ - s));
        continue;
      }
      if (c != '\\') {
        scratch_.push_back(static_cast<char>(c));
        ++p_;
        continue;
      }
      if (end_ - p_ < 2) return false;
      char e = p_[1];
      p_ += 2;
      switch (e) {
        case '"':
        case '\\':
        case '/':
          scratch_.push_back(e);
          break;
        case 'b':
          scratch_.push_back('\b');
          break;
        case 'f':
          scratch_.push_back('\f');
          break;
        case 'n':
          scratch_.push_back('\n');
          break;
        case 'r':
          scratch_.push_back('\r');
          break;
        case 't':
          scratch_.push_back('\t');
          break;
        case 'u': {
          unsigned cp;
          if (!hex4(cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a lone trailing surrogate
          if (cp >= 0xD800 && cp <= 0xDBFF) {              // must be followed by its pair
            unsigned low;
            if (!word("\\u") || !hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          encode(cp);
          break;
        }
        default:
          return false;
      }
    }
  }

  // A whole number of at most kMaxDigits digits, with no fraction or exponent, not "-0".
  bool integer(std::int64_t& out) {
    bool neg = eat('-');
    if (p_ == end_ || !is_digit(*p_)) return false;
    std::int64_t v = 0;
    if (*p_ == '0') {
      if (neg) return false;
      ++p_;
    } else {
      const char* s = p_;
      while (p_ != end_ && is_digit(*p_)) {
        if (static_cast<std::size_t>(p_ - s) == kMaxDigits) return false;
        v = v * 10 + (*p_ - '0');
        ++p_;
      }
    }
    if (p_ != end_ && (is_digit(*p_) || *p_ == '.' || *p_ == 'e' || *p_ == 'E')) return false;
    out = neg ? -v : v;
    return true;
  }

  // Checks any JSON value and skips it.
  bool skip(int depth) {
    if (p_ == end_) return false;
    std::string_view s;
    std::int64_t n;
    switch (*p_) {
      case '"':
        return str(s);
      case 't':
        return word("true");
      case 'f':
        return word("false");
      case 'n':
        return word("null");
      case '{':
      case '[': {
        char close = *p_ == '{' ? '}' : ']';
        if (++depth > kMaxDepth) return false;
        ++p_;
        ws();
        if (eat(close)) return true;
        for (;;) {
          if (close == '}') {
            if (!at('"') || !str(s)) return false;
            ws();
            if (!eat(':')) return false;
            ws();
          }
          if (!skip(depth)) return false;
          ws();
          if (eat(',')) {
            ws();
            continue;
          }
          return eat(close);
        }
      }
      default:
        return integer(n);
    }
  }
};

}  // namespace xy::request_detail
