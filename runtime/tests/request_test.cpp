// Request parsing: valid requests, rejected ones, ill-typed facts, optionals and exact numbers.
#include "rt_util.h"

using namespace rt;

namespace {
// Shows the parsed fee through a reason, so the exact value the request produced is visible.
const std::string kShowFee = check_policy(
    "  rule F permit when item.fee >= 0 - 1000000000 because \"{item.fee}\"\n"
    "  rule R permit when item.ratio is some because \"{item.ratio}\"\n");
}  // namespace

TEST_CASE("a valid request is parsed against the schema", "[request]") {
  Engine e(check_policy("  rule A permit when item.name in Duties\n"));
  auto req = e.parse(assign(item(R"("approved":{"name":"County","level":"county"})"),
                            R"("people":[],"present":3,"total":4)"));
  REQUIRE(req.ok());
  CHECK(req->action == e.bundle().action_by_name.at("Assign"));
  CHECK(req->policy == 0);
  CHECK(req->as_of == date(2024, 5, 1));
  CHECK(req->problems.empty());
  CHECK(req->facts.kind == xy::ValueKind::Record);
}

TEST_CASE("an unknown action is rejected with a suggestion", "[request]") {
  Engine e(check_policy(""));
  auto msg = e.rejected(R"({"action":"Asign","facts":{}})");
  CHECK(msg.find("unknown action `Asign`") != std::string::npos);
  CHECK(msg.find("did you mean `Assign`?") != std::string::npos);
}

TEST_CASE("an unknown fact is rejected with a suggestion, at any depth", "[request]") {
  Engine e(check_policy(""));
  auto top = e.rejected(R"({"action":"Assign","facts":{"itme":{}}})");
  CHECK(top.find("`itme`") != std::string::npos);
  CHECK(top.find("did you mean `item`?") != std::string::npos);
  auto nested = e.rejected(assign(item(R"("nmae":"x")")));
  CHECK(nested.find("`nmae`") != std::string::npos);
  CHECK(nested.find("did you mean `name`?") != std::string::npos);
}

TEST_CASE("malformed requests are rejected with a message", "[request]") {
  Engine e(check_policy(""));
  CHECK(e.rejected("{").find("not valid JSON") != std::string::npos);
  CHECK(e.rejected("[1,2]").find("JSON object") != std::string::npos);
  CHECK(e.rejected(R"({"facts":{}})").find("action") != std::string::npos);
  CHECK(e.rejected(R"({"action":7})").find("action") != std::string::npos);
  CHECK(e.rejected(R"({"action":"Assign","fact":{}})").find("`fact`") != std::string::npos);
  CHECK(e.rejected(R"({"action":"Assign","facts":[]})").find("facts") != std::string::npos);
  CHECK(e.rejected(R"({"action":"Assign","as_of":"2023-02-29"})").find("as_of") !=
        std::string::npos);
  CHECK(e.rejected(R"({"action":"Assign","policy":"Q"})").find("`Q`") != std::string::npos);
  std::string deep = std::string(100, '[') + std::string(100, ']');
  e.rejected(R"({"action":"Assign","facts":{"item":)" + deep + "}}");
}

TEST_CASE("a request for an action no policy decides is rejected", "[request]") {
  Engine e(check_policy(""));
  CHECK(e.rejected(R"({"action":"Logic","facts":{}})").find("Logic") != std::string::npos);
}

TEST_CASE("an ill-typed fact is an invalid problem and makes the decision indeterminate",
          "[request]") {
  Engine e(check_policy("  rule A permit when item.fee > 0\n  rule B permit when item.n > 5\n"));
  auto d = e.decide(assign(R"("name":"x","fee":"若干","tags":[],"n":1)"));
  REQUIRE(d.request.problems.size() == 1);
  CHECK(d.request.problems[0].path == "item.fee");
  CHECK(d.outcome() == "indeterminate");
  CHECK(d.reasons().empty());
  const auto& miss = d.json.at("missing").as_array();
  REQUIRE(miss.size() == 1);
  CHECK(miss[0].at("fact") == "item.fee");
  CHECK(miss[0].at("problem") == "invalid");
  CHECK(miss[0].at("rules").as_array() == boost::json::array{"A"});
  CHECK(std::string(miss[0].at("detail").as_string()).find("若干") != std::string::npos);
}

TEST_CASE("ill-typed facts of every kind are invalid problems, not rejections", "[request]") {
  Engine e(check_policy("  rule A permit when item.n > 0\n"));
  for (std::string bad :
       {R"("n":1.5)", R"("n":"x")", R"("n":true)", R"("n":[1])", R"("n":9223372036854775808)",
        R"("due":"2023-02-29")", R"("due":20240101)", R"("period":"5 eons")", R"("tags":"a")",
        R"("tags":[1])", R"("approved":{"name":"X","level":"district"})", R"("approved":"X")"}) {
    std::string it = R"("name":"x","fee":0)";
    if (bad.find("\"n\"") == std::string::npos) it += R"(,"n":1)";
    if (bad.find("\"tags\"") == std::string::npos) it += R"(,"tags":[])";
    auto req = e.parse(assign(it + "," + bad));
    INFO(bad << (req ? "" : " rejected: " + req.error().message.en));
    REQUIRE(req.ok());
    CHECK(req->problems.size() == 1);
  }
}

