// Evaluator semantics for review policies: severity order, all findings listed, pass exceptions.
#include "rt_util.h"

using namespace rt;

namespace {
// Findings on a Logic request: N rejects when a, B refers when b, C refers when c is some.
const std::string kReview = policy("review", "pass", "Logic",
                                   "  rule N reject when a because \"N applies\"\n"
                                   "  rule B refer when b because \"B applies\"\n"
                                   "  rule C 不宜 when c is some\n");

std::string logic(const std::string& facts) {
  return R"({"action":"Logic","as_of":"2024-05-01","facts":{)" + facts + "}}";
}
}  // namespace

TEST_CASE("review: 不能 beats 不宜 and every applicable finding is listed", "[review]") {
  Engine e(kReview);
  auto d = e.decide(logic(R"("a":true,"b":true,"c":true)"));
  CHECK(d.outcome() == "不能");
  CHECK(d.reasons() == Strings{"N", "B", "C"});
  CHECK(d.texts()[0] == "N applies");
  CHECK(d.ids("reasons", "effect") == Strings{"reject", "refer", "refer"});
}

TEST_CASE("review: 不宜 beats 通过", "[review]") {
  Engine e(kReview);
  auto d = e.decide(logic(R"("a":false,"b":true)"));
  CHECK(d.outcome() == "不宜");
  CHECK(d.reasons() == Strings{"B"});
}

TEST_CASE("review: nothing applies, the default 通过", "[review]") {
  Engine e(kReview);
  auto d = e.decide(logic(R"("a":false,"b":false)"));
  CHECK(d.outcome() == "通过");
  CHECK(d.json.at("by_default") == true);
  CHECK(d.reasons().empty());
  CHECK(d.missing().empty());
}

TEST_CASE("review: indeterminate only when an unknown finding could be more severe", "[review]") {
  Engine e(kReview);
  auto up = e.decide(logic(R"("b":true)"));  // N unknown could make it 不能
  CHECK(up.outcome() == "indeterminate");
  CHECK(up.reasons() == Strings{"B"});
  CHECK(up.missing() == Strings{"a"});
  auto down = e.decide(logic(R"("a":true)"));  // B unknown cannot beat 不能
  CHECK(down.outcome() == "不能");
  CHECK(down.reasons() == Strings{"N"});
  auto alone = e.decide(logic(R"("a":false)"));  // B unknown could make it 不宜
  CHECK(alone.outcome() == "indeterminate");
}

TEST_CASE("review: a 通过 exception sets a finding aside", "[review]") {
  Engine e(policy("review", "通过", "Logic",
                  "  rule B6 不宜 when a\n"
                  "  rule B6x 例外于 B6 通过 when b because \"promised\"\n"));
  auto d = e.decide(logic(R"("a":true,"b":true)"));
  CHECK(d.outcome() == "通过");
  CHECK(d.reasons() == Strings{"B6x"});
  CHECK(d.overridden() == Strings{"B6 by B6x"});
  CHECK(d.json.at("by_default") == false);
  auto f = e.decide(logic(R"("a":true,"b":false)"));
  CHECK(f.outcome() == "不宜");
  CHECK(f.reasons() == Strings{"B6"});
}

TEST_CASE("review: the decision text names the outcome in both languages", "[review]") {
  Engine e(kReview);
  auto d = e.decide(logic(R"("a":true,"b":false)"));
  std::string zh = xy::decision_text(e.bundle(), d.request, d.decision, xy::Lang::zh);
  std::string en = xy::decision_text(e.bundle(), d.request, d.decision, xy::Lang::en);
  CHECK(zh.find("不能") != std::string::npos);
  CHECK(zh.find("N applies") != std::string::npos);
  CHECK(en.find("N [reject] N applies") != std::string::npos);
}
