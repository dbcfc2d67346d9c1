// Type-checks expressions and resolves their names (literals, names, fields, set literals); each
// accepted expression gets its entry in the checked program.
#include "checker.h"
#include "xiangyue/literals/literals.h"

namespace xy::check {

using ast::ExprKind;
using ir::Op;
using ir::TypeKind;

checked::ExprInfo Checker::op(ir::Op o, std::uint32_t type) {
  checked::ExprInfo i;
  i.op = o;
  i.type = type;
  return i;
}

Typed Checker::constant(ast::Expr& e, ir::Const c, std::uint32_t type) {
  checked::ExprInfo i = op(Op::Const, type);
  i.value = std::move(c);
  return note(e, std::move(i));
}

Typed Checker::note(ast::Expr& e, checked::ExprInfo i) {
  e.info = static_cast<std::uint32_t>(p_.info.size());
  std::uint32_t type = i.type;
  p_.info.push_back(std::move(i));
  return {e.info, type};
}

const std::string& Checker::path_of(const Typed& t) const {
  return p_.info[t.info].path;
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

Typed Checker::check(ast::Expr& e, std::uint32_t hint) {
  // Checking, lowering and evaluation recurse over the expression: bound the depth (a flat `and`
  // chain is lowered as a balanced tree, so only real nesting and long arithmetic chains count).
  struct Guard {
    std::size_t& d;
    ~Guard() { --d; }
  } guard{++depth_};
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
      return check_literal(e);
    case ExprKind::Name:
      return check_name(e, hint);
    case ExprKind::Field:
      return check_field(e);
    case ExprKind::Compare:
      return check_compare(e);
    case ExprKind::Member:
      return check_member(e);
    case ExprKind::Arith:
    case ExprKind::Neg:
      return check_arith(e);
    case ExprKind::Any:
    case ExprKind::All:
    case ExprKind::Count:
      return check_quantifier(e);
    case ExprKind::Call:
      return check_call(e);
    case ExprKind::Not:
    case ExprKind::And:
    case ExprKind::Or:
    case ExprKind::IsNone:
    case ExprKind::IsSome:
      return check_logic(e);
    case ExprKind::Index: {
      sink_.error("E0201", e.span,
                  {"a list item must be followed by an attribute, as in `清单[x].属性`",
                   "清单条目之后应跟属性，例如「清单[x].属性」"});
      return {};
    }
    case ExprKind::SetLit: {
      std::uint32_t elem_type =
          (hint != ir::kNone && T(hint).kind == TypeKind::Set) ? T(hint).ref : hint;
      for (const auto& k : e.kids) {
        if (!k) return {};
        Typed t = check(*k, elem_type);
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
      }
      if (elem_type == ir::kNone) elem_type = builtin(TypeKind::Text);
      return note(e, op(Op::SetLit, intern(ir::Type{TypeKind::Set, false, false, elem_type})));
    }
  }
  return {};
}

Typed Checker::check_literal(ast::Expr& e) {
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
      return constant(e, std::move(c), builtin(TypeKind::Bool));
    case ast::LitKind::String:
      c.kind = ValueKind::Text;
      c.text = e.text;
      return constant(e, std::move(c), builtin(TypeKind::Text));
    case ast::LitKind::Date: {
      auto d = lit::parse_date(e.text);
      if (!d) return bad("E0302", d.error(), "date", "日期");
      c.kind = ValueKind::Date;
      c.date = d->days;
      return constant(e, std::move(c), builtin(TypeKind::Date));
    }
    case ast::LitKind::UnitNumber: {
      if (auto d = lit::parse_duration(e.text)) {
        c.kind = ValueKind::Duration;
        c.dur = *d;
        return constant(e, std::move(c), builtin(TypeKind::Duration));
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
      return constant(e, std::move(c), builtin(TypeKind::Number, n->is_integer()));
    }
    default: {
      auto n = lit::parse_number(e.text);
      if (!n) return bad("E0303", n.error(), "number", "数字");
      c.kind = ValueKind::Number;
      c.num = *n;
      return constant(e, std::move(c), builtin(TypeKind::Number, n->is_integer()));
    }
  }
}

Typed Checker::check_name(ast::Expr& e, std::uint32_t hint) {
  for (auto it = scope_.rbegin(); it != scope_.rend(); ++it) {
    if (it->name != e.text) continue;
    checked::ExprInfo v = op(Op::Var, it->type);
    v.slot = it->slot;
    v.path = it->path;
    v.sensitive = it->sensitive;
    if (!it->sensitive.empty()) read_sensitive_ = it->sensitive;
    return note(e, std::move(v));
  }
  if (hint != ir::kNone && T(hint).kind == TypeKind::Enum) {
    const auto& members = b_.enums[T(hint).ref].members;
    for (std::uint32_t i = 0; i < members.size(); ++i) {
      if (members[i] != e.text) continue;
      ir::Const c;
      c.kind = ValueKind::Enum;
      c.ordinal = i;
      return constant(e, std::move(c), with_optional(hint, false));
    }
  }
  if (syntax::builtin_of(e.text) == syntax::Builtin::AsOf) {
    return note(e, op(Op::AsOf, builtin(TypeKind::Date)));
  }
  std::vector<std::string> candidates;
  if (action_ != ir::kNone) {
    const auto& facts = b_.structs[b_.actions[action_].facts].fields;
    for (std::uint32_t i = 0; i < facts.size(); ++i) {
      if (facts[i].name == e.text) {
        checked::ExprInfo f = op(Op::Field, facts[i].type);
        f.from_root = true;
        f.index = i;
        f.path = e.text;
        if (facts[i].sensitive) f.sensitive = read_sensitive_ = e.text;
        return note(e, std::move(f));
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

Typed Checker::check_field(ast::Expr& e) {
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
    Typed key = check(*base.kids[1]);
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
      checked::ExprInfo a = op(Op::ListAttr, with_optional(attrs[i].type, true));
      a.list = li;
      a.index = i;
      return note(e, std::move(a));
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
  Typed b = check(*e.kids[0]);
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
    std::uint32_t t = st.fields[i].type;
    if (T(b.type).optional) t = with_optional(t, true);
    checked::ExprInfo f = op(Op::Field, t);
    f.index = i;
    const std::string& bp = path_of(b);
    f.path = bp.empty() ? e.text : bp + "." + e.text;
    if (st.fields[i].sensitive) f.sensitive = read_sensitive_ = f.path;
    return note(e, std::move(f));
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
