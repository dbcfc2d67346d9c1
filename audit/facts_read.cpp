// The facts a recorded decision's rules read: fact paths collected from the compiled rules'
// conditions and reason templates, looked up in the stored (masked) request.
#include "xiangyue/audit/facts_read.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>

namespace xy::audit {
namespace json = boost::json;
using ir::Op;

namespace {

constexpr int kMaxDepth = 1000;  // the compiler nests at most 200 levels

void add_unique(std::vector<std::string>& out, const std::string& s) {
  if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
}

// Pre-order over the expression, left to right: every fact path a node reads. A field read
// through its base (`事项.名称` through `事项`, `r.释放日` through the variable `r`) is listed
// under its own, full path only.
void collect(const Bundle& b, std::uint32_t index, std::vector<std::string>& out, int depth = 0) {
  if (index >= b.nodes.size() || depth > kMaxDepth) return;
  const ir::Node& n = b.nodes[index];
  auto kid = [&](std::uint32_t k) { collect(b, k, out, depth + 1); };
  switch (n.op) {
    case Op::Field:
    case Op::Var:
      if (n.path < b.paths.size()) add_unique(out, b.paths[n.path]);
      return;
    case Op::Const:
    case Op::Root:
    case Op::AsOf:
      return;
    case Op::ListAttr:
    case Op::InList:
    case Op::Not:
    case Op::Neg:
    case Op::IsNone:
    case Op::IsSome:
    case Op::Size:
      kid(n.a);  // b and c, where used, index a list and its attribute
      return;
    case Op::SetLit:
      for (std::uint32_t k = 0; k < n.b && n.a + k < b.node_lists.size(); ++k)
        kid(b.node_lists[n.a + k]);
      return;
    case Op::Any:
    case Op::All:
    case Op::Count:
    case Op::And:
    case Op::Or:
    case Op::Eq:
    case Op::Ne:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge:
    case Op::Add:
    case Op::Sub:
    case Op::Mul:
    case Op::Div:
    case Op::DateAdd:
    case Op::DateSub:
    case Op::InSet:
    case Op::Age:
      kid(n.a);
      kid(n.b);  // kNone for a quantifier without a condition
      return;
  }
}

// One step of a path: a field name, or `[]` (each element of a set).
struct Step {
  std::string field;  // empty: each element
};

std::vector<Step> steps_of(std::string_view path) {
  std::vector<Step> steps;
  while (!path.empty()) {
    std::size_t dot = path.find('.');
    std::string_view seg = path.substr(0, dot);
    std::size_t sets = 0;
    while (seg.ends_with("[]")) seg.remove_suffix(2), ++sets;
    steps.push_back({std::string(seg)});
    for (std::size_t i = 0; i < sets; ++i) steps.push_back({});
    if (dot == std::string_view::npos) break;
    path.remove_prefix(dot + 1);
  }
  return steps;
}

FactValue lookup(const json::value& v, const std::vector<Step>& steps, std::size_t k) {
  FactValue out;
  if (is_masked(v)) {  // the fact, or the record or set it is part of, is sensitive
    out.kind = FactValue::Kind::Masked;
    out.json = v;
    return out;
  }
  if (k == steps.size() || v.is_null()) {  // a part of a record that is none is none
    out.kind = FactValue::Kind::Present;
    out.json = v;
    return out;
  }
  if (steps[k].field.empty()) {
    if (!v.is_array()) return out;  // Missing
    out.kind = FactValue::Kind::Each;
    for (const auto& e : v.get_array()) out.each.push_back(lookup(e, steps, k + 1));
    return out;
  }
  const json::object* o = v.if_object();
  const json::value* f = o ? o->if_contains(steps[k].field) : nullptr;
  if (!f) return out;  // Missing
  return lookup(*f, steps, k + 1);
}

const json::value* member(const json::value& v, std::string_view key) {
  const json::object* o = v.if_object();
  return o ? o->if_contains(key) : nullptr;
}

std::string string_of(const json::value* v) {
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// The index of rule `id` of the decision's policy and action; kNone when the bundle has none.
std::uint32_t find_rule(const Bundle& b, const std::string& id, const std::string& policy,
                        const std::string& action) {
  std::uint32_t p = ir::kNone;
  for (std::uint32_t i = 0; i < b.policies.size(); ++i)
    if (b.policies[i].name == policy) p = i;
  auto a = b.action_by_name.find(action);
  if (p != ir::kNone && a != b.action_by_name.end()) {
    auto rules = b.policies[p].by_action.find(a->second);
    if (rules != b.policies[p].by_action.end())
      for (std::uint32_t r : rules->second)
        if (r < b.rules.size() && b.rules[r].id == id) return r;
  }
  // Not indexed under that action: the rule of that policy, or else the only one with that id.
  std::uint32_t found = ir::kNone;
  std::size_t matches = 0;
  for (std::uint32_t r = 0; r < b.rules.size(); ++r) {
    if (b.rules[r].id != id) continue;
    if (p != ir::kNone && b.rules[r].policy == p) return r;
    found = r, ++matches;
  }
  return matches == 1 ? found : ir::kNone;
}

// The rule ids a decision names: reasons, overridden rules and the exceptions that set them
// aside, the rules that read a missing or invalid fact; each once, in that order.
std::vector<std::string> named_rules(const json::value& d) {
  std::vector<std::string> ids;
  auto add = [&](const json::value* v) {
    if (std::string id = string_of(v); !id.empty()) add_unique(ids, id);
  };
  auto each = [&](const char* key, auto&& f) {
    if (const json::value* list = member(d, key); list && list->is_array())
      for (const auto& x : list->get_array()) f(x);
  };
  each("reasons", [&](const json::value& x) { add(member(x, "rule")); });
  each("overridden", [&](const json::value& x) {
    add(member(x, "rule"));
    add(member(x, "by"));
  });
  each("missing", [&](const json::value& x) {
    if (const json::value* rs = member(x, "rules"); rs && rs->is_array())
      for (const auto& r : rs->get_array()) add(&r);
  });
  return ids;
}

json::value value_json(const FactValue& v) {
  switch (v.kind) {
    case FactValue::Kind::Present:
    case FactValue::Kind::Masked:
      return v.json;
    case FactValue::Kind::Missing:
      return json::object{{"missing", true}};
    case FactValue::Kind::Each: {
      json::array a;
      for (const auto& e : v.each) a.push_back(value_json(e));
      return a;
    }
  }
  return nullptr;
}

FactValue value_from_json(const json::value& v) {
  FactValue out;
  if (const json::object* o = v.if_object(); o && o->size() == 1 && o->contains("missing")) {
    return out;  // Missing
  }
  if (is_masked(v)) {
    out.kind = FactValue::Kind::Masked;
    out.json = v;
    return out;
  }
  if (const json::array* a = v.if_array()) {
    out.kind = FactValue::Kind::Each;
    for (const auto& e : *a) out.each.push_back(value_from_json(e));
    return out;
  }
  out.kind = FactValue::Kind::Present;
  out.json = v;
  return out;
}

// Text unquoted, none as "none", arrays as [a, b], records as {名称: 某县人民政府, 层级: 县},
// masked parts masked.
void append_json_text(std::string& out, const json::value& v, Lang lang) {
  if (is_masked(v)) {
    out += string_of(member(v, "masked"));
    out += lang == Lang::zh ? "（已遮蔽）" : " (masked)";
  } else if (v.is_string()) {
    out += std::string_view(v.get_string());
  } else if (v.is_null()) {
    out += lang == Lang::zh ? "无值" : "none";
  } else if (v.is_double()) {  // shortest form: 1.5, not 1.5E0
    char buf[32];
    auto res = std::to_chars(buf, buf + sizeof buf, v.get_double());
    out.append(buf, res.ptr);
  } else if (const json::array* a = v.if_array()) {
    out += "[";
    for (std::size_t i = 0; i < a->size(); ++i) {
      if (i) out += ", ";
      append_json_text(out, (*a)[i], lang);
    }
    out += "]";
  } else if (const json::object* o = v.if_object()) {
    out += "{";
    bool first = true;
    for (const auto& kv : *o) {
      if (!first) out += ", ";
      first = false;
      out += std::string_view(kv.key());
      out += ": ";
      append_json_text(out, kv.value(), lang);
    }
    out += "}";
  } else {
    out += json::serialize(v);
  }
}

void append_text(std::string& out, const FactValue& v, Lang lang) {
  switch (v.kind) {
    case FactValue::Kind::Present:
    case FactValue::Kind::Masked:  // json is the stored {"masked", "hmac"}
      append_json_text(out, v.json, lang);
      return;
    case FactValue::Kind::Missing:
      out += lang == Lang::zh ? "（缺失）" : "(missing)";
      return;
    case FactValue::Kind::Each:
      out += "[";
      for (std::size_t i = 0; i < v.each.size(); ++i) {
        if (i) out += ", ";
        append_text(out, v.each[i], lang);
      }
      out += "]";
      return;
  }
}

}  // namespace

std::vector<std::string> rule_reads(const Bundle& bundle, std::uint32_t rule) {
  if (rule >= bundle.rules.size()) return {};
  const ir::Rule& r = bundle.rules[rule];
  std::vector<std::string> read;
  if (r.cond != ir::kNone) collect(bundle, r.cond, read);
  for (const auto& piece : r.because)
    if (piece.node != ir::kNone) collect(bundle, piece.node, read);
  // Keep the most specific paths: a set read by a quantifier whose elements' fields are read is
  // shown through those fields (a missing set shows as missing there).
  std::vector<std::string> out;
  for (const auto& p : read)
    if (std::none_of(read.begin(), read.end(),
                     [&](const std::string& q) { return path_within(q, p); }))
      out.push_back(p);
  return out;
}

FactValue fact_value(const json::value& facts, std::string_view path) {
  return lookup(facts, steps_of(path), 0);
}

bool path_within(std::string_view inner, std::string_view outer) {
  if (inner.size() <= outer.size() || !inner.starts_with(outer)) return false;
  std::string_view rest = inner.substr(outer.size());
  return rest.starts_with(".") || rest.starts_with("[]");
}

bool is_masked(const json::value& v) {
  const json::object* o = v.if_object();
  return o && o->size() == 2 && o->contains("hmac") && o->contains("masked") &&
         o->at("masked").is_string();
}

namespace {
void collect_masked(const json::value& v, const std::string& path, std::vector<std::string>& out,
                    int depth) {
  if (depth > kMaxDepth) return;
  if (is_masked(v)) {
    add_unique(out, path);
  } else if (const json::object* o = v.if_object()) {
    for (const auto& kv : *o)
      collect_masked(kv.value(),
                     path.empty() ? std::string(kv.key()) : path + "." + std::string(kv.key()), out,
                     depth + 1);
  } else if (const json::array* a = v.if_array()) {
    for (const auto& e : *a) collect_masked(e, path + "[]", out, depth + 1);
  }
}
}  // namespace

std::vector<std::string> masked_paths(const json::value& facts) {
  std::vector<std::string> out;
  if (facts.is_object()) collect_masked(facts, "", out, 0);
  return out;
}

FactsRead facts_read(const Bundle& bundle, std::string_view request_json,
                     std::string_view decision_json) {
  FactsRead out;
  boost::system::error_code ec;
  json::value decision = json::parse(decision_json, ec);
  if (ec) return out;
  json::value request = json::parse(request_json, ec);
  json::value facts = json::object();  // an unreadable request: every fact is missing
  if (!ec)
    if (const json::value* f = member(request, "facts")) facts = *f;
  std::string policy = string_of(member(decision, "policy"));
  std::string action = string_of(member(decision, "action"));
  for (const auto& id : named_rules(decision)) {
    std::uint32_t r = find_rule(bundle, id, policy, action);
    if (r == ir::kNone) {
      out.unknown_rules.push_back(id);
      continue;
    }
    RuleReads reads{id, rule_reads(bundle, r)};
    for (const auto& path : reads.paths) {
      auto it = std::find_if(out.facts.begin(), out.facts.end(),
                             [&](const FactRead& f) { return f.path == path; });
      if (it == out.facts.end()) {
        out.facts.push_back({path, fact_value(facts, path), {id}});
      } else {
        add_unique(it->rules, id);
      }
    }
    out.rules.push_back(std::move(reads));
  }
  return out;
}

json::array facts_read_json(const std::vector<FactRead>& facts) {
  json::array out;
  for (const auto& f : facts) {
    json::array rules;
    for (const auto& r : f.rules) rules.push_back(json::value(r));
    out.push_back(json::object{{"path", f.path}, {"value", value_json(f.value)}, {"rules", rules}});
  }
  return out;
}

std::optional<std::vector<FactRead>> facts_read_from_json(const json::value& v) {
  if (!v.is_array()) return std::nullopt;
  std::vector<FactRead> out;
  for (const auto& x : v.get_array()) {
    const json::value* path = member(x, "path");
    const json::value* value = member(x, "value");
    const json::value* rules = member(x, "rules");
    if (!path || !path->is_string() || !value || !rules || !rules->is_array()) return std::nullopt;
    FactRead f{std::string(path->get_string()), value_from_json(*value), {}};
    for (const auto& r : rules->get_array()) {
      if (!r.is_string()) return std::nullopt;
      f.rules.emplace_back(r.get_string());
    }
    out.push_back(std::move(f));
  }
  return out;
}

std::string fact_value_text(const FactValue& value, Lang lang) {
  std::string out;
  append_text(out, value, lang);
  return out;
}

}  // namespace xy::audit
