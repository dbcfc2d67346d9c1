// The fast path of parse_request: a strict JSON scanner that checks and converts the facts as it
// reads them, with no JSON document in between. It gives up (returns false) on the first thing it
// does not handle or that would be an error or a fact problem; the general path then decides, so
// every message comes from one place. It must never accept a text that Boost.JSON rejects.
#include "request_fast.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>
#include <vector>

#include "xiangyue/literals/literals.h"

namespace xy::request_detail {
namespace {

constexpr int kMaxDepth = 32;            // nesting of objects and arrays (the general path: 64)
constexpr std::size_t kMaxDigits = 18;   // whole numbers: always an int64 for Boost.JSON too
constexpr std::size_t kFirstChunk = 32;  // Values in the first block of a request

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Of eight bytes (loaded little-endian), the high bit of each that is a control character, '"',
// '\\' or not ASCII. Exact up to the first such byte (a borrow can only mark bytes after it), so
// its lowest set bit finds the first byte that needs a look.
std::uint64_t special(std::uint64_t x) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  std::uint64_t quote = x ^ (kOnes * '"'), backslash = x ^ (kOnes * '\\');
  std::uint64_t control = (x - kOnes * 0x20) & ~x;
  std::uint64_t q = (quote - kOnes) & ~quote;
  std::uint64_t b = (backslash - kOnes) & ~backslash;
  return (control | q | b | x) & kHigh;
}

class Scanner {
 public:
  Scanner(const Bundle& b, std::string_view text, Request& req)
      : b_(b), p_(text.data()), end_(text.data() + text.size()), size_(text.size()), req_(req) {}

  bool request(std::optional<Date> as_of_override, Date today) {
    ws();
    if (!eat('{')) return false;
    ws();
    unsigned seen = 0;
    bool action_known = false, as_of_given = false, as_of_string = false, policy_given = false;
    std::string as_of, policy;
    const char* facts_at = nullptr;
    bool facts_done = false;
    if (!eat('}')) {
      for (;;) {
        std::string_view key;
        if (!at('"') || !str(key)) return false;
        int which = key == "action"   ? 0
                    : key == "as_of"  ? 1
                    : key == "policy" ? 2
                    : key == "facts"  ? 3
                    : key == "id"     ? 4
                                      : -1;
        if (which < 0 || (seen & (1u << which))) return false;
        seen |= 1u << which;
        ws();
        if (!eat(':')) return false;
        ws();
        std::string_view s;
        switch (which) {
          case 0: {
            if (!at('"') || !str(s)) return false;
            auto a = b_.action_by_name.find(std::string(s));
            if (a == b_.action_by_name.end()) return false;
            req_.action = a->second;
            action_known = true;
            break;
          }
          case 1:
            as_of_given = true;
            if (at('"')) {
              if (!str(s)) return false;
              as_of.assign(s);
              as_of_string = true;
            } else if (!skip(1)) {
              return false;
            }
            break;
          case 2:
            if (!at('"') || !str(s)) return false;
            policy.assign(s);
            policy_given = true;
            break;
          case 3:
            if (action_known) {
              if (!facts()) return false;
              facts_done = true;
            } else {
              facts_at = p_;
              if (!skip(1)) return false;
            }
            break;
          default:
            if (!skip(1)) return false;
        }
        ws();
        if (eat(',')) {
          ws();
          continue;
        }
        if (eat('}')) break;
        return false;
      }
    }
    ws();
    if (p_ != end_ || !action_known) return false;

    req_.as_of = today;
    if (as_of_override) {
      req_.as_of = *as_of_override;
    } else if (as_of_given) {
      if (!as_of_string) return false;
      auto d = lit::parse_date(as_of);
      if (!d) return false;
      req_.as_of = *d;
    }
    std::string_view name(policy);
    std::size_t count = 0;
    std::uint32_t first = 0;
    for (std::uint32_t i = 0; i < b_.policies.size(); ++i)
      if (policy_candidate(b_, i, policy_given, &name, req_.action, req_.as_of) && count++ == 0)
        first = i;
    if (count != 1) return false;
    if (policy_given) {
      const auto& p = b_.policies[first];
      if (!ir::in_period(p.from, p.until, req_.as_of.days) || !p.by_action.count(req_.action))
        return false;
    }
    req_.policy = first;

    if (facts_done) return true;
    if (!facts_at) {  // no facts: every fact absent
      empty_record(b_.actions[req_.action].facts, req_.facts);
      return true;
    }
    p_ = facts_at;  // seen before the action: checked by skip(), converted now
    return facts();
  }

