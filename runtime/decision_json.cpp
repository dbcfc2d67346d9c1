// Renders decisions: the JSON contract for case systems, and value formatting for reasons.
#include <boost/json.hpp>

#include "xiangyue/runtime/engine.h"

namespace xy {
namespace json = boost::json;
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

json::value opt(const std::optional<int>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::object basis_json(const Bundle& b, std::uint32_t c) {
  json::object o;
  if (c == ir::kNone) return o;
  const auto& cit = b.citations[c];
  o["law"] = cit.law;
  o["version"] = cit.version ? json::value(*cit.version) : json::value(nullptr);
  o["article"] = opt(cit.article);
  o["paragraph"] = opt(cit.paragraph);
  o["item"] = opt(cit.item);
  o["cite"] = cit.cite;
  if (!cit.source.empty()) {
    o["text"] = cit.text;
    o["source"] = cit.source;
  }
  if (!cit.issuer.empty()) o["issuer"] = cit.issuer;
  return o;
}

json::object location_json(const Bundle& b, const ir::Location& l) {
  json::object o;
  o["file"] = l.file < b.sources.size() ? b.sources[l.file].path : "";
  o["line"] = l.line;
  o["column"] = l.column;
  return o;
}

}  // namespace

std::string decision_json(const Bundle& b, const Request& req, const Decision& d) {
  json::object o;
  const auto& pol = b.policies[d.policy];
  o["outcome"] = outcome_name(d.outcome);
  o["policy"] = pol.name;
  if (!pol.scope.empty()) o["scope"] = pol.scope;
  if (!pol.version.empty()) o["version"] = pol.version;
  o["action"] = b.actions[d.action].name;
  o["as_of"] = d.as_of.to_string();
  o["by_default"] = d.by_default;
  json::array reasons;
  for (const auto& r : d.reasons) {
    const auto& rule = b.rules[r.rule];
    json::object x;
    x["rule"] = rule.id;
    x["effect"] = effect_name(rule.effect);
    x["text"] = r.text;
    x["basis"] = rule.citation == ir::kNone ? json::value(nullptr)
                                            : json::value(basis_json(b, rule.citation));
    x["location"] = location_json(b, rule.loc);
    if (rule.base != ir::kNone) x["exception_to"] = b.rules[rule.base].id;
    reasons.push_back(std::move(x));
  }
  o["reasons"] = std::move(reasons);
  json::array over;
  for (const auto& ov : d.overridden) {
    json::object x;
    x["rule"] = b.rules[ov.rule].id;
    x["by"] = b.rules[ov.by].id;
    x["location"] = location_json(b, b.rules[ov.rule].loc);
    over.push_back(std::move(x));
  }
  o["overridden"] = std::move(over);
  json::array missing;
  for (const auto& m : d.missing) {
    json::object x;
    x["fact"] = m.path == ir::kNone ? "" : b.paths[m.path];
    bool invalid = m.problem > 0 && m.problem <= req.problems.size();
    x["problem"] = invalid ? "invalid" : "missing";
    if (invalid) {
      x["at"] = req.problems[m.problem - 1].path;
      x["detail"] = req.problems[m.problem - 1].detail.en;
    }
    json::array rules;
    for (auto r : m.rules) rules.push_back(json::value(b.rules[r].id));
    x["rules"] = std::move(rules);
    missing.push_back(std::move(x));
  }
  o["missing"] = std::move(missing);
  o["bundle"] = b.hash;
  return json::serialize(o);
}

}  // namespace xy
