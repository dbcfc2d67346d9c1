// The reviewer's HTML view: escaping, no script or URL, source excerpts, statute text, edge cases.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "xiangyue/audit/html.h"
#include "xiangyue/audit/rule_source.h"

namespace {

using xy::Lang;
using xy::audit::RecordView;
using xy::audit::render_html;

bool has(const std::string& page, const std::string& needle) {
  return page.find(needle) != std::string::npos;
}

const char* kPolicy =
    "# Work items\n"
    "policy 工作事项准入 {\n"
    "  default permit\n"
    "\n"
    "  # 未准入的新增事项不得下派\n"
    "  rule A4_未准入 forbid 下派事项\n"
    "    when 事项.类别 = 工作事项\n"
    "    reason \"「{事项.名称}」未经准入\"\n"
    "  rule A4 exception to A4_未准入 permit 下派事项\n"
    "    when 事项.准入批准 is some\n"
    "    reason \"已经批准\"\n"
    "    basis \"某县《准入办法》第六条\"\n"
    "}\n";

RecordView sample() {
  RecordView r;
  r.seq = 7;
  r.recorded_at = "2024-04-01T09:12:05.318Z";
  r.as_of = "2024-04-01";
  r.action = "下派事项";
  r.policy = "工作事项准入";
  r.outcome = "permit";
  r.bundle = std::string(64, 'b');
  r.hash = std::string(64, 'c');
  r.prev_hash = std::string(64, '0');
  r.request_json =
      R"j({"action":"下派事项","facts":{"发起":{"名称":"某县农业农村局","层级":"县"},)j"
      R"j("事项":{"名称":"巡查","经费":"1.5万元","职权随转":true},)j"
      R"j("记录":[{"部门":"县公安局","日期":"2019-07-01"}],"标签":["甲","乙"],)j"
      R"j("身份证号":{"masked":"11**00","hmac":"abcd"}}})j";
  r.decision_json =
      R"j({"outcome":"permit","policy":"工作事项准入","scope":"某县（示例）","version":"2022",)j"
      R"j("action":"下派事项","as_of":"2024-04-01","by_default":false,"reasons":[{"rule":"A4",)j"
      R"j("effect":"permit","text":"已经批准 <script>alert('x')</script> & \"quoted\"",)j"
      R"j("basis":{"law":"准入办法","cite":"某县《准入办法》第六条","text":"经批准准入的事项，列入清单。",)j"
      R"j("source":"某县准入办法(示例)"},"location":{"file":"policies/w/rules.xy","line":9,"column":3},)j"
      R"j("exception_to":"A4_未准入"}],"overridden":[{"rule":"A4_未准入","by":"A4",)j"
      R"j("location":{"file":"policies/w/rules.xy","line":6,"column":3}}],)j"
      R"j("missing":[{"fact":"事项.经费","problem":"invalid","rules":["A6"],"detail":"不是金额"}],)j"
      R"j("bundle":"bbbb"})j";
  r.sources = {{"policies/w/schema.xy", "schema\n"}, {"policies/w/rules.xy", kPolicy}};
  using xy::audit::FactValue;
  FactValue approved{FactValue::Kind::Present, "2024-03-15", {}};
  FactValue name{FactValue::Kind::Present, "巡查", {}};
  FactValue id{
      FactValue::Kind::Masked, boost::json::parse(R"({"masked":"11**00","hmac":"abcd"})"), {}};
  FactValue dates{FactValue::Kind::Each, nullptr, {approved, FactValue{}}};
  r.facts_read =
      std::vector<xy::audit::FactRead>{{"事项.准入批准.批准日期", approved, {"A4"}},
                                       {"事项.名称", name, {"A4", "A4_未准入"}},
                                       {"事项.经费", FactValue{}, {"A6"}},
                                       {"身份证号", id, {"A6"}},
                                       {"记录[].日期", dates, {"A6"}},
                                       {"标签[]", {FactValue::Kind::Each, nullptr, {}}, {"A6"}}};
  return r;
}

}  // namespace

TEST_CASE("html view: interpolated text is escaped", "[audit][html]") {
  std::string page = render_html(sample(), Lang::en);
  CHECK_FALSE(has(page, "<script"));
  CHECK(has(page, "&lt;script&gt;alert(&#39;x&#39;)&lt;&#47;script&gt; &amp; &quot;quoted&quot;"));
  RecordView r = sample();
  r.action = "<b onclick=\"x\">'act'</b>";
  page = render_html(r, Lang::zh);
  CHECK_FALSE(has(page, "<b onclick"));
  CHECK(has(page, "&lt;b onclick=&quot;x&quot;&gt;&#39;act&#39;&lt;&#47;b&gt;"));
}

