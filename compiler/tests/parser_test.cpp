// Parser door tests: valid input, located syntax errors, invalid UTF-8, the syntax-error cap.
#include "parse/parse.h"
#include "test_util.h"

using namespace xyt;

TEST_CASE("a valid policy set compiles with no diagnostics", "[parser]") {
  auto r = compile(with_rules(
      "  rule R1 permit when item.name in Duties and from.level >= town\n"
      "    because \"{item.name} by {from.name}\" basis \"《村民委员会组织法》第二条第二款\"\n"
      "  rule R2 forbid when any t in item.tags: t = \"x\" effective 2024-01-01 to 2024-12-31\n"
      "  rule R3 exception to R2 permit when item.approved is some and item.fee > 2万元\n"));
  INFO(dump(r));
  // The one diagnostic: with no law texts the citation was checked for form only (W0306).
  auto all = r.diagnostics.sorted();
  REQUIRE(all.size() == 1);
  CHECK(all[0].code == "W0306");
  CHECK(all[0].severity == xy::Severity::warning);
  CHECK(r.diagnostics.error_count() == 0);
  REQUIRE(r.bundle);
  CHECK(r.bundle->rules.size() == 3);
  CHECK(r.bundle->hash.size() == 64);
}

TEST_CASE("citations without law texts: a warning, or an error when they are required",
          "[parser][laws]") {
  std::string cited =
      with_rules("  rule R1 permit when item.fee > 0 basis \"《村民委员会组织法》第二条\"\n");
  std::string uncited = with_rules("  rule R1 permit when item.fee > 0\n");
  xy::CompileSettings required;
  required.require_laws = true;
  auto warned = xy::compile_sources({{"main.xy", cited}});
  auto refused = xy::compile_sources({{"main.xy", cited}}, required);
  auto quiet = xy::compile_sources({{"main.xy", uncited}}, required);
  CHECK(warned.bundle);
  REQUIRE(warned.diagnostics.sorted().size() == 1);
  CHECK(warned.diagnostics.sorted()[0].code == "W0306");
  CHECK_FALSE(refused.bundle);
  REQUIRE(refused.diagnostics.sorted().size() == 1);
  CHECK(refused.diagnostics.sorted()[0].code == "E0306");
  CHECK(refused.diagnostics.sorted()[0].message.zh.find("引用只检查了格式") != std::string::npos);
  CHECK(quiet.bundle);  // nothing cited, nothing to check
  CHECK(quiet.diagnostics.sorted().empty());
}

TEST_CASE("an empty file, comments, BOM and ideographic spaces are valid", "[parser]") {
  auto r = compile("\xEF\xBB\xBF# comment\n// another\n/* block\n comment */\n\xE3\x80\x80\n");
  INFO(dump(r));
  CHECK(r.diagnostics.sorted().empty());
  CHECK(r.bundle);
}

TEST_CASE("a syntax error is E0001 at the offending token", "[parser]") {
  auto d =
      expect_error(with_rules("  rule R1 permit when item.name = = \"x\"\n"), "E0001", "13:35");
  CHECK(d.message.en.find("`=`") != std::string::npos);
  CHECK(d.span.length == 1);
}

TEST_CASE("syntax error columns count code points after Chinese text", "[parser]") {
  // A full-width ＞ typed with a Chinese input method is not an operator.
  auto d = expect_error(with_rules("  规则 R1 允许 当 item.fee ＞ 0\n"), "E0001", "13:23");
  CHECK(d.message.en.find("＞") != std::string::npos);
  CHECK(d.message.zh.find("＞") != std::string::npos);
}

TEST_CASE("a missing closing brace is reported at the brace never closed", "[parser]") {
  std::string text = kSchema + "policy P {\n  kind check\n";
  auto r = compile(text);
  INFO(dump(r));
  auto ds = diags(r);
  REQUIRE(ds.size() == 1);  // one problem, one diagnostic
  CHECK(loc(ds[0]) == "9:10");
  CHECK(ds[0].message.en == "this `{` is never closed");
  CHECK(ds[0].message.zh == "此「{」没有对应的「}」");
  CHECK(help_en(ds[0]) == "add `}` at the end of the file");
  CHECK(help_zh(ds[0]) == "在文件末尾补上「}」");
}

TEST_CASE("an unclosed brace is told by the indentation of the brace that follows", "[parser]") {
  // The `}` on line 3 is indented as the schema's line: it closes the schema, so the action's
  // `{` is the one never closed, and the parser's error at `policy` follows from it.
  std::string text =
      "schema {\n  action A { x: int\n}\npolicy P {\n  kind check\n  default not_permitted\n"
      "  rule R1 permit A when x > 0\n}\n";
  auto r = compile(text);
  INFO(dump(r));
  auto ds = diags(r);
  REQUIRE(ds.size() == 1);
  CHECK(loc(ds[0]) == "2:12");
  CHECK(help_en(ds[0]) == "add `}` before line 3");
  CHECK(help_zh(ds[0]) == "在第 3 行之前补上「}」");
  // A declaration at the brace's own indentation ends the unclosed list before it.
  auto d = expect_error("list L { \"a\", \"b\"\n" + with_rules(""), "E0001", "1:8");
  CHECK(d.message.en == "this `{` is never closed");
  // An error inside the block is its own problem, not the brace's.
  auto r2 = compile(kSchema +
                    "policy P {\n  kind check\n  default not_permitted\n"
                    "  rule R1 permit Assign when n > = 0\n");
  INFO(dump(r2));
  auto ds2 = diags(r2);
  REQUIRE(ds2.size() == 2);
  CHECK(loc(ds2[0]) == "9:10");
  CHECK(loc(ds2[1]) == "12:34");
}

