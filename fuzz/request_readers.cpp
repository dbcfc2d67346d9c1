// Fuzz target: the two request readers on policies/work-items. Whenever the fast path
// (parse_plain) takes a text, the general path (Boost.JSON) must take it too, without a problem,
// and build the same request: same action, policy, as-of date, facts and decision. Messages for
// people are valid UTF-8.
#include <boost/json.hpp>

#include "check.h"
#include "policies.h"
#include "request_fast.h"

namespace {

using namespace xy;

bool same_value(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ValueKind::Missing:
      return a.problem == b.problem;
    case ValueKind::None:
      return true;
    case ValueKind::Bool:
      return a.b == b.b;
    case ValueKind::Number:
      return a.num == b.num;
    case ValueKind::Text:
      return a.as_text() == b.as_text();
    case ValueKind::Date:
      return a.date == b.date;
    case ValueKind::Duration:
      return a.dur == b.dur;
    case ValueKind::Enum:
      return a.ordinal == b.ordinal;
    case ValueKind::Set:
    case ValueKind::Record:
      if (a.seq.size != b.seq.size) return false;
      for (std::uint32_t i = 0; i < a.seq.size; ++i)
        if (!same_value(a.seq.items[i], b.seq.items[i])) return false;
      return true;
  }
  return false;
}

void check_messages(const Result<Request, RequestError>& r) {
  if (!r) {
    fuzz::require_utf8(r.error().message.en, "a request error (en)");
    fuzz::require_utf8(r.error().message.zh, "a request error (zh)");
    return;
  }
  for (const auto& p : r->problems) {
    fuzz::require_utf8(p.path, "a fact problem's path");
    fuzz::require_utf8(p.detail.en, "a fact problem (en)");
    fuzz::require_utf8(p.detail.zh, "a fact problem (zh)");
  }
}

void differ(std::string_view what, std::string_view text) {
  fuzz::fail(std::string("the fast and the general request readers differ: ") + std::string(what),
             text);
}

void compare(const Bundle& bundle, Evaluator& evaluator, std::string_view text,
             std::optional<Date> as_of) {
  Date today = *Date::from_ymd(2024, 5, 1);
  auto general = request_detail::parse_general(bundle, text, as_of, today);
  check_messages(general);
  auto full = parse_request(bundle, text, as_of, today);
  check_messages(full);
  Request plain;
  bool fast = request_detail::parse_plain(bundle, text, as_of, today, plain);
  if (general.ok() != full.ok()) differ("parse_request and parse_general disagree", text);
  if (!fast) return;
  if (!general) differ("only the fast path takes it", text);
  if (!general->problems.empty()) differ("the fast path took a request with problems", text);
  if (general->action != plain.action) differ("action", text);
  if (general->policy != plain.policy) differ("policy", text);
  if (general->as_of != plain.as_of) differ("as_of", text);
  if (!same_value(general->facts, plain.facts)) differ("facts", text);
  Decision a = evaluator.decide(*general);
  Decision b = evaluator.decide(plain);
  std::string ja = decision_json(bundle, *general, a);
  std::string jb = decision_json(bundle, plain, b);
  if (ja != jb) differ("decision: " + ja + " vs " + jb, text);
  boost::system::error_code ec;
  boost::json::parse(ja, ec);
  fuzz::require(!ec, "the decision JSON does not parse", ja);
  fuzz::require_utf8(decision_text(bundle, plain, b, Lang::zh), "a decision text (zh)");
}

}  // namespace

// The policies are compiled before fuzzing starts (not within the first input's time limit).
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  xy::fuzz::policy_bundle("work-items");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Bundle& bundle = fuzz::policy_bundle("work-items");
  static Evaluator evaluator(bundle);
  std::string_view text = fuzz::as_text(data, size);
  compare(bundle, evaluator, text, std::nullopt);
  compare(bundle, evaluator, text, Date::from_ymd(2021, 6, 30));
  return 0;
}
