// Type-checks expressions and lowers them to IR nodes (names, fields, literals, logic).
#include "checker.h"
#include "xiangyue/literals/literals.h"

namespace xy::check {

using ast::ExprKind;
using ir::Op;
using ir::TypeKind;

std::uint32_t Checker::emit(ir::Node n) {
  b_.nodes.push_back(n);
  b_.node_ranges.push_back({lowering_.file, lowering_.begin, lowering_.end});
  return static_cast<std::uint32_t>(b_.nodes.size() - 1);
}

std::uint32_t Checker::emit_const(ir::Const c) {
  b_.consts.push_back(std::move(c));
  ir::Node n;
  n.op = Op::Const;
  n.a = static_cast<std::uint32_t>(b_.consts.size() - 1);
  return emit(n);
}

std::uint32_t Checker::path_id(const std::string& path) {
  for (std::uint32_t i = 0; i < b_.paths.size(); ++i)
    if (b_.paths[i] == path) return i;
  b_.paths.push_back(path);
  return static_cast<std::uint32_t>(b_.paths.size() - 1);
}

std::string Checker::path_of(std::uint32_t node) const {
  if (node == ir::kNone || b_.nodes[node].path == ir::kNone) return {};
  return b_.paths[b_.nodes[node].path];
}

std::string Checker::type_name(std::uint32_t type, Lang lang) const {
  if (type == ir::kNone) return "?";
  const auto& t = b_.types[type];
  std::string s;
  bool zh = lang == Lang::zh;
  switch (t.kind) {
    case TypeKind::Bool:
      s = zh ? "布尔" : "bool";
      break;
    case TypeKind::Number:
      s = t.integer ? (zh ? "整数" : "int") : (zh ? "数值" : "number");
      break;
    case TypeKind::Text:
      s = zh ? "文本" : "text";
      break;
    case TypeKind::Date:
      s = zh ? "日期" : "date";
      break;
    case TypeKind::Duration:
      s = zh ? "期限" : "duration";
      break;
    case TypeKind::Enum:
      s = b_.enums[t.ref].name;
      break;
    case TypeKind::Struct:
      s = b_.structs[t.ref].name;
      break;
    case TypeKind::Set:
      s = (zh ? "集合<" : "set<") + type_name(t.ref, lang) + ">";
      break;
  }
  return t.optional ? s + "?" : s;
}

bool Checker::unresolved_name(const ast::Expr& e) const {
  if (e.kind != ExprKind::Name) return false;
  for (const auto& v : scope_)
    if (v.name == e.text) return false;
  if (syntax::builtin_of(e.text) == syntax::Builtin::AsOf || list_by_name_.count(e.text))
    return false;
  if (action_ != ir::kNone) {
    for (const auto& f : b_.structs[b_.actions[action_].facts].fields)
      if (f.name == e.text) return false;
  }
  return true;
}

Typed Checker::lower(const ast::Expr& e, std::uint32_t hint) {
  // Lowering and evaluation recurse over the expression: bound the depth (a flat `and` chain
  // is lowered as a balanced tree, so only real nesting and long arithmetic chains count).
  struct Guard {
    std::size_t& d;
    SourceSpan& at;
    SourceSpan saved;
    ~Guard() {
      --d;
      at = saved;
    }
  } guard{++depth_, lowering_, lowering_};
  lowering_ = e.span;
  if (depth_ > kMaxDepth) {
    if (!depth_reported_) {
      depth_reported_ = true;
      sink_.error("E0002", e.span,
                  {"expression nested more than " + std::to_string(kMaxDepth) +
                       " levels deep; split it into several rules",
                   "表达式嵌套超过 " + std::to_string(kMaxDepth) + " 层，请拆分为多条规则"});
    }
    return {};
  }
  switch (e.kind) {
    case ExprKind::Literal:
      return lower_literal(e);
    case ExprKind::Name:
      return lower_name(e, hint);
    case ExprKind::Field:
      return lower_field(e);
    case ExprKind::Compare:
      return lower_compare(e);
    case ExprKind::Member:
      return lower_member(e);
    case ExprKind::Arith:
    case ExprKind::Neg:
      return lower_arith(e);
    case ExprKind::Any:
    case ExprKind::All:
    case ExprKind::Count:
      return lower_quantifier(e);
    case ExprKind::Call:
      return lower_call(e);
    case ExprKind::Not:
    case ExprKind::And:
    case ExprKind::Or:
    case ExprKind::IsNone:
    case ExprKind::IsSome:
      return lower_logic(e);
    case ExprKind::Index: {
      sink_.error("E0201", e.span,
                  {"a list item must be followed by an attribute, as in `清单[x].属性`",
                   "清单条目之后应跟属性，例如「清单[x].属性」"});
      return {};
    }
    case ExprKind::SetLit: {
      std::uint32_t elem =
          (hint != ir::kNone && T(hint).kind == TypeKind::Set) ? T(hint).ref : hint;
      ir::Node n;
      n.op = Op::SetLit;
      std::vector<std::uint32_t> kids;
      std::uint32_t elem_type = elem;
      for (const auto& k : e.kids) {
        if (!k) return {};
        Typed t = lower(*k, elem_type);
        if (!t.ok()) return {};
        if (elem_type == ir::kNone) elem_type = with_optional(t.type, false);
        if (!same(elem_type, t.type)) {
          sink_.error("E0201", k->span,
                      {"set elements must all be " + type_name(elem_type, Lang::en) + ", this is " +
                           type_name(t.type, Lang::en),
                       "集合元素都应为" + type_name(elem_type, Lang::zh) + "，此处为" +
                           type_name(t.type, Lang::zh)});
          return {};
        }
        kids.push_back(t.node);
      }
      if (elem_type == ir::kNone) elem_type = builtin(TypeKind::Text);
      n.a = static_cast<std::uint32_t>(b_.node_lists.size());
      n.b = static_cast<std::uint32_t>(kids.size());
      b_.node_lists.insert(b_.node_lists.end(), kids.begin(), kids.end());
      return {emit(n), intern(ir::Type{TypeKind::Set, false, false, elem_type})};
    }
  }
  return {};
}

Typed Checker::lower_literal(const ast::Expr& e) {
  ir::Const c;
  auto bad = [&](const char* code, const lit::LiteralError& err, const char* what_en,
                 const char* what_zh) {
    sink_.error(code, e.span,
                {std::string("malformed ") + what_en + " `" + e.text + "`: " + err.en,
                 std::string(what_zh) + "「" + e.text + "」有误：" + err.zh});
    return Typed{};
  };
  switch (e.lit) {
    case ast::LitKind::True:
    case ast::LitKind::False:
      c.kind = ValueKind::Bool;
      c.b = e.lit == ast::LitKind::True;
      return {emit_const(c), builtin(TypeKind::Bool)};
    case ast::LitKind::String:
      c.kind = ValueKind::Text;
      c.text = e.text;
      return {emit_const(c), builtin(TypeKind::Text)};
    case ast::LitKind::Date: {
      auto d = lit::parse_date(e.text);
      if (!d) return bad("E0302", d.error(), "date", "日期");
      c.kind = ValueKind::Date;
      c.date = d->days;
      return {emit_const(c), builtin(TypeKind::Date)};
    }
    case ast::LitKind::UnitNumber: {
      if (auto d = lit::parse_duration(e.text)) {
        c.kind = ValueKind::Duration;
        c.dur = *d;
        return {emit_const(c), builtin(TypeKind::Duration)};
      }
      auto n = lit::parse_number(e.text);
      if (!n) {
        if (e.text.find('.') != std::string::npos) {
          sink_.error("E0303", e.span,
                      {"malformed duration `" + e.text +
                           "`: a duration is a whole number of years, months, weeks or days",
                       "期限「" + e.text + "」有误：期限应为整数个年、月、周或日"});
          return Typed{};
        }
        auto d = lit::parse_duration(e.text);
        return bad("E0303", d.error(), "duration or amount", "期限或金额");
      }
      c.kind = ValueKind::Number;
      c.num = *n;
      return {emit_const(c), builtin(TypeKind::Number, n->is_integer())};
    }
    default: {
      auto n = lit::parse_number(e.text);
      if (!n) return bad("E0303", n.error(), "number", "数字");
      c.kind = ValueKind::Number;
      c.num = *n;
      return {emit_const(c), builtin(TypeKind::Number, n->is_integer())};
    }
  }
}

Typed Checker::lower_name(const ast::Expr& e, std::uint32_t hint) {
  for (auto it = scope_.rbegin(); it != scope_.rend(); ++it) {
    if (it->name != e.text) continue;
    ir::Node n;
    n.op = Op::Var;
    n.slot = it->slot;
    n.path = path_id(it->path);
    if (!it->sensitive.empty()) read_sensitive_ = it->sensitive;
    return {emit(n), it->type};
  }
  if (hint != ir::kNone && T(hint).kind == TypeKind::Enum) {
    const auto& members = b_.enums[T(hint).ref].members;
    for (std::uint32_t i = 0; i < members.size(); ++i) {
      if (members[i] != e.text) continue;
      ir::Const c;
      c.kind = ValueKind::Enum;
      c.ordinal = i;
      return {emit_const(c), with_optional(hint, false)};
    }
  }
  if (syntax::builtin_of(e.text) == syntax::Builtin::AsOf) {
    ir::Node n;
    n.op = Op::AsOf;
    return {emit(n), builtin(TypeKind::Date)};
  }
  std::vector<std::string> candidates;
  if (action_ != ir::kNone) {
    const auto& facts = b_.structs[b_.actions[action_].facts].fields;
    for (std::uint32_t i = 0; i < facts.size(); ++i) {
      if (facts[i].name == e.text) {
        ir::Node n;
        n.op = Op::Field;
        ir::Node root;
        root.op = Op::Root;
        n.a = emit(root);
        n.b = i;
        n.path = path_id(e.text);
        if (facts[i].sensitive) read_sensitive_ = e.text;
        return {emit(n), facts[i].type};
      }
      candidates.push_back(facts[i].name);
    }
  }
  for (const auto& v : scope_) candidates.push_back(v.name);
  if (hint != ir::kNone && T(hint).kind == TypeKind::Enum)
    for (const auto& m : b_.enums[T(hint).ref].members) candidates.push_back(m);
  candidates.push_back("as_of");
  Localized msg{"unknown name `" + e.text + "`", "未知名称「" + e.text + "」"};
  if (hint != ir::kNone && T(hint).kind == TypeKind::Enum) {
    const auto& en = b_.enums[T(hint).ref].name;
    msg = {"`" + e.text + "` is neither a fact of this action nor a member of enum `" + en + "`",
           "「" + e.text + "」既不是本行为的事实，也不是枚举「" + en + "」的成员"};
  } else if (list_by_name_.count(e.text)) {
    msg = {"the list `" + e.text + "` can only be used after `in`",
           "清单「" + e.text + "」只能用在「属于」之后"};
  }
  auto& d = sink_.error("E0101", e.span, msg);
  if (auto s = closest_name(e.text, candidates); !s.empty())
    d.help = Localized{"did you mean `" + s + "`?", "是否应为「" + s + "」？"};
  if (e.text.find("分之") != std::string::npos)
    d.help = Localized{"write the threshold as a comparison, e.g. `赞成 >= 三分之二 * 到会`",
                       "请把比例写成比较，例如「赞成 >= 三分之二 * 到会」"};
  return {};
}

Typed Checker::lower_field(const ast::Expr& e) {
  if (!e.kids[0]) return {};
  const ast::Expr& base = *e.kids[0];
  if (base.kind == ExprKind::Index) {  // 清单[key].attr
    if (!base.kids[0] || base.kids[0]->kind != ExprKind::Name ||
        !list_by_name_.count(base.kids[0]->text)) {
      sink_.error("E0101", base.kids[0] ? base.kids[0]->span : base.span,
                  {"only a list can be indexed with `[...]`", "只有清单可以用「[...]」取条目"});
      return {};
    }
    std::uint32_t li = list_by_name_[base.kids[0]->text];
    if (!base.kids[1]) return {};
    Typed key = lower(*base.kids[1]);
    if (!key.ok()) return {};
    if (T(key.type).kind != TypeKind::Text) {
      sink_.error("E0201", base.kids[1]->span,
                  {"a list key must be text, not " + type_name(key.type, Lang::en),
                   "清单条目键应为文本，而非" + type_name(key.type, Lang::zh)});
      return {};
    }
    const auto& attrs = b_.lists[li].attrs;
    for (std::uint32_t i = 0; i < attrs.size(); ++i) {
      if (attrs[i].name != e.text) continue;
      ir::Node n;
      n.op = Op::ListAttr;
      n.a = key.node;
      n.b = li;
      n.c = i;
      return {emit(n), with_optional(attrs[i].type, true)};
    }
    std::vector<std::string> names;
    for (const auto& a : attrs) names.push_back(a.name);
    auto& d = sink_.error("E0101", e.name_span,
                          {"the list `" + b_.lists[li].name + "` has no attribute `" + e.text + "`",
                           "清单「" + b_.lists[li].name + "」没有属性「" + e.text + "」"});
    if (auto s = closest_name(e.text, names); !s.empty())
      d.help = Localized{"did you mean `" + s + "`?", "是否应为「" + s + "」？"};
    return {};
  }
  Typed b = lower(base);
  if (!b.ok()) return {};
  if (T(b.type).kind != TypeKind::Struct) {
    sink_.error(
        "E0201", e.name_span,
        {"`" + type_name(b.type, Lang::en) + "` has no fields; cannot read `." + e.text + "`",
         "「" + type_name(b.type, Lang::zh) + "」没有字段，不能读取「." + e.text + "」"});
    return {};
  }
  const auto& st = b_.structs[T(b.type).ref];
  for (std::uint32_t i = 0; i < st.fields.size(); ++i) {
    if (st.fields[i].name != e.text) continue;
    ir::Node n;
    n.op = Op::Field;
    n.a = b.node;
    n.b = i;
    std::string bp = path_of(b.node);
    n.path = path_id(bp.empty() ? e.text : bp + "." + e.text);
    if (st.fields[i].sensitive) read_sensitive_ = bp.empty() ? e.text : bp + "." + e.text;
    std::uint32_t t = st.fields[i].type;
    if (T(b.type).optional) t = with_optional(t, true);
    return {emit(n), t};
  }
  std::vector<std::string> names;
  for (const auto& f : st.fields) names.push_back(f.name);
  auto& d = sink_.error("E0101", e.name_span,
                        {"`" + st.name + "` has no field `" + e.text + "`",
                         "「" + st.name + "」没有字段「" + e.text + "」"});
  if (auto s = closest_name(e.text, names); !s.empty())
    d.help = Localized{"did you mean `" + s + "`?", "是否应为「" + s + "」？"};
  return {};
}

}  // namespace xy::check
