// Loads a bundle file: checks magic, format and hash, reads the IR and validates every index.
#include <algorithm>

#include "bundle_format.h"
#include "xiangyue/common/hash.h"
#include "xiangyue/runtime/bundle.h"

namespace xy {
namespace {

// Every reference must point inside its table, and node children before their parent, so a
// corrupt or hostile bundle cannot make evaluation read out of bounds or loop.
std::string validate(const Bundle& b) {
  auto in = [](std::uint32_t v, std::size_t n) { return v < n; };
  auto opt = [](std::uint32_t v, std::size_t n) { return v == ir::kNone || v < n; };
  for (const auto& t : b.types) {
    if (t.kind > ir::TypeKind::Set) return "bad type kind";
    if (t.kind == ir::TypeKind::Enum && !in(t.ref, b.enums.size())) return "bad enum reference";
    if (t.kind == ir::TypeKind::Struct && !in(t.ref, b.structs.size()))
      return "bad struct reference";
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
  if (b.node_ranges.size() != b.nodes.size()) return "bad node ranges";
  for (const auto& r : b.node_ranges)
    if (!in(r.file, b.sources.size()) || r.begin > r.end || r.end > b.sources[r.file].text.size())
      return "bad node range";
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
        if (n.a >= i || !in(n.b, b.lists.size()) || !in(n.c, b.lists[n.b].attrs.size()))
          return "bad list attribute";
        break;
      case ir::Op::InList:
        if (n.a >= i || !in(n.b, b.lists.size())) return "bad list membership";
        break;
      case ir::Op::Field:
        if (n.a >= i) return "bad field base";
        break;
      case ir::Op::Not:
      case ir::Op::Neg:
      case ir::Op::IsNone:
      case ir::Op::IsSome:
      case ir::Op::Size:
        if (n.a >= i) return "bad operand";
        break;
      case ir::Op::Any:
      case ir::Op::All:
      case ir::Op::Count:
        if (n.a >= i || (n.b != ir::kNone && n.b >= i)) return "bad quantifier";
        break;
      default:
        if (n.a >= i || n.b >= i) return "bad operands";
    }
  }
  for (const auto& r : b.rules) {
    if (r.effect > ir::Effect::Pass) return "bad effect";
    if (!in(r.policy, b.policies.size()) || !opt(r.action, b.actions.size()))
      return "bad rule owner";
    if (!opt(r.cond, b.nodes.size()) || !opt(r.citation, b.citations.size())) return "bad rule";
    if (!opt(r.base, b.rules.size())) return "bad exception";
    if (r.slots > 64) return "too many variables";
    for (const auto& p : r.because)
      if (!opt(p.node, b.nodes.size()) || !opt(p.type, b.types.size())) return "bad reason";
  }
  for (const auto& p : b.policies)
    if (p.kind > ir::Kind::Review || p.fallback > ir::Outcome::Pass ||
        !opt(p.target, b.actions.size()))
      return "bad policy";
  return {};
}

}  // namespace

Result<Bundle, Localized> Bundle::deserialize(const std::string& bytes) {
  using R = Result<Bundle, Localized>;
  if (bytes.size() < 12 || bytes.compare(0, 8, "XYBUNDLE") != 0)
    return R::failure({"not a xiangyue bundle (bad magic)", "不是乡约策略包（文件头不符）"});
  serial::Reader r(bytes, 8);
  if (r.u32() != 2)
    return R::failure({"unsupported bundle format version", "不支持的策略包格式版本"});
  std::string stored_hash = r.str();
  // The decoding is strict (one byte string per content), so the bytes read are the content that
  // finalize() would hash: hash them in place rather than serialising the bundle again.
  std::string_view content(bytes);
  content.remove_prefix(std::min(r.pos(), bytes.size()));
  Bundle b;
  serial::transfer(r, b);
  if (r.not_utf8)
    return R::failure({"the bundle is corrupt: a string in it is not UTF-8",
                       "策略包已损坏：其中有不是 UTF-8 的文字"});
  if (r.failed || !r.at_end())
    return R::failure({"the bundle is truncated or corrupt", "策略包不完整或已损坏"});
  // (the detail names an internal table, for whoever debugs the file)
  if (auto why = validate(b); !why.empty())
    return R::failure({"the bundle is corrupt: " + why, "策略包已损坏（" + why + "）"});
  if (sha256_hex(content) != stored_hash)
    return R::failure({"the bundle's content does not match its hash", "策略包内容与其哈希不符"});
  b.derive();
  b.hash = std::move(stored_hash);
  return b;
}

}  // namespace xy
