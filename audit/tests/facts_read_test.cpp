// "The facts read": the fact paths the rules a decision names read, found in the compiled rules,
// and their values in the stored (masked) request.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "xiangyue/audit/facts_read.h"
#include "xiangyue/audit/store.h"
#include "xiangyue/compiler/compiler.h"

namespace {

namespace json = boost::json;
using xy::Lang;
using xy::audit::FactRead;
using xy::audit::FactsRead;
using xy::audit::FactValue;
using Kind = xy::audit::FactValue::Kind;

const char* kCheck = R"(
schema {
  record 机关 { 名称: text, 层级: text }
  record 批准 { 文号: text, 日期: date }
  record 事项 { 名称: text, 类别: text, 经费: number, 准入批准: 批准? }
  action 下派事项 { 发起: 机关, 事项: 事项, 经办人身份证号: text sensitive }
}
policy 准入 {
  kind check
  default permit
  rule A1 forbid 下派事项 when 事项.类别 = "工作事项" and 发起.层级 = "乡镇"
    because "「{事项.名称}」由{发起.名称}下派"
  rule A2 forbid 下派事项 when 事项.名称 = "台账" because "「{事项.名称}」是台账"
  rule A3 forbid 下派事项 when 事项.经费 <= 0
  rule A4 exception to A1 permit 下派事项 when 事项.准入批准 is some
    because "已经批准：{事项.准入批准.文号}"
  rule A5 forbid 下派事项 when 经办人身份证号 = "110101199001011234"
}
)";

const char* kReview = R"(
schema {
  record 记录 { 罪名: text, 释放日: date, 部门: text }
  action 联审 { 姓名: text sensitive, 刑事记录: set<记录> }
}
policy 联审 {
  kind review
  default pass
  rule R1 reject 联审 when any r in 刑事记录: r.释放日 + 5年 > as_of
    because "{r.部门}：{r.罪名}，{r.释放日}释放"
  rule R2 refer 联审 when size(刑事记录) > 1
}
)";

xy::Bundle compile(const char* text) {
  auto r = xy::compile_sources({xy::SourceFile{"p.xy", text}});
  for (const auto& d : r.diagnostics.sorted())
    UNSCOPED_INFO(d.span.line << ":" << d.span.column << " " << d.message.en);
  REQUIRE(r.bundle);
  return std::move(*r.bundle);
}

std::uint32_t rule(const xy::Bundle& b, const std::string& id) {
  for (std::uint32_t i = 0; i < b.rules.size(); ++i)
    if (b.rules[i].id == id) return i;
  FAIL("no rule " << id);
  return 0;
}

// A decision as the audit store keeps it: the request masked, the decision as JSON.
struct Recorded {
  std::string request, decision;
};

Recorded record(const xy::Bundle& b, const std::string& request) {
  auto req = xy::parse_request(b, request, std::nullopt, xy::Date{});
  REQUIRE(req);
  xy::Evaluator ev(b);
  auto d = ev.decide(*req);
  return {xy::audit::mask_request(b, req->action, request, "test-key"),
          xy::decision_json(b, *req, d)};
}

const FactRead& fact(const FactsRead& f, const std::string& path) {
  for (const auto& x : f.facts)
    if (x.path == path) return x;
  FAIL("no fact read " << path);
  return f.facts.front();
}

std::vector<std::string> paths(const FactsRead& f) {
  std::vector<std::string> out;
  for (const auto& x : f.facts) out.push_back(x.path);
  return out;
}

std::string text(const FactValue& v, Lang lang = Lang::en) {
  return xy::audit::fact_value_text(v, lang);
}

using V = std::vector<std::string>;

const char* kDenied =
    R"({"action":"下派事项","as_of":"2024-05-01","facts":{"发起":{"名称":"某镇人民政府","层级":"乡镇"},)"
    R"("事项":{"名称":"台账","类别":"工作事项","经费":0},"经办人身份证号":"110101199001011234"}})";

}  // namespace

