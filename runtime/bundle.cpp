// Bundle finalisation (derived indexes, constant values, content hash) and its file format.
#include "xiangyue/runtime/bundle.h"

#include <openssl/evp.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "serial.h"

namespace xy {
namespace {

constexpr char kMagic[] = "XYBUNDLE";
constexpr std::uint32_t kFormat = 1;

std::string sha256_hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

void write_fields(serial::Writer& w, const std::vector<ir::Field>& fields) {
  w.u32(static_cast<std::uint32_t>(fields.size()));
  for (const auto& f : fields) {
    w.str(f.name);
    w.u32(f.type);
    w.u8(f.sensitive);
  }
}

}  // namespace

void Bundle::finalize() {
  action_by_name.clear();
  for (std::uint32_t i = 0; i < actions.size(); ++i) action_by_name[actions[i].name] = i;
  list_index.assign(lists.size(), {});
  for (std::size_t l = 0; l < lists.size(); ++l)
    for (std::uint32_t i = 0; i < lists[l].items.size(); ++i) list_index[l][lists[l].items[i].key] = i;
  const_values.clear();
  const_values.reserve(consts.size());
  for (const auto& c : consts) {
    switch (c.kind) {
      case ValueKind::Bool: const_values.push_back(Value::boolean(c.b)); break;
      case ValueKind::Number: const_values.push_back(Value::number(c.num)); break;
      case ValueKind::Text: const_values.push_back(Value::str(c.text)); break;
      case ValueKind::Date: const_values.push_back(Value::of_date(Date{c.date})); break;
      case ValueKind::Duration: const_values.push_back(Value::of_duration(c.dur)); break;
      case ValueKind::Enum: const_values.push_back(Value::enumerator(c.ordinal)); break;
      default: const_values.push_back(Value::none()); break;
    }
  }
  const_set_of_node.assign(nodes.size(), ir::kNone);
  const_sets.clear();
  for (std::uint32_t i = 0; i < nodes.size(); ++i) {
    const auto& n = nodes[i];
    if (n.op != ir::Op::SetLit || n.a > node_lists.size() || n.b > node_lists.size() - n.a) continue;
    std::vector<Value> items;
    for (std::uint32_t k = 0; k < n.b; ++k) {
      std::uint32_t child = node_lists[n.a + k];
      if (child >= nodes.size() || nodes[child].op != ir::Op::Const || nodes[child].a >= const_values.size()) break;
      items.push_back(const_values[nodes[child].a]);
    }
    if (items.size() != n.b) continue;
    const_set_of_node[i] = static_cast<std::uint32_t>(const_sets.size());
    const_sets.push_back(std::move(items));
  }
  // Exceptions and the per-action rule index, exceptions ordered before the rules they override.
  for (auto& r : rules) r.exceptions.clear();
  for (std::uint32_t i = 0; i < rules.size(); ++i)
    if (rules[i].base != ir::kNone) rules[rules[i].base].exceptions.push_back(i);
  // Level = the longest chain of exceptions below a rule, computed leaves-first without
  // recursion (chains may be long). Rules caught in a cycle (only in a corrupt bundle) go last.
  std::vector<std::uint32_t> level(rules.size(), 0), pending(rules.size(), 0);
  std::vector<std::uint32_t> ready;
  for (std::uint32_t i = 0; i < rules.size(); ++i) {
    pending[i] = static_cast<std::uint32_t>(rules[i].exceptions.size());
    if (pending[i] == 0) ready.push_back(i);
  }
  std::vector<bool> done(rules.size(), false);
  while (!ready.empty()) {
    std::uint32_t r = ready.back();
    ready.pop_back();
    done[r] = true;
    std::uint32_t base = rules[r].base;
    if (base == ir::kNone || base >= rules.size()) continue;
    level[base] = std::max(level[base], level[r] + 1);
    if (--pending[base] == 0) ready.push_back(base);
  }
  for (std::uint32_t i = 0; i < rules.size(); ++i)
    if (!done[i]) level[i] = static_cast<std::uint32_t>(rules.size());
  std::vector<std::uint32_t> order(rules.size());
  for (std::uint32_t i = 0; i < rules.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return level[a] < level[b]; });
  for (auto& p : policies) {
    p.by_action.clear();
    if (p.target != ir::kNone) p.by_action[p.target];  // a `for` action is decided even without rules
  }
  for (auto r : order)
    if (rules[r].action != ir::kNone && rules[r].policy < policies.size())
      policies[rules[r].policy].by_action[rules[r].action].push_back(r);
  hash = sha256_hex(content());
}

