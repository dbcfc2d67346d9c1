// Deciding a fuzzed bundle's actions (decide_each.h).
#include "decide_each.h"

#include <boost/json.hpp>

#include "check.h"
#include "xiangyue/runtime/engine.h"

namespace xy::fuzz {

void decide_each_action(const Bundle& bundle, std::size_t at_most) {
  Evaluator evaluator(bundle);
  Date today = *Date::from_ymd(2024, 5, 1);
  for (std::size_t i = 0; i < bundle.actions.size() && i < at_most; ++i) {
    std::string request =
        "{\"action\":" + boost::json::serialize(boost::json::string(bundle.actions[i].name)) +
        ",\"facts\":{}}";
    auto parsed = parse_request(bundle, request, std::nullopt, today);
    if (!parsed) {
      require_utf8(parsed.error().message.en, "a request error (en)");
      require_utf8(parsed.error().message.zh, "a request error (zh)");
      continue;
    }
    Decision d = evaluator.decide(*parsed);
    std::string json = decision_json(bundle, *parsed, d);
    boost::system::error_code ec;
    boost::json::parse(json, ec);
    require(!ec, "the decision JSON does not parse", json);
    require_utf8(decision_text(bundle, *parsed, d, Lang::en), "a decision text (en)");
    require_utf8(decision_text(bundle, *parsed, d, Lang::zh), "a decision text (zh)");
  }
}

}  // namespace xy::fuzz
