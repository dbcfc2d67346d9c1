// Replay: a recorded request decided again under another bundle, as of the date it was decided,
// and compared with what was recorded; the report grouped by rule and by outcome.
#include "xiangyue/audit/replay.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <tuple>

#include "xiangyue/audit/facts_read.h"
#include "xiangyue/literals/literals.h"

namespace xy::audit {
namespace json = boost::json;

namespace {

constexpr int kMaxDepth = 1000;

const json::value* member(const json::value* v, std::string_view key) {
  const json::object* o = v ? v->if_object() : nullptr;
  return o ? o->if_contains(key) : nullptr;
}
std::string text_of(const json::value* v) {
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}
std::int64_t int_of(const json::value* v) {
  return v && v->is_int64() ? v->get_int64() : 0;
}
std::vector<std::string> strings_of(const json::value* v) {
  std::vector<std::string> out;
  if (v && v->is_array())
    for (const auto& x : v->get_array())
      if (x.is_string()) out.emplace_back(x.get_string());
  return out;
}

ReplayRule rule_of(const json::value& reason) {
  ReplayRule r;
  r.rule = text_of(member(&reason, "rule"));
  r.effect = text_of(member(&reason, "effect"));
  r.text = text_of(member(&reason, "text"));
  const json::value* basis = member(&reason, "basis");
  r.cite = text_of(member(basis, "cite"));
  r.quote = text_of(member(basis, "text"));
  const json::value* loc = member(&reason, "location");
  r.file = text_of(member(loc, "file"));
  r.line = int_of(member(loc, "line"));
  r.column = int_of(member(loc, "column"));
  return r;
}

// The deciding rules with their effects, sorted: two decisions differ when these or the outcomes
// differ (a finding whose effect changed is another finding).
std::vector<std::pair<std::string, std::string>> findings(const ReplaySide& s) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : s.rules) out.emplace_back(r.rule, r.effect);
  std::sort(out.begin(), out.end());
  return out;
}

// Every masked value becomes null: a fact that no new rule reads then counts as not given, and a
// key the new schema does not know is still refused.
void clear_masked(json::value& v, int depth) {
  if (depth > kMaxDepth) return;
  if (is_masked(v)) {
    v = nullptr;
  } else if (json::object* o = v.if_object()) {
    for (auto& kv : *o) clear_masked(kv.value(), depth + 1);
  } else if (json::array* a = v.if_array()) {
    for (auto& e : *a) clear_masked(e, depth + 1);
  }
}

void add_read(std::vector<MaskedRead>& out, const std::string& path, const std::string& rule) {
  auto it =
      std::find_if(out.begin(), out.end(), [&](const MaskedRead& m) { return m.path == path; });
  if (it == out.end()) it = out.insert(out.end(), MaskedRead{path, {}});
  if (!rule.empty() && std::find(it->rules.begin(), it->rules.end(), rule) == it->rules.end())
    it->rules.push_back(rule);
}

Localized masked_detail(const std::vector<MaskedRead>& masked) {
  Localized out;
  for (std::size_t i = 0; i < masked.size(); ++i) {
    std::string rules;
    for (const auto& r : masked[i].rules) rules += (rules.empty() ? "" : ", ") + r;
    out.en += (i ? "; " : "") + masked[i].path + (rules.empty() ? "" : " (" + rules + ")");
    out.zh += (i ? "；" : "") + masked[i].path + (rules.empty() ? "" : "（" + rules + "）");
  }
  return out;
}

}  // namespace

bool decides(const ReplaySide& side, const ReplayRule& rule) {
  return std::any_of(side.rules.begin(), side.rules.end(), [&](const ReplayRule& r) {
    return r.rule == rule.rule && r.effect == rule.effect;
  });
}

std::optional<ReplaySide> replay_side(std::string_view decision_json) {
  boost::system::error_code ec;
  json::value d = json::parse(decision_json, ec);
  if (ec || !d.is_object()) return std::nullopt;
  ReplaySide s;
  s.outcome = text_of(member(&d, "outcome"));
  if (const json::value* b = member(&d, "by_default"); b && b->is_bool())
    s.by_default = b->get_bool();
  if (const json::value* reasons = member(&d, "reasons"); reasons && reasons->is_array())
    for (const auto& x : reasons->get_array()) s.rules.push_back(rule_of(x));
  if (const json::value* missing = member(&d, "missing"); missing && missing->is_array())
    for (const auto& x : missing->get_array())
      s.missing.push_back({text_of(member(&x, "fact")), text_of(member(&x, "problem")),
                           strings_of(member(&x, "rules"))});
  return s;
}