TEST_CASE("a keyword glued to a name is a located syntax error", "[parser]") {
  auto r = compile(with_rules("  rule R1 permit 当item.name = \"x\"\n"));
  INFO(dump(r));
  REQUIRE_FALSE(r.bundle);
  auto ds = diags(r);
  REQUIRE_FALSE(ds.empty());
  CHECK(ds[0].code == "E0001");
  CHECK(ds[0].span.line == 13);
}

TEST_CASE("the longest Chinese keyword a name starts or ends with", "[parser][syntax]") {
  using xy::syntax::glued_keyword;
  CHECK(glued_keyword("当酒席") == "当");
  CHECK(glued_keyword("如果事项") == "如果");
  CHECK(glued_keyword("不属于清单") == "不属于");
  CHECK(glued_keyword("桌数超过", true) == "超过");
  CHECK(glued_keyword("桌数不超过", true) == "不超过");
  CHECK(glued_keyword("当").empty());  // the keyword itself is not glued to anything
  CHECK(glued_keyword("桌数").empty());
  CHECK(glued_keyword("whenx").empty());  // English keywords are spaced from names
}

TEST_CASE("a keyword glued to a name is found where the glued name parsed", "[parser]") {
  // Under `for`, 当item reads as the rule's action and the parser fails at the dot after it.
  auto d = expect_error(with_rules("  规则 R1 允许 当item.name = \"x\"\n"), "E0001", "13:12");
  CHECK(d.message.en == "`当item` is read as one name");
  CHECK(d.message.zh == "「当item」被读成了一个名称");
  CHECK(help_en(d) == "`当` is a keyword: write a space after it (`当 item`)");
  CHECK(help_zh(d) == "「当」是关键字，其后应有空格（「当 item」）");
  // A comparison word glued after a field name, the parser failing right after it.
  auto e = expect_error(with_rules("  rule R1 permit when item.fee超过 0\n"), "E0001", "13:28");
  CHECK(help_en(e) == "`超过` is a keyword: write a space before it (`fee 超过`)");
  CHECK(help_zh(e) == "「超过」是关键字，其前应有空格（「fee 超过」）");
}

TEST_CASE("a declared name that starts with a keyword is not split", "[parser]") {
  // 当事人 is a field: in `允许 当事人.年龄` the author forgot 当, not a space.
  std::string text =
      "结构 { 行为 申请 { 当事人：文本，年龄：整数 } }\n"
      "政策 P {\n  类型 检查\n  默认 不予许可\n  针对 申请\n"
      "  规则 R1 允许 当事人.年龄 超过 18\n}\n";
  auto d = expect_error(text, "E0001", "6:15");
  CHECK(d.message.en == "unexpected `.`");
  CHECK(help_en(d).find("is a keyword") == std::string::npos);
}

TEST_CASE("the expected keywords are spelled as the file spells its keywords", "[parser]") {
  std::string zh =
      "结构 { 行为 申请 { 年龄：整数 } }\n"
      "政策 P {\n  类型 检查\n  默认 不予许可\n  针对 申请\n"
      "  规则 R1 允许 当 年龄 超过 18 19\n}\n";
  auto d = expect_error(zh, "E0001", "6:23");
  CHECK(help_en(d) == "expected `}`, `结构`, `清单`, `规则`");
  CHECK(help_zh(d) == "此处应为：「}」、「结构」、「清单」、「规则」");
  auto e = expect_error(with_rules("  rule R1 permit when n > 18 19\n"), "E0001", "13:30");
  CHECK(help_en(e) == "expected `}`, `schema`, `list`, `rule`");
  CHECK(help_zh(e) == "此处应为：「}」、「schema」、「list」、「rule」");
  // Where a name may stand, the declaration words that may be names too go without saying.
  auto f = expect_error(with_rules("  rule when\n"), "E0001", "13:8");
  CHECK(help_en(f) == "expected a name");
}

