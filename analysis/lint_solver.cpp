// The lint checks the solver answers, per action and policy: rules that never apply (with the
// parts of the condition that conflict), exceptions that cannot meet their rule, permissions
// always overridden, findings always outranked, permit/forbid conflicts, subsumed rules.
#include <algorithm>
#include <map>

#include "lint_context.h"
#include "xiangyue/runtime/vocabulary.h"

namespace xy::analysis {

namespace {

bool has(const std::vector<std::uint32_t>& v, std::uint32_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

class PolicyChecks {
 public:
  PolicyChecks(LintContext& cx, Encoding& enc, std::uint32_t policy,
               std::vector<std::uint32_t> rules)
      : cx_(cx),
        enc_(enc),
        d_(cx.p.decls),
        policy_(policy),
        rules_(std::move(rules)),
        base_(enc.domain()) {
    // Whether a request of this action can hold a set anywhere.
    std::vector<std::uint32_t> todo{d_.actions[enc.action()].facts}, seen;
    while (!todo.empty()) {
      std::uint32_t st = todo.back();
      todo.pop_back();
      if (has(seen, st)) continue;
      seen.push_back(st);
      for (const auto& f : d_.structs[st].fields) {
        const ir::Type* t = &d_.types[f.type];
        if (t->kind == ir::TypeKind::Set) has_sets_ = true, t = &d_.types[t->ref];
        if (t->kind == ir::TypeKind::Struct) todo.push_back(t->ref);
      }
    }
    const auto& pol = d_.policies[policy_];
    if (pol.from != ir::kNoDate) base_ = base_ && enc.as_of() >= pol.from;
    if (pol.until != ir::kNoDate) base_ = base_ && enc.as_of() <= pol.until;
  }

  // What a claim that no request exists rests on, when the action's facts hold sets.
  Localized bounded(Localized m) const {
    if (!has_sets_) return m;
    std::string n = std::to_string(cx_.options.set_bound);
    m.en += " (with sets of at most " + n + " elements; --set-bound)";
    m.zh += "（集合至多 " + n + " 个元素；--set-bound）";
    return m;
  }

  void run() {
    for (auto r : rules_) never_applies(r);
    for (auto r : rules_) exception_meets_base(r);
    if (d_.policies[policy_].kind == ir::Kind::Check) {
      for (auto r : rules_)
        if (d_.rules[r].effect == ir::Effect::Permit) outranked(r, ir::Effect::Forbid);
      conflicts();
    } else {
      for (auto r : rules_)
        if (d_.rules[r].effect == ir::Effect::Refer) outranked(r, ir::Effect::Reject);
    }
    subsumed();
  }

 private:
  // Asks whether `q` can hold in some request; the model when it can. Asked first within the
  // tidy ranges (when a model is wanted), then within the bounds examples are drawn from; when no
  // request there meets it, asked again without them, so that nothing is claimed impossible that
  // only lies beyond them (then there is no model).
  z3::check_result ask(const z3::expr& q, std::optional<z3::model>* model = nullptr) {
    ++cx_.report.questions;
    if (!solver_) {
      // One incremental solver per policy: the request's domain asserted once, each question
      // pushed and popped.
      solver_.emplace(enc_.ctx());
      z3::params params(enc_.ctx());
      params.set("timeout", cx_.options.timeout_ms);
      solver_->set(params);
      solver_->add(base_);
    }
    z3::solver& s = *solver_;
    if (model) {
      // A tidy example when there is one (whole numbers from 0, dates in this century).
      s.push();
      s.add(enc_.tidy() && enc_.bounds() && q);
      bool found = s.check() == z3::sat;
      if (found) model->emplace(s.get_model());
      s.pop();
      if (found) return z3::sat;
    }
    z3::check_result r = z3::unknown;
    for (bool bounded : {true, false}) {
      s.push();
      s.add(bounded ? enc_.bounds() && q : q);
      r = s.check();
      if (r == z3::sat && model && bounded) model->emplace(s.get_model());
      if (r == z3::unknown)
        cx_.report.undecided.push_back(
            {"a question about `" + d_.policies[policy_].name + "` (" + s.reason_unknown() + ")",
             "关于「" + d_.policies[policy_].name + "」的一个问题（" + s.reason_unknown() + "）"});
      s.pop();
      if (r != z3::unsat) break;
    }
    return r;
  }

  // Requests already found where a rule applies (completed models): a question one of them
  // answers needs no solver.
  bool witnessed(std::uint32_t r, const z3::expr& q, std::optional<z3::model>* model = nullptr) {
    for (const auto& w : witnesses_[r])
      if (w.eval(q, true).is_true()) {
        if (model) model->emplace(w);
        return true;
      }
    return false;
  }
  void witness(std::uint32_t r, const z3::model& m) {
    if (witnesses_[r].size() < 8) witnesses_[r].push_back(enc_.complete(m));
  }

  bool never(std::uint32_t r) const { return std::count(never_.begin(), never_.end(), r) > 0; }

  // Whether one is an exception to the other, directly or through others.
  bool related(std::uint32_t a, std::uint32_t b) const {
    for (auto [x, y] : {std::pair{a, b}, std::pair{b, a}})
      for (std::uint32_t at = d_.rules[x].base, steps = 0; at != ir::kNone && steps < 1000;
           at = d_.rules[at].base, ++steps)
        if (at == y) return true;
    return false;
  }

  void never_applies(std::uint32_t r) {
    std::optional<z3::model> model;
    if (ask(enc_.applies(r), &model) != z3::unsat) {
      if (model) witness(r, *model);
      return;
    }
    never_.push_back(r);
    Finding& f =
        cx_.add(Severity::warning, "W0701", cx_.span(r),
                {"rule `" + cx_.id(r) + "` can never apply: no request meets its condition" +
                     (cx_.options.as_of ? " on " + cx_.options.as_of->to_string() : "") +
                     " within its effective period",
                 "规则「" + cx_.id(r) + "」永远不会适用：" +
                     (cx_.options.as_of ? cx_.options.as_of->to_string() + " " : std::string()) +
                     "在其生效期间内没有任何请求满足它的条件"});
    f.diagnostic.message = bounded(f.diagnostic.message);
    if (ask(enc_.in_force(r)) == z3::unsat) {
      f.diagnostic.help =
          Localized{"its effective period does not overlap its policy's (or the date asked about)",
                    "它的生效期间与所属政策的生效期间（或所查询的日期）没有交集"};
      return;
    }
    // The parts of the condition that cannot hold together (an unsat core over its `and`s).
    auto parts = enc_.conjuncts(r);
    z3::context& c = enc_.ctx();
    z3::solver s(c);
    z3::params params(c);
    params.set("timeout", cx_.options.timeout_ms);
    params.set("core.minimize", true);
    s.set(params);
    s.add(base_ && enc_.in_force(r));
    z3::expr_vector marks(c);
    for (std::size_t i = 0; i < parts.size(); ++i) {
      z3::expr mark = c.bool_const(("part" + std::to_string(i)).c_str());
      s.add(z3::implies(mark, parts[i].second));
      marks.push_back(mark);
    }
    if (s.check(marks) != z3::unsat) return;
    z3::expr_vector core = s.unsat_core();
    for (std::size_t i = 0; i < parts.size(); ++i) {
      bool in = false;
      for (unsigned k = 0; k < core.size(); ++k) in = in || z3::eq(core[k], marks[i]);
      if (!in) continue;
      f.diagnostic.notes.push_back(
          {parts[i].first->span,
           core.size() == 1 ? Localized{"this part can never be true", "这一部分不可能成立"}
                            : Localized{"this part conflicts with the other marked parts",
                                        "这一部分与其他标出的部分相互矛盾"}});
    }
  }

  void exception_meets_base(std::uint32_t e) {
    std::uint32_t b = d_.rules[e].base;
    if (b == ir::kNone || never(e) || never(b)) return;
    if (ask(enc_.applies(e) && enc_.applies(b)) != z3::unsat) return;
    Finding& f = cx_.add(Severity::warning, "W0703", cx_.span(e),
                         {"the exception `" + cx_.id(e) + "` can never apply to `" + cx_.id(b) +
                              "`: no request meets both conditions",
                          "例外「" + cx_.id(e) + "」永远不会作用于「" + cx_.id(b) +
                              "」：没有请求同时满足两者的条件"});
    f.diagnostic.message = bounded(f.diagnostic.message);
    f.diagnostic.notes.push_back({cx_.span(b), {"the rule it names", "它所指的规则"}});
  }

  // A permission every prohibition outranks, or a `不宜` every `不能` does.
  void outranked(std::uint32_t r, ir::Effect stronger) {
    if (never(r)) return;
    z3::expr none_stronger = enc_.ctx().bool_val(true);
    std::vector<std::uint32_t> strong;
    for (auto s : rules_)
      if (d_.rules[s].effect == stronger) {
        none_stronger = none_stronger && !enc_.active(s);
        strong.push_back(s);
      }
    if (strong.empty()) return;
    if (witnessed(r, enc_.active(r) && none_stronger)) return;
    std::optional<z3::model> model;
    if (ask(enc_.active(r) && none_stronger, &model) != z3::unsat) {
      if (model) witness(r, *model);
      return;
    }
    if (ask(enc_.active(r), &model) != z3::sat || !model) return;
    bool permit = stronger == ir::Effect::Forbid;
    Finding f;
    f.diagnostic.severity = Severity::warning;
    f.diagnostic.code = permit ? "W0702" : "W0705";
    f.diagnostic.span = cx_.span(r);
    f.diagnostic.message =
        permit ? Localized{"the permission `" + cx_.id(r) +
                               "` is always overridden: wherever it applies, a prohibition "
                               "applies too and no exception sets that aside",
                           "许可「" + cx_.id(r) +
                               "」总被推翻：凡它适用之处，都有禁止性规则适用，"
                               "且没有例外将其排除"}
               : Localized{"the finding `" + cx_.id(r) +
                               "` (refer) only applies where a reject finding applies too, which "
                               "decides",
                           "「" + cx_.id(r) +
                               "」（不宜）只在某条「不能」也适用时才适用，结论总由后者决定"};
    f.diagnostic.message = bounded(f.diagnostic.message);
    std::uint32_t rule = r;
    auto outcome = permit ? ir::Outcome::Deny : ir::Outcome::Reject;
    if (!cx_.example(
            enc_, enc_.complete(*model), d_.policies[policy_].name, f,
            [&](const Decision& dec) { return dec.outcome == outcome && has(dec.fired, rule); }))
      return;
    for (std::uint32_t by : f.deciding)
      f.diagnostic.notes.push_back(
          {cx_.span(by), permit ? Localized{"the prohibition that decides the example",
                                            "在示例中作出裁决的禁止性规则"}
                                : Localized{"the reject finding that decides the example",
                                            "在示例中作出结论的「不能」"}});
    cx_.report.findings.push_back(std::move(f));
  }

  // Per permission, the prohibitions it can meet with no exception between them (one note, with
  // an example for the first).
  void conflicts() {
    for (auto p : rules_) {
      if (d_.rules[p].effect != ir::Effect::Permit || never(p)) continue;
      std::vector<std::uint32_t> met;
      std::optional<z3::model> first;
      for (auto f : rules_) {
        if (d_.rules[f].effect != ir::Effect::Forbid || never(f) || related(p, f)) continue;
        std::optional<z3::model> model;
        z3::expr both = enc_.active(p) && enc_.active(f);
        if (!witnessed(p, both, &model) && !witnessed(f, both, &model)) {
          if (ask(both, &model) != z3::sat || !model) continue;
          model = enc_.complete(*model);
        }
        met.push_back(f);
        if (!first) first = model;
      }
      if (met.empty()) continue;
      std::string names, names_zh;
      for (auto f : met) {
        names += (names.empty() ? "`" : ", `") + cx_.id(f) + "`";
        names_zh += (names_zh.empty() ? "「" : "、「") + cx_.id(f) + "」";
      }
      Finding finding;
      finding.diagnostic.severity = Severity::note;
      finding.diagnostic.code = "I0704";
      finding.diagnostic.span = cx_.span(p);
      finding.diagnostic.message = {
          "`" + cx_.id(p) + "` (permit) and " + names +
              " (forbid) both apply to some requests, with no exception between them: the "
              "prohibition decides",
          "「" + cx_.id(p) + "」（允许）与" + names_zh +
              "（禁止）对某些请求同时适用，二者之间没有例外关系：由禁止决定"};
      for (auto f : met)
        finding.diagnostic.notes.push_back({cx_.span(f), {"a prohibition", "禁止性规则"}});
      std::uint32_t f0 = met.front();
      if (!cx_.example(enc_, *first, d_.policies[policy_].name, finding, [&](const Decision& dec) {
            return dec.outcome == ir::Outcome::Deny && has(dec.fired, p) && has(dec.fired, f0);
          }))
        continue;
      cx_.report.findings.push_back(std::move(finding));
    }
  }

  void subsumed() {
    for (std::size_t i = 0; i < rules_.size(); ++i) {
      for (std::size_t j = i + 1; j < rules_.size(); ++j) {
        std::uint32_t a = rules_[i], b = rules_[j];
        // An exception is there to set its rule aside, not to decide alone: not compared.
        if (d_.rules[a].effect != d_.rules[b].effect || never(a) || never(b) ||
            d_.rules[a].base != ir::kNone || d_.rules[b].base != ir::kNone || related(a, b))
          continue;
        auto inside = [&](std::uint32_t x, std::uint32_t y) {
          z3::expr outside = enc_.active(x) && !enc_.active(y);
          if (witnessed(x, outside)) return false;
          std::optional<z3::model> model;
          z3::check_result r = ask(outside, &model);
          if (model) witness(x, *model);
          return r == z3::unsat;
        };
        bool a_in_b = inside(a, b);
        bool b_in_a = inside(b, a);
        if (!a_in_b && !b_in_a) continue;
        std::uint32_t small = a_in_b && !b_in_a ? a : b, large = small == a ? b : a;
        Finding& f = cx_.add(
            Severity::warning, "W0706", cx_.span(small),
            a_in_b && b_in_a
                ? Localized{"`" + cx_.id(small) + "` applies exactly where `" + cx_.id(large) +
                                "` does, with the same effect: one of them is a duplicate",
                            "「" + cx_.id(small) + "」与「" + cx_.id(large) +
                                "」适用的情形完全相同、效果相同：其中一条是重复的"}
                : Localized{"`" + cx_.id(small) + "` only applies where `" + cx_.id(large) +
                                "` applies too, with the same effect: it is subsumed",
                            "「" + cx_.id(small) + "」只在「" + cx_.id(large) +
                                "」也适用时才适用，且效果相同：它被后者包含"});
        f.diagnostic.message = bounded(f.diagnostic.message);
        f.diagnostic.notes.push_back({cx_.span(large), {"the other rule", "另一条规则"}});
      }
    }
  }

  LintContext& cx_;
  Encoding& enc_;
  const Bundle& d_;
  std::uint32_t policy_;
  std::vector<std::uint32_t> rules_;
  z3::expr base_;
  std::vector<std::uint32_t> never_;
  std::optional<z3::solver> solver_;
  bool has_sets_ = false;
  std::map<std::uint32_t, std::vector<z3::model>> witnesses_;
};

}  // namespace

void solver_checks(LintContext& cx) {
  const auto& d = cx.p.decls;
  for (std::uint32_t a = 0; a < d.actions.size(); ++a) {
    std::vector<std::vector<std::uint32_t>> by_policy(d.policies.size());
    bool any = false;
    for (std::uint32_t r = 0; r < d.rules.size(); ++r)
      if (d.rules[r].action == a) by_policy[d.rules[r].policy].push_back(r), any = true;
    if (!any) continue;
    auto made = Encoding::make(cx.p, a, cx.options);
    if (!made) {
      cx.report.undecided.push_back(made.error());
      continue;
    }
    for (std::uint32_t pol = 0; pol < d.policies.size(); ++pol)
      if (!by_policy[pol].empty()) PolicyChecks(cx, **made, pol, by_policy[pol]).run();
  }
}

}  // namespace xy::analysis