TEST_CASE("html view: self-contained, no script and no URL", "[audit][html]") {
  for (Lang lang : {Lang::en, Lang::zh}) {
    std::string page = render_html(sample(), lang);
    CHECK(page.starts_with("<!DOCTYPE html>"));
    CHECK(has(page, "<style>"));
    CHECK(has(page, "default-src 'none'"));  // the browser may fetch nothing at all
    for (const char* banned :
         {"<script", "http:", "https:", "//", "url(", "@import", "<link", "<img",
          "src=", "href=", "<iframe", "<object", "onload=", "onerror="})
      CHECK_FALSE(has(page, banned));
  }
  // A URL in the data is shown as text: it never becomes a link, and "//" never reaches the page.
  RecordView r = sample();
  r.request_json = R"j({"facts":{"网址":"https://example.org/x.png","路径":"//host/share"}})j";
  std::string page = render_html(r, Lang::en);
  CHECK(has(page, "https:&#47;&#47;example.org&#47;x.png"));
  CHECK_FALSE(has(page, "//"));
  CHECK_FALSE(has(page, "href="));
  CHECK_FALSE(has(page, "src="));
}

TEST_CASE("html view: the rule's source lines are shown and highlighted", "[audit][html]") {
  std::string page = render_html(sample(), Lang::en);
  // A4 starts on line 9 and runs to the `}` on line 13; the rule above it is not shown.
  CHECK(has(page, "<div class=\"ln hl\"><span class=\"no\">9</span>"));
  CHECK(has(page, "<span class=\"no\">12</span><span class=\"tx\">    basis"));
  CHECK_FALSE(has(page, "<span class=\"no\">13</span>"));
  CHECK_FALSE(has(page, "<span class=\"no\">8</span>"));
  CHECK(has(page, "exception to A4_未准入"));
  // the comment right above a rule is shown as context, not highlighted
  RecordView r = sample();
  r.decision_json = R"j({"outcome":"deny","reasons":[{"rule":"A4_未准入","effect":"forbid",)j"
                    R"j("text":"t","location":{"file":"policies/w/rules.xy","line":6}}]})j";
  page = render_html(r, Lang::en);
  CHECK(has(page, "<div class=\"ln ctx\"><span class=\"no\">5</span>"));
  CHECK(has(page, "<div class=\"ln hl\"><span class=\"no\">8</span>"));
  CHECK_FALSE(has(page, "<span class=\"no\">9</span>"));
  CHECK(has(page, "No basis cited."));
}

TEST_CASE("html view: a source kept under a longer path still matches", "[audit][html]") {
  RecordView r = sample();
  r.sources = {{"/srv/xy/policies/w/rules.xy", kPolicy}};
  CHECK(has(render_html(r, Lang::en), "<div class=\"ln hl\"><span class=\"no\">9</span>"));
  r.sources = {{"other/w/rules.xy", kPolicy}};
  CHECK(has(render_html(r, Lang::en), "The policy source of this rule is not in the record."));
}

TEST_CASE("html view: a long rule is cut at twelve lines", "[audit][html]") {
  RecordView r = sample();
  std::string policy = "rule L forbid x\n";
  for (int i = 0; i < 20; ++i) policy += "  and c" + std::to_string(i) + "\n";
  r.sources = {{"policies/w/rules.xy", policy}};
  r.decision_json = R"j({"outcome":"deny","reasons":[{"rule":"L","effect":"forbid","text":"t",)j"
                    R"j("location":{"file":"policies/w/rules.xy","line":1}}]})j";
  std::string page = render_html(r, Lang::en);
  CHECK(has(page, "<span class=\"no\">12</span>"));
  CHECK_FALSE(has(page, "<span class=\"no\">13</span>"));
  CHECK(has(page, "(rule continues)"));
}

