// The fast path of parse_request: a strict JSON scanner that checks and converts the facts as it
// reads them, with no JSON document in between. It gives up (returns false) on the first thing it
// does not handle or that would be an error or a fact problem; the general path then decides, so
// every message comes from one place. It must never accept a text that Boost.JSON rejects.
#include "request_fast.h"

#include <algorithm>
#include <string>
#include <vector>

#include "json_cursor.h"
#include "xiangyue/literals/literals.h"

namespace xy::request_detail {
namespace {

constexpr std::size_t kFirstChunk = 32;  // Values in the first block of a request

class Scanner : JsonCursor {
 public:
  Scanner(const Bundle& b, std::string_view text, Request& req)
      : JsonCursor(text), b_(b), size_(text.size()), req_(req) {}

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
  std::size_t size_;
  Request& req_;
  std::string* pool_ = nullptr;  // the request's texts, one after another (in req_.texts)
  Value* cur_ = nullptr;         // the free part of the last block of Values
  std::size_t left_ = 0;
  std::size_t chunk_ = kFirstChunk;

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

namespace {

// Reads the top level of a request object, skipping (and checking) every value but the action.
struct ActionReader : JsonCursor {
  explicit ActionReader(std::string_view text) : JsonCursor(text) {}
  std::optional<std::string> run() {
    std::optional<std::string> action;
    ws();
    if (!eat('{')) return std::nullopt;
    ws();
    if (!eat('}')) {
      for (;;) {
        std::string_view key;
        if (!at('"') || !str(key)) return std::nullopt;
        bool is_action = key == "action";
        ws();
        if (!eat(':')) return std::nullopt;
        ws();
        if (is_action) {
          std::string_view v;
          if (action || !at('"') || !str(v)) return std::nullopt;
          action = std::string(v);
        } else if (!skip(1)) {
          return std::nullopt;
        }
        ws();
        if (eat(',')) {
          ws();
          continue;
        }
        if (!eat('}')) return std::nullopt;
        break;
      }
    }
    ws();
    if (p_ != end_) return std::nullopt;
    return action;
  }
};

}  // namespace

}  // namespace xy::request_detail

namespace xy {

std::optional<std::string> request_action(std::string_view json) {
  return request_detail::ActionReader(json).run();
}

}  // namespace xy