 private:
  const Bundle& b_;
  const char* p_;
  const char* end_;
  std::size_t size_;
  Request& req_;
  std::string scratch_;          // a string with escapes, decoded
  std::string* pool_ = nullptr;  // the request's texts, one after another (in req_.texts)
  Value* cur_ = nullptr;         // the free part of the last block of Values
  std::size_t left_ = 0;
  std::size_t chunk_ = kFirstChunk;

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

  // `n` consecutive Values that stay where they are (blocks are never moved or freed early).
  Value* take(std::size_t n) {
    if (n == 0) n = 1;
    if (n > left_) {
      std::size_t size = std::max(n, chunk_);
      chunk_ = std::min<std::size_t>(chunk_ * 2, 1024);
      cur_ = req_.blocks.emplace_back(new Value[size]).get();
      left_ = size;
    }
    Value* r = cur_;
    cur_ += n;
    left_ -= n;
    return r;
  }

  // Copies a text into the pool. The pool is reserved once to the size of the request, which
  // bounds every text plus its terminating NUL (each text took two quotes there), so it never
  // moves and the Values can point into it.
  bool keep(std::string_view s, Value& out) {
    if (!pool_) {
      pool_ = &req_.texts.emplace_back();
      pool_->reserve(size_);
    }
    if (pool_->size() + s.size() + 1 > pool_->capacity()) return false;
    std::size_t at = pool_->size();
    pool_->append(s);
    pool_->push_back('\0');
    out = Value::str(std::string_view(pool_->data() + at, s.size()));
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

  bool facts() {
    if (at('n')) {
      if (!word("null")) return false;
      empty_record(b_.actions[req_.action].facts, req_.facts);
      return true;
    }
    return at('{') && record(b_.actions[req_.action].facts, req_.facts, 2);
  }

  void absent(const ir::Field& f, Value& out) {
    out = b_.types[f.type].optional ? Value::none() : Value::missing(0);
  }

  void empty_record(std::uint32_t st, Value& out) {
    const auto& fields = b_.structs[st].fields;
    Value* block = take(fields.size());
    for (std::size_t i = 0; i < fields.size(); ++i) absent(fields[i], block[i]);
    out = Value::record(block, static_cast<std::uint32_t>(fields.size()));
  }

  static bool same(const std::string& name, std::string_view key) {
    std::size_t n = key.size();
    if (name.size() != n) return false;
    const char* a = name.data();
    const char* b = key.data();
    if (n >= 4 && n <= 16) {  // short names (most): two overlapping loads a side, no call
      if (n >= 8) {
        std::uint64_t x0, x1, y0, y1;
        std::memcpy(&x0, a, 8);
        std::memcpy(&y0, b, 8);
        std::memcpy(&x1, a + n - 8, 8);
        std::memcpy(&y1, b + n - 8, 8);
        return ((x0 ^ y0) | (x1 ^ y1)) == 0;
      }
      std::uint32_t x0, x1, y0, y1;
      std::memcpy(&x0, a, 4);
      std::memcpy(&y0, b, 4);
      std::memcpy(&x1, a + n - 4, 4);
      std::memcpy(&y1, b + n - 4, 4);
      return ((x0 ^ y0) | (x1 ^ y1)) == 0;
    }
    return std::memcmp(a, b, n) == 0;
  }

  // The field named `key` (fields.size() when none); keys mostly come in declaration order, so
  // the one after the previous key is tried first.
  static std::size_t field(const std::vector<ir::Field>& fields, std::string_view key,
                           std::size_t next) {
    if (next < fields.size() && same(fields[next].name, key)) return next;
    std::size_t i = 0;
    while (i < fields.size() && !same(fields[i].name, key)) ++i;
    return i;
  }

  // A JSON object at p_ as a record of struct `st`: every key a field, each at most once.
  bool record(std::uint32_t st, Value& out, int depth) {
    const auto& fields = b_.structs[st].fields;
    if (depth > kMaxDepth || fields.size() > 64) return false;
    Value* block = take(fields.size());
    std::uint64_t seen = 0;
    std::size_t next = 0;
    ++p_;
    ws();
    if (!eat('}')) {
      for (;;) {
        std::string_view key;
        if (!at('"') || !str(key)) return false;
        std::size_t i = field(fields, key, next);
        if (i == fields.size() || (seen >> i & 1)) return false;
        next = i + 1;
        seen |= std::uint64_t{1} << i;
        ws();
        if (!eat(':')) return false;
        ws();
        if (!value(fields[i].type, block[i], depth)) return false;
        ws();
        if (eat(',')) {
          ws();
          continue;
        }
        if (eat('}')) break;
        return false;
      }
    }
    for (std::size_t i = 0; i < fields.size(); ++i)
      if (!(seen >> i & 1)) absent(fields[i], block[i]);
    out = Value::record(block, static_cast<std::uint32_t>(fields.size()));
    return true;
  }

  // A JSON array at p_ as a set of `elem`.
  bool set(std::uint32_t elem, Value& out, int depth) {
    if (depth > kMaxDepth) return false;
    constexpr std::size_t kLocal = 16;
    Value local[kLocal];
    std::vector<Value> more;
    std::size_t n = 0;
    bool optional = b_.types[elem].optional;
    ++p_;
    ws();
    if (!eat(']')) {
      for (;;) {
        Value v;
        if (!value(elem, v, depth)) return false;
        if (!optional && v.kind == ValueKind::None) v = Value::missing(0);
        if (n < kLocal) {
          local[n] = v;
        } else {
          if (n == kLocal) more.assign(local, local + kLocal);
          more.push_back(v);
        }
        ++n;
        ws();
        if (eat(',')) {
          ws();
          continue;
        }
        if (eat(']')) break;
        return false;
      }
    }
    Value* block = take(n);
    std::copy_n(n <= kLocal ? local : more.data(), n, block);
    out = Value::set(block, static_cast<std::uint32_t>(n));
    return true;
  }

  // One fact of type `type` at p_; false for anything the general path would not take as is.
  bool value(std::uint32_t type, Value& out, int depth) {
    const ir::Type& t = b_.types[type];
    if (p_ == end_) return false;
    if (*p_ == 'n') {
      if (!word("null")) return false;
      out = t.optional ? Value::none() : Value::missing(0);
      return true;
    }
    std::string_view s;
    switch (t.kind) {
      case ir::TypeKind::Bool:
        if (word("true")) {
          out = Value::boolean(true);
          return true;
        }
        if (word("false")) {
          out = Value::boolean(false);
          return true;
        }
        return false;
      case ir::TypeKind::Number: {
        if (at('"')) {
          if (!str(s)) return false;
          auto q = lit::parse_number(s);
          if (!q || (t.integer && !q->is_integer())) return false;
          out = Value::number(*q);
          return true;
        }
        std::int64_t n;
        if (!integer(n)) return false;
        out = Value::number(Rational::integer(n));
        return true;
      }
      case ir::TypeKind::Text:
        return at('"') && str(s) && keep(s, out);
      case ir::TypeKind::Date: {
        if (!at('"') || !str(s)) return false;
        auto d = lit::parse_date(s);
        if (!d) return false;
        out = Value::of_date(*d);
        return true;
      }
      case ir::TypeKind::Duration: {
        if (!at('"') || !str(s)) return false;
        auto d = lit::parse_duration(s);
        if (!d) return false;
        out = Value::of_duration(*d);
        return true;
      }
      case ir::TypeKind::Enum: {
        if (!at('"') || !str(s)) return false;
        const auto& members = b_.enums[t.ref].members;
        std::optional<std::uint32_t> found;
        for (std::uint32_t i = 0; i < members.size(); ++i)
          if (members[i] == s) found = i;
        if (!found) return false;
        out = Value::enumerator(*found);
        return true;
      }
      case ir::TypeKind::Struct:
        return at('{') && record(t.ref, out, depth + 1);
      case ir::TypeKind::Set:
        return at('[') && set(t.ref, out, depth + 1);
    }
    return false;
  }
};

}  // namespace

bool parse_plain(const Bundle& bundle, std::string_view text, std::optional<Date> as_of_override,
                 Date today, Request& req) {
  return Scanner(bundle, text, req).request(as_of_override, today);
}

}  // namespace xy::request_detail