TEST_CASE("facts read: a simple rule's condition, then its reason", "[audit][facts_read]") {
  xy::Bundle b = compile(kCheck);
  CHECK(xy::audit::rule_reads(b, rule(b, "A1")) ==
        V{"事项.类别", "发起.层级", "事项.名称", "发起.名称"});
  CHECK(xy::audit::rule_reads(b, rule(b, "A3")) == V{"事项.经费"});
  // `事项.准入批准 is some` reads the record, the reason a field of it: only the field is listed
  CHECK(xy::audit::rule_reads(b, rule(b, "A4")) == V{"事项.准入批准.文号"});
}

TEST_CASE("facts read: a quantifier reads each element's fields", "[audit][facts_read]") {
  xy::Bundle b = compile(kReview);
  // the condition reads 释放日 of every record; the reason names 部门 and 罪名 (and 释放日 again)
  CHECK(xy::audit::rule_reads(b, rule(b, "R1")) ==
        V{"刑事记录[].释放日", "刑事记录[].部门", "刑事记录[].罪名"});
  // size() reads the set itself
  CHECK(xy::audit::rule_reads(b, rule(b, "R2")) == V{"刑事记录"});

  Recorded r =
      record(b, R"({"action":"联审","as_of":"2021-06-01","facts":{"姓名":"张三","刑事记录":[)"
                R"({"罪名":"寻衅滋事罪","释放日":"2019-01-01","部门":"县人民法院"},)"
                R"({"罪名":"盗窃罪","部门":"县公安局"}]}})");
  FactsRead f = xy::audit::facts_read(b, r.request, r.decision);
  REQUIRE(f.rules.size() == 2);
  CHECK(f.rules[0].rule == "R1");
  CHECK(f.rules[1].rule == "R2");
  CHECK(paths(f) == V{"刑事记录[].释放日", "刑事记录[].部门", "刑事记录[].罪名", "刑事记录"});
  const FactValue& released = fact(f, "刑事记录[].释放日").value;
  REQUIRE(released.kind == Kind::Each);
  REQUIRE(released.each.size() == 2);
  CHECK(released.each[0].kind == Kind::Present);
  CHECK(released.each[0].json == json::value("2019-01-01"));
  CHECK(released.each[1].kind == Kind::Missing);  // the second record has no 释放日
  CHECK(text(released) == "[2019-01-01, (missing)]");
  CHECK(text(released, Lang::zh) == "[2019-01-01, （缺失）]");
  CHECK(text(fact(f, "刑事记录[].部门").value) == "[县人民法院, 县公安局]");
  CHECK(fact(f, "刑事记录[].部门").rules == V{"R1"});
  CHECK(
      text(fact(f, "刑事记录").value) ==
      "[{罪名: 寻衅滋事罪, 释放日: 2019-01-01, 部门: 县人民法院}, {罪名: 盗窃罪, 部门: 县公安局}]");
  CHECK(fact(f, "刑事记录").rules == V{"R2"});
  // the sensitive 姓名 is read by no rule, so it is not listed at all
  for (const auto& x : f.facts) CHECK(text(x.value).find("张") == std::string::npos);
}

