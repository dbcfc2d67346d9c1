// The `xy serve` test, part 2: health, answers against their records, filters, batches.
#include "parts.h"

namespace xy::servetest {

void test_health_initial(const json::value& h) {
  auto* sets = array(h, "sets");
  check(str(h, "status") == "ok", "health: status ok");
  check(sets && sets->size() == 8,
        "health: lists the 8 policy sets (" + std::to_string(sets ? sets->size() : 0) + ")");
  bool all_ok = sets != nullptr;
  std::string bad;
  for (const char* name :
       {"work-items", "legislation", "villagers-assembly", "charters", "candidate-review",
        "major-decisions", "village-elections", "residents-committee"}) {
    auto* s = set_in(h, name);
    if (!s) {
      all_ok = false;
      bad += std::string(" ") + name + " missing;";
      continue;
    }
    auto* pols = array(*s, "policies");
    if (!is_hex64(str(*s, "bundle")) || !pols || pols->empty() ||
        integer(*s, "rules").value_or(0) <= 0 || integer(*s, "tests").value_or(0) <= 0) {
      all_ok = false;
      bad += std::string(" ") + name + ": " + shorten(json::serialize(*s), 160) + ";";
    }
  }
  check(all_ok,
        "health: each set has its dir, a bundle hash, its policies, rules > 0, tests > 0" + bad);
  auto* cr = set_in(h, "candidate-review");
  check(cr && array(*cr, "policies") && array(*cr, "policies")->size() == 3,
        "health: candidate-review lists its 3 policies");
  auto* lr = member(h, "last_reload");
  check(lr && member(*lr, "ok") && member(*lr, "ok")->is_bool() && member(*lr, "ok")->get_bool() &&
            !str(*lr, "at").empty(),
        "health: last_reload {at, ok: true, …} after the initial load (" +
            (lr ? json::serialize(*lr) : std::string("none")) + ")");
  auto* audit = member(h, "audit");
  check(audit && integer(*audit, "recorded") == 0 && integer(*audit, "queue").has_value(),
        "health: audit {recorded: 0, queue} on a new store");
}

// Every example request through /v1/check or /v1/review.
std::map<std::string, json::value> test_examples(const std::vector<Example>& examples,
                                                 const json::value& h) {
  std::map<std::string, json::value> answers;  // by example name
  long long last_id = 0;
  int sanity_bad = 0;
  std::vector<std::string> not_fetchable;
  for (const auto& x : examples) {
    if (!x.expected.empty() && str(x.cli, "outcome") != x.expected) {
      ++sanity_bad;
      note("the README and the CLI disagree on " + x.name() + ": " + x.expected + " vs " +
           shorten(json::serialize(x.cli), 200));
    }
    std::string expected = x.expected.empty() ? str(x.cli, "outcome") : x.expected;
    std::string endpoint = x.review ? "/v1/review" : "/v1/check";
    auto r = call(verb::post, endpoint, json::serialize(x.request), kCheckToken);
    auto j = r.json();
    std::vector<std::string> problems;
    if (r.status != 200) {
      check(false, endpoint + " " + x.name() + ": " + r.describe());
      continue;
    }
    auto id = integer(j, "audit_id");
    if (!id)
      problems.push_back("no audit_id");
    else if (j.get_object().begin()->key() != "audit_id")
      problems.push_back("audit_id is not the first member");
    else if (*id <= last_id)
      problems.push_back("audit_id " + std::to_string(*id) + " not above " +
                         std::to_string(last_id));
    if (!is_hex64(str(j, "audit_hash")))
      problems.push_back("no audit_hash (64 hex digits) beside audit_id");
    if (str(j, "outcome") != expected)
      problems.push_back("outcome " + str(j, "outcome") + ", expected " + expected);
    if (auto d = first_diff(without_audit_id(j), x.cli); !d.empty())
      problems.push_back("differs from the CLI's decision at " + d);
    if (str(j, "bundle") != bundle_of(h, x.set))
      problems.push_back("bundle " + str(j, "bundle") + " is not the set's in /v1/health");
    if (r.header("content-type").find("application/json") != 0)
      problems.push_back("content-type " + r.header("content-type"));
    std::string all;
    for (const auto& p : problems) all += "; " + p;
    check(problems.empty(), endpoint + " " + x.name() + " → " + str(j, "outcome") +
                                (id ? " (audit_id " + std::to_string(*id) + ")" : "") + all);
    if (id) {
      last_id = std::max(last_id, *id);
      remember(j);
      // Sent only once recorded: the record is there right away.
      auto rec = call(verb::get, "/v1/decisions/" + std::to_string(*id), {}, kAuditToken);
      if (rec.status != 200 || str(rec.json(), "outcome") != str(j, "outcome"))
        not_fetchable.push_back(std::to_string(*id) + ": " + rec.describe(120));
    }
    answers[x.name()] = j;
  }
  check(sanity_bad == 0, "(sanity) the README tables and the CLI agree on every example's outcome");
  check(not_fetchable.empty(),
        "every decision answered is readable at GET /v1/decisions/{id} right after the answer" +
            (not_fetchable.empty() ? "" : ": " + not_fetchable.front()));
  return answers;
}

json::value decision_in_record(const json::value& rec) {
  auto* d = member(rec, "decision");
  if (!d) return {};
  if (d->is_string()) {
    boost::system::error_code ec;
    auto v = json::parse(d->get_string(), ec);
    return ec ? json::value() : v;
  }
  return *d;
}

void test_records(const std::map<std::string, json::value>& answers, const Example& deny_ex,
                  const Example& review_ex) {
  auto ai = answers.find(deny_ex.name()), ri = answers.find(review_ex.name());
  if (ai == answers.end() || ri == answers.end() || !integer(ai->second, "audit_id") ||
      !integer(ri->second, "audit_id")) {
    check(false, "GET /v1/decisions/{id}: no answers to read the records of");
    return;
  }
  const auto& ans = ai->second;
  long long id = *integer(ans, "audit_id");
  auto r = call(verb::get, "/v1/decisions/" + std::to_string(id), {}, kAuditToken);
  auto rec = r.json();
  std::vector<std::string> problems;
  for (const char* k : {"id", "recorded_at", "as_of", "action", "policy", "outcome", "bundle",
                        "request", "decision", "prev_hash", "hash"})
    if (!member(rec, k)) problems.push_back(std::string("no `") + k + "`");
  if (integer(rec, "id") != id) problems.push_back("id");
  for (const char* k : {"outcome", "action", "as_of", "policy", "bundle"})
    if (str(rec, k) != str(ans, k))
      problems.push_back(std::string(k) + " " + str(rec, k) + " vs " + str(ans, k));
  if (auto d = first_diff(decision_in_record(rec), without_audit_id(ans)); !d.empty())
    problems.push_back("decision differs at " + d);
  if (!is_hex64(str(rec, "hash")) || !is_hex64(str(rec, "prev_hash")))
    problems.push_back("hash/prev_hash not hex");
  std::string all;
  for (const auto& p : problems) all += "; " + p;
  check(r.status == 200 && problems.empty(), "GET /v1/decisions/" + std::to_string(id) +
                                                 ": the record matches the answer (" +
                                                 std::to_string(r.status) + ")" + all);
  // The chain: prev_hash is the previous record's hash.
  if (id > 1) {
    auto prev = call(verb::get, "/v1/decisions/" + std::to_string(id - 1), {}, kAuditToken).json();
    check(str(prev, "hash") == str(rec, "prev_hash") && !str(rec, "prev_hash").empty(),
          "GET /v1/decisions/{id}: prev_hash is record " + std::to_string(id - 1) + "'s hash");
  } else {
    check(str(rec, "prev_hash") == std::string(64, '0'),
          "GET /v1/decisions/1: prev_hash is 64 zeros");
  }
  // A review record: sensitive facts are masked in the stored request.
  const auto& rans = ri->second;
  long long rid = *integer(rans, "audit_id");
  auto rr = call(verb::get, "/v1/decisions/" + std::to_string(rid), {}, kAuditToken);
  auto rrec = rr.json();
  std::string clear_id;
  if (auto* f = member(review_ex.request, "facts"))
    if (auto* c = member(*f, "候选人")) clear_id = str(*c, "身份证号");
  const json::value* masked = nullptr;
  if (auto* req = member(rrec, "request"))
    if (auto* f = member(*req, "facts"))
      if (auto* c = member(*f, "候选人")) masked = member(*c, "身份证号");
  check(rr.status == 200 && str(rrec, "outcome") == str(rans, "outcome") && !clear_id.empty() &&
            rr.body.find(clear_id) == std::string::npos && masked && member(*masked, "masked"),
        "GET /v1/decisions/" + std::to_string(rid) + " (review): outcome " + str(rrec, "outcome") +
            ", the ID number is stored masked, never in clear");

  // The HTML page.
  auto html = call(verb::get, "/v1/decisions/" + std::to_string(id) + ".html", {}, kAuditToken);
  std::string lower = html.body;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const std::regex external(
      R"re(<(script|img|iframe)[^>]*\ssrc\s*=\s*["']?(?!data:)|<link[^>]*\shref\s*=)re");
  check(html.status == 200 && html.header("content-type").find("text/html") == 0 &&
            (lower.find("<html") != std::string::npos ||
             lower.find("<!doctype html") != std::string::npos) &&
            html.body.find(str(ans, "outcome")) != std::string::npos &&
            html.body.find("A7") != std::string::npos,
        "GET /v1/decisions/" + std::to_string(id) + ".html: text/html page with the outcome (" +
            str(ans, "outcome") + ") and the rule A7 (" + std::to_string(html.status) + ", " +
            html.header("content-type") + ")");
  check(!std::regex_search(lower, external),
        "GET /v1/decisions/{id}.html: self-contained (no external scripts, styles, images)");
  auto rhtml = call(verb::get, "/v1/decisions/" + std::to_string(rid) + ".html", {}, kAuditToken);
  check(rhtml.status == 200 && rhtml.body.find(str(rans, "outcome")) != std::string::npos &&
            rhtml.body.find(clear_id) == std::string::npos,
        "GET /v1/decisions/" + std::to_string(rid) + ".html (review): shows " +
            str(rans, "outcome") + ", not the ID number");
}

// GET /v1/decisions?filter=…: the ids are exactly those of the answers that match.
void test_filters(const std::map<std::string, json::value>& answers) {
  struct Case {
    std::string filter;
    std::function<bool(const json::value&)> match;
    std::string rule;  // a rule every listed decision must carry
  };
  std::vector<Case> cases = {
      {"outcome = deny and rule = A7",
       [](const json::value& d) { return str(d, "outcome") == "deny" && has_rule(d, "A7"); }, "A7"},
      {"结论 = 不能 且 规则 = R1_刑事处罚",
       [](const json::value& d) {
         return str(d, "outcome") == "不能" && has_rule(d, "R1_刑事处罚");
       },
       "R1_刑事处罚"},
      {"action = \"联审\" and not outcome in (通过, 不能)",
       [](const json::value& d) {
         auto o = str(d, "outcome");
         return str(d, "action") == "联审" && o != "通过" && o != "不能";
       },
       ""},
      {"outcome = permit or outcome = not_permitted",
       [](const json::value& d) {
         auto o = str(d, "outcome");
         return o == "permit" || o == "not_permitted";
       },
       ""},
  };
  for (const auto& c : cases) {
    std::set<long long> want, got;
    for (const auto& [name, d] : answers)
      if (c.match(d)) want.insert(integer(d, "audit_id").value_or(-1));
    auto r = call(verb::get, "/v1/decisions?filter=" + url_encode(c.filter) + "&limit=1000", {},
                  kAuditToken);
    auto j = r.json();
    bool fields = true;
    if (auto* list = array(j, "decisions")) {
      for (const auto& d : *list) {
        if (auto id = integer(d, "id")) got.insert(*id);
        for (const char* k : {"id", "recorded_at", "as_of", "action", "policy", "outcome", "rules"})
          if (!member(d, k)) fields = false;
        if (!c.rule.empty()) {
          auto* rules = array(d, "rules");
          if (!rules ||
              std::find(rules->begin(), rules->end(), json::value(c.rule)) == rules->end())
            fields = false;
        }
      }
    }
    std::string diff;
    for (auto id : want)
      if (!got.count(id)) diff += " missing " + std::to_string(id);
    for (auto id : got)
      if (!want.count(id)) diff += " extra " + std::to_string(id);
    check(r.status == 200 && want == got && fields && !want.empty(),
          "GET /v1/decisions?filter=" + c.filter + " → exactly the " + std::to_string(want.size()) +
              " matching ids" + (fields ? "" : "; items lack fields or the rule") + diff +
              (r.status == 200 ? "" : ": " + r.describe()));
  }
  // limit
  std::set<long long> r1;
  for (const auto& [name, d] : answers)
    if (str(d, "outcome") == "不能" && has_rule(d, "R1_刑事处罚"))
      r1.insert(integer(d, "audit_id").value_or(-1));
  auto r =
      call(verb::get,
           "/v1/decisions?filter=" + url_encode("结论 = 不能 且 规则 = R1_刑事处罚") + "&limit=2",
           {}, kAuditToken);
  auto rj = r.json();
  auto* list = array(rj, "decisions");
  bool subset = list != nullptr;
  if (list)
    for (const auto& d : *list)
      if (!r1.count(integer(d, "id").value_or(-1))) subset = false;
  check(r.status == 200 && list && list->size() == 2 && subset,
        "GET /v1/decisions?filter=…&limit=2 → 2 of the matching decisions");
  auto all = call(verb::get, "/v1/decisions?limit=1000", {}, kAuditToken);
  auto allj = all.json();
  auto* alll = array(allj, "decisions");
  check(all.status == 200 && alll && alll->size() == answers.size(),
        "GET /v1/decisions (no filter) → all " + std::to_string(answers.size()) + " decisions (" +
            std::to_string(alll ? alll->size() : 0) + ")");
  // Bad filters.
  for (const std::string f :
       {"outcome = = deny", "colour = red", "outcome = deny and (rule = A7"}) {
    auto b = call(verb::get, "/v1/decisions?filter=" + url_encode(f), {}, kAuditToken);
    check_error(b, 400, "GET /v1/decisions?filter=" + f + " → 400 with a message");
  }
}

void test_batch(const std::vector<Example>& examples) {
  std::vector<const Example*> picks;
  for (const char* set : {"work-items", "legislation", "villagers-assembly", "major-decisions"})
    for (const auto& x : examples)
      if (x.set == set && !x.review && !x.expected.empty()) {
        picks.push_back(&x);
        break;
      }
  picks.push_back(find_example(examples, "work-items", "05-"));
  json::array reqs;
  for (const auto* x : picks) reqs.push_back(x->request);
  auto r = call(verb::post, "/v1/check/batch", json::serialize(json::object{{"requests", reqs}}),
                kCheckToken);
  auto j = r.json();
  auto* ds = array(j, "decisions");
  std::vector<std::string> problems;
  long long last = 0;
  if (!ds || ds->size() != picks.size()) {
    problems.push_back("not " + std::to_string(picks.size()) + " decisions");
  } else {
    for (std::size_t i = 0; i < picks.size(); ++i) {
      const auto& d = (*ds)[i];
      auto id = integer(d, "audit_id");
      if (!id || *id <= last)
        problems.push_back("item " + std::to_string(i) + ": audit_id missing or not increasing");
      last = id.value_or(last);
      if (str(d, "outcome") != picks[i]->expected)
        problems.push_back("item " + std::to_string(i) + ": " + str(d, "outcome") + " vs " +
                           picks[i]->expected);
      if (auto diff = first_diff(without_audit_id(d), picks[i]->cli); !diff.empty())
        problems.push_back("item " + std::to_string(i) + " differs from the CLI at " + diff);
      remember(d);
    }
  }
  std::string all;
  for (const auto& p : problems) all += "; " + p;
  check(r.status == 200 && problems.empty(),
        "POST /v1/check/batch with " + std::to_string(picks.size()) +
            " requests → their decisions in order, each with an increasing audit_id" + all +
            (r.status == 200 ? "" : ": " + r.describe()));

  // A bad item: 400 naming it, nothing recorded.
  auto before = health();
  long long recorded = integer(get(before, "audit"), "recorded").value_or(-1);
  json::array bad = {
      picks[0]->request, picks[1]->request,
      json::object{{"action", "不存在的行为"}, {"as_of", "2024-05-01"}, {"facts", json::object{}}},
      json::value("not a request")};
  auto b = call(verb::post, "/v1/check/batch", json::serialize(json::object{{"requests", bad}}),
                kCheckToken);
  auto bj = b.json();
  auto* e = member(bj, "error");
  check(is_error(b, 400) && e && integer(*e, "index") == 2,
        "POST /v1/check/batch with a bad item 2 → 400 with \"index\": 2 (" + b.describe(200) + ")");
  auto after = health();
  check(integer(get(after, "audit"), "recorded").value_or(-2) == recorded,
        "POST /v1/check/batch with a bad item: nothing recorded (health audit.recorded stays " +
            std::to_string(recorded) + ")");
  auto next = call(verb::post, "/v1/check", json::serialize(picks[0]->request), kCheckToken).json();
  remember(next);
  check(integer(next, "audit_id") == last + 1,
        "after the refused batch the next audit_id is " + std::to_string(last + 1) + " (" +
            std::to_string(integer(next, "audit_id").value_or(-1)) + ")");
  // A review request inside a batch.
  const Example* review = find_example(examples, "candidate-review", "02-");
  json::array mixed = {picks[0]->request, review->request};
  auto m = call(verb::post, "/v1/check/batch", json::serialize(json::object{{"requests", mixed}}),
                kCheckToken);
  auto mj = m.json();
  auto* me = member(mj, "error");
  check(is_error(m, 400) && me && integer(*me, "index") == 1,
        "POST /v1/check/batch with a review request as item 1 → 400 with \"index\": 1 (" +
            m.describe(200) + ")");
  check_error(call(verb::post, "/v1/check/batch", "{\"requests\": [", kCheckToken), 400,
              "POST /v1/check/batch with malformed JSON → 400");
  check_error(call(verb::post, "/v1/check/batch", json::serialize(picks[0]->request), kCheckToken),
              400, "POST /v1/check/batch without a `requests` array → 400");
}

}  // namespace xy::servetest
