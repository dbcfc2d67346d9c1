// Chinese and English keywords: the same policy written both ways decides every request alike.
#include <boost/json.hpp>

#include "test_util.h"
#include "xiangyue/runtime/engine.h"

using namespace xyt;

namespace {

const std::string kEnglish = R"(schema {
  enum Level ordered { village, town, county }
  entity Body { name: text, level: Level }
  record Item { name: text, fee: money, approved: Body?, tags: set<text> }
  action Assign { from: Body, item: Item }
}
list Duties { "mediate", "publicize" }
list Banned { "dogs" }
policy Admission {
  kind check
  default not_permitted
  for Assign
  effective 2022-08-01
  rule A1 permit when item.name in Duties because "{item.name} is a duty"
    basis "《村民委员会组织法》第二条第二款"
  rule A7 forbid when item.name in Banned because "banned"
  rule A1x forbid when item.name not in Duties and not (item.name in Banned)
    because "{item.name} is not listed"
  rule A4 exception to A1x permit
    when item.approved is some and item.approved.level >= county and item.fee > 0
    because "approved by {item.approved.name}" effective 2023-01-01 to 2030-12-31
  rule A9 forbid when any t in item.tags: t = "secret" or item.fee > 2万元 or count(t in item.tags) >= 3
    because "tag {t}"
}
)";

const std::string kChinese = R"(结构 {
  枚举 Level 有序 { village、town、county }
  实体 Body { name: 文本，level: Level }
  记录 Item { name: 文本; fee: 金额; approved: Body?; tags: 集合<文本> }
  行为 Assign { from: Body
    item: Item }
}
清单 Duties { “mediate”、「publicize」 }
清单 Banned { "dogs" }
政策 Admission {
  类型 检查
  默认 不予许可
  针对 Assign
  生效 2022年8月1日
  规则 A1 允许 当 item.name 属于 Duties 理由 "{item.name} is a duty"
    依据 "《村民委员会组织法》第二条第二款"
  规则 A7 禁止 如果 item.name 属于 Banned 理由 "banned"
  规则 A1x 禁止 当 item.name 不属于 Duties 并且 非 (item.name 属于 Banned)
    理由 "{item.name} is not listed"
  规则 A4 例外于 A1x 允许
    当 item.approved 有值 且 item.approved.level 不低于 county 且 item.fee 超过 0
    理由 "approved by {item.approved.name}" 生效 2023-01-01 至 2030年12月31日
  规则 A9 禁止 当 任一 t 属于 item.tags：t 等于 "secret" 或者 item.fee 大于 2万元 或 计数(t 属于 item.tags) 不少于 3
    理由 "tag {t}"
}
)";

const char* kRequests[] = {
    R"({"action":"Assign","as_of":"2024-05-01","facts":{"from":{"name":"T","level":"town"},"item":{"name":"mediate","fee":0,"tags":[]}}})",
    R"({"action":"Assign","as_of":"2024-05-01","facts":{"from":{"name":"T","level":"town"},"item":{"name":"dogs","fee":0,"tags":[]}}})",
    R"({"action":"Assign","as_of":"2024-05-01","facts":{"from":{"name":"T","level":"town"},"item":{"name":"ledger","fee":0,"tags":[]}}})",
    R"({"action":"Assign","as_of":"2024-05-01","facts":{"from":{"name":"T","level":"town"},"item":{"name":"ledger","fee":"1.5万","approved":{"name":"County","level":"county"},"tags":["a"]}}})",
    R"({"action":"Assign","as_of":"2022-12-31","facts":{"from":{"name":"T","level":"town"},"item":{"name":"ledger","fee":5,"approved":{"name":"County","level":"county"},"tags":[]}}})",
    R"({"action":"Assign","as_of":"2024-05-01","facts":{"from":{"name":"T","level":"town"},"item":{"name":"ledger","approved":{"name":"County","level":"county"},"tags":[]}}})",
    R"({"action":"Assign","as_of":"2024-05-01","facts":{"from":{"name":"T","level":"town"},"item":{"name":"mediate","fee":1,"tags":["x","secret"]}}})",
    R"({"action":"Assign","as_of":"2024-05-01","facts":{"from":{"name":"T","level":"town"},"item":{"name":"mediate","fee":"abc","tags":["x","y"]}}})",
    R"({"action":"Assign","as_of":"2022-07-31","facts":{"from":{"name":"T","level":"town"},"item":{"name":"mediate","fee":0,"tags":[]}}})",
};

// The decision JSON without what legitimately differs: source locations and the bundle hash.
std::string decide(const xy::Bundle& b, const char* request) {
  auto req = xy::parse_request(b, request, std::nullopt, *xy::Date::from_ymd(2024, 1, 1));
  if (!req) return "rejected: " + req.error().message.en;
  xy::Evaluator ev(b);
  auto d = ev.decide(*req);
  auto v = boost::json::parse(xy::decision_json(b, *req, d));
  auto& o = v.as_object();
  o.erase("bundle");
  for (const char* key : {"reasons", "overridden"})
    for (auto& x : o[key].as_array()) x.as_object().erase("location");
  return boost::json::serialize(v);
}

}  // namespace

TEST_CASE("Chinese and English keywords give the same decisions", "[keywords]") {
  auto en = compile(kEnglish, "p.xy");
  auto zh = compile(kChinese, "p.xy");
  INFO(dump(en) << dump(zh));
  REQUIRE(en.bundle);
  REQUIRE(zh.bundle);
  CHECK(en.bundle->rules.size() == zh.bundle->rules.size());
  std::vector<std::string> outcomes;
  for (const char* request : kRequests) {
    std::string a = decide(*en.bundle, request), b = decide(*zh.bundle, request);
    INFO(request);
    CHECK(a == b);
    auto start = a.find("\"outcome\":\"");
    outcomes.push_back(start == std::string::npos ? a.substr(0, 8) : a.substr(start + 11, 6));
  }
  // The requests cover every outcome, so agreement is not vacuous.
  CHECK(outcomes == std::vector<std::string>{"permit", "deny\",", "deny\",", "permit", "deny\",",
                                             "indete", "deny\",", "indete", "rejected"});
}
