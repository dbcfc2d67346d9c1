// Evaluator semantics: effective periods, as_of, quantifier witnesses, exact legal thresholds.
#include "rt_util.h"

using namespace rt;

TEST_CASE("a rule's effective period is inclusive on both ends", "[semantics][periods]") {
  Engine e(check_policy("  rule A5 permit effective 2023-05-01 to 2024-04-30\n"));
  CHECK(e.decide(assign(item(), "", "2023-04-30")).outcome() == "not_permitted");
  CHECK(e.decide(assign(item(), "", "2023-05-01")).outcome() == "permit");
  CHECK(e.decide(assign(item(), "", "2024-04-30")).outcome() == "permit");
  CHECK(e.decide(assign(item(), "", "2024-05-01")).outcome() == "not_permitted");
}

TEST_CASE("a policy's effective period is inclusive on both ends", "[semantics][periods]") {
  Engine e(check_policy("  effective 2022-08-01 to 2025-12-31\n  rule A1 permit\n"));
  CHECK(e.decide(assign(item(), "", "2022-08-01")).outcome() == "permit");
  CHECK(e.decide(assign(item(), "", "2025-12-31")).outcome() == "permit");
  // Outside it the policy decides nothing: rejected, or at most its default, never a permit.
  for (std::string day : {"2022-07-31", "2026-01-01"}) {
    for (std::string named : {"", R"("policy":"P",)"}) {
      std::string json = assign(item(), "", day);
      json.insert(1, named);
      auto req = e.parse(json);
      INFO(day << " " << named);
      if (!req) continue;
      xy::Evaluator ev(e.bundle());
      CHECK(ev.decide(*req).outcome == xy::ir::Outcome::NotPermitted);
    }
  }
}

TEST_CASE("the as_of override decides which rules are in force", "[semantics][periods]") {
  Engine e(
      check_policy("  rule Old permit effective 2015-07-01 to 2023-03-14\n"
                   "  rule New forbid effective 2023-03-15\n"));
  auto before = e.decide(assign(item(), "", "2023-03-15"), date(2023, 3, 14));
  CHECK(before.json.at("as_of") == "2023-03-14");
  CHECK(before.reasons() == Strings{"Old"});
  auto after = e.decide(assign(item(), "", "2023-03-14"), date(2023, 3, 15));
  CHECK(after.reasons() == Strings{"New"});
  auto today = e.decide(R"({"action":"Assign","facts":{"item":{)" + item() + "}}}", std::nullopt,
                        date(2023, 3, 15));
  CHECK(today.json.at("as_of") == "2023-03-15");
  CHECK(today.outcome() == "deny");
}

TEST_CASE("every quantifier witness gets its own reason", "[semantics][quantifiers]") {
  Engine e(check_policy(
      "  rule N3 forbid when any p in people: p.crime is some and p.released + 5年 > as_of\n"
      "    because \"{p.name}：{p.crime}，{p.released}刑满释放，不满五年\"\n"));
  std::string people = R"("people":[
      {"name":"李某","crime":null,"birth":"1980-01-01"},
      {"name":"王某","crime":"盗窃","released":"2010-01-01","birth":"1980-01-01"},
      {"name":"张某","crime":"聚众斗殴","released":"2020-07-15","birth":"1980-01-01"},
      {"name":"赵某","crime":"寻衅滋事","released":"2021-01-01","birth":"1980-01-01"}])";
  auto d = e.decide(assign(item(), people));
  CHECK(d.outcome() == "deny");
  CHECK(d.texts() == Strings{"张某：聚众斗殴，2020-07-15刑满释放，不满五年",
                             "赵某：寻衅滋事，2021-01-01刑满释放，不满五年"});
}

TEST_CASE("quantifiers over an empty set, all, count and size", "[semantics][quantifiers]") {
  Engine e(
      check_policy("  rule E1 forbid when all t in item.tags: t = \"x\"\n"
                   "  rule E2 forbid when any t in item.tags: t = \"x\"\n"
                   "  rule E3 forbid when count(t in item.tags: t = \"x\") = 0\n"
                   "  rule E4 forbid when size(item.tags) = 0\n"));
  auto d = e.decide(assign(item()));
  CHECK(d.reasons() == Strings{"E1", "E3", "E4"});
  auto x = e.decide(assign(R"("name":"n","fee":0,"n":1,"tags":["x","x"])"));
  CHECK(x.reasons() == Strings{"E1", "E2"});
}