TEST_CASE("html view: statute, overridden rules, missing facts, facts and chain", "[audit][html]") {
  std::string page = render_html(sample(), Lang::zh);
  CHECK(has(page, "某县《准入办法》第六条"));
  CHECK(has(page, "<blockquote><p>经批准准入的事项，列入清单。</p></blockquote>"));
  CHECK(has(page, "某县准入办法(示例)"));
  CHECK(has(page, "被例外规则 <b class=\"mono\">A4</b> 排除"));
  CHECK(has(page, "事项.经费"));
  CHECK(has(page, "不是金额"));
  CHECK(has(page, "<td>无效</td>"));
  CHECK(has(page, "<dt>发起</dt><dd><dl class=\"facts\"><dt>名称</dt><dd>某县农业农村局</dd>"));
  CHECK(has(page, "<th>部门</th>"));
  CHECK(has(page, "<td>县公安局</td>"));
  CHECK(has(page, "<li>甲</li>"));
  CHECK(has(page, "<dd>是</dd>"));
  CHECK(has(page, "11**00</span> <span class=\"tag\">已遮蔽</span>"));
  CHECK_FALSE(has(page, "abcd"));
  CHECK(has(page, std::string(64, 'c')));
  CHECK(has(page, "某县（示例）"));
  CHECK(has(page, "2022"));
}

TEST_CASE("html view: zh and en labels", "[audit][html]") {
  std::string zh = render_html(sample(), Lang::zh), en = render_html(sample(), Lang::en);
  CHECK(has(zh, "<html lang=\"zh-CN\">"));
  for (const char* label :
       {"准许", "决定理由", "法律依据", "规则原文", "基准日", "记录编号", "被例外排除的规则",
        "缺失或无效的事实", "读取的事实", "请求中的全部事实", "哈希链"})
    CHECK(has(zh, label));
  CHECK(has(en, "<html lang=\"en\">"));
  for (const char* label : {">permit<", "Deciding rules", "Legal basis", "Policy source", "As of",
                            "Record", "Rules set aside by exceptions", "Missing or invalid facts",
                            "Facts read", "All facts of the request", "Hash chain"})
    CHECK(has(en, label));
}

TEST_CASE("html view: outcome badge colours", "[audit][html]") {
  auto tone = [](const std::string& outcome) {
    RecordView r = sample();
    r.outcome = outcome;
    r.decision_json = "{\"outcome\":\"" + outcome + "\",\"reasons\":[]}";
    return render_html(r, Lang::zh);
  };
  CHECK(has(tone("permit"), "top tone-ok"));
  CHECK(has(tone("deny"), "top tone-bad"));
  CHECK(has(tone("not_permitted"), "top tone-none"));
  CHECK(has(tone("indeterminate"), "top tone-warn"));
  CHECK(has(tone("不能"), "top tone-bad"));
  CHECK(has(tone("不宜"), "top tone-warn"));
  CHECK(has(tone("通过"), "top tone-ok"));
  CHECK(has(tone("deny"), ">不准许<"));
}

TEST_CASE("html view: no sources, no reasons, malformed JSON", "[audit][html]") {
  RecordView r = sample();
  r.sources.clear();
  std::string page = render_html(r, Lang::en);
  CHECK(has(page, "The policy source of this rule is not in the record."));
  CHECK(has(page, "经批准准入的事项，列入清单。"));

  r.outcome = "通过";
  r.decision_json =
      R"j({"outcome":"通过","by_default":true,"reasons":[],"overridden":[],"missing":[]})j";
  CHECK(has(render_html(r, Lang::zh), "没有规则适用，按政策默认结果（通过）裁决。"));
  CHECK(has(render_html(r, Lang::en), "No rule applied: the policy default decided (pass)."));

  r.decision_json = R"j({"outcome":"permit","reasons":[{"rule":)j";
  r.request_json = "not json <i>";
  std::string bad;
  REQUIRE_NOTHROW(bad = render_html(r, Lang::en));
  CHECK(has(bad, "The decision JSON could not be read:"));
  CHECK(has(bad, "The request JSON could not be read:"));
  CHECK(has(bad, "not json &lt;i&gt;"));
  CHECK(has(bad, "</html>"));

  for (const char* odd : {"[]", "42", "", "{\"reasons\":7,\"basis\":null}",
                          "{\"reasons\":[1,null,{\"location\":{\"line\":-3}}]}"}) {
    r.decision_json = odd;
    REQUIRE_NOTHROW(bad = render_html(r, Lang::zh));
    CHECK(has(bad, "</html>"));
  }
  r.decision_json = "[]";
  CHECK(has(render_html(r, Lang::zh), "决定 JSON 无法解析"));
}

TEST_CASE("html view: invalid UTF-8 and control characters do not reach the page",
          "[audit][html]") {
  RecordView r = sample();
  r.action = std::string("a\x01") + "\xff" + "b";
  std::string page = render_html(r, Lang::en);
  CHECK(has(page,
            "a\xEF\xBF\xBD\xEF\xBF\xBD"
            "b"));
  CHECK_FALSE(has(page, "\x01"));
}

