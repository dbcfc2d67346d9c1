// Renders decisions: the JSON contract for case systems, and value formatting for reasons.
#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

#include "xiangyue/runtime/engine.h"

namespace xy {
__extension__ typedef __int128 i128;  // exact decimal expansion of a rational

std::string format_value(const Bundle& b, const Value& v, std::uint32_t type) {
  std::string out;
  append_value(out, b, v, type);
  return out;
}

void append_value(std::string& out, const Bundle& b, const Value& v, std::uint32_t type) {
  switch (v.kind) {
    case ValueKind::Missing:
      out += '?';
      return;
    case ValueKind::None:
      out += "—";
      return;
    case ValueKind::Bool:
      out += v.b ? "是" : "否";
      return;
    case ValueKind::Number: {
      // Exact: whole numbers as digits, terminating fractions as decimals, others as a/b.
      if (v.num.is_integer()) {
        out += std::to_string(v.num.num);
        return;
      }
      std::int64_t d = v.num.den;
      int twos = 0, fives = 0;
      while (d % 2 == 0) d /= 2, ++twos;
      while (d % 5 == 0) d /= 5, ++fives;
      if (d != 1) {
        out += v.num.to_string();
        return;
      }
      int places = std::max(twos, fives);
      i128 scaled = static_cast<i128>(v.num.num);
      for (int i = 0; i < places; ++i) scaled *= 10;
      scaled /= v.num.den;
      bool neg = scaled < 0;
      if (neg) scaled = -scaled;
      std::string digits;
      for (i128 x = scaled; x > 0 || digits.size() <= static_cast<std::size_t>(places); x /= 10)
        digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(x % 10)));
      digits.insert(digits.end() - places, '.');
      out += (neg ? "-" : "") + digits;
      return;
    }
    case ValueKind::Text:
      out.append(v.text.data, v.text.size);
      return;
    case ValueKind::Date:
      out += v.date.to_string();
      return;
    case ValueKind::Duration:
      out += v.dur.to_string();
      return;
    case ValueKind::Enum: {
      if (type != ir::kNone && b.types[type].kind == ir::TypeKind::Enum) {
        const auto& members = b.enums[b.types[type].ref].members;
        if (v.ordinal < members.size()) {
          out += members[v.ordinal];
          return;
        }
      }
      out += std::to_string(v.ordinal);
      return;
    }
    case ValueKind::Set: {
      std::uint32_t elem = type != ir::kNone && b.types[type].kind == ir::TypeKind::Set
                               ? b.types[type].ref
                               : ir::kNone;
      for (std::uint32_t i = 0; i < v.seq.size; ++i) {
        if (i) out += "、";
        append_value(out, b, v.seq.items[i], elem);
      }
      return;
    }
    case ValueKind::Record:
      out += "{…}";
      return;
  }
}

namespace {

// Writes the decision JSON text directly, byte for byte what boost::json::serialize gives for the
// same object: keys in insertion order, no whitespace, integers in decimal, strings with `"`, `\\`
// and control characters escaped (\b \t \n \f \r, otherwise \u00xx in lowercase hex) and every
// other byte (DEL, UTF-8) as it is. runtime/tests/decision_json_test.cpp pins this to the library.
class Writer {
 public:
  explicit Writer(std::size_t expect) {
    buf_.resize(expect);
    p_ = buf_.data();
    end_ = p_ + buf_.size();
  }

  // The text written (the writer is spent).
  std::string take() {
    buf_.resize(static_cast<std::size_t>(p_ - buf_.data()));
    return std::move(buf_);
  }

  template <std::size_t N>
  void raw(const char (&s)[N]) {
    ensure(N - 1);
    std::memcpy(p_, s, N - 1);
    p_ += N - 1;
  }
  void raw(std::string_view s) {
    ensure(s.size());
    std::memcpy(p_, s.data(), s.size());
    p_ += s.size();
  }
  void raw(char c) {
    ensure(1);
    *p_++ = c;
  }