TEST_CASE("facts read: values, masked facts and de-duplication over the rules",
          "[audit][facts_read]") {
  xy::Bundle b = compile(kCheck);
  Recorded r = record(b, kDenied);
  REQUIRE(r.request.find("110101199001011234") == std::string::npos);  // stored masked
  FactsRead f = xy::audit::facts_read(b, r.request, r.decision);
  CHECK(f.unknown_rules.empty());
  REQUIRE(f.rules.size() == 4);  // the deny names A1, A2, A3, A5; A4 did not apply
  CHECK(f.rules[1].rule == "A2");
  CHECK(f.rules[1].paths == V{"事项.名称"});
  CHECK(paths(f) ==
        V{"事项.类别", "发起.层级", "事项.名称", "发起.名称", "事项.经费", "经办人身份证号"});
  // read by two rules, listed once
  CHECK(fact(f, "事项.名称").rules == V{"A1", "A2"});
  CHECK(fact(f, "事项.名称").value.json == json::value("台账"));
  CHECK(fact(f, "发起.层级").value.kind == Kind::Present);
  CHECK(text(fact(f, "发起.层级").value) == "乡镇");
  CHECK(text(fact(f, "事项.经费").value) == "0");
  // the sensitive fact shows its masked text only, never the clear value
  const FactRead& id = fact(f, "经办人身份证号");
  CHECK(id.rules == V{"A5"});
  REQUIRE(id.value.kind == Kind::Masked);
  CHECK(text(id.value) == "11**************34 (masked)");
  CHECK(text(id.value, Lang::zh) == "11**************34（已遮蔽）");
  std::string out = json::serialize(xy::audit::facts_read_json(f.facts));
  CHECK(out.find("110101199001011234") == std::string::npos);
  CHECK(out.find(R"("masked":"11**************34")") != std::string::npos);
}

TEST_CASE("facts read: an overridden rule and the exception that set it aside",
          "[audit][facts_read]") {
  xy::Bundle b = compile(kCheck);
  Recorded r = record(
      b,
      R"({"action":"下派事项","as_of":"2024-05-01","facts":{"发起":{"名称":"某镇人民政府","层级":"乡镇"},)"
      R"("事项":{"名称":"巡查","类别":"工作事项","经费":100,)"
      R"("准入批准":{"文号":"某政函〔2024〕12号","日期":"2024-03-15"}},"经办人身份证号":"x"}})");
  REQUIRE(r.decision.find(R"("outcome":"permit")") != std::string::npos);
  FactsRead f = xy::audit::facts_read(b, r.request, r.decision);
  REQUIRE(f.rules.size() == 2);
  CHECK(f.rules[0].rule == "A4");  // the reason (an exception)
  CHECK(f.rules[1].rule == "A1");  // the rule it set aside
  CHECK(paths(f) == V{"事项.准入批准.文号", "事项.类别", "发起.层级", "事项.名称", "发起.名称"});
  CHECK(text(fact(f, "事项.准入批准.文号").value) == "某政函〔2024〕12号");
  CHECK(fact(f, "事项.类别").rules == V{"A1"});
}

TEST_CASE("facts read: a missing fact shows as missing", "[audit][facts_read]") {
  xy::Bundle b = compile(kCheck);
  Recorded r = record(
      b,
      R"({"action":"下派事项","as_of":"2024-05-01","facts":{"发起":{"名称":"某县民政局","层级":"县"},)"
      R"("事项":{"名称":"巡查","类别":"工作事项"},"经办人身份证号":"x"}})");
  REQUIRE(r.decision.find(R"("outcome":"indeterminate")") != std::string::npos);
  FactsRead f = xy::audit::facts_read(b, r.request, r.decision);
  // no reason: the rule that could not be decided is named by the missing fact it reads
  REQUIRE(f.rules.size() == 1);
  CHECK(f.rules[0].rule == "A3");
  REQUIRE(f.facts.size() == 1);
  CHECK(f.facts[0].path == "事项.经费");
  CHECK(f.facts[0].value.kind == Kind::Missing);
  CHECK(text(f.facts[0].value) == "(missing)");
  CHECK(json::serialize(xy::audit::facts_read_json(f.facts)) ==
        R"([{"path":"事项.经费","value":{"missing":true},"rules":["A3"]}])");
}

