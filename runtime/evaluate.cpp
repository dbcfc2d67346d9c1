// The evaluator: three-valued evaluation of IR conditions and the combining of rule results.
#include "eval_state.h"

namespace xy {

using ir::Op;

namespace {
Value unknown() {
  return Value::missing(0);
}
Value truth(std::uint8_t t) {
  return t == kUnknown ? unknown() : Value::boolean(t == kTrue);
}
std::uint8_t tri(const Value& v) {
  if (v.kind != ValueKind::Bool) return kUnknown;
  return v.b ? kTrue : kFalse;
}
}  // namespace

Value Evaluator::State::compare(const ir::Node& n, const Value& l, const Value& r) const {
  if (!l.known() || !r.known()) return unknown();
  if (l.kind == ValueKind::None || r.kind == ValueKind::None) return Value::boolean(false);
  if (l.kind != r.kind)
    return unknown();  // only a corrupt bundle gets here: the checker types both
  int c = 0;
  switch (l.kind) {
    case ValueKind::Number: {
      auto o = l.num <=> r.num;
      c = o < 0 ? -1 : o > 0 ? 1 : 0;
      break;
    }
    case ValueKind::Date:
      c = l.date.days < r.date.days ? -1 : l.date.days > r.date.days ? 1 : 0;
      break;
    case ValueKind::Enum:
      c = l.ordinal < r.ordinal ? -1 : l.ordinal > r.ordinal ? 1 : 0;
      break;
    case ValueKind::Bool:
      c = l.b == r.b ? 0 : 1;
      break;
    case ValueKind::Text: {
      int k = l.as_text().compare(r.as_text());
      c = k < 0 ? -1 : k > 0 ? 1 : 0;
      break;
    }
    case ValueKind::Duration: {
      auto o = xy::compare(l.dur, r.dur);
      if (!o) return unknown();
      c = *o < 0 ? -1 : *o > 0 ? 1 : 0;
      break;
    }
    default:
      return unknown();
  }
  switch (n.op) {
    case Op::Eq:
      return Value::boolean(c == 0);
    case Op::Ne:
      return Value::boolean(c != 0);
    case Op::Lt:
      return Value::boolean(c < 0);
    case Op::Le:
      return Value::boolean(c <= 0);
    case Op::Gt:
      return Value::boolean(c > 0);
    default:
      return Value::boolean(c >= 0);
  }
}

Value Evaluator::State::arith(const ir::Node& n, const Value& l, const Value& r) const {
  if (!l.known() || !r.known()) return unknown();
  if (l.kind == ValueKind::None || r.kind == ValueKind::None) return Value::none();
  if (n.op == Op::DateAdd || n.op == Op::DateSub) {
    if (l.kind != ValueKind::Date || r.kind != ValueKind::Duration) return unknown();
    auto d = n.op == Op::DateAdd ? add(l.date, r.dur) : subtract(l.date, r.dur);
    return d ? Value::of_date(*d) : unknown();
  }
  if (l.kind != ValueKind::Number || r.kind != ValueKind::Number) return unknown();
  std::optional<Rational> q;
  switch (n.op) {
    case Op::Add:
      q = add(l.num, r.num);
      break;
    case Op::Sub:
      q = sub(l.num, r.num);
      break;
    case Op::Mul:
      q = mul(l.num, r.num);
      break;
    default:
      q = div(l.num, r.num);
      break;
  }
  return q ? Value::number(*q) : unknown();
}

Value Evaluator::State::quantify(const ir::Node& n) {
  Value set = eval(n.a);
  if (!set.known()) return unknown();
  if (set.kind == ValueKind::None) set = Value::set(nullptr, 0);
  if (set.kind != ValueKind::Set) return unknown();
  bool any_unknown = false;
  std::int64_t count = 0;
  for (std::uint32_t i = 0; i < set.seq.size; ++i) {
    slots[n.slot] = set.seq.items[i];
    std::uint8_t t = n.b == ir::kNone ? kTrue : tri(eval(n.b));
    if (t == kUnknown) {
      any_unknown = true;
      continue;
    }
    if (n.op == Op::Any && t == kTrue) return Value::boolean(true);  // the slot keeps the witness
    if (n.op == Op::All && t == kFalse) return Value::boolean(false);
    if (t == kTrue) ++count;
  }
  if (any_unknown) return unknown();
  if (n.op == Op::Count) return Value::number(Rational::integer(count));
  return Value::boolean(n.op == Op::All);
}

Value Evaluator::State::eval(std::uint32_t index) {
  const ir::Node& n = b.nodes[index];
  switch (n.op) {
    case Op::Const:
      return b.const_values[n.a];
    case Op::Root:
      return req->facts;
    case Op::AsOf:
      return Value::of_date(req->as_of);
    case Op::Var:
      return slots[n.slot];
    case Op::Field: {
      Value base = eval(n.a);
      if (base.kind == ValueKind::None) return Value::none();
      if (base.kind != ValueKind::Record || n.b >= base.seq.size) return unknown();
      const Value& v = base.seq.items[n.b];
      if (!v.known()) misses.push_back({n.path, v.problem});
      return v;
    }
    case Op::ListAttr: {
      Value key = eval(n.a);
      if (!key.known()) return unknown();
      if (key.kind != ValueKind::Text) return Value::none();
      const auto& index_map = b.list_index[n.b];
      auto it = index_map.find(key.as_text());
      if (it == index_map.end()) return Value::none();
      std::uint32_t c = b.lists[n.b].items[it->second].attrs[n.c];
      return c == ir::kNone ? Value::none() : b.const_values[c];
    }
    case Op::Not: {
      std::uint8_t t = tri(eval(n.a));
      return t == kUnknown ? unknown() : Value::boolean(t == kFalse);
    }
    case Op::And: {
      std::uint8_t l = tri(eval(n.a));
      if (l == kFalse) return Value::boolean(false);
      std::uint8_t r = tri(eval(n.b));
      if (r == kFalse) return Value::boolean(false);
      return truth(l == kTrue && r == kTrue ? kTrue : kUnknown);
    }
    case Op::Or: {
      std::uint8_t l = tri(eval(n.a));
      if (l == kTrue) return Value::boolean(true);
      std::uint8_t r = tri(eval(n.b));
      if (r == kTrue) return Value::boolean(true);
      return truth(l == kFalse && r == kFalse ? kFalse : kUnknown);
    }
    case Op::Eq:
    case Op::Ne:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge: {
      Value l = eval(n.a);
      Value r = eval(n.b);
      return compare(n, l, r);
    }
    case Op::Add:
    case Op::Sub:
    case Op::Mul:
    case Op::Div:
    case Op::DateAdd:
    case Op::DateSub: {
      Value l = eval(n.a);
      Value r = eval(n.b);
      return arith(n, l, r);
    }
    case Op::Neg: {
      Value v = eval(n.a);
      if (v.kind != ValueKind::Number) return v.kind == ValueKind::None ? v : unknown();
      auto q = sub(Rational{}, v.num);
      return q ? Value::number(*q) : unknown();
    }
    case Op::InList: {
      Value key = eval(n.a);
      if (!key.known()) return unknown();
      if (key.kind != ValueKind::Text) return Value::boolean(false);
      return Value::boolean(b.list_index[n.b].count(key.as_text()) > 0);
    }
    case Op::InSet: {
      Value x = eval(n.a);
      Value set = eval(n.b);
      if (!x.known() || !set.known()) return unknown();
      if (x.kind == ValueKind::None || set.kind != ValueKind::Set) return Value::boolean(false);
      ir::Node eq;
      eq.op = Op::Eq;
      bool any_unknown = false;
      for (std::uint32_t i = 0; i < set.seq.size; ++i) {
        std::uint8_t t = tri(compare(eq, x, set.seq.items[i]));
        if (t == kTrue) return Value::boolean(true);
        if (t == kUnknown) any_unknown = true;
      }
      return any_unknown ? unknown() : Value::boolean(false);
    }
    case Op::IsNone:
    case Op::IsSome: {
      Value v = eval(n.a);
      if (!v.known()) return unknown();
      bool none = v.kind == ValueKind::None;
      return Value::boolean(n.op == Op::IsNone ? none : !none);
    }
    case Op::Any:
    case Op::All:
    case Op::Count:
      return quantify(n);
    case Op::SetLit: {
      if (std::uint32_t c = b.const_set_of_node[index]; c != ir::kNone)
        return Value::set(b.const_sets[c].data(),
                          static_cast<std::uint32_t>(b.const_sets[c].size()));
      auto& items = scratch.emplace_back();
      items.reserve(n.b);
      for (std::uint32_t k = 0; k < n.b; ++k) items.push_back(eval(b.node_lists[n.a + k]));
      return Value::set(items.data(), static_cast<std::uint32_t>(items.size()));
    }
    case Op::Age: {
      Value from = eval(n.a);
      Value to = eval(n.b);
      if (!from.known() || !to.known()) return unknown();
      if (from.kind != ValueKind::Date || to.kind != ValueKind::Date) return Value::none();
      return Value::number(Rational::integer(whole_years_between(from.date, to.date)));
    }
    case Op::Size: {
      Value set = eval(n.a);
      if (!set.known()) return unknown();
      if (set.kind != ValueKind::Set) return Value::number(Rational::integer(0));
      return Value::number(Rational::integer(set.seq.size));
    }
  }
  return unknown();
}

}  // namespace xy