std::string Bundle::content() const {
  serial::Writer w;
  w.u32(static_cast<std::uint32_t>(sources.size()));
  for (const auto& s : sources) {
    w.str(s.path);
    w.str(s.text);
  }
  w.u32(static_cast<std::uint32_t>(types.size()));
  for (const auto& t : types) {
    w.u8(static_cast<std::uint8_t>(t.kind));
    w.u8(t.optional);
    w.u8(t.integer);
    w.u32(t.ref);
  }
  w.u32(static_cast<std::uint32_t>(structs.size()));
  for (const auto& s : structs) {
    w.str(s.name);
    w.u8(s.entity);
    write_fields(w, s.fields);
  }
  w.u32(static_cast<std::uint32_t>(enums.size()));
  for (const auto& e : enums) {
    w.str(e.name);
    w.u8(e.ordered);
    w.u32(static_cast<std::uint32_t>(e.members.size()));
    for (const auto& m : e.members) w.str(m);
  }
  w.u32(static_cast<std::uint32_t>(actions.size()));
  for (const auto& a : actions) {
    w.str(a.name);
    w.u32(a.facts);
  }
  w.u32(static_cast<std::uint32_t>(citations.size()));
  for (const auto& c : citations) {
    w.str(c.issuer);
    w.str(c.law);
    w.opt_str(c.version);
    w.opt_int(c.article);
    w.opt_int(c.paragraph);
    w.opt_int(c.item);
    w.str(c.cite);
  }
  w.u32(static_cast<std::uint32_t>(consts.size()));
  for (const auto& c : consts) {
    w.u8(static_cast<std::uint8_t>(c.kind));
    w.i64(c.num.num);
    w.i64(c.num.den);
    w.str(c.text);
    w.i32(c.date);
    w.i32(c.dur.months);
    w.i32(c.dur.days);
    w.u32(c.ordinal);
    w.u8(c.b);
  }
  w.u32(static_cast<std::uint32_t>(lists.size()));
  for (const auto& l : lists) {
    w.str(l.name);
    write_fields(w, l.attrs);
    w.u32(l.citation);
    w.u32(static_cast<std::uint32_t>(l.items.size()));
    for (const auto& it : l.items) {
      w.str(it.key);
      w.u32(static_cast<std::uint32_t>(it.attrs.size()));
      for (auto a : it.attrs) w.u32(a);
      w.u32(it.citation);
    }
  }
  w.u32(static_cast<std::uint32_t>(nodes.size()));
  for (const auto& n : nodes) {
    w.u8(static_cast<std::uint8_t>(n.op));
    w.u8(n.flags);
    w.u32(n.slot);
    w.u32(n.a);
    w.u32(n.b);
    w.u32(n.c);
    w.u32(n.path);
  }
  w.u32(static_cast<std::uint32_t>(node_lists.size()));
  for (auto n : node_lists) w.u32(n);
  w.u32(static_cast<std::uint32_t>(paths.size()));
  for (const auto& p : paths) w.str(p);
  w.u32(static_cast<std::uint32_t>(rules.size()));
  for (const auto& r : rules) {
    w.str(r.id);
    w.u8(static_cast<std::uint8_t>(r.effect));
    w.u32(r.policy);
    w.u32(r.action);
    w.u32(r.cond);
    w.u32(static_cast<std::uint32_t>(r.because.size()));
    for (const auto& p : r.because) {
      w.str(p.text);
      w.u32(p.node);
      w.u32(p.type);
    }
    w.u32(r.citation);
    w.i32(r.from);
    w.i32(r.until);
    w.u32(r.base);
    w.u32(r.slots);
    w.u32(r.loc.file);
    w.u32(r.loc.line);
    w.u32(r.loc.column);
  }
  w.u32(static_cast<std::uint32_t>(policies.size()));
  for (const auto& p : policies) {
    w.str(p.name);
    w.u8(static_cast<std::uint8_t>(p.kind));
    w.u8(static_cast<std::uint8_t>(p.fallback));
    w.str(p.scope);
    w.str(p.version);
    w.i32(p.from);
    w.i32(p.until);
    w.u32(p.target);
    w.u32(p.loc.file);
    w.u32(p.loc.line);
    w.u32(p.loc.column);
  }
  return std::move(w.bytes());
}

std::string Bundle::serialize() const {
  serial::Writer w;
  w.bytes() += std::string(kMagic, 8);
  w.u32(kFormat);
  w.str(hash);
  w.bytes() += content();
  return std::move(w.bytes());
}

Result<bool> Bundle::write_file(const std::string& path) const {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Result<bool>::failure("cannot open `" + path + "` for writing");
  std::string bytes = serialize();
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return Result<bool>::failure("cannot write `" + path + "`");
  return true;
}

Result<Bundle> Bundle::read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Result<Bundle>::failure("cannot open the bundle `" + path + "`");
  std::ostringstream s;
  s << in.rdbuf();
  return deserialize(s.str());
}

}  // namespace xy
