// Runtime values: facts from requests, constants from policies, results of evaluation.
#pragma once
#include <cstdint>
#include <string_view>

#include "xiangyue/common/date.h"
#include "xiangyue/common/rational.h"

namespace xy {

enum class ValueKind : std::uint8_t {
  Missing,  // unknown: a required fact absent or ill-typed (fail closed)
  None,     // an optional fact known to be absent
  Bool,
  Number,
  Text,
  Date,
  Duration,
  Enum,
  Record,
  Set,
};

// A small trivially-copyable value. Text, records and sets point into storage owned by the
// request or the bundle, which outlive every evaluation that reads them.
struct Value {
  // Named outside the union: anonymous structs inside an anonymous union are an extension.
  struct Text {
    const char* data;
    std::uint32_t size;
  };
  struct Seq {
    const Value* items;  // Record: its fields in declaration order; Set: its elements
    std::uint32_t size;
  };

  ValueKind kind = ValueKind::Missing;
  union {
    bool b;
    Rational num;
    xy::Date date;
    xy::Duration dur;
    std::uint32_t ordinal;  // Enum
    Text text;
    Seq seq;
    std::uint32_t problem;  // Missing: index of the problem in the request (or none)
  };

  Value() : problem(0) {}
  static Value missing(std::uint32_t problem_index = 0) {
    Value v;
    v.problem = problem_index;
    return v;
  }
  static Value none() {
    Value v;
    v.kind = ValueKind::None;
    return v;
  }
  static Value boolean(bool x) {
    Value v;
    v.kind = ValueKind::Bool;
    v.b = x;
    return v;
  }
  static Value number(Rational r) {
    Value v;
    v.kind = ValueKind::Number;
    v.num = r;
    return v;
  }
  static Value str(std::string_view s) {
    Value v;
    v.kind = ValueKind::Text;
    v.text = {s.data(), static_cast<std::uint32_t>(s.size())};
    return v;
  }
  static Value of_date(xy::Date d) {
    Value v;
    v.kind = ValueKind::Date;
    v.date = d;
    return v;
  }
  static Value of_duration(xy::Duration d) {
    Value v;
    v.kind = ValueKind::Duration;
    v.dur = d;
    return v;
  }
  static Value enumerator(std::uint32_t o) {
    Value v;
    v.kind = ValueKind::Enum;
    v.ordinal = o;
    return v;
  }
  static Value record(const Value* fields, std::uint32_t n) {
    Value v;
    v.kind = ValueKind::Record;
    v.seq = {fields, n};
    return v;
  }
  static Value set(const Value* items, std::uint32_t n) {
    Value v;
    v.kind = ValueKind::Set;
    v.seq = {items, n};
    return v;
  }

  std::string_view as_text() const { return {text.data, text.size}; }
  bool known() const { return kind != ValueKind::Missing; }
};

}  // namespace xy