TEST_CASE("facts read: no rule named, unknown rules, unreadable records", "[audit][facts_read]") {
  xy::Bundle b = compile(kCheck);
  Recorded r = record(
      b,
      R"({"action":"下派事项","as_of":"2024-05-01","facts":{"发起":{"名称":"某县民政局","层级":"县"},)"
      R"("事项":{"名称":"巡查","类别":"工作事项","经费":5},"经办人身份证号":"x"}})");
  FactsRead f = xy::audit::facts_read(b, r.request, r.decision);  // the default permitted
  CHECK(f.rules.empty());
  CHECK(f.facts.empty());

  f = xy::audit::facts_read(b, kDenied,
                            R"({"policy":"准入","action":"下派事项",)"
                            R"("reasons":[{"rule":"A9"},{"rule":"A3"}]})");
  CHECK(f.unknown_rules == V{"A9"});
  CHECK(paths(f) == V{"事项.经费"});

  CHECK(xy::audit::facts_read(b, kDenied, "not json").facts.empty());
  f = xy::audit::facts_read(b, "not json", R"({"reasons":[{"rule":"A3"}]})");
  REQUIRE(f.facts.size() == 1);
  CHECK(f.facts[0].value.kind == Kind::Missing);
}

TEST_CASE("facts read: looking a path up in the stored facts", "[audit][facts_read]") {
  json::value facts = json::parse(
      R"({"事项":{"名称":"巡查","准入批准":null,"经费":1.5},"标签":["甲","乙"],)"
      R"("候选人":{"身份证号":{"masked":"11**00","hmac":"ab"},)"
      R"("记录":{"masked":"[{**}]","hmac":"cd"}},"组":[{"成员":[{"名":"a"},{"名":"b"}]},{"成员":[]}]})");
  using xy::audit::fact_value;
  CHECK(text(fact_value(facts, "事项.名称")) == "巡查");
  CHECK(text(fact_value(facts, "事项.经费")) == "1.5");
  CHECK(fact_value(facts, "事项.不存在").kind == Kind::Missing);
  CHECK(fact_value(facts, "事项.名称.更深").kind == Kind::Missing);  // text has no fields
  CHECK(fact_value(facts, "事项[].名称").kind == Kind::Missing);     // a record is not a set
  // a part of a record that is none is none
  FactValue none = fact_value(facts, "事项.准入批准.文号");
  CHECK(none.kind == Kind::Present);
  CHECK(none.json.is_null());
  CHECK(text(none) == "none");
  CHECK(text(none, Lang::zh) == "无值");
  CHECK(text(fact_value(facts, "标签[]")) == "[甲, 乙]");
  CHECK(text(fact_value(facts, "候选人.身份证号")) == "11**00 (masked)");
  // inside a masked set: masked as a whole, nothing unmasked
  FactValue inside = fact_value(facts, "候选人.记录[].罪名");
  CHECK(inside.kind == Kind::Masked);
  CHECK(text(inside) == "[{**}] (masked)");
  CHECK(text(fact_value(facts, "组[].成员[].名")) == "[[a, b], []]");
}

TEST_CASE("facts read: the JSON form reads back", "[audit][facts_read]") {
  xy::Bundle b = compile(kReview);
  Recorded r =
      record(b, R"({"action":"联审","as_of":"2021-06-01","facts":{"姓名":"张三","刑事记录":[)"
                R"({"罪名":"寻衅滋事罪","释放日":"2019-01-01","部门":"县人民法院"},)"
                R"({"罪名":"盗窃罪","部门":"县公安局"}]}})");
  FactsRead f = xy::audit::facts_read(b, r.request, r.decision);
  json::array j = xy::audit::facts_read_json(f.facts);
  CHECK(json::serialize(j.at(0)) ==
        R"({"path":"刑事记录[].释放日","value":["2019-01-01",{"missing":true}],"rules":["R1"]})");
  auto back = xy::audit::facts_read_from_json(j);
  REQUIRE(back);
  REQUIRE(back->size() == f.facts.size());
  for (std::size_t i = 0; i < f.facts.size(); ++i) {
    CHECK((*back)[i].path == f.facts[i].path);
    CHECK((*back)[i].rules == f.facts[i].rules);
    CHECK(text((*back)[i].value) == text(f.facts[i].value));
  }
  CHECK_FALSE(xy::audit::facts_read_from_json(json::parse(R"({"path":"x"})")));
  CHECK_FALSE(xy::audit::facts_read_from_json(json::parse(R"([{"path":"x","value":1}])")));
}
