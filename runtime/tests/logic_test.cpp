// Evaluator semantics for check policies: Kleene logic, exceptions, combining permit and forbid.
#include "rt_util.h"

using namespace rt;

namespace {
// A `Logic` request: each of a and b is "true", "false" or "" (absent, so unknown).
std::string logic(const std::string& a, const std::string& b) {
  std::string facts;
  if (!a.empty()) facts += R"("a":)" + a;
  if (!b.empty()) facts += (facts.empty() ? "" : ",") + std::string(R"("b":)") + b;
  return R"({"action":"Logic","as_of":"2024-05-01","facts":{)" + facts + "}}";
}
// The outcome of a permit rule `when cond` as a truth value: T, F or U.
std::string truth(const std::string& outcome) {
  return outcome == "permit" ? "T" : outcome == "not_permitted" ? "F" : "U";
}
}  // namespace

TEST_CASE("three-valued Kleene and, or and not", "[logic]") {
  Engine conj(policy("check", "not_permitted", "Logic", "  rule R permit when a and b\n"));
  Engine disj(policy("check", "not_permitted", "Logic", "  rule R permit when a or b\n"));
  Engine neg(policy("check", "not_permitted", "Logic", "  rule R permit when not a\n"));
  const std::string values[] = {"true", "false", ""};
  const char* kAnd[3][3] = {{"T", "F", "U"}, {"F", "F", "F"}, {"U", "F", "U"}};
  const char* kOr[3][3] = {{"T", "T", "T"}, {"T", "F", "U"}, {"T", "U", "U"}};
  const char* kNot[3] = {"F", "T", "U"};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      INFO("a=" << values[i] << " b=" << values[j]);
      auto a = conj.decide(logic(values[i], values[j]));
      CHECK(truth(a.outcome()) == kAnd[i][j]);
      auto o = disj.decide(logic(values[i], values[j]));
      CHECK(truth(o.outcome()) == kOr[i][j]);
      // Unknown results name exactly the absent facts they depend on.
      if (truth(a.outcome()) == "U") CHECK_FALSE(a.missing().empty());
      if (truth(a.outcome()) != "U") CHECK(a.missing().empty());
    }
    CHECK(truth(neg.decide(logic(values[i], "true")).outcome()) == kNot[i]);
  }
}

TEST_CASE("missing facts are named with the rules that read them", "[logic]") {
  Engine e(policy("check", "not_permitted", "Logic",
                  "  rule R1 permit when a and b\n  rule R2 permit when b or a\n"));
  auto d = e.decide(logic("", ""));
  CHECK(d.outcome() == "indeterminate");
  const auto& miss = d.json.at("missing").as_array();
  REQUIRE(miss.size() == 2);
  for (const auto& m : miss) {
    CHECK(m.at("problem") == "missing");
    CHECK(m.at("rules").as_array() == boost::json::array{"R1", "R2"});
  }
}

TEST_CASE("an optional bool that is absent is none, and none is not true", "[logic]") {
  Engine e(policy("check", "not_permitted", "Logic",
                  "  rule R permit when c is none and a\n  rule S permit when c = true\n"));
  auto d = e.decide(logic("true", "true"));
  CHECK(d.outcome() == "permit");
  CHECK(d.reasons() == Strings{"R"});
}

TEST_CASE("forbid beats permit; only the deciding rules are reasons", "[logic][combine]") {
  Engine e(
      check_policy("  rule P1 permit when item.name in Duties\n"
                   "  rule F1 forbid when item.fee = 0\n  rule P2 permit\n"));
  auto d = e.decide(assign(R"("name":"mediate","fee":0,"tags":[],"n":1)"));
  CHECK(d.outcome() == "deny");
  CHECK(d.reasons() == Strings{"F1"});
  CHECK(d.json.at("by_default") == false);
  auto p = e.decide(assign(R"("name":"mediate","fee":1,"tags":[],"n":1)"));
  CHECK(p.outcome() == "permit");
  CHECK(p.reasons() == Strings{"P1", "P2"});
}

TEST_CASE("a definite forbid beats an unknown permit: deny, not indeterminate",
          "[logic][combine]") {
  Engine e(check_policy(
      "  rule P permit when item.fee > 0\n  rule F forbid when item.name = \"dogs\"\n"));
  auto d = e.decide(assign(R"("name":"dogs","tags":[],"n":1)"));
  CHECK(d.outcome() == "deny");
  CHECK(d.reasons() == Strings{"F"});
}

TEST_CASE("an unknown forbid blocks a definite permit: indeterminate", "[logic][combine]") {
  Engine e(check_policy(
      "  rule P permit when item.name = \"mediate\"\n  rule F forbid when item.fee = 0\n"));
  auto d = e.decide(assign(R"("name":"mediate","tags":[],"n":1)"));
  CHECK(d.outcome() == "indeterminate");
  CHECK(d.reasons() == Strings{"P"});
  CHECK(d.missing() == Strings{"item.fee"});
}

