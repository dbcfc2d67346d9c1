// Bundle finalisation (derived indexes, constant values, content hash) and its file format.
#include "xiangyue/runtime/bundle.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "bundle_format.h"
#include "xiangyue/common/hash.h"

namespace xy {
namespace {

constexpr char kMagic[] = "XYBUNDLE";
constexpr std::uint32_t kFormat = 2;  // 2: node ranges, rule and policy extents

}  // namespace

void Bundle::finalize() {
  derive();
  hash = sha256_hex(content());
}

void Bundle::derive() {
  for (auto& rule : rules)
    for (auto& piece : rule.because)
      piece.masked = piece.node != ir::kNone && piece.text.ends_with("|遮蔽}");
  action_by_name.clear();
  for (std::uint32_t i = 0; i < actions.size(); ++i) action_by_name[actions[i].name] = i;
  list_index.assign(lists.size(), {});
  for (std::size_t l = 0; l < lists.size(); ++l)
    for (std::uint32_t i = 0; i < lists[l].items.size(); ++i)
      list_index[l][lists[l].items[i].key] = i;
  const_values.clear();
  const_values.reserve(consts.size());
  for (const auto& c : consts) {
    switch (c.kind) {
      case ValueKind::Bool:
        const_values.push_back(Value::boolean(c.b));
        break;
      case ValueKind::Number:
        const_values.push_back(Value::number(c.num));
        break;
      case ValueKind::Text:
        const_values.push_back(Value::str(c.text));
        break;
      case ValueKind::Date:
        const_values.push_back(Value::of_date(Date{c.date}));
        break;
      case ValueKind::Duration:
        const_values.push_back(Value::of_duration(c.dur));
        break;
      case ValueKind::Enum:
        const_values.push_back(Value::enumerator(c.ordinal));
        break;
      default:
        const_values.push_back(Value::none());
        break;
    }
  }
  const_set_of_node.assign(nodes.size(), ir::kNone);
  const_sets.clear();
  for (std::uint32_t i = 0; i < nodes.size(); ++i) {
    const auto& n = nodes[i];
    if (n.op != ir::Op::SetLit || n.a > node_lists.size() || n.b > node_lists.size() - n.a)
      continue;
    std::vector<Value> items;
    for (std::uint32_t k = 0; k < n.b; ++k) {
      std::uint32_t child = node_lists[n.a + k];
      if (child >= nodes.size() || nodes[child].op != ir::Op::Const ||
          nodes[child].a >= const_values.size())
        break;
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
    if (p.target != ir::kNone)
      p.by_action[p.target];  // a `for` action is decided even without rules
  }
  for (auto r : order)
    if (rules[r].action != ir::kNone && rules[r].policy < policies.size())
      policies[rules[r].policy].by_action[rules[r].action].push_back(r);
}

std::string Bundle::content() const {
  serial::Writer w;
  // The writer only reads the bundle; `transfer` takes it by non-const reference because the
  // same field list also serves the reader.
  serial::transfer(w, const_cast<Bundle&>(*this));
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

Result<bool, Localized> Bundle::write_file(const std::string& path) const {
  using R = Result<bool, Localized>;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out)
    return R::failure({"cannot open `" + path + "` for writing", "无法写入「" + path + "」"});
  std::string bytes = serialize();
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return R::failure({"cannot write `" + path + "`", "写入「" + path + "」失败"});
  return true;
}

Result<Bundle, Localized> Bundle::read_file(const std::string& path) {
  using R = Result<Bundle, Localized>;
  const Localized cannot_read{"cannot read the bundle `" + path + "`",
                              "无法读取策略包「" + path + "」"};
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return R::failure({"cannot open the bundle `" + path + "`", "无法打开策略包「" + path + "」"});
  // Read into a buffer of the file's size: a 10 000-rule bundle is 11 MB, and a growing stream
  // buffer would briefly need twice that.
  in.seekg(0, std::ios::end);
  auto size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size < 0) return R::failure(cannot_read);
  std::string bytes(static_cast<std::size_t>(size), '\0');
  if (!in.read(bytes.data(), size)) return R::failure(cannot_read);
  return deserialize(bytes);
}

}  // namespace xy
