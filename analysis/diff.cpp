// `xy diff`: one symbolic request decided by both versions of a set. Outcomes are ranked (check:
// deny < not_permitted < permit; review: 不能 < 不宜 < 通过) and the solver is asked for requests
// the new version ranks higher and lower; each one found is decided by both runtimes.
#include "xiangyue/analysis/diff.h"

#include "xiangyue/runtime/engine.h"
#include "xiangyue/runtime/vocabulary.h"

namespace xy::analysis {

namespace {

int rank_of(ir::Outcome o) {
  switch (o) {
    case ir::Outcome::Deny:
    case ir::Outcome::Reject:
      return 0;
    case ir::Outcome::NotPermitted:
    case ir::Outcome::Refer:
      return 1;
    case ir::Outcome::Permit:
    case ir::Outcome::Pass:
      return 2;
    default:
      return -1;  // indeterminate
  }
}

// One side: its encoding, the rules of the policy for the action, its rank as a formula, and
// what makes a request decided on it (in force, no rule unknown).
struct Side {
  Encoding& enc;
  const Bundle& bundle;
  std::uint32_t policy;
  std::vector<std::uint32_t> rules;
  z3::expr rank, decided;

  Side(Encoding& e, const Bundle& b, std::uint32_t pol, std::uint32_t action)
      : enc(e), bundle(b), policy(pol), rank(e.ctx().int_val(0)), decided(e.ctx().bool_val(true)) {
    const auto& d = e.program().decls;
    for (std::uint32_t r = 0; r < d.rules.size(); ++r)
      if (d.rules[r].policy == pol && d.rules[r].action == action) rules.push_back(r);
    const auto& p = d.policies[pol];
    bool check = p.kind == ir::Kind::Check;
    z3::context& c = e.ctx();
    z3::expr strong = c.bool_val(false), weak = c.bool_val(false);
    for (auto r : rules) {
      auto cond = e.condition(r);
      decided = decided && cond.aux && (!e.in_force(r) || cond.t || cond.f);
      auto effect = d.rules[r].effect;
      if (effect == (check ? ir::Effect::Forbid : ir::Effect::Reject))
        strong = strong || e.active(r);
      if (effect == (check ? ir::Effect::Permit : ir::Effect::Refer)) weak = weak || e.active(r);
    }
    int fallback = rank_of(p.fallback);
    rank =
        z3::ite(strong, c.int_val(0), z3::ite(weak, c.int_val(check ? 2 : 1), c.int_val(fallback)));
    if (p.from != ir::kNoDate) decided = decided && e.as_of() >= p.from;
    if (p.until != ir::kNoDate) decided = decided && e.as_of() <= p.until;
  }
};

DiffSide decide(const Bundle& b, const std::string& json, std::optional<ir::Outcome>* outcome,
                std::string* error) {
  DiffSide out;
  auto parsed = parse_fitting_request(b, json, std::nullopt, Date::today());
  if (!parsed) {
    *error = parsed.error().message.en;
    return out;
  }
  Evaluator evaluator(b);
  Decision d = evaluator.decide(*parsed);
  *outcome = d.outcome;
  out.outcome = outcome_name(d.outcome);
  for (const auto& reason : d.reasons) {
    const auto& rule = b.rules[reason.rule];
    if (std::find(out.rules.begin(), out.rules.end(), rule.id) != out.rules.end()) continue;
    out.rules.push_back(rule.id);
    out.citations.push_back(rule.citation == ir::kNone ? "" : b.citations[rule.citation].cite);
  }
  return out;
}

}  // namespace

DiffReport diff(const checked::Program& old_program, const Bundle& old_bundle,
                const checked::Program& new_program, const Bundle& new_bundle,
                const Options& old_options, const Options& new_options) {
  DiffReport report;
  report.set_bound = old_options.set_bound;
  const auto &od = old_program.decls, &nd = new_program.decls;
  // Every (action, policy) that decides on either side, by name, in the old set's order first.
  std::vector<std::pair<std::string, std::string>> pairs;
  auto collect = [&](const Bundle& d) {
    auto add = [&](std::uint32_t action, std::uint32_t policy) {
      std::pair key{d.actions[action].name, d.policies[policy].name};
      if (std::find(pairs.begin(), pairs.end(), key) == pairs.end()) pairs.push_back(key);
    };
    for (const auto& r : d.rules) add(r.action, r.policy);
    // A policy's `for` action is decided by it even with no rules (its default).
    for (std::uint32_t p = 0; p < d.policies.size(); ++p)
      if (d.policies[p].target != ir::kNone) add(d.policies[p].target, p);
  };
  collect(od);
  collect(nd);
  auto find = [](const Bundle& d, const std::string& action, const std::string& policy,
                 std::uint32_t& a, std::uint32_t& p) {
    a = p = ir::kNone;
    for (std::uint32_t i = 0; i < d.actions.size(); ++i)
      if (d.actions[i].name == action) a = i;
    for (std::uint32_t i = 0; i < d.policies.size(); ++i)
      if (d.policies[i].name == policy) p = i;
    if (a == ir::kNone || p == ir::kNone) return false;
    if (d.policies[p].target == a) return true;
    for (const auto& r : d.rules)
      if (r.action == a && r.policy == p) return true;
    return false;
  };
  for (const auto& [action, policy] : pairs) {
    DiffEntry entry{action, policy, "", false, {}};
    std::uint32_t oa, op, na, np;
    bool in_old = find(od, action, policy, oa, op), in_new = find(nd, action, policy, na, np);
    if (!in_old || !in_new) {
      entry.verdict = in_old ? "only_old" : "only_new";
      report.entries.push_back(std::move(entry));
      continue;
    }
    entry.review = od.policies[op].kind == ir::Kind::Review;
    if (!Encoding::same_facts(od, oa, nd, na) || od.policies[op].kind != nd.policies[np].kind) {
      entry.verdict =
          od.policies[op].kind != nd.policies[np].kind ? "kind_changed" : "facts_changed";
      report.entries.push_back(std::move(entry));
      continue;
    }
    auto made = Encoding::make_pair(old_program, oa, old_options, new_program, na, new_options);
    if (!made) {
      entry.verdict = "undecided";
      report.entries.push_back(std::move(entry));
      continue;
    }
    Encoding &eo = *made->first, &en = *made->second;
    Side before(eo, old_bundle, op, oa), after(en, new_bundle, np, na);
    z3::expr common = eo.domain() && before.decided && after.decided;
    bool up = false, down = false, unknown = false;
    for (bool higher : {true, false}) {
      z3::expr differs = higher ? after.rank > before.rank : after.rank < before.rank;
      z3::solver s = eo.solver();
      s.add(common && eo.bounds() && differs);
      // A tidy example when there is one (whole numbers from 0, dates in this century).
      s.push();
      s.add(eo.tidy());
      z3::check_result r = s.check();
      if (r != z3::sat) {
        s.pop();
        r = s.check();
      }
      if (r == z3::unsat) {
        // Beyond the bounds examples are drawn from: a difference there still counts (no example).
        z3::solver wide = eo.solver();
        wide.add(common && differs);
        z3::check_result w = wide.check();
        if (w == z3::sat) (higher ? up : down) = true;
        if (w == z3::unknown) unknown = true;
        continue;
      }
      if (r == z3::unknown) unknown = true;
      if (r != z3::sat) continue;
      (higher ? up : down) = true;
      z3::model m = s.get_model();
      // The same facts; each version decides as of its own date.
      std::string old_json = boost::json::serialize(eo.request(m, policy));
      std::string new_json = boost::json::serialize(en.request(m, policy));
      std::optional<ir::Outcome> o1, o2;
      std::string error;
      DiffExample ex{new_json, decide(old_bundle, old_json, &o1, &error),
                     decide(new_bundle, new_json, &o2, &error)};
      int r1 = o1 ? rank_of(*o1) : -1, r2 = o2 ? rank_of(*o2) : -1;
      if (!error.empty() || r1 < 0 || r2 < 0 || (higher ? r2 <= r1 : r2 >= r1))
        report.disagreements.push_back(action + " / " + policy + ": the runtimes decide " +
                                       new_json + " as " + ex.before.outcome + " → " +
                                       ex.after.outcome +
                                       (error.empty() ? "" : " (" + error + ")"));
      else
        entry.examples.push_back(std::move(ex));
    }
    entry.verdict = unknown      ? "undecided"
                    : up && down ? "incomparable"
                    : up         ? "more_permissive"
                    : down       ? "less_permissive"
                                 : "equivalent";
    if (entry.verdict == "equivalent") {
      // Unless no request is decided by both (periods, the dates asked about): then nothing
      // was compared.
      auto can = [&](const z3::expr& q) {
        z3::solver s = eo.solver();
        s.add(q);
        return s.check();
      };
      if (can(common) == z3::unsat) {
        bool old_alone = can(eo.domain() && before.decided) != z3::unsat;
        bool new_alone = can(eo.domain() && after.decided) != z3::unsat;
        entry.verdict = old_alone && new_alone ? "no_common_date"
                        : old_alone            ? "only_old"
                        : new_alone            ? "only_new"
                                               : "not_in_force";
      }
    }
    report.entries.push_back(std::move(entry));
  }
  return report;
}

}  // namespace xy::analysis