TEST_CASE("a quantifier over a set with an unknown element is unknown unless decided",
          "[semantics]") {
  Engine e(check_policy("  rule Q forbid when any p in people: p.crime = \"x\"\n"));
  // The first element's crime is ill-typed (unknown); the second decides `any`.
  std::string people = R"("people":[{"name":"b","birth":"1980-01-01","crime":7},
                                     {"name":"a","birth":"1980-01-01","crime":"x"}])";
  CHECK(e.decide(assign(item(), people)).outcome() == "deny");
  std::string unknown = R"("people":[{"name":"a","crime":7,"birth":"1980-01-01"}])";
  CHECK(e.decide(assign(item(), unknown)).outcome() == "indeterminate");
}

TEST_CASE("more than half: exactly half is not more than half", "[semantics][thresholds]") {
  Engine e(
      check_policy("  rule Q22 permit when present * 2 > total\n"
                   "  rule Q23 permit when present > total / 2\n"));
  auto half = e.decide(assign(item(), R"("present":100,"total":200)"));
  CHECK(half.outcome() == "not_permitted");
  auto more = e.decide(assign(item(), R"("present":101,"total":200)"));
  CHECK(more.reasons() == Strings{"Q22", "Q23"});
  auto odd = e.decide(assign(item(), R"("present":10,"total":21)"));  // 10 < 10.5
  CHECK(odd.outcome() == "not_permitted");
}

TEST_CASE("at least two thirds: exactly two thirds is enough", "[semantics][thresholds]") {
  Engine e(
      check_policy("  rule Q permit when present >= total * 三分之二\n"
                   "  rule R permit when present * 3 >= total * 2\n"));
  CHECK(e.decide(assign(item(), R"("present":100,"total":150)")).reasons() == Strings{"Q", "R"});
  CHECK(e.decide(assign(item(), R"("present":99,"total":150)")).outcome() == "not_permitted");
  CHECK(e.decide(assign(item(), R"("present":200,"total":301)")).outcome() == "not_permitted");
  CHECK(e.decide(assign(item(), R"("present":201,"total":301)")).outcome() == "permit");
}

TEST_CASE("date plus duration boundaries and age in whole years", "[semantics][dates]") {
  Engine e(
      check_policy("  rule W forbid when item.due is some and item.due + 5年 > as_of\n"
                   "  rule D permit when item.due is some and item.due + 30日 <= as_of\n"
                   "  rule G permit when any p in people: age(p.birth, as_of) >= 18\n"));
  auto five = e.decide(assign(item(R"("due":"2019-03-01")"), "", "2024-03-01"));
  CHECK(five.reasons() == Strings{"D"});
  auto day_before = e.decide(assign(item(R"("due":"2019-03-01")"), "", "2024-02-29"));
  CHECK(day_before.reasons() == Strings{"W"});
  std::string p = R"("people":[{"name":"x","birth":"2006-05-10"}])";
  CHECK(e.decide(assign(item(), p, "2024-05-10")).reasons() == Strings{"G"});
  CHECK(e.decide(assign(item(), p, "2024-05-09")).outcome() == "not_permitted");
}

TEST_CASE("reason templates format every kind of value exactly", "[semantics]") {
  Engine e(check_policy(
      "  rule T permit because \"{{{item.name}}} {item.fee} {from.level} {item.approved.name} "
      "{item.due} {item.period} {item.tags} {as_of}\"\n"));
  auto d = e.decide(assign(
      R"("name":"n","fee":"1/8","tags":["a","b"],"n":1,"due":"2024-02-29","period":"1年6个月")"));
  CHECK(d.texts() == Strings{"{n} 0.125 town — 2024-02-29 1年6个月 a、b 2024-05-01"});
}
