// Loads a bundle file: checks magic, format and hash, reads the IR and validates every index.
#include "serial.h"
#include "xiangyue/runtime/bundle.h"

namespace xy {
namespace {

std::vector<ir::Field> read_fields(serial::Reader& r) {
  std::vector<ir::Field> out(r.count(9));
  for (auto& f : out) {
    f.name = r.str();
    f.type = r.u32();
    f.sensitive = r.flag();
  }
  return out;
}

// Every reference must point inside its table, and node children before their parent, so a
// corrupt or hostile bundle cannot make evaluation read out of bounds or loop.
std::string validate(const Bundle& b) {
  auto in = [](std::uint32_t v, std::size_t n) { return v < n; };
  auto opt = [](std::uint32_t v, std::size_t n) { return v == ir::kNone || v < n; };
  for (const auto& t : b.types) {
    if (t.kind > ir::TypeKind::Set) return "bad type kind";
    if (t.kind == ir::TypeKind::Enum && !in(t.ref, b.enums.size())) return "bad enum reference";
    if (t.kind == ir::TypeKind::Struct && !in(t.ref, b.structs.size())) return "bad struct reference";
    if (t.kind == ir::TypeKind::Set && !in(t.ref, b.types.size())) return "bad set element type";
  }
  for (const auto& s : b.structs)
    for (const auto& f : s.fields)
      if (!in(f.type, b.types.size())) return "bad field type";
  for (const auto& a : b.actions)
    if (!in(a.facts, b.structs.size())) return "bad action facts";
  for (const auto& l : b.lists) {
    for (const auto& f : l.attrs)
      if (!in(f.type, b.types.size())) return "bad list attribute type";
    if (!opt(l.citation, b.citations.size())) return "bad list citation";
    for (const auto& it : l.items) {
      if (it.attrs.size() != l.attrs.size()) return "bad list item";
      for (auto a : it.attrs)
        if (!opt(a, b.consts.size())) return "bad list attribute value";
      if (!opt(it.citation, b.citations.size())) return "bad item citation";
    }
  }
  for (std::uint32_t i = 0; i < b.nodes.size(); ++i) {
    const auto& n = b.nodes[i];
    if (n.op > ir::Op::Size) return "bad node op";
    if (!opt(n.path, b.paths.size())) return "bad node path";
    if (n.slot >= 64) return "bad variable slot";
    switch (n.op) {
      case ir::Op::Const:
        if (!in(n.a, b.consts.size())) return "bad constant";
        break;
      case ir::Op::Root:
      case ir::Op::AsOf:
      case ir::Op::Var:
        break;
      case ir::Op::SetLit:
        if (n.a > b.node_lists.size() || n.b > b.node_lists.size() - n.a) return "bad set literal";
        for (std::uint32_t k = 0; k < n.b; ++k)
          if (b.node_lists[n.a + k] >= i) return "bad set element";
        break;
      case ir::Op::ListAttr:
        if (n.a >= i || !in(n.b, b.lists.size()) || !in(n.c, b.lists[n.b].attrs.size())) return "bad list attribute";
        break;
      case ir::Op::InList:
        if (n.a >= i || !in(n.b, b.lists.size())) return "bad list membership";
        break;
      case ir::Op::Field:
        if (n.a >= i) return "bad field base";
        break;
      case ir::Op::Not: case ir::Op::Neg: case ir::Op::IsNone: case ir::Op::IsSome: case ir::Op::Size:
        if (n.a >= i) return "bad operand";
        break;
      case ir::Op::Any: case ir::Op::All: case ir::Op::Count:
        if (n.a >= i || (n.b != ir::kNone && n.b >= i)) return "bad quantifier";
        break;
      default:
        if (n.a >= i || n.b >= i) return "bad operands";
    }
  }
  for (const auto& r : b.rules) {
    if (r.effect > ir::Effect::Pass) return "bad effect";
    if (!in(r.policy, b.policies.size()) || !opt(r.action, b.actions.size())) return "bad rule owner";
    if (!opt(r.cond, b.nodes.size()) || !opt(r.citation, b.citations.size())) return "bad rule";
    if (!opt(r.base, b.rules.size())) return "bad exception";
    if (r.slots > 64) return "too many variables";
    for (const auto& p : r.because)
      if (!opt(p.node, b.nodes.size()) || !opt(p.type, b.types.size())) return "bad reason";
  }
  for (const auto& p : b.policies)
    if (p.kind > ir::Kind::Review || p.fallback > ir::Outcome::Pass || !opt(p.target, b.actions.size()))
      return "bad policy";
  return {};
}

}  // namespace

Result<Bundle> Bundle::deserialize(const std::string& bytes) {
  using R = Result<Bundle>;
  if (bytes.size() < 12 || bytes.compare(0, 8, "XYBUNDLE") != 0)
    return R::failure("not a xiangyue bundle (bad magic)");
  serial::Reader r(bytes, 8);
  if (r.u32() != 1) return R::failure("unsupported bundle format version");
  std::string stored_hash = r.str();
  Bundle b;
  b.sources.resize(r.count(8));
  for (auto& s : b.sources) {
    s.path = r.str();
    s.text = r.str();
  }
  b.types.resize(r.count(7));
  for (auto& t : b.types) {
    t.kind = static_cast<ir::TypeKind>(r.u8());
    t.optional = r.flag();
    t.integer = r.flag();
    t.ref = r.u32();
  }
  b.structs.resize(r.count(9));
  for (auto& s : b.structs) {
    s.name = r.str();
    s.entity = r.flag();
    s.fields = read_fields(r);
  }
  b.enums.resize(r.count(9));
  for (auto& e : b.enums) {
    e.name = r.str();
    e.ordered = r.flag();
    e.members.resize(r.count(4));
    for (auto& m : e.members) m = r.str();
  }
  b.actions.resize(r.count(8));
  for (auto& a : b.actions) {
    a.name = r.str();
    a.facts = r.u32();
  }
  b.citations.resize(r.count(15));
  for (auto& c : b.citations) {
    c.issuer = r.str();
    c.law = r.str();
    c.version = r.opt_str();
    c.article = r.opt_int();
    c.paragraph = r.opt_int();
    c.item = r.opt_int();
    c.cite = r.str();
  }
  b.consts.resize(r.count(46));
  for (auto& c : b.consts) {
    c.kind = static_cast<ValueKind>(r.u8());
    std::int64_t num = r.i64(), den = r.i64();
    auto q = Rational::make(num, den);
    if (!q || q->num != num || q->den != den) r.failed = true;  // stored normalised, or corrupt
    c.num = q ? *q : Rational{};
    c.text = r.str();
    c.date = r.i32();
    c.dur.months = r.i32();
    c.dur.days = r.i32();
    c.ordinal = r.u32();
    c.b = r.flag();
  }
  b.lists.resize(r.count(16));
  for (auto& l : b.lists) {
    l.name = r.str();
    l.attrs = read_fields(r);
    l.citation = r.u32();
    l.items.resize(r.count(12));
    for (auto& it : l.items) {
      it.key = r.str();
      it.attrs.resize(r.count(4));
      for (auto& a : it.attrs) a = r.u32();
      it.citation = r.u32();
    }
  }
  b.nodes.resize(r.count(22));
  for (auto& n : b.nodes) {
    n.op = static_cast<ir::Op>(r.u8());
    n.flags = r.u8();
    n.slot = r.u16_in_u32();
    n.a = r.u32();
    n.b = r.u32();
    n.c = r.u32();
    n.path = r.u32();
  }
  b.node_lists.resize(r.count(4));
  for (auto& n : b.node_lists) n = r.u32();
  b.paths.resize(r.count(4));
  for (auto& p : b.paths) p = r.str();
  b.rules.resize(r.count(40));
  for (auto& rule : b.rules) {
    rule.id = r.str();
    rule.effect = static_cast<ir::Effect>(r.u8());
    rule.policy = r.u32();
    rule.action = r.u32();
    rule.cond = r.u32();
    rule.because.resize(r.count(12));
    for (auto& p : rule.because) {
      p.text = r.str();
      p.node = r.u32();
      p.type = r.u32();
    }
    rule.citation = r.u32();
    rule.from = r.i32();
    rule.until = r.i32();
    rule.base = r.u32();
    rule.slots = r.u16_in_u32();
    rule.loc = {r.u32(), r.u32(), r.u32()};
  }
  b.policies.resize(r.count(30));
  for (auto& p : b.policies) {
    p.name = r.str();
    p.kind = static_cast<ir::Kind>(r.u8());
    p.fallback = static_cast<ir::Outcome>(r.u8());
    p.scope = r.str();
    p.version = r.str();
    p.from = r.i32();
    p.until = r.i32();
    p.target = r.u32();
    p.loc = {r.u32(), r.u32(), r.u32()};
  }
  if (r.failed || !r.at_end()) return R::failure("the bundle is truncated or corrupt");
  if (auto why = validate(b); !why.empty()) return R::failure("the bundle is corrupt: " + why);
  b.finalize();
  if (b.hash != stored_hash) return R::failure("the bundle's content does not match its hash");
  return b;
}

}  // namespace xy
