// Replay: recorded requests decided again under changed policies, as of their recorded dates;
// masked facts the new rules read, policies that are gone, requests that no longer fit; the report.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "xiangyue/audit/facts_read.h"
#include "xiangyue/audit/replay.h"
#include "xiangyue/audit/store.h"
#include "xiangyue/compiler/compiler.h"

namespace {

namespace json = boost::json;
using xy::Lang;
using xy::audit::NoReplay;
using xy::audit::ReplayChange;
using xy::audit::Replayed;
using xy::audit::ReplaySkip;
using xy::audit::ReplayUnchanged;
using V = std::vector<std::string>;

// A review of one candidate: 姓名 and 身份证号 are sensitive, and so is each member's 姓名.
const char* kSchema = R"(
schema {
  record 记录 { 罪名: text, 释放日: date }
  record 成员 { 姓名: text sensitive, 关系: text }
  action 联审 { 姓名: text sensitive, 身份证号: text sensitive, 年龄: integer,
               刑事记录: set<记录>, 家庭成员: set<成员> }
}
)";

const char* kOld = R"(
policy 联审 {
  kind review
  default pass
  for 联审
  rule R1 reject 联审 when any r in 刑事记录: r.释放日 + 5 years > as_of
    because "{r.罪名}，{r.释放日}释放" basis "《村民委员会组织法》第十三条"
  rule R2 refer 联审 when 年龄 < 20
}
)";

xy::Bundle compile(const std::string& policy) {
  auto r = xy::compile_sources({xy::SourceFile{"schema.xy", kSchema}, {"p.xy", policy}});
  for (const auto& d : r.diagnostics.sorted())
    UNSCOPED_INFO(d.span.line << ":" << d.span.column << " " << d.message.en);
  REQUIRE(r.bundle);
  return std::move(*r.bundle);
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// A decision as the audit store keeps it: the request masked, the decision as JSON.
xy::audit::Record record(const xy::Bundle& b, const std::string& request, std::int64_t seq = 1) {
  auto req = xy::parse_request(b, request, std::nullopt, xy::Date{});
  REQUIRE(req);
  xy::Evaluator ev(b);
  auto d = ev.decide(*req);
  xy::audit::Record r;
  r.seq = seq;
  r.as_of = req->as_of.to_string();
  r.action = b.actions[req->action].name;
  r.policy = b.policies[req->policy].name;
  r.outcome = xy::outcome_name(d.outcome);
  r.bundle = b.hash;
  r.request = xy::audit::mask_request(b, req->action, request, "test-key");
  r.decision = xy::decision_json(b, *req, d);
  return r;
}

// Released 2018-01-01, decided 2021-06-01: within five years (R1 rejects), not within two.
const char* kRequest =
    R"({"action":"联审","as_of":"2021-06-01","facts":{"姓名":"张三","身份证号":"110101199001011234",)"
    R"("年龄":40,"刑事记录":[{"罪名":"盗窃罪","释放日":"2018-01-01"}],)"
    R"("家庭成员":[{"姓名":"李四","关系":"配偶"}]}})";

const ReplayChange& changed(const Replayed& r) {
  REQUIRE(std::holds_alternative<ReplayChange>(r));
  return std::get<ReplayChange>(r);
}
const ReplaySkip& skipped(const Replayed& r) {
  REQUIRE(std::holds_alternative<ReplaySkip>(r));
  return std::get<ReplaySkip>(r);
}

}  // namespace

TEST_CASE("replay: masked paths and paths within paths", "[audit][replay]") {
  xy::Bundle b = compile(kOld);
  auto r = record(b, kRequest);
  CHECK(r.request.find("张三") == std::string::npos);
  CHECK(xy::audit::masked_paths(json::parse(r.request).at("facts")) ==
        V{"姓名", "身份证号", "家庭成员[].姓名"});
  CHECK(xy::audit::path_within("家庭成员[].姓名", "家庭成员"));
  CHECK(xy::audit::path_within("候选人.身份证号", "候选人"));
  CHECK_FALSE(xy::audit::path_within("候选人", "候选人"));
  CHECK_FALSE(xy::audit::path_within("候选人甲.x", "候选人"));
}