  void str(std::string_view s) {
    ensure(6 * s.size() + 2);  // every byte escaped at worst: no check in the loop
    *p_++ = '"';
    const char* in = s.data();
    const char* end = s.data() + s.size();
    while (in != end) {
      if (end - in >= 8) {  // eight bytes at a time while none needs escaping
        std::uint64_t x;
        std::memcpy(&x, in, 8);
        std::memcpy(p_, in, 8);  // room: at least 6 * 8 left for these eight bytes
        std::uint64_t m = needs_escape(x);
        if (m == 0) {
          p_ += 8;
          in += 8;
          continue;
        }
        if constexpr (std::endian::native == std::endian::little) {
          std::size_t k = static_cast<std::size_t>(std::countr_zero(m)) / 8;
          p_ += k;
          in += k;
        }
      }
      auto c = static_cast<unsigned char>(*in++);  // one byte (on little-endian: one to escape)
      if (c >= 0x20 && c != '"' && c != '\\')
        *p_++ = static_cast<char>(c);
      else
        escape(c);
    }
    *p_++ = '"';
  }

  void date(Date d) {
    int y = d.year(), m = d.month(), day = d.day();
    if (y < 0 || y > 9999) {
      str(d.to_string());
      return;
    }
    char buf[12] = {'"',
                    static_cast<char>('0' + y / 1000),
                    static_cast<char>('0' + y / 100 % 10),
                    static_cast<char>('0' + y / 10 % 10),
                    static_cast<char>('0' + y % 10),
                    '-',
                    static_cast<char>('0' + m / 10),
                    static_cast<char>('0' + m % 10),
                    '-',
                    static_cast<char>('0' + day / 10),
                    static_cast<char>('0' + day % 10),
                    '"'};
    raw(std::string_view(buf, sizeof buf));
  }

  template <typename Int>
  void num(Int v) {
    ensure(24);
    p_ = std::to_chars(p_, p_ + 24, v).ptr;
  }

  void opt(const std::optional<int>& v) {
    if (v)
      num(*v);
    else
      raw("null");
  }

 private:
  // Of eight bytes (loaded little-endian), the high bit of each that is a control character, '"'
  // or '\\'. Exact up to the first such byte (a borrow can only mark bytes after it); bytes >= 0x80
  // (UTF-8) never count.
  static std::uint64_t needs_escape(std::uint64_t x) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
    std::uint64_t quote = x ^ (kOnes * '"'), backslash = x ^ (kOnes * '\\');
    std::uint64_t control = (x - kOnes * 0x20) & ~x;
    std::uint64_t q = (quote - kOnes) & ~quote;
    std::uint64_t b = (backslash - kOnes) & ~backslash;
    return (control | q | b) & kHigh;
  }

  // Room for `n` more bytes.
  void ensure(std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n) grow(n);
  }
  void grow(std::size_t n) {
    std::size_t used = static_cast<std::size_t>(p_ - buf_.data());
    buf_.resize(std::max(2 * buf_.size(), used + n));
    p_ = buf_.data() + used;
    end_ = buf_.data() + buf_.size();
  }

  void escape(unsigned char c) {
    static constexpr char kHex[] = "0123456789abcdef";
    char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
    std::size_t n = 2;
    switch (c) {
      case '"':
        esc[1] = '"';
        break;
      case '\\':
        esc[1] = '\\';
        break;
      case '\b':
        esc[1] = 'b';
        break;
      case '\t':
        esc[1] = 't';
        break;
      case '\n':
        esc[1] = 'n';
        break;
      case '\f':
        esc[1] = 'f';
        break;
      case '\r':
        esc[1] = 'r';
        break;
      default:
        n = 6;
    }
    std::memcpy(p_, esc, n);
    p_ += n;
  }

  std::string buf_;
  char* p_;
  char* end_;
};

void write_basis(Writer& w, const Bundle& b, std::uint32_t c) {
  const auto& cit = b.citations[c];
  w.raw("{\"law\":");
  w.str(cit.law);
  w.raw(",\"version\":");
  if (cit.version)
    w.str(*cit.version);
  else
    w.raw("null");
  w.raw(",\"article\":");
  w.opt(cit.article);
  w.raw(",\"paragraph\":");
  w.opt(cit.paragraph);
  w.raw(",\"item\":");
  w.opt(cit.item);
  w.raw(",\"cite\":");
  w.str(cit.cite);
  if (!cit.source.empty()) {
    w.raw(",\"text\":");
    w.str(cit.text);
    w.raw(",\"source\":");
    w.str(cit.source);
  }
  if (!cit.issuer.empty()) {
    w.raw(",\"issuer\":");
    w.str(cit.issuer);
  }
  w.raw('}');
}

