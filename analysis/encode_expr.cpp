// Conditions as formulas, operation by operation as runtime/evaluate.cpp evaluates them: an
// unknown operand makes a comparison unknown, an absent one makes it false, `and`/`or`/`not` are
// Kleene's, quantifiers range over the elements a set holds.
#include <stdexcept>

#include "calendar.h"
#include "encoding_impl.h"

namespace xy::analysis {

using ir::Op;
using ir::TypeKind;

Truth Encoding::Impl::truth(const Term& t) {
  z3::expr known = t.def && t.some;
  return {known && t.v, known && !t.v};
}

Term Encoding::Impl::boolean(const Truth& t) {
  Term out(ctx);
  out.def = t.t || t.f;
  out.v = t.t;
  return out;
}

namespace {
// Integers stay integers (linear integer arithmetic is what the solver does best); an integer
// meets a fraction as a real.
std::pair<z3::expr, z3::expr> same_sort(const z3::expr& a, const z3::expr& b) {
  if (a.is_int() && b.is_real()) return {z3::to_real(a), b};
  if (a.is_real() && b.is_int()) return {a, z3::to_real(b)};
  return {a, b};
}
}  // namespace

Truth Encoding::Impl::compare(Op op, const Term& l, const Term& r, TypeKind kind) {
  auto holds = [&](const z3::expr& a, const z3::expr& b) {
    switch (op) {
      case Op::Eq:
        return a == b;
      case Op::Ne:
        return a != b;
      case Op::Lt:
        return a < b;
      case Op::Le:
        return a <= b;
      case Op::Gt:
        return a > b;
      default:
        return a >= b;
    }
  };
  z3::expr comparable = ctx.bool_val(true);
  z3::expr c = ctx.bool_val(false);
  if (kind == TypeKind::Number) {
    auto [a, b] = same_sort(l.v, r.v);
    c = holds(a, b);
  } else if (kind == TypeKind::Duration) {
    // Months with months, days with days; a duration with both compares with neither.
    z3::expr months = l.days == 0 && r.days == 0;
    comparable = months || (l.v == 0 && r.v == 0);
    c = z3::ite(months, holds(l.v, r.v), holds(l.days, r.days));
  } else {
    c = holds(l.v, r.v);
  }
  z3::expr both = l.some && r.some;
  z3::expr def = l.def && r.def && (!both || comparable);
  return {def && both && c, def && !(both && c)};
}

Term Encoding::Impl::arith(const ast::Expr& e, const checked::ExprInfo& info) {
  if (info.op == Op::Neg) {
    Term v = expr(*e.kids[0]);
    v.v = -v.v;
    v.type = info.type;
    return v;
  }
  Term l = expr(*e.kids[info.swapped ? 1 : 0]);
  Term r = expr(*e.kids[info.swapped ? 0 : 1]);
  Term out(ctx);
  out.type = info.type;
  out.some = l.some && r.some;
  out.def = l.def && r.def;
  if (info.op == Op::Add || info.op == Op::Sub || info.op == Op::Mul || info.op == Op::Div) {
    auto [a, b] = same_sort(l.v, r.v);
    if (info.op == Op::Div && a.is_int()) a = z3::to_real(a), b = z3::to_real(b);
    l.v = a;
    r.v = b;
  }
  switch (info.op) {
    case Op::Add:
      out.v = l.v + r.v;
      break;
    case Op::Sub:
      out.v = l.v - r.v;
      break;
    case Op::Mul:
      out.v = l.v * r.v;
      break;
    case Op::Div:
      out.def = out.def && (!out.some || r.v != 0);  // a division by zero is unknown
      out.v = l.v / r.v;
      break;
    case Op::DateAdd:
      out.v = calendar.shift(l.v, r.v, r.days);
      break;
    case Op::DateSub:
      out.v = calendar.shift(l.v, -r.v, -r.days);
      break;
    default:
      throw std::logic_error("not an arithmetic operation");
  }
  return out;
}

z3::expr Encoding::Impl::is_item(const z3::expr& key, std::uint32_t list, std::uint32_t item) {
  z3::expr named = key == ctx.int_val(text(d.lists[list].items[item].key));
  if (!options.item_switches) return named;
  auto at = switches.find({list, item});
  if (at == switches.end()) {
    std::string name = "item!" + std::to_string(list) + "!" + std::to_string(item);
    at = switches.emplace(std::pair{list, item}, ctx.bool_const(name.c_str())).first;
  }
  return at->second && named;
}

Term Encoding::Impl::list_attr(const ast::Expr& e, const checked::ExprInfo& info) {
  Term key = expr(*e.kids[0]->kids[1]);
  const ir::List& list = d.lists[info.list];
  Term out(ctx);
  out.type = info.type;
  out.def = key.def;
  z3::expr found = ctx.bool_val(false);
  bool first = true;
  for (std::uint32_t i = 0; i < list.items.size(); ++i) {
    const auto& item = list.items[i];
    std::uint32_t c = item.attrs[info.index];
    if (c == ir::kNone) continue;  // the item has no value for it: absent
    Term v = constant(d.consts[c], info.type);
    z3::expr here = is_item(key.v, info.list, i);
    found = found || here;
    out.v = first ? v.v : z3::ite(here, v.v, out.v);
    out.days = first ? v.days : z3::ite(here, v.days, out.days);
    first = false;
  }
  out.some = key.some && found;
  return out;
}

Truth Encoding::Impl::member(const ast::Expr& e, const checked::ExprInfo& info) {
  Term x = expr(*e.kids[0]);
  if (info.op == Op::InList) {
    z3::expr in = ctx.bool_val(false);
    for (std::uint32_t i = 0; i < d.lists[info.list].items.size(); ++i)
      in = in || is_item(x.v, info.list, i);
    return {x.def && x.some && in, x.def && !(x.some && in)};
  }
  Term set = expr(*e.kids[1]);
  TypeKind kind = T(p.of(*e.kids[0])->type).kind;
  z3::expr known = x.def && set.def;
  z3::expr any = ctx.bool_val(false), none = ctx.bool_val(true);
  for (std::size_t i = 0; i < set.elems.size(); ++i) {
    z3::expr active = ctx.int_val(static_cast<int>(i)) < set.size;
    Truth eq = compare(Op::Eq, x, set.elems[i], kind);
    any = any || (active && eq.t);
    none = none && (!active || eq.f);
  }
  z3::expr both = x.some && set.some;
  return {known && both && any, known && (!both || none)};
}

Term Encoding::Impl::quantify(const ast::Expr& e, const checked::ExprInfo& info) {
  Term set = expr(*e.kids[0]);
  const ast::Expr* body = e.kids.size() > 1 ? e.kids[1].get() : nullptr;
  z3::expr some_true = ctx.bool_val(false), all_true = ctx.bool_val(true);
  z3::expr some_false = ctx.bool_val(false), all_false = ctx.bool_val(true);
  z3::expr all_known = ctx.bool_val(true), count = ctx.int_val(0);
  std::optional<Term> saved = slots[info.slot];
  for (std::size_t i = 0; i < set.elems.size(); ++i) {
    // An absent set is empty.
    z3::expr active = set.some && ctx.int_val(static_cast<int>(i)) < set.size;
    slots[info.slot] = set.elems[i];
    Truth b{ctx.bool_val(true), ctx.bool_val(false)};
    if (body) b = truth(expr(*body));
    some_true = some_true || (active && b.t);
    some_false = some_false || (active && b.f);
    all_true = all_true && (!active || b.t);
    all_false = all_false && (!active || b.f);
    all_known = all_known && (!active || b.t || b.f);
    count = count + z3::ite(active && b.t, ctx.int_val(1), ctx.int_val(0));
  }
  slots[info.slot] = saved;
  if (info.op == Op::Any) return boolean({set.def && some_true, set.def && all_false});
  if (info.op == Op::All) return boolean({set.def && all_true, set.def && some_false});
  Term out(ctx);
  out.type = info.type;
  out.def = set.def && all_known;
  out.v = count;
  return out;
}

Term Encoding::Impl::expr(const ast::Expr& e) {
  const checked::ExprInfo* info = p.of(e);
  if (!info) throw std::logic_error("encoding an expression the checker did not accept");
  switch (info->op) {
    case Op::Const:
      return constant(*info->value, info->type);
    case Op::AsOf: {
      Term t(ctx);
      t.type = info->type;
      t.v = as_of;
      return t;
    }
    case Op::Var:
      return *slots[info->slot];
    case Op::Field: {
      Term base = info->from_root ? facts : expr(*e.kids[0]);
      Term f = base.fields[info->index];
      f.def = base.def && (!base.some || f.def);  // an absent record's field is absent
      f.some = base.some && f.some;
      f.type = info->type;
      return f;
    }
    case Op::ListAttr:
      return list_attr(e, *info);
    case Op::Not: {
      Truth t = truth(expr(*e.kids[0]));
      return boolean({t.f, t.t});
    }
    case Op::And:
    case Op::Or: {
      bool conj = info->op == Op::And;
      z3::expr t = ctx.bool_val(conj), f = ctx.bool_val(!conj);
      for (const auto& k : e.kids) {
        Truth kt = truth(expr(*k));
        t = conj ? (t && kt.t) : (t || kt.t);
        f = conj ? (f || kt.f) : (f && kt.f);
      }
      return boolean({t, f});
    }
    case Op::Eq:
    case Op::Ne:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge:
      return boolean(compare(info->op, expr(*e.kids[0]), expr(*e.kids[1]),
                             static_cast<TypeKind>(info->flags)));
    case Op::Add:
    case Op::Sub:
    case Op::Mul:
    case Op::Div:
    case Op::Neg:
    case Op::DateAdd:
    case Op::DateSub:
      return arith(e, *info);
    case Op::InList:
    case Op::InSet: {
      Truth t = member(e, *info);
      return boolean(e.negated ? Truth{t.f, t.t} : t);
    }
    case Op::IsNone:
    case Op::IsSome: {
      Term v = expr(*e.kids[0]);
      Term out(ctx);
      out.def = v.def;
      out.v = info->op == Op::IsNone ? !v.some : v.some;
      return out;
    }
    case Op::Any:
    case Op::All:
    case Op::Count:
      return quantify(e, *info);
    case Op::SetLit: {
      Term out(ctx);
      out.type = info->type;
      for (const auto& k : e.kids) out.elems.push_back(expr(*k));
      out.size = ctx.int_val(static_cast<int>(out.elems.size()));
      return out;
    }
    case Op::Age: {
      Term from = expr(*e.kids[0]), to = expr(*e.kids[1]);
      Term out(ctx);
      out.type = info->type;
      out.def = from.def && to.def;
      out.some = from.some && to.some;
      out.v = calendar.whole_years(from.v, to.v);
      return out;
    }
    case Op::Size: {
      Term set = expr(*e.kids[0]);
      Term out(ctx);
      out.type = info->type;
      out.def = set.def;
      out.v = z3::ite(set.some, set.size, ctx.int_val(0));
      return out;
    }
    case Op::Root:
      break;
  }
  throw std::logic_error("an operation the encoding does not know");
}

}  // namespace xy::analysis