TEST_CASE("replay: the same policies change nothing, masked facts unread", "[audit][replay]") {
  xy::Bundle b = compile(kOld);
  auto r = record(b, kRequest);
  REQUIRE(r.outcome == "不能");
  xy::audit::Replayer replayer(b);
  CHECK(std::holds_alternative<ReplayUnchanged>(replayer.replay(r)));
}

TEST_CASE("replay: a changed threshold, decided as of the recorded date", "[audit][replay]") {
  xy::Bundle old_b = compile(kOld);
  auto r = record(old_b, kRequest, 7);
  // three years instead of five: released 2018-01-01 is past it on 2021-06-01 (not on 2020-06-01)
  xy::Bundle new_b = compile(replaced(kOld, "5 years", "3 years"));
  xy::audit::Replayer replayer(new_b);
  Replayed c_out = replayer.replay(r);
  const ReplayChange& c = changed(c_out);
  CHECK(c.record.id == 7);
  CHECK(c.record.as_of == "2021-06-01");
  CHECK(c.before.outcome == "不能");
  REQUIRE(c.before.rules.size() == 1);
  CHECK(c.before.rules[0].rule == "R1");
  CHECK(c.before.rules[0].cite == "《村民委员会组织法》第十三条");
  CHECK(c.after.outcome == "通过");
  CHECK(c.after.by_default);
  CHECK(c.after.rules.empty());
  // decided as of another date, the change is not there
  xy::audit::Replayer earlier(new_b, xy::Date::from_ymd(2020, 6, 1));
  CHECK(std::holds_alternative<ReplayUnchanged>(earlier.replay(r)));
}

TEST_CASE("replay: a finding whose effect changed is a change", "[audit][replay]") {
  xy::Bundle old_b = compile(kOld);
  auto r = record(old_b, replaced(kRequest, "\"年龄\":40", "\"年龄\":18"), 4);
  REQUIRE(r.outcome == "不能");  // R1 rejects, R2 refers
  xy::Bundle new_b = compile(replaced(kOld, "rule R2 refer", "rule R2 reject"));
  xy::audit::Replayer replayer(new_b);
  xy::audit::ReplayReport rep;
  rep.add(replayer.replay(r));
  rep.finish();
  REQUIRE(rep.changed.size() == 1);
  CHECK(rep.changed[0].after.outcome == "不能");
  REQUIRE(rep.rules.size() == 2);
  CHECK((rep.rules[0].rule == "R2" && rep.rules[0].effect == "refer"));
  CHECK(rep.rules[0].stopped == std::vector<std::int64_t>{4});
  CHECK((rep.rules[1].rule == "R2" && rep.rules[1].effect == "reject"));
  CHECK(rep.rules[1].newly == std::vector<std::int64_t>{4});
  REQUIRE(rep.outcomes.size() == 1);
  CHECK(rep.outcomes[0].count == 1);
}