void write_location(Writer& w, const Bundle& b, const ir::Location& l) {
  w.raw("{\"file\":");
  w.str(l.file < b.sources.size() ? std::string_view(b.sources[l.file].path) : std::string_view());
  w.raw(",\"line\":");
  w.num(l.line);
  w.raw(",\"column\":");
  w.num(l.column);
  if (l.end_line >= l.line && l.end_line > 0) {
    w.raw(",\"end_line\":");
    w.num(l.end_line);
    w.raw(",\"end_column\":");
    w.num(l.end_column);
  }
  w.raw('}');
}

}  // namespace

std::string decision_json(const Bundle& b, const Request& req, const Decision& d) {
  Writer w(512 + 320 * d.reasons.size() + 192 * d.overridden.size() + 192 * d.missing.size());
  const auto& pol = b.policies[d.policy];
  w.raw("{\"outcome\":");
  w.str(outcome_name(d.outcome));
  w.raw(",\"policy\":");
  w.str(pol.name);
  if (!pol.scope.empty()) {
    w.raw(",\"scope\":");
    w.str(pol.scope);
  }
  if (!pol.version.empty()) {
    w.raw(",\"version\":");
    w.str(pol.version);
  }
  w.raw(",\"action\":");
  w.str(b.actions[d.action].name);
  w.raw(",\"as_of\":");
  w.date(d.as_of);
  w.raw(d.by_default ? ",\"by_default\":true" : ",\"by_default\":false");
  w.raw(",\"reasons\":[");
  bool first = true;
  for (const auto& r : d.reasons) {
    const auto& rule = b.rules[r.rule];
    w.raw(first ? "{\"rule\":" : ",{\"rule\":");
    first = false;
    w.str(rule.id);
    w.raw(",\"effect\":");
    w.str(effect_name(rule.effect));
    w.raw(",\"text\":");
    w.str(r.text);
    w.raw(",\"basis\":");
    if (rule.citation == ir::kNone)
      w.raw("null");
    else
      write_basis(w, b, rule.citation);
    w.raw(",\"location\":");
    write_location(w, b, rule.loc);
    if (rule.base != ir::kNone) {
      w.raw(",\"exception_to\":");
      w.str(b.rules[rule.base].id);
    }
    w.raw('}');
  }
  w.raw("],\"overridden\":[");
  first = true;
  for (const auto& ov : d.overridden) {
    w.raw(first ? "{\"rule\":" : ",{\"rule\":");
    first = false;
    w.str(b.rules[ov.rule].id);
    w.raw(",\"by\":");
    w.str(b.rules[ov.by].id);
    w.raw(",\"location\":");
    write_location(w, b, b.rules[ov.rule].loc);
    w.raw('}');
  }
  w.raw("],\"missing\":[");
  first = true;
  for (const auto& m : d.missing) {
    w.raw(first ? "{\"fact\":" : ",{\"fact\":");
    first = false;
    w.str(m.path == ir::kNone ? std::string_view() : std::string_view(b.paths[m.path]));
    bool invalid = m.problem > 0 && m.problem <= req.problems.size();
    w.raw(invalid ? ",\"problem\":\"invalid\"" : ",\"problem\":\"missing\"");
    if (invalid) {
      w.raw(",\"at\":");
      w.str(req.problems[m.problem - 1].path);
      w.raw(",\"detail\":");
      w.str(req.problems[m.problem - 1].detail.en);
    }
    w.raw(",\"rules\":[");
    for (std::size_t i = 0; i < m.rules.size(); ++i) {
      if (i) w.raw(',');
      w.str(b.rules[m.rules[i]].id);
    }
    w.raw("]}");
  }
  w.raw("],\"bundle\":");
  w.str(b.hash);
  w.raw('}');
  return w.take();
}

}  // namespace xy
