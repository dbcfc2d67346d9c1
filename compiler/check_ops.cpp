// Type-checks operators: logic, comparisons, membership, arithmetic, quantifiers, calls.
#include "checker.h"

namespace xy::check {

using ast::ExprKind;
using ir::Op;
using ir::TypeKind;

namespace {
Localized mismatch(const std::string& what_en, const std::string& what_zh) {
  return {what_en, what_zh};
}
}  // namespace

Typed Checker::check_logic(ast::Expr& e) {
  if (e.kind == ExprKind::IsNone || e.kind == ExprKind::IsSome) {
    if (!e.kids[0]) return {};
    Typed v = check(*e.kids[0]);
    if (!v.ok()) return {};
    return note(e,
                op(e.kind == ExprKind::IsNone ? Op::IsNone : Op::IsSome, builtin(TypeKind::Bool)));
  }
  bool ok = true;
  for (const auto& k : e.kids) {
    if (!k) return {};
    Typed t = check(*k);
    if (!t.ok()) {
      ok = false;
      continue;
    }
    if (T(t.type).kind != TypeKind::Bool) {
      sink_.error("E0201", k->span,
                  mismatch("expected a condition (bool), found " + type_name(t.type, Lang::en),
                           "此处应为条件（布尔），实为" + type_name(t.type, Lang::zh)));
      ok = false;
      continue;
    }
  }
  if (!ok || e.kids.empty()) return {};
  Op o = e.kind == ExprKind::Not ? Op::Not : e.kind == ExprKind::And ? Op::And : Op::Or;
  return note(e, op(o, builtin(TypeKind::Bool)));
}

Typed Checker::check_compare(ast::Expr& e) {
  if (!e.kids[0] || !e.kids[1]) return {};
  Typed l, r;
  if (unresolved_name(*e.kids[0]) && !unresolved_name(*e.kids[1])) {
    r = check(*e.kids[1]);
    if (!r.ok()) return {};
    l = check(*e.kids[0], r.type);
  } else {
    l = check(*e.kids[0]);
    if (!l.ok()) return {};
    r = check(*e.kids[1], l.type);
  }
  if (!l.ok() || !r.ok()) return {};
  const ir::Type& lt = T(l.type);
  bool ordering = e.cmp != ast::CmpOp::Eq && e.cmp != ast::CmpOp::Ne;
  if (!same(l.type, r.type)) {
    sink_.error(
        "E0201", e.name_span.known() ? e.name_span : e.span,
        mismatch("cannot compare " + type_name(l.type, Lang::en) + " with " +
                     type_name(r.type, Lang::en),
                 "不能比较" + type_name(l.type, Lang::zh) + "与" + type_name(r.type, Lang::zh)));
    return {};
  }
  if (ordering) {
    bool can = lt.kind == TypeKind::Number || lt.kind == TypeKind::Date ||
               lt.kind == TypeKind::Duration ||
               (lt.kind == TypeKind::Enum && b_.enums[lt.ref].ordered);
    if (!can) {
      auto& d = sink_.error("E0201", e.name_span.known() ? e.name_span : e.span,
                            mismatch(type_name(l.type, Lang::en) + " values have no order",
                                     type_name(l.type, Lang::zh) + "没有大小顺序"));
      if (lt.kind == TypeKind::Enum)
        d.help = Localized{"declare the enum `ordered` to compare its members",
                           "将枚举声明为「有序」才能比较其成员"};
      return {};
    }
  } else if (lt.kind == TypeKind::Set || lt.kind == TypeKind::Struct) {
    sink_.error("E0201", e.span,
                mismatch("cannot compare " + type_name(l.type, Lang::en) + " values with `=`",
                         "不能用「=」比较" + type_name(l.type, Lang::zh)));
    return {};
  }
  static constexpr Op kOps[] = {Op::Eq, Op::Ne, Op::Lt, Op::Le, Op::Gt, Op::Ge};
  auto flags = static_cast<std::uint8_t>(lt.kind);  // before interning moves the types
  checked::ExprInfo c = op(kOps[static_cast<int>(e.cmp)], builtin(TypeKind::Bool));
  c.flags = flags;
  return note(e, std::move(c));
}

Typed Checker::check_member(ast::Expr& e) {
  if (!e.kids[0] || !e.kids[1]) return {};
  const ast::Expr& rhs = *e.kids[1];
  checked::ExprInfo n = op(Op::InList, builtin(TypeKind::Bool));
  if (rhs.kind == ExprKind::Name && list_by_name_.count(rhs.text) &&
      unresolved_name(rhs) == false && [&] {
        for (const auto& v : scope_)
          if (v.name == rhs.text) return false;
        return true;
      }()) {
    Typed key = check(*e.kids[0]);
    if (!key.ok()) return {};
    if (T(key.type).kind != TypeKind::Text) {
      sink_.error("E0201", e.kids[0]->span,
                  mismatch("list membership needs text, found " + type_name(key.type, Lang::en),
                           "清单成员判断需要文本，实为" + type_name(key.type, Lang::zh)));
      return {};
    }
    n.list = list_by_name_[rhs.text];
  } else if (rhs.kind == ExprKind::Name && unresolved_name(rhs)) {
    std::vector<std::string> names;
    for (const auto& [k, v] : list_by_name_) names.push_back(k);
    auto& d = sink_.error("E0101", rhs.span,
                          {"unknown list `" + rhs.text + "`", "未知清单「" + rhs.text + "」"});
    if (auto s = closest_name(rhs.text, names); !s.empty())
      d.help = Localized{"did you mean `" + s + "`?", "是否应为「" + s + "」？"};
    return {};
  } else {
    Typed set, left;
    if (rhs.kind == ExprKind::SetLit && !unresolved_name(*e.kids[0])) {
      // A literal set takes its element type from the left side: `层级 in [县, 乡镇]`.
      left = check(*e.kids[0]);
      if (!left.ok()) return {};
      set = check(*e.kids[1], with_optional(left.type, false));
    } else {
      set = check(*e.kids[1]);
    }
    if (!set.ok()) return {};
    if (T(set.type).kind != TypeKind::Set) {
      auto& d =
          sink_.error("E0201", rhs.span,
                      mismatch("`in` needs a list or a set, found " + type_name(set.type, Lang::en),
                               "「属于」之后应为清单或集合，实为" + type_name(set.type, Lang::zh)));
      std::vector<std::string> names;
      for (const auto& [k, v] : list_by_name_) names.push_back(k);
      if (rhs.kind == ExprKind::Name)
        if (auto s = closest_name(rhs.text, names); !s.empty())
          d.help = Localized{"did you mean the list `" + s + "`?", "是否应为清单「" + s + "」？"};
      return {};
    }
    Typed elem = left.ok() ? left : check(*e.kids[0], T(set.type).ref);
    if (!elem.ok()) return {};
    if (!same(elem.type, T(set.type).ref)) {
      sink_.error("E0201", e.kids[0]->span,
                  mismatch("cannot look for " + type_name(elem.type, Lang::en) + " in " +
                               type_name(set.type, Lang::en),
                           "不能在" + type_name(set.type, Lang::zh) + "中查找" +
                               type_name(elem.type, Lang::zh)));
      return {};
    }
    n.op = Op::InSet;
  }
  return note(e, std::move(n));  // `not in` is lowered as `not (… in …)`
}

Typed Checker::check_arith(ast::Expr& e) {
  if (e.kind == ExprKind::Neg) {
    if (!e.kids[0]) return {};
    Typed v = check(*e.kids[0]);
    if (!v.ok()) return {};
    if (T(v.type).kind != TypeKind::Number) {
      sink_.error("E0201", e.span,
                  mismatch("cannot negate " + type_name(v.type, Lang::en),
                           "不能对" + type_name(v.type, Lang::zh) + "取负"));
      return {};
    }
    return note(e, op(Op::Neg, with_optional(v.type, false)));
  }
  if (!e.kids[0] || !e.kids[1]) return {};
  Typed l = check(*e.kids[0]);
  Typed r = check(*e.kids[1]);
  if (!l.ok() || !r.ok()) return {};
  TypeKind lk = T(l.type).kind, rk = T(r.type).kind;
  const char* sym[] = {"+", "-", "*", "/"};
  auto arith = e.arith;
  if (lk == TypeKind::Number && rk == TypeKind::Number) {
    static constexpr Op kOps[] = {Op::Add, Op::Sub, Op::Mul, Op::Div};
    bool integer = T(l.type).integer && T(r.type).integer && arith != ast::ArithOp::Div;
    return note(e, op(kOps[static_cast<int>(arith)], builtin(TypeKind::Number, integer)));
  }
  if (lk == TypeKind::Date && rk == TypeKind::Duration &&
      (arith == ast::ArithOp::Add || arith == ast::ArithOp::Sub)) {
    return note(
        e, op(arith == ast::ArithOp::Add ? Op::DateAdd : Op::DateSub, builtin(TypeKind::Date)));
  }
  if (lk == TypeKind::Duration && rk == TypeKind::Date && arith == ast::ArithOp::Add) {
    checked::ExprInfo add = op(Op::DateAdd, builtin(TypeKind::Date));
    add.swapped = true;
    return note(e, std::move(add));
  }
  auto& d = sink_.error(
      "E0201", e.name_span.known() ? e.name_span : e.span,
      mismatch("cannot apply `" + std::string(sym[static_cast<int>(arith)]) + "` to " +
                   type_name(l.type, Lang::en) + " and " + type_name(r.type, Lang::en),
               "不能对" + type_name(l.type, Lang::zh) + "与" + type_name(r.type, Lang::zh) +
                   "做「" + sym[static_cast<int>(arith)] + "」运算"));
  if (lk == TypeKind::Date && rk == TypeKind::Number)
    d.help =
        Localized{"add a duration such as `5年` or `30日`", "应加上期限，例如「5年」或「30日」"};
  return {};
}

Typed Checker::check_quantifier(ast::Expr& e) {
  if (!e.kids[0]) return {};
  std::string outer_sensitive = std::move(read_sensitive_);
  read_sensitive_.clear();
  Typed set = check(*e.kids[0]);
  std::string set_sensitive = read_sensitive_;  // a variable over it is as sensitive as it is
  if (read_sensitive_.empty()) read_sensitive_ = std::move(outer_sensitive);
  if (!set.ok()) return {};
  if (T(set.type).kind != TypeKind::Set) {
    sink_.error("E0201", e.kids[0]->span,
                mismatch("a quantifier needs a set, found " + type_name(set.type, Lang::en),
                         "量词需要集合，实为" + type_name(set.type, Lang::zh)));
    return {};
  }
  if (next_slot_ >= kMaxSlots) {
    sink_.error("E0002", e.name_span,
                {"a rule may use at most " + std::to_string(kMaxSlots) + " quantifiers",
                 "一条规则至多使用 " + std::to_string(kMaxSlots) + " 个量词"});
    return {};
  }
  Var v{e.text, next_slot_++, T(set.type).ref, path_of(set) + "[]", set_sensitive};
  scope_.push_back(v);
  rule_vars_.push_back(v);
  Typed body;
  bool has_body = e.kids.size() > 1 && e.kids[1];
  if (has_body) body = check(*e.kids[1]);
  scope_.pop_back();
  if (has_body && !body.ok()) return {};
  if (has_body && T(body.type).kind != TypeKind::Bool) {
    sink_.error(
        "E0201", e.kids[1]->span,
        mismatch("the quantifier body must be a condition, found " + type_name(body.type, Lang::en),
                 "量词的条件应为布尔，实为" + type_name(body.type, Lang::zh)));
    return {};
  }
  Op o = e.kind == ExprKind::Any ? Op::Any : e.kind == ExprKind::All ? Op::All : Op::Count;
  checked::ExprInfo q =
      op(o, o == Op::Count ? builtin(TypeKind::Number, true) : builtin(TypeKind::Bool));
  q.slot = v.slot;
  return note(e, std::move(q));
}

Typed Checker::check_call(ast::Expr& e) {
  const std::string& f = e.text;
  auto arity = [&](std::size_t want) {
    if (e.kids.size() == want) return true;
    sink_.error("E0201", e.span,
                {"`" + f + "` takes " + std::to_string(want) + " argument(s), given " +
                     std::to_string(e.kids.size()),
                 "「" + f + "」需要 " + std::to_string(want) + " 个参数，实有 " +
                     std::to_string(e.kids.size()) + " 个"});
    return false;
  };
  std::vector<Typed> args;
  for (const auto& k : e.kids) {
    if (!k) return {};
    args.push_back(check(*k));
    if (!args.back().ok()) return {};
  }
  auto function = syntax::builtin_of(f);
  if (function == syntax::Builtin::Age) {
    if (!arity(2)) return {};
    for (std::size_t i = 0; i < 2; ++i) {
      if (T(args[i].type).kind != TypeKind::Date) {
        sink_.error("E0201", e.kids[i]->span,
                    {"`" + f + "` needs dates, found " + type_name(args[i].type, Lang::en),
                     "「" + f + "」的参数应为日期，实为" + type_name(args[i].type, Lang::zh)});
        return {};
      }
    }
    return note(e, op(Op::Age, builtin(TypeKind::Number, true)));
  }
  if (function == syntax::Builtin::Size) {
    if (!arity(1)) return {};
    if (T(args[0].type).kind != TypeKind::Set) {
      sink_.error("E0201", e.kids[0]->span,
                  {"`" + f + "` needs a set, found " + type_name(args[0].type, Lang::en),
                   "「" + f + "」的参数应为集合，实为" + type_name(args[0].type, Lang::zh)});
      return {};
    }
    return note(e, op(Op::Size, builtin(TypeKind::Number, true)));
  }
  auto& d =
      sink_.error("E0101", e.name_span, {"unknown function `" + f + "`", "未知函数「" + f + "」"});
  if (auto s = closest_name(f, {"age", "周岁", "size", "数量"}); !s.empty())
    d.help = Localized{"did you mean `" + s + "`?", "是否应为「" + s + "」？"};
  else
    d.help = Localized{
        "the functions are `age(birth, on)` / `周岁(…)` and `size(set)` / `数量(…)`; "
        "count with `count(x in S: …)`",
        "可用的函数有「周岁(出生日期, 日期)」/ age 和「数量(集合)」/ size；计数请用「计数(x 属于 "
        "S：…)」"};
  return {};
}

}  // namespace xy::check