TEST_CASE("replay: a new rule reading a masked fact is not guessed", "[audit][replay]") {
  xy::Bundle old_b = compile(kOld);
  auto r = record(old_b, kRequest);
  std::string with = replaced(kOld, "rule R2", R"(rule R9 reject 联审 when 身份证号 = "x"
  rule R8 refer 联审 when any m in 家庭成员: m.姓名 = "王五"
  rule R2)");
  xy::Bundle new_b = compile(with);
  xy::audit::Replayer replayer(new_b);
  Replayed s_out = replayer.replay(r);
  const ReplaySkip& s = skipped(s_out);
  CHECK(s.why == NoReplay::MaskedFactsRead);
  REQUIRE(s.masked.size() == 2);
  CHECK(s.masked[0].path == "身份证号");
  CHECK(s.masked[0].rules == V{"R9"});
  CHECK(s.masked[1].path == "家庭成员[].姓名");
  CHECK(s.masked[1].rules == V{"R8"});
  CHECK(s.detail.en == "身份证号 (R9); 家庭成员[].姓名 (R8)");
  CHECK(s.detail.zh == "身份证号（R9）；家庭成员[].姓名（R8）");
  // a rule not yet in force on the recorded date does not count
  std::string later = replaced(kOld, "rule R2", R"(rule R9 reject 联审 when 身份证号 = "x"
    effective 2030-01-01
  rule R2)");
  xy::Bundle later_b = compile(later);
  xy::audit::Replayer not_yet(later_b);
  CHECK(std::holds_alternative<ReplayUnchanged>(not_yet.replay(r)));
  // the size of a set whose members' names are masked is known
  std::string size =
      replaced(kOld, "rule R2", "rule R7 refer 联审 when size(家庭成员) > 0\n  rule R2");
  xy::Bundle size_b = compile(size);
  xy::audit::Replayer sized(size_b);
  Replayed c_out = sized.replay(r);
  const ReplayChange& c = changed(c_out);
  CHECK(c.after.outcome == "不能");
  REQUIRE(c.after.rules.size() == 2);
  CHECK(c.after.rules[1].rule == "R7");
}

TEST_CASE("replay: a policy gone, out of force or no longer deciding", "[audit][replay]") {
  xy::Bundle old_b = compile(kOld);
  auto r = record(old_b, kRequest);
  xy::Bundle renamed_b = compile(replaced(kOld, "policy 联审", "policy 联审2"));
  xy::audit::Replayer renamed(renamed_b);
  Replayed s_out = renamed.replay(r);
  const ReplaySkip& s = skipped(s_out);
  CHECK(s.why == NoReplay::NoPolicy);
  CHECK(s.detail.en == "the new policies have no policy `联审`");
  CHECK(s.outcome == "不能");
  xy::Bundle ended_b =
      compile(replaced(kOld, "default pass", "default pass\n  effective 2000-01-01 to 2020-12-31"));
  xy::audit::Replayer ended(ended_b);
  CHECK(skipped(ended.replay(r)).detail.en ==
        "the policy `联审` is not in force on 2021-06-01 in the new policies");
}

TEST_CASE("replay: a request that no longer fits the schema", "[audit][replay]") {
  xy::Bundle old_b = compile(kOld);
  auto r = record(old_b, kRequest);
  auto with_schema = [](const std::string& from, const std::string& to) {
    std::string schema = replaced(kSchema, from, to);
    auto c = xy::compile_sources({xy::SourceFile{"schema.xy", schema}, {"p.xy", kOld}});
    REQUIRE(c.bundle);
    return std::move(*c.bundle);
  };
  xy::Bundle typed = with_schema("关系: text", "关系: integer");
  Replayed s_out = xy::audit::Replayer(typed).replay(r);
  const ReplaySkip& s = skipped(s_out);
  CHECK(s.why == NoReplay::DoesNotFit);
  REQUIRE(s.facts.size() == 1);
  CHECK(s.facts[0].path == "家庭成员[0].关系");
  xy::Bundle dropped = with_schema(", 关系: text", "");
  Replayed u_out = xy::audit::Replayer(dropped).replay(r);
  const ReplaySkip& u = skipped(u_out);
  CHECK(u.why == NoReplay::DoesNotFit);
  CHECK(u.detail.en.find("unknown fact `关系`") != std::string::npos);
  // a masked fact the new schema does not know is still refused, not dropped
  xy::Bundle no_id = with_schema("身份证号: text sensitive,", "");
  CHECK(skipped(xy::audit::Replayer(no_id).replay(r)).detail.en.find("`身份证号`") !=
        std::string::npos);
}