TEST_CASE("optional facts: null and absent are a known none", "[request]") {
  Engine e(
      check_policy("  rule A permit when item.approved is none\n"
                   "  rule B permit when item.due < 2024-01-01\n"));
  for (std::string more : {"", R"("approved":null,"due":null)"}) {
    auto d = e.decide(assign(item(more)));
    INFO(more);
    CHECK(d.outcome() == "permit");
    CHECK(d.reasons() == Strings{"A"});
    CHECK(d.missing().empty());  // a comparison with none is false, not unknown
  }
  auto set =
      e.decide(assign(item(R"("approved":{"name":"C","level":"county"},"due":"2023-12-31")")));
  CHECK(set.reasons() == Strings{"B"});
}

TEST_CASE("a required fact given as null is missing, not none", "[request]") {
  Engine e(check_policy("  rule A permit when item.fee > 0\n"));
  auto d = e.decide(assign(R"("name":"x","fee":null,"tags":[],"n":1)"));
  CHECK(d.outcome() == "indeterminate");
  REQUIRE(d.json.at("missing").as_array().size() == 1);
  CHECK(d.json.at("missing").as_array()[0].at("problem") == "missing");
}

TEST_CASE("numbers as JSON ints, decimals and exact strings", "[request][numbers]") {
  Engine e(kShowFee);
  auto fee = [&](const std::string& json) {
    auto d = e.decide(assign(R"("name":"x","tags":[],"n":1,"fee":)" + json));
    INFO(json);
    REQUIRE(d.texts().size() == 1);
    return d.texts()[0];
  };
  CHECK(fee("20000") == "20000");
  CHECK(fee("-3") == "-3");
  CHECK(fee("0.5") == "0.5");
  CHECK(fee("1.25") == "1.25");
  CHECK(fee("0.1") == "0.1");
  CHECK(fee(R"("1.25")") == "1.25");
  CHECK(fee(R"("2/3")") == "2/3");
  CHECK(fee(R"("2万元")") == "20000");
  CHECK(fee(R"("1.5万")") == "15000");
  CHECK(fee(R"("三分之二")") == "2/3");
  CHECK(fee(R"("20000.01")") == "20000.01");
}

TEST_CASE("exact numbers compare exactly", "[request][numbers]") {
  Engine e(check_policy("  rule T permit when item.fee >= 2万元 and item.ratio = 2 / 3\n"));
  CHECK(e.decide(assign(item(R"("ratio":"2/3")"))).outcome() == "not_permitted");  // fee 0
  auto ok = e.decide(assign(R"("name":"x","tags":[],"n":1,"fee":"2万元","ratio":"4/6")"));
  CHECK(ok.outcome() == "permit");
  auto below = e.decide(assign(R"("name":"x","tags":[],"n":1,"fee":"19999.99","ratio":"2/3")"));
  CHECK(below.outcome() == "not_permitted");
}

TEST_CASE("an integer fact accepts whole numbers in any form, not fractions",
          "[request][numbers]") {
  Engine e(check_policy("  rule A permit when item.n = 3\n"));
  CHECK(e.decide(assign(R"("name":"x","fee":0,"tags":[],"n":3)")).outcome() == "permit");
  CHECK(e.decide(assign(R"("name":"x","fee":0,"tags":[],"n":"3")")).outcome() == "permit");
  CHECK(e.decide(assign(R"("name":"x","fee":0,"tags":[],"n":3.0)")).outcome() == "permit");
  CHECK(e.decide(assign(R"("name":"x","fee":0,"tags":[],"n":"7/2")")).outcome() == "indeterminate");
}

TEST_CASE("as_of: the request's, the override, or today", "[request]") {
  Engine e(check_policy(""));
  auto own = e.parse(assign(item(), "", "2023-03-15"));
  REQUIRE(own.ok());
  CHECK(own->as_of == date(2023, 3, 15));
  auto over = e.parse(assign(item(), "", "2023-03-15"), date(2023, 3, 14));
  REQUIRE(over.ok());
  CHECK(over->as_of == date(2023, 3, 14));
  auto today = e.parse(R"({"action":"Assign","facts":{}})", std::nullopt, date(2025, 1, 2));
  REQUIRE(today.ok());
  CHECK(today->as_of == date(2025, 1, 2));
  auto cn = e.parse(assign(item(), "", "2024年3月1日"));
  REQUIRE(cn.ok());
  CHECK(cn->as_of == date(2024, 3, 1));
}

TEST_CASE("several policies for one action need `policy` in the request", "[request]") {
  Engine e(check_policy("  rule A permit\n") +
           "policy Q {\n  kind check\n  default permit\n  for Assign\n  rule B forbid\n}\n");
  CHECK(e.rejected(assign(item())).find("several policies") != std::string::npos);
  std::string named = assign(item());
  named.insert(1, R"("policy":"Q",)");
  auto d = e.decide(named);
  CHECK(d.json.at("policy") == "Q");
  CHECK(d.outcome() == "deny");
}
