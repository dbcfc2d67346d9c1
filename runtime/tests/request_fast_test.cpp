// parse_request reads plain requests without a JSON document (request_fast.cpp) and everything
// else through the general path. Both must build the same request and give the same messages.
#include "request_fast.h"
#include "robustness/mutator.h"
#include "rt_util.h"

using namespace rt;

namespace {

bool same_value(const xy::Value& a, const xy::Value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case xy::ValueKind::Missing:
      return a.problem == b.problem;
    case xy::ValueKind::None:
      return true;
    case xy::ValueKind::Bool:
      return a.b == b.b;
    case xy::ValueKind::Number:
      return a.num == b.num;
    case xy::ValueKind::Text:
      return a.as_text() == b.as_text();
    case xy::ValueKind::Date:
      return a.date == b.date;
    case xy::ValueKind::Duration:
      return a.dur.to_string() == b.dur.to_string();
    case xy::ValueKind::Enum:
      return a.ordinal == b.ordinal;
    case xy::ValueKind::Set:
    case xy::ValueKind::Record:
      if (a.seq.size != b.seq.size) return false;
      for (std::uint32_t i = 0; i < a.seq.size; ++i)
        if (!same_value(a.seq.items[i], b.seq.items[i])) return false;
      return true;
  }
  return false;
}

// Parses `text` both ways and checks they agree; returns whether the fast path took it.
bool agree(const xy::Bundle& b, const std::string& text, std::optional<xy::Date> as_of) {
  xy::Date today = date(2024, 5, 1);
  auto general = xy::request_detail::parse_general(b, text, as_of, today);
  auto full = xy::parse_request(b, text, as_of, today);
  xy::Request plain;
  bool fast = xy::request_detail::parse_plain(b, text, as_of, today, plain);
  INFO(text);
  REQUIRE(general.ok() == full.ok());
  if (!general.ok()) {
    CHECK(general.error().message.en == full.error().message.en);
    CHECK(general.error().message.zh == full.error().message.zh);
    CHECK_FALSE(fast);
    return fast;
  }
  CHECK(general->action == full->action);
  CHECK(general->policy == full->policy);
  CHECK(general->as_of == full->as_of);
  CHECK(same_value(general->facts, full->facts));
  REQUIRE(general->problems.size() == full->problems.size());
  for (std::size_t i = 0; i < general->problems.size(); ++i) {
    CHECK(general->problems[i].path == full->problems[i].path);
    CHECK(general->problems[i].detail.en == full->problems[i].detail.en);
    CHECK(general->problems[i].detail.zh == full->problems[i].detail.zh);
  }
  if (fast) {  // only ever for a request the general path takes without a problem
    CHECK(general->problems.empty());
    CHECK(general->action == plain.action);
    CHECK(general->policy == plain.policy);
    CHECK(general->as_of == plain.as_of);
    CHECK(same_value(general->facts, plain.facts));
  }
  return fast;
}

const std::string kPeople =
    R"("people":[{"name":"张三","birth":"1980-01-02"},)"
    R"({"name":"李四","crime":"盗窃","released":"2021-03-04","birth":"1990-05-06"}])";

std::vector<std::string> plain_requests() {
  std::vector<std::string> out = {
      assign(item()),
      assign(item(R"("approved":{"name":"县政府","level":"county"},"due":"2025-01-31")"),
             kPeople + R"(,"present":3,"total":4)"),
      assign(R"("name":"x","n":2,"ratio":"2/3","period":"5年","fee":"2万元","tags":["a","b","c"])"),
      assign(item(R"("approved":null,"ratio":null,"due":null)"), R"("present":null)"),
      R"({"facts":{"from":{"name":"x","level":"city"}},"action":"Assign"})",
      R"({"action":"Assign","facts":null})",
      R"({"action":"Assign"})",
      R"({"action":"Assign","policy":"P","id":{"trace":[1,-2,true,null,{"k":"v"}]}})",
      R"({"\u0061ction":"Assign","facts":{"item":{"n\u0061me":"\"q\"\\\/\b\f\n\r\t\u0000\u4e2d\ud83d\ude00"}}})",
      " \t\r\n{ \"action\" : \"Assign\" , \"facts\" : { \"item\" : { \"tags\" : [ ] } } } \n",
      assign(
          R"("name":"x","fee":0,"n":1,"tags":["0","1","2","3","4","5","6","7","8","9","10","11",)"
          R"("12","13","14","15","16","17"])"),
  };
  std::string many;
  for (int i = 0; i < 300; ++i)
    many += std::string(i ? "," : "") + R"({"name":"p)" + std::to_string(i) +
            R"(","birth":"1990-01-01"})";
  out.push_back(assign(item(), R"("people":[)" + many + "]"));
  return out;
}

}  // namespace