TEST_CASE("no applicable rule: the policy default decides", "[logic][combine]") {
  Engine np(check_policy("  rule P permit when item.fee > 0\n"));
  auto d = np.decide(assign(item()));
  CHECK(d.outcome() == "not_permitted");
  CHECK(d.json.at("by_default") == true);
  CHECK(d.reasons().empty());
  Engine pe(policy("check", "permit", "Assign", "  rule F forbid when item.fee > 0\n"));
  auto p = pe.decide(assign(item()));
  CHECK(p.outcome() == "permit");
  CHECK(p.json.at("by_default") == true);
}

TEST_CASE("an applicable exception sets its base aside and is reported", "[logic][exceptions]") {
  Engine e(
      check_policy("  rule A1x forbid when item.name not in Duties\n"
                   "  rule A4 exception to A1x permit when item.approved is some\n"));
  auto d = e.decide(assign(item(R"("approved":{"name":"County","level":"county"})")));
  CHECK(d.outcome() == "permit");
  CHECK(d.reasons() == Strings{"A4"});
  CHECK(d.overridden() == Strings{"A1x by A4"});
  CHECK(d.json.at("reasons").as_array()[0].at("exception_to") == "A1x");
  auto n = e.decide(assign(item()));
  CHECK(n.outcome() == "deny");
  CHECK(n.reasons() == Strings{"A1x"});
  CHECK(n.overridden().empty());
}

TEST_CASE("an exception chain: each applicable exception sets its base aside",
          "[logic][exceptions]") {
  Engine e(
      check_policy("  rule A1x forbid\n"
                   "  rule A4 exception to A1x permit when item.approved is some\n"
                   "  rule A6 exception to A4 forbid when item.fee <= 0\n"));
  auto a4 = e.decide(assign(
      (R"("name":"ledger","tags":[],"n":1,"fee":5,"approved":{"name":"C","level":"county"})")));
  CHECK(a4.outcome() == "permit");
  CHECK(a4.reasons() == Strings{"A4"});
  CHECK(a4.overridden() == Strings{"A1x by A4"});
  auto a6 = e.decide(assign(item(R"("approved":{"name":"C","level":"county"})")));
  CHECK(a6.outcome() == "deny");
  CHECK(a6.reasons() == Strings{"A6"});
  CHECK(a6.overridden() == Strings{"A1x by A4", "A4 by A6"});
  auto none = e.decide(assign((R"("name":"ledger","tags":[],"n":1,"fee":5)")));
  CHECK(none.outcome() == "deny");
  CHECK(none.reasons() == Strings{"A1x"});
  CHECK(none.overridden().empty());
  // An exception is a rule in its own right: A6 applies although its base A4 does not.
  auto own = e.decide(assign(item()));
  CHECK(own.reasons() == Strings{"A1x", "A6"});
  CHECK(own.overridden().empty());
}

TEST_CASE("an unknown exception leaves its base unknown", "[logic][exceptions]") {
  Engine e(check_policy("  rule F forbid\n  rule X exception to F permit when item.fee > 0\n"));
  auto d = e.decide(assign(R"("name":"x","tags":[],"n":1)"));
  CHECK(d.outcome() == "indeterminate");
  CHECK(d.missing() == Strings{"item.fee"});
}

TEST_CASE("an exception that is not in force does not set its base aside", "[logic][exceptions]") {
  Engine e(check_policy("  rule F forbid\n  rule X exception to F permit effective 2025-01-01\n"));
  CHECK(e.decide(assign(item())).outcome() == "deny");
  CHECK(e.decide(assign(item(), "", "2025-01-01")).outcome() == "permit");
}

TEST_CASE("one evaluator gives the same answers in any order", "[logic][exceptions]") {
  Engine e(
      check_policy("  rule A1x forbid\n"
                   "  rule A4 exception to A1x permit when item.approved is some\n"
                   "  rule A6 exception to A4 forbid when item.fee <= 0\n"
                   "  rule P permit when item.fee > 100\n"));
  std::vector<std::string> requests = {
      assign(
          (R"("name":"ledger","tags":[],"n":1,"fee":5,"approved":{"name":"C","level":"county"})")),
      assign(item(R"("approved":{"name":"C","level":"county"})")), assign(item()),
      assign(R"("name":"x","tags":[],"n":1,"approved":{"name":"C","level":"county"})"),
      assign((R"("name":"ledger","tags":[],"n":1,"fee":500)"))};
  std::vector<std::string> first;
  for (const auto& r : requests) first.push_back(boost::json::serialize(e.decide(r).json));
  for (int round = 0; round < 3; ++round)
    for (std::size_t i = requests.size(); i-- > 0;)
      CHECK(boost::json::serialize(e.decide(requests[i]).json) == first[i]);
}
