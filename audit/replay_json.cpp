// The replay report as JSON for programs (`xy replay --format json`; fields in docs/analysis.md).
#include <boost/json.hpp>

#include "xiangyue/audit/replay.h"

namespace xy::audit {
namespace json = boost::json;

namespace {

json::value text_or_null(const std::string& s) {
  return s.empty() ? json::value(nullptr) : json::value(s);
}

json::array id_array(const std::vector<std::int64_t>& ids) {
  json::array out;
  for (std::int64_t id : ids) out.push_back(id);
  return out;
}

json::array string_array(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& s : items) out.push_back(json::value(s));
  return out;
}

json::object rule_json(const ReplayRule& r) {
  json::object o{{"rule", r.rule}, {"effect", r.effect}, {"text", r.text}};
  o["basis"] = r.cite.empty()
                   ? json::value(nullptr)
                   : json::value(json::object{{"cite", r.cite}, {"text", text_or_null(r.quote)}});
  o["location"] =
      r.file.empty()
          ? json::value(nullptr)
          : json::value(json::object{{"file", r.file}, {"line", r.line}, {"column", r.column}});
  return o;
}

json::object side_json(const ReplaySide& s) {
  json::array rules, missing;
  for (const auto& r : s.rules) rules.push_back(rule_json(r));
  for (const auto& m : s.missing)
    missing.push_back(
        json::object{{"fact", m.fact}, {"problem", m.problem}, {"rules", string_array(m.rules)}});
  return {{"outcome", s.outcome},
          {"by_default", s.by_default},
          {"rules", std::move(rules)},
          {"missing", std::move(missing)}};
}

json::object identity_json(const ReplayRecord& r) {
  return {{"id", r.id},
          {"action", r.action},
          {"policy", r.policy},
          {"as_of", r.as_of},
          {"bundle", r.bundle}};
}

json::object shift_json(const std::vector<std::int64_t>& ids) {
  return {{"count", ids.size()}, {"ids", id_array(ids)}};
}

}  // namespace

json::object replay_json(const ReplayReport& rep, Lang lang) {
  json::object out{{"store", rep.store},
                   {"policies", rep.policies},
                   {"bundle", rep.bundle},
                   {"filter", text_or_null(rep.filter)},
                   {"as_of", text_or_null(rep.as_of)}};
  out["totals"] = json::object{{"read", rep.read},
                               {"replayed", rep.replayed()},
                               {"unchanged", rep.unchanged},
                               {"changed", rep.changed.size()},
                               {"cannot_replay", rep.skipped.size()}};
  json::array changed;
  for (const auto& c : rep.changed) {
    json::object o = identity_json(c.record);
    o["before"] = side_json(c.before);
    o["after"] = side_json(c.after);
    changed.push_back(std::move(o));
  }
  out["changed"] = std::move(changed);
  json::array rules;
  for (const auto& s : rep.rules)
    rules.push_back(json::object{{"policy", s.policy},
                                 {"rule", s.rule},
                                 {"effect", s.effect},
                                 {"cite", text_or_null(s.cite)},
                                 {"newly_decides", shift_json(s.newly)},
                                 {"stops_deciding", shift_json(s.stopped)}});
  out["rules"] = std::move(rules);
  json::array outcomes;
  for (const auto& o : rep.outcomes)
    outcomes.push_back(json::object{{"before", o.before}, {"after", o.after}, {"count", o.count}});
  out["outcomes"] = std::move(outcomes);
  json::array skipped;
  for (const auto& s : rep.skipped) {
    json::object o = identity_json(s.record);
    o["outcome"] = s.outcome;
    o["reason"] = no_replay_name(s.why);
    o["detail"] =
        no_replay_label(s.why).in(lang) + (lang == Lang::zh ? "：" : ": ") + s.detail.in(lang);
    json::array masked, facts;
    for (const auto& m : s.masked)
      masked.push_back(json::object{{"path", m.path}, {"rules", string_array(m.rules)}});
    for (const auto& f : s.facts)
      facts.push_back(json::object{{"path", f.path}, {"detail", f.detail.in(lang)}});
    o["masked"] = std::move(masked);
    o["facts"] = std::move(facts);
    skipped.push_back(std::move(o));
  }
  out["cannot_replay"] = std::move(skipped);
  return out;
}

}  // namespace xy::audit