const char* no_replay_name(NoReplay why) {
  switch (why) {
    case NoReplay::MaskedFactsRead:
      return "masked_facts_read";
    case NoReplay::NoPolicy:
      return "no_policy";
    case NoReplay::DoesNotFit:
      return "does_not_fit";
    case NoReplay::Unreadable:
      return "unreadable";
  }
  return "unreadable";
}

Localized no_replay_label(NoReplay why) {
  switch (why) {
    case NoReplay::MaskedFactsRead:
      return {"the new rules read masked facts", "新规则读取已遮蔽的事实"};
    case NoReplay::NoPolicy:
      return {"no policy to decide it", "没有裁决它的政策"};
    case NoReplay::DoesNotFit:
      return {"the request does not fit the new schema", "请求不符合新的结构"};
    case NoReplay::Unreadable:
      break;
  }
  return {"the record cannot be read", "记录无法读取"};
}

Replayer::Replayer(const Bundle& bundle, std::optional<Date> as_of)
    : bundle_(bundle), as_of_(as_of), evaluator_(bundle) {}

const std::vector<std::string>& Replayer::reads(std::uint32_t rule) {
  auto [it, fresh] = reads_.try_emplace(rule);
  if (fresh) it->second = rule_reads(bundle_, rule);
  return it->second;
}

Replayed Replayer::replay(const Record& r) {
  ReplaySkip skip;
  skip.record = {r.seq, r.action, r.policy, r.as_of, r.bundle};
  skip.outcome = r.outcome;
  auto cannot = [&](NoReplay why, Localized detail) -> Replayed {
    skip.why = why;
    skip.detail = std::move(detail);
    return std::move(skip);
  };
  auto recorded = lit::parse_date(r.as_of);
  if (!recorded)
    return cannot(NoReplay::Unreadable, {"the recorded as-of date `" + r.as_of + "` is not a date",
                                         "记录的基准日「" + r.as_of + "」不是日期"});
  Date day = as_of_.value_or(*recorded);
  auto before = replay_side(r.decision);
  if (!before)
    return cannot(NoReplay::Unreadable,
                  {"the recorded decision is not decision JSON", "记录的决定不是决定 JSON"});
  before->outcome = r.outcome;  // the column the filter searches
  boost::system::error_code ec;
  json::value request = json::parse(r.request, ec);
  json::object* req_obj = ec ? nullptr : request.if_object();
  if (!req_obj || !req_obj->contains("action")) {
    if (req_obj && req_obj->contains("unparsed"))
      return cannot(NoReplay::Unreadable,
                    {"the request was not kept: it could not be inspected for sensitive facts when "
                     "it was recorded",
                     "请求未存档：记录时无法检查其中的敏感事实"});
    return cannot(NoReplay::Unreadable,
                  {"the recorded request is not a JSON request", "记录的请求不是 JSON 请求"});
  }

  // The same policy decides again: the record's, by name.
  std::uint32_t p = ir::kNone;
  for (std::uint32_t i = 0; i < bundle_.policies.size(); ++i)
    if (bundle_.policies[i].name == r.policy) p = i;
  if (p == ir::kNone)
    return cannot(NoReplay::NoPolicy, {"the new policies have no policy `" + r.policy + "`",
                                       "新政策中没有政策「" + r.policy + "」"});
  const ir::Policy& policy = bundle_.policies[p];
  if (!ir::in_period(policy.from, policy.until, day.days))
    return cannot(NoReplay::NoPolicy,
                  {"the policy `" + r.policy + "` is not in force on " + day.to_string() +
                       " in the new policies",
                   "新政策中的「" + r.policy + "」在 " + day.to_string() + " 不在生效期间内"});
  auto action = bundle_.action_by_name.find(r.action);
  const std::vector<std::uint32_t>* rules = nullptr;
  if (action != bundle_.action_by_name.end()) {
    auto found = policy.by_action.find(action->second);
    if (found == policy.by_action.end())
      return cannot(NoReplay::NoPolicy,
                    {"the policy `" + r.policy + "` no longer decides `" + r.action + "`",
                     "新政策中的「" + r.policy + "」不再裁决「" + r.action + "」"});
    rules = &found->second;
  }  // an action the new schema lacks: the runtime says so below

  // A masked fact read by a rule in force (or a part of it read) leaves the decision unknown.
  json::value* facts = req_obj->if_contains("facts");
  std::vector<std::string> masked = facts ? masked_paths(*facts) : std::vector<std::string>{};
  if (!masked.empty() && rules) {
    for (std::uint32_t rule : *rules) {
      if (rule >= bundle_.rules.size()) continue;
      const ir::Rule& rr = bundle_.rules[rule];
      if (!ir::in_period(rr.from, rr.until, day.days)) continue;
      for (const auto& read : reads(rule))
        for (const auto& m : masked)
          if (read == m || path_within(read, m)) add_read(skip.masked, m, rr.id);
    }
    if (!skip.masked.empty()) return cannot(NoReplay::MaskedFactsRead, masked_detail(skip.masked));
  }
  if (facts) clear_masked(*facts, 0);
  (*req_obj)["policy"] = r.policy;
  auto req = parse_fitting_request(bundle_, json::serialize(request), day, day);
  if (!req) {
    const RequestError& bad = req.error();
    skip.facts = bad.facts;
    if (bad.facts.empty()) return cannot(NoReplay::DoesNotFit, bad.message);
    Localized each;  // the facts themselves, without the runtime's count in front
    for (const auto& f : bad.facts) {
      each.en += (each.en.empty() ? "" : "; ") + f.path + ": " + f.detail.en;
      each.zh += (each.zh.empty() ? "" : "；") + f.path + "：" + f.detail.zh;
    }
    return cannot(NoReplay::DoesNotFit, std::move(each));
  }
  Decision decision;
  evaluator_.decide(*req, decision);
  auto after = replay_side(decision_json(bundle_, *req, decision));
  if (!after)
    return cannot(NoReplay::Unreadable, {"the new decision could not be read", "新决定无法读取"});
  // Never decided around a masked fact: one the decision needed is reported, not guessed.
  for (const auto& m : after->missing)
    for (const auto& path : masked)
      if (m.fact == path || path_within(m.fact, path))
        for (const auto& rule : m.rules.empty() ? std::vector<std::string>{""} : m.rules)
          add_read(skip.masked, path, rule);
  if (!skip.masked.empty()) return cannot(NoReplay::MaskedFactsRead, masked_detail(skip.masked));
  if (before->outcome == after->outcome && findings(*before) == findings(*after))
    return ReplayUnchanged{};
  return ReplayChange{std::move(skip.record), std::move(*before), std::move(*after)};
}