TEST_CASE("replay: a record that cannot be read", "[audit][replay]") {
  xy::Bundle b = compile(kOld);
  xy::audit::Replayer replayer(b);
  auto r = record(b, kRequest);
  r.decision = "{not json";
  CHECK(skipped(replayer.replay(r)).why == NoReplay::Unreadable);
  r = record(b, kRequest);
  r.as_of = "yesterday";
  CHECK(skipped(replayer.replay(r)).why == NoReplay::Unreadable);
  r = record(b, kRequest);
  r.request = R"({"unparsed":"ab12"})";
  CHECK(skipped(replayer.replay(r)).detail.en.starts_with("the request was not kept"));
}

TEST_CASE("replay: the report by rule, by outcome, as JSON, text and HTML", "[audit][replay]") {
  xy::Bundle old_b = compile(kOld);
  xy::audit::ReplayReport rep;
  rep.store = "audit.db";
  rep.policies = "new/<b>";
  xy::Bundle new_b =
      compile(replaced(replaced(kOld, "5 years", "3 years"), "年龄 < 20", "年龄 > 30"));
  rep.bundle = new_b.hash;
  xy::audit::Replayer replayer(new_b);
  rep.add(replayer.replay(record(old_b, kRequest, 1)));  // R1 stops, R2 newly: 不能 -> 不宜
  rep.add(replayer.replay(record(old_b, replaced(kRequest, "\"年龄\":40", "\"年龄\":18"), 2)));
  auto gone = record(old_b, kRequest, 3);
  gone.policy = "旧政策";
  rep.add(replayer.replay(gone));
  rep.finish();
  CHECK(rep.read == 3);
  CHECK(rep.replayed() == 2);
  CHECK(rep.unchanged == 0);
  REQUIRE(rep.changed.size() == 2);
  REQUIRE(rep.skipped.size() == 1);
  REQUIRE(rep.rules.size() == 2);
  CHECK(rep.rules[0].rule == "R1");
  CHECK(rep.rules[0].stopped == std::vector<std::int64_t>{1, 2});
  CHECK(rep.rules[0].cite == "《村民委员会组织法》第十三条");
  CHECK(rep.rules[1].rule == "R2");
  CHECK(rep.rules[1].newly == std::vector<std::int64_t>{1});
  CHECK(rep.rules[1].stopped == std::vector<std::int64_t>{2});
  REQUIRE(rep.outcomes.size() == 2);
  CHECK(rep.outcomes[0].before == "不能");

  json::object j = xy::audit::replay_json(rep, Lang::en);
  CHECK(j.at("totals") == json::parse(R"({"read":3,"replayed":2,"unchanged":0,"changed":2,)"
                                      R"("cannot_replay":1})"));
  CHECK(j.at("changed").at(0).at("after").at("rules").at(0).at("rule") == "R2");
  CHECK(j.at("rules").at(0).at("stops_deciding") == json::parse(R"({"count":2,"ids":[1,2]})"));
  CHECK(j.at("cannot_replay").at(0).at("reason") == "no_policy");
  CHECK(j.at("cannot_replay").at(0).at("detail") ==
        "no policy to decide it: the new policies have no policy `旧政策`");
  CHECK(j.at("filter").is_null());

  std::string en = xy::audit::replay_text(rep, Lang::en);
  CHECK(en.find("read 3 records, replayed 2 (unchanged 0, changed 2), cannot replay 1") !=
        std::string::npos);
  CHECK(en.find("  R1 [reject] (联审)  stops deciding 2: #1, #2\n") != std::string::npos);
  std::string zh = xy::audit::replay_text(rep, Lang::zh);
  CHECK(zh.find("  R1 [不能]（联审）不再作出决定 2 条：#1、#2\n") != std::string::npos);
  CHECK(zh.find("没有裁决它的政策：新政策中没有政策「旧政策」") != std::string::npos);

  std::string html = xy::audit::replay_html(rep, Lang::zh);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("new&#47;&lt;b&gt;") != std::string::npos);
  CHECK(html.find("<td class=\"num\" id=\"total-changed\">2</td>") != std::string::npos);
  CHECK(html.find("<article class=\"card change tone-warn\" id=\"r1\">") != std::string::npos);
}
