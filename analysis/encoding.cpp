// The symbolic request: a solver variable per fact (records field by field, sets as a bounded
// number of elements), the value ranges every request keeps, and a model back to a JSON request.
#include <algorithm>
#include <stdexcept>

#include "calendar.h"
#include "encoding_impl.h"

namespace xy::analysis {

using ir::TypeKind;

namespace {
// Most fact variables one action's encoding may make (sets multiply records by the bound).
constexpr std::size_t kMaxLeaves = 20000;
// Numbers a request may hold (the runtime's rationals are 64-bit; this keeps sums and products
// of two facts exact there).
constexpr const char* kMaxNumber = "1000000000";
// Tidy examples (Encoding::tidy): numbers within 0..10^7, dates in 2000-01-01..2099-12-31.
constexpr const char* kTidyMax = "10000000";
constexpr int kTidyFirstDay = 10957, kTidyLastDay = 47481;

z3::expr fresh(z3::context& c, const std::string& name, const z3::sort& s) {
  return z3::expr(c, Z3_mk_fresh_const(c, name.c_str(), s));
}
}  // namespace

Encoding::Impl::Impl(const checked::Program& program, std::uint32_t act, const Options& opt,
                     const checked::Program* other, const Impl* share)
    : p(program),
      d(program.decls),
      action(act),
      options(opt),
      owned(share ? share->owned : std::make_shared<z3::context>()),
      ctx(*owned),
      constraints(ctx),
      bounds(ctx),
      tidy(ctx),
      aux(ctx),
      calendar(ctx, aux),
      as_of(ctx.int_val(0)),
      facts(ctx),
      slots(64) {
  if (share) {
    texts = share->texts;
    text_id = share->text_id;
    facts = share->facts;
    vars = share->vars;
    text_vars = share->text_vars;
    for (const auto& c : share->constraints) constraints.push_back(c);
    for (const auto& c : share->bounds) bounds.push_back(c);
    for (const auto& c : share->tidy) tidy.push_back(c);
    as_of = options.as_of ? ctx.int_val(options.as_of->days) : share->as_of;
    return;
  }
  // Every text a rule or list can compare with gets an id; other texts are ids past them.
  for (const checked::Program* q : {&program, other}) {
    if (!q) continue;
    for (const auto& info : q->info)
      if (info.value && info.value->kind == ValueKind::Text) text(info.value->text);
    for (const auto& l : q->decls.lists)
      for (const auto& item : l.items) text(item.key);
    for (const auto& c : q->decls.consts)
      if (c.kind == ValueKind::Text) text(c.text);
  }
  facts.fields.clear();
  for (const auto& f : d.structs[d.actions[action].facts].fields)
    facts.fields.push_back(declare(f.type, true, f.name));
  // A text fact takes a named text or one of as many others as there are text facts.
  int texts_and_fresh = static_cast<int>(texts.size() + text_vars.size());
  for (const auto& v : text_vars) constraints.push_back(v >= 0 && v < texts_and_fresh);
  if (options.as_of) {
    as_of = ctx.int_val(options.as_of->days);
  } else {
    as_of = fresh(ctx, "as_of", ctx.int_sort());
    vars.push_back(as_of);
    constraints.push_back(as_of >= Calendar::kFirstCovered && as_of <= Calendar::kLastCovered);
    bounds.push_back(as_of >= Calendar::kFirstDay && as_of <= Calendar::kLastDay);
    tidy.push_back(as_of >= kTidyFirstDay && as_of <= kTidyLastDay);
  }
}

int Encoding::Impl::text(const std::string& s) {
  auto [it, added] = text_id.emplace(s, static_cast<int>(texts.size()));
  if (added) texts.push_back(s);
  return it->second;
}

std::string Encoding::Impl::text_of(std::int64_t id) const {
  if (id >= 0 && static_cast<std::size_t>(id) < texts.size()) return texts[id];
  // A text no rule names: one that equals no constant.
  std::string s = "未列明文本" + std::to_string(id - static_cast<std::int64_t>(texts.size()) + 1);
  while (text_id.count(s)) s += "′";
  return s;
}

Term Encoding::Impl::declare(std::uint32_t type, bool may_be_absent, const std::string& name) {
  const ir::Type& t = T(type);
  Term out(ctx);
  out.type = type;
  if (t.optional && may_be_absent) {
    out.some = fresh(ctx, name + "?", ctx.bool_sort());
    vars.push_back(out.some);
  }
  if (t.kind != TypeKind::Struct && t.kind != TypeKind::Set && ++leaves > kMaxLeaves)
    throw std::length_error("too many fact variables");
  switch (t.kind) {
    case TypeKind::Bool:
      out.v = fresh(ctx, name, ctx.bool_sort());
      vars.push_back(out.v);
      break;
    case TypeKind::Number: {
      z3::expr bound = t.integer ? ctx.int_val(kMaxNumber) : ctx.real_val(kMaxNumber);
      out.v = fresh(ctx, name, t.integer ? ctx.int_sort() : ctx.real_sort());
      vars.push_back(out.v);
      bounds.push_back(out.v >= -bound && out.v <= bound);
      tidy.push_back(out.v >= 0 &&
                     out.v <= (t.integer ? ctx.int_val(kTidyMax) : ctx.real_val(kTidyMax)));
      if (!t.integer) tidy.push_back(z3::is_int(out.v));
      break;
    }
    case TypeKind::Text:
      out.v = fresh(ctx, name, ctx.int_sort());
      text_vars.push_back(out.v);
      vars.push_back(out.v);
      break;
    case TypeKind::Date:
      out.v = fresh(ctx, name, ctx.int_sort());
      vars.push_back(out.v);
      constraints.push_back(out.v >= Calendar::kFirstCovered && out.v <= Calendar::kLastCovered);
      bounds.push_back(out.v >= Calendar::kFirstDay && out.v <= Calendar::kLastDay);
      tidy.push_back(out.v >= kTidyFirstDay && out.v <= kTidyLastDay);
      break;
    case TypeKind::Duration:
      // Years and months, or weeks and days (durations of one kind compare; mixed ones do not).
      out.v = fresh(ctx, name + ".months", ctx.int_sort());
      out.days = fresh(ctx, name + ".days", ctx.int_sort());
      vars.push_back(out.v);
      vars.push_back(out.days);
      constraints.push_back(out.v >= 0 && out.days >= 0 && (out.v == 0 || out.days == 0));
      bounds.push_back(out.v <= 1200 && out.days <= 36500);
      break;
    case TypeKind::Enum:
      out.v = fresh(ctx, name, ctx.int_sort());
      vars.push_back(out.v);
      constraints.push_back(out.v >= 0 && out.v < static_cast<int>(d.enums[t.ref].members.size()));
      break;
    case TypeKind::Struct:
      for (const auto& f : d.structs[t.ref].fields)
        out.fields.push_back(declare(f.type, true, name + "." + f.name));
      break;
    case TypeKind::Set:
      out.size = fresh(ctx, name + ".size", ctx.int_sort());
      vars.push_back(out.size);
      constraints.push_back(out.size >= 0 && out.size <= static_cast<int>(options.set_bound));
      for (unsigned i = 0; i < options.set_bound; ++i)
        out.elems.push_back(declare(t.ref, false, name + "[" + std::to_string(i) + "]"));
      break;
  }
  return out;
}

Term Encoding::Impl::constant(const ir::Const& c, std::uint32_t type) {
  Term out(ctx);
  out.type = type;
  switch (c.kind) {
    case ValueKind::Bool:
      out.v = ctx.bool_val(c.b);
      break;
    case ValueKind::Number:
      if (c.num.den == 1 && (type == ir::kNone || T(type).integer))
        out.v = ctx.int_val(c.num.num);
      else
        out.v = ctx.real_val((std::to_string(c.num.num) + "/" + std::to_string(c.num.den)).c_str());
      break;
    case ValueKind::Text:
      out.v = ctx.int_val(text(c.text));
      break;
    case ValueKind::Date:
      out.v = ctx.int_val(c.date);
      break;
    case ValueKind::Duration:
      out.v = ctx.int_val(c.dur.months);
      out.days = ctx.int_val(c.dur.days);
      break;
    case ValueKind::Enum:
      out.v = ctx.int_val(static_cast<int>(c.ordinal));
      break;
    default:
      out.def = ctx.bool_val(false);
      break;
  }
  return out;
}

namespace {
std::int64_t int_of(const z3::model& m, const z3::expr& e) {
  z3::expr v = m.eval(e, true);
  std::int64_t out = 0;
  if (!v.is_numeral_i64(out)) throw std::range_error("a model value out of range");
  return out;
}
}  // namespace

boost::json::value Encoding::Impl::value(const z3::model& m, const Term& t,
                                         std::uint32_t type) const {
  const ir::Type& ty = T(type);
  switch (ty.kind) {
    case TypeKind::Bool:
      return m.eval(t.v, true).is_true();
    case TypeKind::Number: {
      std::string s = Z3_get_numeral_string(ctx, m.eval(t.v, true));
      if (s.find('/') != std::string::npos) return boost::json::string(s);  // "3/4", exact
      try {
        return static_cast<std::int64_t>(std::stoll(s));
      } catch (const std::exception&) {
        return boost::json::string(s);
      }
    }
    case TypeKind::Text:
      return boost::json::string(text_of(int_of(m, t.v)));
    case TypeKind::Date:
      return boost::json::string(Date{static_cast<std::int32_t>(int_of(m, t.v))}.to_string());
    case TypeKind::Duration:
      return boost::json::string(Duration{static_cast<std::int32_t>(int_of(m, t.v)),
                                          static_cast<std::int32_t>(int_of(m, t.days))}
                                     .to_string());
    case TypeKind::Enum:
      return boost::json::string(d.enums[ty.ref].members.at(int_of(m, t.v)));
    case TypeKind::Struct: {
      boost::json::object o;
      const auto& fields = d.structs[ty.ref].fields;
      for (std::size_t i = 0; i < fields.size(); ++i)
        if (m.eval(t.fields[i].some, true).is_true())
          o[fields[i].name] = value(m, t.fields[i], fields[i].type);
      return o;
    }
    case TypeKind::Set: {
      boost::json::array a;
      std::int64_t n = int_of(m, t.size);
      for (std::int64_t i = 0; i < n && i < static_cast<std::int64_t>(t.elems.size()); ++i)
        a.push_back(value(m, t.elems[i], ty.ref));
      return a;
    }
  }
  return nullptr;
}

Encoding::Encoding(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Encoding::~Encoding() = default;

Result<std::unique_ptr<Encoding>, Localized> Encoding::make(const checked::Program& program,
                                                            std::uint32_t action,
                                                            const Options& options) {
  try {
    auto impl = std::make_unique<Impl>(program, action, options);
    return std::unique_ptr<Encoding>(new Encoding(std::move(impl)));
  } catch (const std::length_error&) {
    const std::string& a = program.decls.actions[action].name;
    return Result<std::unique_ptr<Encoding>, Localized>::failure(
        {"the facts of `" + a + "` need more than " + std::to_string(kMaxLeaves) +
             " solver variables at set bound " + std::to_string(options.set_bound) +
             "; use a smaller --set-bound",
         "「" + a + "」的事实在集合上限 " + std::to_string(options.set_bound) + " 下需要超过 " +
             std::to_string(kMaxLeaves) + " 个求解变量；请用更小的 --set-bound"});
  }
}

Result<std::pair<std::unique_ptr<Encoding>, std::unique_ptr<Encoding>>, Localized>
Encoding::make_pair(const checked::Program& old_program, std::uint32_t old_action,
                    const Options& old_options, const checked::Program& new_program,
                    std::uint32_t new_action, const Options& new_options) {
  using R = Result<std::pair<std::unique_ptr<Encoding>, std::unique_ptr<Encoding>>, Localized>;
  try {
    auto first = std::make_unique<Impl>(old_program, old_action, old_options, &new_program);
    auto second =
        std::make_unique<Impl>(new_program, new_action, new_options, nullptr, first.get());
    return R(std::pair{std::unique_ptr<Encoding>(new Encoding(std::move(first))),
                       std::unique_ptr<Encoding>(new Encoding(std::move(second)))});
  } catch (const std::length_error&) {
    const std::string& a = old_program.decls.actions[old_action].name;
    return R::failure({"the facts of `" + a + "` need too many solver variables at set bound " +
                           std::to_string(old_options.set_bound) + "; use a smaller --set-bound",
                       "「" + a + "」的事实在集合上限 " + std::to_string(old_options.set_bound) +
                           " 下需要过多求解变量；请用更小的 --set-bound"});
  }
}

namespace {
bool same_type(const Bundle& a, std::uint32_t ta, const Bundle& b, std::uint32_t tb, int depth) {
  if (depth > 32) return false;
  const ir::Type &x = a.types[ta], &y = b.types[tb];
  if (x.kind != y.kind || x.optional != y.optional || x.integer != y.integer) return false;
  switch (x.kind) {
    case TypeKind::Enum:
      return a.enums[x.ref].members == b.enums[y.ref].members &&
             a.enums[x.ref].ordered == b.enums[y.ref].ordered;
    case TypeKind::Set:
      return same_type(a, x.ref, b, y.ref, depth + 1);
    case TypeKind::Struct: {
      const auto &fa = a.structs[x.ref].fields, &fb = b.structs[y.ref].fields;
      if (fa.size() != fb.size()) return false;
      for (std::size_t i = 0; i < fa.size(); ++i)
        if (fa[i].name != fb[i].name || !same_type(a, fa[i].type, b, fb[i].type, depth + 1))
          return false;
      return true;
    }
    default:
      return true;
  }
}
}  // namespace

bool Encoding::same_facts(const Bundle& a, std::uint32_t action_a, const Bundle& b,
                          std::uint32_t action_b) {
  const auto &fa = a.structs[a.actions[action_a].facts].fields,
             &fb = b.structs[b.actions[action_b].facts].fields;
  if (fa.size() != fb.size()) return false;
  for (std::size_t i = 0; i < fa.size(); ++i)
    if (fa[i].name != fb[i].name || !same_type(a, fa[i].type, b, fb[i].type, 0)) return false;
  return true;
}

z3::context& Encoding::ctx() {
  return impl_->ctx;
}
const checked::Program& Encoding::program() const {
  return impl_->p;
}
std::uint32_t Encoding::action() const {
  return impl_->action;
}
z3::expr Encoding::domain() const {
  return z3::mk_and(impl_->constraints);
}
z3::expr Encoding::bounds() const {
  return z3::mk_and(impl_->bounds);
}
z3::expr Encoding::tidy() const {
  return z3::mk_and(impl_->tidy);
}
const z3::expr& Encoding::as_of() const {
  return impl_->as_of;
}
const Term& Encoding::facts() const {
  return impl_->facts;
}
const std::map<std::pair<std::uint32_t, std::uint32_t>, z3::expr>& Encoding::item_switches() const {
  return impl_->switches;
}
const std::vector<std::string>& Encoding::texts() const {
  return impl_->texts;
}

z3::expr Encoding::in_force(std::uint32_t rule) const {
  const auto& r = impl_->d.rules[rule];
  const auto& pol = impl_->d.policies[r.policy];
  z3::expr out = impl_->ctx.bool_val(true);
  for (auto [from, until] : {std::pair{r.from, r.until}, std::pair{pol.from, pol.until}}) {
    if (from != ir::kNoDate) out = out && impl_->as_of >= from;
    if (until != ir::kNoDate) out = out && impl_->as_of <= until;
  }
  return out;
}

Condition Encoding::condition(std::uint32_t rule) {
  auto& impl = *impl_;
  if (auto it = impl.conditions.find(rule); it != impl.conditions.end()) return it->second;
  Truth t{impl.ctx.bool_val(true), impl.ctx.bool_val(false)};
  std::vector<unsigned> used;
  impl.calendar.collect(&used);
  const auto& body = impl.p.rules[rule];
  if (body.when) t = impl.truth(impl.expr(*body.when));
  impl.calendar.collect(nullptr);
  std::sort(used.begin(), used.end());
  used.erase(std::unique(used.begin(), used.end()), used.end());
  z3::expr_vector parts(impl.ctx);
  for (unsigned i : used) parts.push_back(impl.aux[static_cast<int>(i)]);
  Condition c{t.t, t.f, z3::mk_and(parts)};
  impl.conditions.emplace(rule, c);
  return c;
}

z3::expr Encoding::applies(std::uint32_t rule) {
  Condition c = condition(rule);
  return in_force(rule) && c.aux && c.t;
}

z3::expr Encoding::active(std::uint32_t rule) {
  z3::expr out = applies(rule);
  for (std::uint32_t e : impl_->d.rules[rule].exceptions) out = out && !applies(e);
  return out;
}

std::vector<std::pair<const ast::Expr*, z3::expr>> Encoding::conjuncts(std::uint32_t rule) {
  auto& impl = *impl_;
  std::vector<std::pair<const ast::Expr*, z3::expr>> out;
  const ast::Expr* when = impl.p.rules[rule].when;
  if (!when) return out;
  std::vector<const ast::Expr*> parts;
  if (when->kind == ast::ExprKind::And)
    for (const auto& k : when->kids) parts.push_back(k.get());
  else
    parts.push_back(when);
  for (const ast::Expr* part : parts) {
    std::vector<unsigned> used;
    impl.calendar.collect(&used);
    Truth t = impl.truth(impl.expr(*part));
    impl.calendar.collect(nullptr);
    z3::expr_vector aux(impl.ctx);
    for (unsigned i : used) aux.push_back(impl.aux[static_cast<int>(i)]);
    out.emplace_back(part, z3::mk_and(aux) && t.t);
  }
  return out;
}

z3::model Encoding::complete(const z3::model& model) const {
  z3::model full(impl_->ctx);
  for (const auto& v : impl_->vars) {
    z3::func_decl decl = v.decl();
    z3::expr value = model.eval(v, true);
    full.add_const_interp(decl, value);
  }
  impl_->calendar.complete(full);
  return full;
}

z3::solver Encoding::solver(unsigned seed) {
  z3::context& c = impl_->ctx;
  // Year = 1600 + 4q + r and the like: eliminating equalities first roughly halves solving time.
  z3::solver s =
      (z3::tactic(c, "simplify") & z3::tactic(c, "solve-eqs") & z3::tactic(c, "smt")).mk_solver();
  z3::params params(c);
  params.set("timeout", impl_->options.timeout_ms);
  if (seed) params.set("random_seed", seed);
  s.set(params);
  return s;
}

z3::expr Encoding::fix(const z3::model& model) const {
  z3::expr_vector parts(impl_->ctx);
  for (const auto& v : impl_->vars) parts.push_back(v == model.eval(v, true));
  return z3::mk_and(parts);
}

boost::json::object Encoding::request(const z3::model& m, const std::string& policy) const {
  const auto& impl = *impl_;
  boost::json::object facts;
  const auto& fields = impl.d.structs[impl.d.actions[impl.action].facts].fields;
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (m.eval(impl.facts.fields[i].some, true).is_true())
      facts[fields[i].name] = impl.value(m, impl.facts.fields[i], fields[i].type);
  return {{"action", impl.d.actions[impl.action].name},
          {"policy", policy},
          {"as_of", Date{static_cast<std::int32_t>(int_of(m, impl.as_of))}.to_string()},
          {"facts", std::move(facts)}};
}

}  // namespace xy::analysis