TEST_CASE("html view: the facts read, each with its value and the rules that read it",
          "[audit][html]") {
  std::string page = render_html(sample(), Lang::zh);
  CHECK(has(page, "<section class=\"facts-read\"><h2>读取的事实<span class=\"n\">6</span></h2>"));
  CHECK(has(page,
            "<tr><td class=\"mono path\">事项.准入批准.批准日期</td><td class=\"value\">"
            "2024-03-15</td><td class=\"mono\">A4</td></tr>"));
  CHECK(has(page,
            "<td class=\"mono path\">事项.名称</td><td class=\"value\">巡查</td>"
            "<td class=\"mono\">A4, A4_未准入</td>"));
  CHECK(has(page,
            "<td class=\"mono path\">事项.经费</td><td class=\"value\">"
            "<span class=\"tag missing\">缺失</span></td>"));
  CHECK(has(page,
            "<td class=\"mono path\">身份证号</td><td class=\"value\"><span class=\"masked\">"
            "11**00</span> <span class=\"tag\">已遮蔽</span></td>"));
  CHECK(has(page,
            "<td class=\"value\"><ul class=\"inline\"><li>2024-03-15</li><li><span "
            "class=\"tag missing\">缺失</span></li></ul></td>"));
  CHECK(has(page,
            "<td class=\"mono path\">标签[]</td><td class=\"value\"><span "
            "class=\"muted\">（空集合）</span></td>"));
  CHECK_FALSE(has(page, "abcd"));
  // the whole request is still there, collapsed below the facts read
  CHECK(has(page, "<section class=\"request\"><details><summary>请求中的全部事实</summary>"));
  CHECK(page.find("class=\"facts-read\"") < page.find("class=\"request\""));
  CHECK(has(page, "<dd>某县农业农村局</dd>"));
  std::string en = render_html(sample(), Lang::en);
  CHECK(has(en, "<h2>Facts read<span class=\"n\">6</span></h2>"));
  CHECK(has(en, "not a trace of the evaluation"));
  CHECK(has(en, "<span class=\"tag missing\">missing</span>"));
}

TEST_CASE("html view: facts read not available, or none", "[audit][html]") {
  RecordView r = sample();
  r.facts_read.reset();  // the record's bundle was not at hand
  std::string page = render_html(r, Lang::en);
  CHECK(has(page, "Not listed: this page was made without the policy bundle of the decision."));
  CHECK(has(page, "<section class=\"request\"><details open><summary>"));
  r.facts_read.emplace();
  r.decision_json =
      R"j({"outcome":"permit","by_default":true,"reasons":[],"overridden":[],"missing":[]})j";
  page = render_html(r, Lang::zh);
  CHECK(has(page, "没有规则作出决定，因此没有列出规则读取的事实。"));
  CHECK(has(page, "<details open>"));
  r.decision_json = R"j({"outcome":"permit","reasons":[{"rule":"A0","text":"t"}]})j";
  CHECK(has(render_html(r, Lang::en), "The rules above read no facts."));
  // an unreadable decision: no facts-read section, the request open
  r.decision_json = "[";
  page = render_html(r, Lang::en);
  CHECK_FALSE(has(page, "class=\"facts-read\""));
  CHECK(has(page, "<details open>"));
}

TEST_CASE("a rule's lines are its recorded extent; old records get the guess", "[html][source]") {
  // A rule with a blank line inside its condition: the guess stops there, the extent does not.
  xy::SourceFile src{"r.xy",
                     "# 说明\n"
                     "规则 A 允许\n"
                     "  当 x > 1\n"
                     "\n"
                     "     且 y > 2\n"
                     "  理由 \"r\"\n"
                     "规则 B 允许\n"};
  auto guessed = xy::audit::rule_extent(src, 2);
  REQUIRE(guessed);
  CHECK(guessed->first == 1);
  CHECK(guessed->last == 2);
  CHECK(guessed->context_from == 0);
  auto exact = xy::audit::rule_extent(src, 2, 6);
  REQUIRE(exact);
  CHECK(exact->first == 1);
  CHECK(exact->last == 5);
  CHECK_FALSE(exact->cut);
  // An end outside the file is not trusted: the guess again.
  auto bad = xy::audit::rule_extent(src, 2, 99);
  REQUIRE(bad);
  CHECK(bad->last == 2);
}