TEST_CASE("a word that is not a keyword gets the keyword it stands for", "[parser]") {
  auto d =
      expect_error(with_rules("  rule R1 permit when n > 1\n    reason \"x\"\n"), "E0001", "14:5");
  CHECK(d.message.en == "`reason` is not a keyword");
  CHECK(help_en(d) == "write `because` for a rule's reason");
  CHECK(help_zh(d) == "规则的理由用「because」（或「理由」）");
  // The word may have parsed as a name, the error coming a little later: `if` as the action.
  auto e = expect_error(with_rules("  rule R1 permit if n > 1\n"), "E0001", "13:18");
  CHECK(help_en(e) == "write `when` for a rule's condition");
  // In a Chinese file, the Chinese keyword.
  std::string zh =
      "结构 { 行为 申请 { 年龄：整数 } }\n"
      "政策 P {\n  类型 检查\n  默认 不予许可\n  针对 申请\n"
      "  规则 R1 允许 当 年龄 超过 18 原因 \"x\"\n}\n";
  auto f = expect_error(zh, "E0001", "6:23");
  CHECK(help_en(f) == "write `理由` for a rule's reason");
  CHECK(help_zh(f) == "规则的理由用「理由」");
  // Only where the word is a slip: `from` right after `effective` (though a field is called
  // `from`), not the field itself.
  auto g = expect_error(with_rules("  rule R1 permit when n > 1 effective from 2024-01-01\n"),
                        "E0001", "13:39");
  CHECK(help_en(g) == "write the date right after `effective`, without `from`");
  auto h = expect_error(with_rules("  rule R1 permit when from.level 1\n"), "E0001", "13:34");
  CHECK(help_en(h).find("`from`") == std::string::npos);
}

namespace {
// Line 13 of a policy whose rule holds a string with `bad` bytes right after 事项: the bad byte
// is at column 38 (code points).
std::string with_bad_bytes(const std::string& bad) {
  return with_rules("  rule R1 permit when item.name = \"事项" + bad + "\"\n");
}
}  // namespace

TEST_CASE("invalid UTF-8 is a located E0001", "[parser][utf8]") {
  for (std::string bad : {"\xFF", "\x80", "\xC0\xAF", "\xE4\xB8", "\xF8\x88\x80\x80\x80"}) {
    INFO("bytes: " << bad.size());
    auto d = expect_error(with_bad_bytes(bad), "E0001", "13:38");
    CHECK(d.message.en.find("UTF-8") != std::string::npos);
  }
  // Truncated sequence at the very end of the file.
  expect_error(kSchema + "\xE4\xB8", "E0001", "9:1");
}

TEST_CASE("surrogates, overlong 3-byte forms and code points above U+10FFFF are located",
          "[parser][utf8]") {
  // UTF-8 forbids encoded surrogates (ED A0 80 = U+D800), overlong forms (E0 80 AF, F0 80 80 AF)
  // and code points above U+10FFFF (F4 90 80 80); each must be E0001 at 13:38, not accepted and
  // not reported at 1:1 by a failing converter.
  for (std::string bad : {"\xED\xA0\x80", "\xE0\x80\xAF", "\xF0\x80\x80\xAF", "\xF4\x90\x80\x80"}) {
    INFO("bytes: " << bad.size() << " first "
                   << static_cast<int>(static_cast<unsigned char>(bad[0])));
    auto r = compile(with_bad_bytes(bad));
    INFO(dump(r));
    CHECK_FALSE(r.bundle);
    auto ds = diags(r);
    REQUIRE_FALSE(ds.empty());
    CHECK(ds[0].code == "E0001");
    CHECK(loc(ds[0]) == "13:38");
  }
}

TEST_CASE("syntax errors are capped per file", "[parser]") {
  std::string rules;
  for (int i = 0; i < 40; ++i) rules += "  rule R" + std::to_string(i) + " permit when = =\n";
  auto r = compile(with_rules(rules));
  REQUIRE_FALSE(r.bundle);
  auto ds = diags(r);
  CHECK(ds.size() >= 1);
  CHECK(ds.size() <= 10);
  for (const auto& d : ds) {
    CHECK(d.code == "E0001");
    CHECK(d.span.known());
  }
}

TEST_CASE("syntax errors in two files are all reported, each in its own file", "[parser]") {
  auto r = xy::compile_sources({{"a.xy", kSchema},
                                {"b.xy", "policy P {\n  kind check check\n}\n"},
                                {"c.xy", "list L { \"x\" \"y\" ) }\n"}});
  INFO(dump(r));
  REQUIRE_FALSE(r.bundle);
  auto ds = diags(r);
  REQUIRE(ds.size() >= 2);
  CHECK(ds.front().span.file == 1);
  CHECK(loc(ds.front()) == "2:14");
  CHECK(ds.back().span.file == 2);
  CHECK(ds.back().span.line == 1);
}

TEST_CASE("placeholders that are not paths never throw", "[parser]") {
  xy::DiagnosticSink sink;
  xy::SourceSpan at{0, 3, 5, 4};
  for (std::string text : {"", "a b", "事项.", "1 +", "(((", "\xFF", "a[", "}"}) {
    INFO(text);
    CHECK_NOTHROW(xy::parse::parse_placeholder(text, at, sink));
  }
  for (const auto& d : sink.sorted()) CHECK(d.span.line == 3);
}