void ReplayReport::add(Replayed r) {
  ++read;
  if (std::holds_alternative<ReplayUnchanged>(r))
    ++unchanged;
  else if (auto* c = std::get_if<ReplayChange>(&r))
    changed.push_back(std::move(*c));
  else
    skipped.push_back(std::move(std::get<ReplaySkip>(r)));
}

void ReplayReport::finish() {
  std::map<std::tuple<std::string, std::string, std::string>, RuleShift> by_rule;
  std::map<std::pair<std::string, std::string>, std::int64_t> by_outcome;
  auto shift = [&](const ReplayChange& c, const ReplayRule& rule) -> RuleShift& {
    RuleShift& s = by_rule[{c.record.policy, rule.rule, rule.effect}];
    s.policy = c.record.policy;
    s.rule = rule.rule;
    s.effect = rule.effect;
    if (s.cite.empty()) s.cite = rule.cite;
    return s;
  };
  for (const auto& c : changed) {
    for (const auto& rule : c.after.rules)
      if (!decides(c.before, rule)) shift(c, rule).newly.push_back(c.record.id);
    for (const auto& rule : c.before.rules)
      if (!decides(c.after, rule)) shift(c, rule).stopped.push_back(c.record.id);
    ++by_outcome[{c.before.outcome, c.after.outcome}];
  }
  rules.clear();
  for (auto& [key, s] : by_rule) rules.push_back(std::move(s));
  outcomes.clear();
  for (const auto& [key, n] : by_outcome) outcomes.push_back({key.first, key.second, n});
  std::stable_sort(outcomes.begin(), outcomes.end(),
                   [](const OutcomeShift& a, const OutcomeShift& b) { return a.count > b.count; });
}

Result<bool, Localized> replay_store(Store& store, const SqlFilter& filter, Replayer& replayer,
                                     ReplayReport& report) {
  auto read = store.each(filter, -1, [&](const Record& r) {
    report.add(replayer.replay(r));
    return true;
  });
  report.finish();
  return read;
}

}  // namespace xy::audit
