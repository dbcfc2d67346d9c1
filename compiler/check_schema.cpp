// Checks the schema (enums, entities, records, actions) and the named lists; interns types.
#include <set>

#include "checker.h"
#include "xiangyue/literals/literals.h"

namespace xy::check {
namespace {

struct Builtin {
  const char* name;
  ir::TypeKind kind;
  bool integer;
};
constexpr Builtin kBuiltins[] = {
    {"bool", ir::TypeKind::Bool, false},         {"布尔", ir::TypeKind::Bool, false},
    {"int", ir::TypeKind::Number, true},         {"integer", ir::TypeKind::Number, true},
    {"整数", ir::TypeKind::Number, true},        {"number", ir::TypeKind::Number, false},
    {"decimal", ir::TypeKind::Number, false},    {"money", ir::TypeKind::Number, false},
    {"数值", ir::TypeKind::Number, false},       {"金额", ir::TypeKind::Number, false},
    {"数额", ir::TypeKind::Number, false},       {"text", ir::TypeKind::Text, false},
    {"string", ir::TypeKind::Text, false},       {"文本", ir::TypeKind::Text, false},
    {"date", ir::TypeKind::Date, false},         {"日期", ir::TypeKind::Date, false},
    {"duration", ir::TypeKind::Duration, false}, {"期限", ir::TypeKind::Duration, false},
    {"时长", ir::TypeKind::Duration, false},
};

const Builtin* find_builtin(const std::string& n) {
  for (const auto& b : kBuiltins)
    if (n == b.name) return &b;
  return nullptr;
}

}  // namespace

std::uint32_t Checker::intern(ir::Type t) {
  for (std::uint32_t i = 0; i < b_.types.size(); ++i)
    if (b_.types[i] == t) return i;
  b_.types.push_back(t);
  return static_cast<std::uint32_t>(b_.types.size() - 1);
}

std::uint32_t Checker::builtin(ir::TypeKind k, bool integer) {
  return intern(ir::Type{k, false, integer, ir::kNone});
}

std::uint32_t Checker::with_optional(std::uint32_t type, bool optional) {
  ir::Type t = b_.types[type];
  t.optional = optional;
  return intern(t);
}

bool Checker::same(std::uint32_t a, std::uint32_t b) const {
  const auto &x = b_.types[a], &y = b_.types[b];
  if (x.kind != y.kind) return false;
  if (x.kind == ir::TypeKind::Set) return same(x.ref, y.ref);
  return x.ref == y.ref;
}

void Checker::declare_types(ast::Program& p) {
  auto taken = [&](const ast::Name& n) {
    bool dup = find_builtin(n.text) || enum_by_name_.count(n.text) || struct_by_name_.count(n.text);
    if (dup) {
      sink_.error("E0103", n.span,
                  {"the type `" + n.text + "` is declared more than once",
                   "类型「" + n.text + "」重复声明"});
    }
    return dup;
  };
  for (auto& e : p.enums) {
    if (taken(e.name)) continue;
    ir::EnumType et{e.name.text, e.ordered, {}};
    std::set<std::string> seen;
    for (auto& m : e.members) {
      if (!seen.insert(m.text).second) {
        sink_.error("E0103", m.span,
                    {"`" + m.text + "` appears twice in enum `" + e.name.text + "`",
                     "「" + m.text + "」在枚举「" + e.name.text + "」中重复"});
        continue;
      }
      et.members.push_back(m.text);
    }
    enum_by_name_[e.name.text] = static_cast<std::uint32_t>(b_.enums.size());
    enum_spans_.push_back(e.name.span);
    b_.enums.push_back(std::move(et));
  }
  for (auto& s : p.structs) {
    if (taken(s.name)) continue;
    struct_by_name_[s.name.text] = static_cast<std::uint32_t>(b_.structs.size());
    struct_spans_.push_back(s.name.span);
    b_.structs.push_back(ir::StructType{s.name.text, s.entity, {}});
  }
}

std::uint32_t Checker::resolve_type(const ast::TypeRef& t) {
  std::uint32_t id = ir::kNone;
  if (t.is_set) {
    if (!t.elem) return ir::kNone;
    std::uint32_t elem = resolve_type(*t.elem);
    if (elem == ir::kNone) return ir::kNone;
    id = intern(ir::Type{ir::TypeKind::Set, false, false, elem});
  } else if (auto* bi = find_builtin(t.name.text)) {
    id = builtin(bi->kind, bi->integer);
  } else if (auto it = enum_by_name_.find(t.name.text); it != enum_by_name_.end()) {
    id = intern(ir::Type{ir::TypeKind::Enum, false, false, it->second});
  } else if (auto st = struct_by_name_.find(t.name.text); st != struct_by_name_.end()) {
    id = intern(ir::Type{ir::TypeKind::Struct, false, false, st->second});
  } else {
    std::vector<std::string> names;
    for (const auto& b : kBuiltins) names.push_back(b.name);
    for (const auto& [n, i] : enum_by_name_) names.push_back(n);
    for (const auto& [n, i] : struct_by_name_) names.push_back(n);
    auto& d =
        sink_.error("E0101", t.name.span,
                    {"unknown type `" + t.name.text + "`", "未知类型「" + t.name.text + "」"});
    if (auto s = closest_name(t.name.text, names); !s.empty())
      d.help = Localized{"did you mean `" + s + "`?", "是否应为「" + s + "」？"};
    return ir::kNone;
  }
  return t.optional ? with_optional(id, true) : id;
}

std::vector<ir::Field> Checker::resolve_field_list(const std::vector<ast::FieldDecl>& fields,
                                                   const std::string& owner) {
  std::vector<ir::Field> out;
  std::set<std::string> seen;
  for (const auto& f : fields) {
    if (!seen.insert(f.name.text).second) {
      sink_.error("E0103", f.name.span,
                  {"the field `" + f.name.text + "` appears twice in `" + owner + "`",
                   "字段「" + f.name.text + "」在「" + owner + "」中重复"});
      continue;
    }
    std::uint32_t type = resolve_type(f.type);
    // An unresolved type still declares the field, so later uses do not cascade into errors.
    out.push_back(ir::Field{f.name.text, type == ir::kNone ? builtin(ir::TypeKind::Text) : type,
                            f.sensitive});
  }
  return out;
}

void Checker::resolve_fields(ast::Program& p) {
  for (auto& s : p.structs) {
    auto it = struct_by_name_.find(s.name.text);
    if (it == struct_by_name_.end() || !b_.structs[it->second].fields.empty()) continue;
    b_.structs[it->second].fields = resolve_field_list(s.fields, s.name.text);
  }
  for (auto& a : p.actions) {
    if (b_.action_by_name.count(a.name.text)) {
      sink_.error("E0103", a.name.span,
                  {"the action `" + a.name.text + "` is declared more than once",
                   "行为「" + a.name.text + "」重复声明"});
      continue;
    }
    auto facts = static_cast<std::uint32_t>(b_.structs.size());
    b_.structs.push_back(
        ir::StructType{a.name.text, false, resolve_field_list(a.fields, a.name.text)});
    b_.action_by_name[a.name.text] = static_cast<std::uint32_t>(b_.actions.size());
    b_.actions.push_back(ir::Action{a.name.text, facts});
  }
}

std::uint32_t Checker::citation(const ast::StringLit& s) {
  auto parsed = lit::parse_citation(s.value);
  if (!parsed) {
    SourceSpan at = s.span;
    at.column += 1;  // past the opening quote
    at.length = static_cast<std::uint32_t>(decode_utf8(s.value).size());
    auto& d = sink_.error(
        "E0301", s.span,
        {"malformed citation: " + parsed.error().en, "引用格式有误：" + parsed.error().zh});
    d.help = Localized{
        "write e.g. `《村民委员会组织法》第二十四条第一款第（三）项` or `立法法 2023 art. 81(1)`",
        "例如「《村民委员会组织法》第二十四条第一款第（三）项」或「立法法 2023 art. 81(1)」"};
    return ir::kNone;
  }
  const auto& c = *parsed;
  ir::Citation cit{c.issuer, c.law, c.version, c.article, c.paragraph, c.item, c.cite, {}, {}};
  if (laws_) {
    auto quote = laws_->resolve(cit);
    if (!quote) {
      sink_.error("E0305", s.span,
                  {"the citation does not resolve: " + quote.error().en,
                   "引用无法对应到法规文本：" + quote.error().zh});
      return ir::kNone;
    }
    cit.text = quote->text;
    cit.source = quote->source;
  } else {
    citations_unchecked_ = true;
  }
  b_.citations.push_back(std::move(cit));
  return static_cast<std::uint32_t>(b_.citations.size() - 1);
}

std::optional<std::int32_t> Checker::date_of(const std::string& text, SourceSpan at) {
  auto d = lit::parse_date(text);
  if (!d) {
    sink_.error("E0302", at,
                {"malformed date `" + text + "`: " + d.error().en,
                 "日期「" + text + "」有误：" + d.error().zh});
    return std::nullopt;
  }
  return d->days;
}

}  // namespace xy::check
