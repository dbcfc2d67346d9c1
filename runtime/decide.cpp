// Combining: which rules are in force and active, exceptions, outcomes, reasons and missing facts.
#include <algorithm>

#include "eval_state.h"

namespace xy {

Evaluator::Evaluator(const Bundle& bundle) : s_(std::make_unique<State>(bundle)) {}
Evaluator::~Evaluator() = default;

namespace {

std::string render_reason(Evaluator::State& s, const ir::Rule& rule) {
  // (the quantifier slots hold the element the reason is about)
  std::string out;
  out.reserve(128);
  for (const auto& piece : rule.because) {
    if (piece.node == ir::kNone) {
      out += piece.text;
      continue;
    }
    if (!piece.masked) {
      append_value(out, s.b, s.eval(piece.node), piece.type);
      continue;
    }
    std::string clear;
    append_value(clear, s.b, s.eval(piece.node), piece.type);
    out += partly_hidden(clear);
  }
  return out;
}

// The `any` quantifier a rule's condition rests on (the condition itself, or one side of its
// top-level `and`s), whose every satisfying element deserves its own reason; kNone if none.
std::uint32_t witness_quantifier(const Bundle& b, std::uint32_t node, int depth = 0) {
  if (node == ir::kNone || depth > 32) return ir::kNone;
  const ir::Node& n = b.nodes[node];
  if (n.op == ir::Op::Any) return node;
  if (n.op != ir::Op::And) return ir::kNone;
  std::uint32_t left = witness_quantifier(b, n.a, depth + 1);
  return left != ir::kNone ? left : witness_quantifier(b, n.b, depth + 1);
}

// One reason per applicable finding: a rule that holds for several records of a set (two
// convictions, three unlawful clauses) names each of them.
void add_reasons(Evaluator::State& s, const ir::Rule& rule, std::uint32_t r,
                 std::vector<Reason>& out) {
  std::uint32_t q = rule.because.empty() ? ir::kNone : witness_quantifier(s.b, rule.cond);
  if (q == ir::kNone) {
    out.push_back({r, render_reason(s, rule)});
    return;
  }
  const ir::Node& n = s.b.nodes[q];
  Value set = s.eval(n.a);
  std::size_t before = out.size();
  if (set.kind == ValueKind::Set && n.b != ir::kNone) {
    for (std::uint32_t i = 0; i < set.seq.size; ++i) {
      s.slots[n.slot] = set.seq.items[i];
      Value v = s.eval(n.b);
      if (v.kind == ValueKind::Bool && v.b) out.push_back({r, render_reason(s, rule)});
    }
  }
  if (out.size() == before) out.push_back({r, render_reason(s, rule)});
}

}  // namespace

void Evaluator::decide(const Request& request, Decision& out) {
  State& s = *s_;
  const Bundle& b = s.b;
  s.req = &request;
  s.scratch.clear();
  out.reasons.clear();
  out.overridden.clear();
  out.missing.clear();
  out.fired.clear();
  out.unknown.clear();
  out.policy = request.policy;
  out.action = request.action;
  out.as_of = request.as_of;
  out.by_default = false;

  const ir::Policy& policy = b.policies[request.policy];
  static const std::vector<std::uint32_t> kNoRules;
  auto it = policy.by_action.find(request.action);
  const auto& rules = it == policy.by_action.end() ? kNoRules : it->second;

  // Strongest effect seen as definitely active (T) and as possibly active (U), by effect.
  for (std::uint32_t r : rules) s.status[r] = kFalse;  // no status survives from another decision
  bool t_hit[5] = {false, false, false, false, false};
  bool u_hit[5] = {false, false, false, false, false};
  for (std::uint32_t r : rules) {
    const ir::Rule& rule = b.rules[r];
    std::uint8_t cond = kFalse;
    s.misses.clear();
    if (ir::in_period(rule.from, rule.until, request.as_of.days)) {
      if (rule.cond == ir::kNone) {
        cond = kTrue;
      } else {
        Value v = s.eval(rule.cond);
        cond = v.kind == ValueKind::Bool ? (v.b ? kTrue : kFalse) : kUnknown;
      }
    }
    // Catala-style: an exception whose condition holds sets its base aside, whether or not an
    // exception of its own sets it aside in turn (the most specific applicable rule decides).
    std::uint8_t overridden = kFalse;
    std::uint32_t by = ir::kNone;
    for (std::uint32_t e : rule.exceptions) {
      if (s.status[e] == kTrue) {
        overridden = kTrue;
        by = e;
        break;
      }
      if (s.status[e] == kUnknown) overridden = kUnknown;
    }
    s.status[r] = cond;
    if (cond == kTrue) out.fired.push_back(r);
    if (cond == kUnknown) out.unknown.push_back(r);
    std::uint8_t active = cond == kFalse || overridden == kTrue        ? kFalse
                          : cond == kUnknown || overridden == kUnknown ? kUnknown
                                                                       : kTrue;
    if (cond == kTrue && overridden == kTrue) out.overridden.push_back({r, by});
    auto effect = static_cast<std::size_t>(rule.effect);
    if (active == kTrue) {
      t_hit[effect] = true;
      add_reasons(s, rule, r, out.reasons);
    } else if (active == kUnknown) {
      u_hit[effect] = true;
      for (const Miss& m : s.misses) {
        auto found = std::find_if(
            out.missing.begin(), out.missing.end(),
            [&](const MissingFact& f) { return f.path == m.path && f.problem == m.problem; });
        if (found == out.missing.end()) {
          out.missing.push_back({m.path, m.problem, {r}});
        } else if (found->rules.empty() || found->rules.back() != r) {
          found->rules.push_back(r);
        }
      }
    }
  }

  using ir::Effect;
  using ir::Outcome;
  auto E = [](Effect e) { return static_cast<std::size_t>(e); };
  ir::Effect deciding = Effect::Pass;
  bool decided_by_rule = false;
  if (policy.kind == ir::Kind::Check) {
    if (t_hit[E(Effect::Forbid)]) {
      out.outcome = Outcome::Deny, deciding = Effect::Forbid, decided_by_rule = true;
    } else if (u_hit[E(Effect::Forbid)]) {
      out.outcome = Outcome::Indeterminate;
    } else if (t_hit[E(Effect::Permit)]) {
      out.outcome = Outcome::Permit, deciding = Effect::Permit, decided_by_rule = true;
    } else if (u_hit[E(Effect::Permit)]) {
      out.outcome = Outcome::Indeterminate;
    } else {
      out.outcome = policy.fallback;
      out.by_default = true;
    }
  } else {
    if (t_hit[E(Effect::Reject)]) {
      out.outcome = Outcome::Reject;
    } else if (u_hit[E(Effect::Reject)]) {
      out.outcome = Outcome::Indeterminate;
    } else if (t_hit[E(Effect::Refer)]) {
      out.outcome = Outcome::Refer;
    } else if (u_hit[E(Effect::Refer)]) {
      out.outcome = Outcome::Indeterminate;
    } else {
      out.outcome = policy.fallback;
      out.by_default = !t_hit[E(Effect::Pass)];
    }
  }
  // Rules are evaluated exceptions-first; they are reported in source order.
  std::sort(out.reasons.begin(), out.reasons.end(),
            [](const Reason& x, const Reason& y) { return x.rule < y.rule; });
  std::sort(out.overridden.begin(), out.overridden.end(),
            [](const Overridden& x, const Overridden& y) { return x.rule < y.rule; });
  for (auto& m : out.missing) std::sort(m.rules.begin(), m.rules.end());
  std::stable_sort(
      out.missing.begin(), out.missing.end(),
      [](const MissingFact& x, const MissingFact& y) { return x.rules[0] < y.rules[0]; });
  // A check names the rules of the deciding effect; a review lists every applicable finding.
  if (policy.kind == ir::Kind::Check && decided_by_rule) {
    out.reasons.erase(
        std::remove_if(out.reasons.begin(), out.reasons.end(),
                       [&](const Reason& r) { return b.rules[r.rule].effect != deciding; }),
        out.reasons.end());
  } else if (out.by_default) {
    out.reasons.clear();
  }
  s.req = nullptr;
}

}  // namespace xy
