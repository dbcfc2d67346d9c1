// Decides each collated candidate with the runtime, as `xy check` would decide its request.
#include "xiangyue/review/decide.h"

#include "xiangyue/runtime/vocabulary.h"

namespace xy::review {

namespace json = boost::json;

Decider::Decider(const Bundle& bundle, std::string policy, Date as_of)
    : bundle_(bundle),
      policy_(std::move(policy)),
      as_of_(as_of),
      evaluator_(std::make_unique<Evaluator>(bundle)) {}

Decider::~Decider() = default;

Decided Decider::decide(const Candidate& candidate, const checked::Returns& returns,
                        const std::function<void(const Request&, const Decision&,
                                                 const std::string&, const std::string&)>& record) {
  Decided out;
  json::object req{{"action", bundle_.actions[returns.action].name},
                   {"as_of", as_of_.to_string()},
                   {"policy", policy_},
                   {"facts", candidate.facts}};
  out.request = json::serialize(req);
  auto parsed = parse_fitting_request(bundle_, out.request, std::nullopt, as_of_);
  if (!parsed) {
    out.refused = parsed.error().message;
    return out;
  }
  evaluator_->decide(*parsed, scratch_);
  out.outcome = scratch_.outcome;
  out.decision = decision_json(bundle_, *parsed, scratch_);
  for (const auto& r : scratch_.reasons) {
    const auto& rule = bundle_.rules[r.rule];
    out.findings.push_back(
        {rule.id, rule.effect, r.text,
         rule.citation == ir::kNone ? "" : bundle_.citations[rule.citation].cite});
  }
  for (const auto& m : scratch_.missing)
    if (m.path != ir::kNone && m.path < bundle_.paths.size())
      out.missing.push_back(bundle_.paths[m.path]);
  if (record) record(*parsed, scratch_, out.request, out.decision);
  return out;
}

Result<std::uint32_t, Localized> policy_for(const Bundle& bundle, const checked::Returns& returns,
                                            const std::string& name) {
  using R = Result<std::uint32_t, Localized>;
  std::string names, names_zh;
  for (std::uint32_t p = 0; p < bundle.policies.size(); ++p) {
    const auto& pol = bundle.policies[p];
    if (pol.kind != ir::Kind::Review || !pol.by_action.count(returns.action)) continue;
    if (pol.name == name) return p;
    names += (names.empty() ? "" : ", ") + pol.name;
    names_zh += (names_zh.empty() ? "" : "、") + pol.name;
  }
  const std::string& action = bundle.actions[returns.action].name;
  if (names.empty())
    return R::failure(
        {"no review policy decides `" + action + "`", "没有审查类政策裁决「" + action + "」"});
  return R::failure(
      {"no review policy `" + name + "` decides `" + action + "`; there are: " + names,
       "没有裁决「" + action + "」的审查类政策「" + name + "」；现有：" + names_zh});
}

}  // namespace xy::review