TEST_CASE("plain requests take the fast path and build what the general path builds",
          "[request][fast]") {
  Engine e(check_policy("  rule A permit when item.name in Duties\n"));
  for (const auto& r : plain_requests()) {
    INFO(r);
    CHECK(agree(e.bundle(), r, std::nullopt));
    CHECK(agree(e.bundle(), r, date(2023, 1, 1)));
  }
}

TEST_CASE("anything unusual goes to the general path, with the same result", "[request][fast]") {
  Engine e(check_policy("  rule A permit when item.name in Duties\n"));
  const std::vector<std::string> general = {
      "",
      "{",
      "[]",
      "{}",
      R"({"action":"Assign",})",
      R"({"action":"Assign"} x)",
      R"({"action":"Assign","action":"Assign"})",
      R"({"action":"Assign","facts":{"item":{"n":1,"n":2}}})",
      R"({"action":"Assign","facts":{"item":{"n":1.0}}})",
      R"({"action":"Assign","facts":{"item":{"n":-0}}})",
      R"({"action":"Assign","facts":{"item":{"n":12345678901234567890}}})",
      R"({"action":"Assign","facts":{"item":{"name":7}}})",
      R"({"action":"Assign","facts":{"item":{"name":"\ud800"}}})",
      R"({"action":"Assign","facts":{"item":{"nmae":"x"}}})",
      R"({"action":"Assign","facts":{"from":{"level":"capital"}}})",
      R"({"action":"Assign","facts":[]})",
      R"({"action":"Assign","as_of":"2023-02-29"})",
      R"({"action":"Assign","as_of":5})",
      R"({"action":"Assign","policy":"Q"})",
      R"({"action":"Assign","policy":7})",
      R"({"action":"Asign"})",
      R"({"action":"Logic"})",
      R"({"action":"Assign","facts":{"item":{"name":"\x"}}})",
      "{\"action\":\"Assign\",\"facts\":{\"item\":{\"name\":\"\xff\"}}}",
      "{\"action\":\"Assign\",\"facts\":{\"item\":{\"name\":\"\xed\xa0\x80\"}}}",
      "{\"action\":\"Assign\",\"facts\":{\"item\":{\"name\":\"tab\there\"}}}",
      "\xef\xbb\xbf{\"action\":\"Assign\"}",
      R"({"action":"Assign","id":)" + std::string(100, '[') + std::string(100, ']') + "}",
  };
  for (const auto& r : general) {
    CHECK_FALSE(agree(e.bundle(), r, std::nullopt));
  }
  // Mutants of plain requests: whatever each path makes of them, they agree.
  robust::Mutator m(20261126);
  std::vector<std::string> pool = {"\"\\u4e2d\"", "\"\\n\"", "1.5", "-0", "null", "{", "]", ","};
  std::size_t fast = 0, total = 0;
  for (const auto& r : plain_requests()) {
    for (int i = 0; i < 400; ++i) {
      std::string t = i % 2 ? m.mutate_json(r, pool) : m.mutate(r, pool);
      fast += agree(e.bundle(), t, std::nullopt);
      ++total;
    }
  }
  INFO(fast << " of " << total << " mutants took the fast path");
  CHECK(fast > 0);
}

TEST_CASE("request_action reads a plain request's action and nothing else", "[request]") {
  CHECK(xy::request_action(
            R"({"as_of": "2024-05-01", "action": "下派事项", "facts": {"a": [1, {}]}})") ==
        std::optional<std::string>("下派事项"));
  CHECK(xy::request_action(R"( {"action":"a\u0062"} )") == std::optional<std::string>("ab"));
  CHECK_FALSE(xy::request_action(R"({"action": "x")"));                  // truncated
  CHECK_FALSE(xy::request_action(R"({"action": "x", "action": "y"})"));  // twice
  CHECK_FALSE(xy::request_action(R"({"action": 5})"));
  CHECK_FALSE(xy::request_action(R"({"facts": {}})"));
  CHECK_FALSE(xy::request_action(R"({"action": "x"} extra)"));
  CHECK_FALSE(xy::request_action(R"({"action": "x", "n": 1.5})"));  // left to Boost.JSON
}
