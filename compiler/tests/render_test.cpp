// Diagnostic rendering: carets under CJK spans, sorting, the cap, and both languages.
#include "test_util.h"

using namespace xyt;

namespace {
const std::string kChinese =
    "结构 {\n"
    "  记录 事项 { 名称: 文本, 经费: 金额 }\n"
    "  行为 下派事项 { 事项: 事项 }\n"
    "}\n"
    "政策 准入 {\n"
    "  类型 检查\n"
    "  默认 不予许可\n"
    "  针对 下派事项\n"
    "  规则 A1 允许 当 事项.经废 > 0\n"
    "}\n";
}  // namespace

TEST_CASE("the caret sits under a CJK span, two columns per wide character", "[render]") {
  auto r = compile(kChinese);
  auto ds = diags(r);
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].code == "E0101");
  CHECK(loc(ds[0]) == "9:17");
  CHECK(ds[0].span.length == 2);
  // Before 经废: 2 spaces, 规则 (4), space, A1 (2), space, 允许 (4), space, 当 (2), space,
  // 事项 (4) and the dot: 23 display columns. 经废 is 4 columns wide.
  std::string expected =
      "main.xy:9:17: error[E0101]: `事项` has no field `经废`\n"
      "  |\n"
      "9 |   规则 A1 允许 当 事项.经废 > 0\n"
      "  | " +
      std::string(23, ' ') +
      "^^^^\n"
      "  = help: did you mean `经费`?\n";
  CHECK(xy::render(ds[0], r.files, xy::Lang::en) == expected);
  std::string zh = xy::render(ds[0], r.files, xy::Lang::zh);
  CHECK(zh.rfind("main.xy:9:17: 错误[E0101]: 「事项」没有字段「经废」\n", 0) == 0);
  CHECK(zh.find("  | " + std::string(23, ' ') + "^^^^\n") != std::string::npos);
  CHECK(zh.find("  = 帮助：是否应为「经费」？") != std::string::npos);
}

TEST_CASE("the caret width matches display_width for every wide character class", "[render]") {
  CHECK(xy::display_width("事项") == 4);
  CHECK(xy::display_width("a，b") == 4);
  CHECK(xy::display_width("「x」") == 5);
}

TEST_CASE("display_width agrees with the caret renderer beyond the BMP", "[render]") {
  // The renderer counts CJK Extension B (U+20BB7 𠮷), CJK compatibility forms (U+FE30 ︰) and
  // emoji as wide; display_width should agree.
  CHECK(xy::display_width("𠮷") == 2);
  CHECK(xy::display_width("︰") == 2);
  CHECK(xy::display_width("😀") == 2);
}

TEST_CASE("a caret after a tab and at end of line", "[render]") {
  auto r = compile(with_rules("\trule R1 permit when item.naem = \"x\"\n"));
  auto ds = diags(r);
  REQUIRE(ds.size() == 1);
  CHECK(loc(ds[0]) == "13:27");
  std::string out = xy::render(ds[0], r.files, xy::Lang::en);
  CHECK(out.find("13 |  rule R1 permit when item.naem") != std::string::npos);
  CHECK(out.find("   | " + std::string(26, ' ') + "^^^^\n") != std::string::npos);
}

TEST_CASE("diagnostics are sorted by file, line and column", "[render]") {
  // The policy comes first, the schema (with its own error) last.
  std::string first =
      "policy P {\n  kind check\n  default permit\n  for Assign\n"
      "  rule R2 permit when item.zz = 1 and item.yy = 2\n}\n" +
      kSchema;
  std::string second = "policy P {\n  rule R3 permit when item.xx = 1\n}\n";
  auto r = xy::compile_sources({{"a.xy", first}, {"b.xy", second}});
  auto ds = diags(r);
  INFO(dump(r));
  REQUIRE(ds.size() == 3);
  CHECK(ds[0].span.file == 0);
  CHECK(loc(ds[0]) == "5:28");
  CHECK(loc(ds[1]) == "5:44");
  CHECK(ds[2].span.file == 1);
  CHECK(loc(ds[2]) == "2:28");
  std::string all = xy::render_all(r.diagnostics, r.files, xy::Lang::en);
  CHECK(all.find("a.xy:5:28") < all.find("a.xy:5:44"));
  CHECK(all.find("a.xy:5:44") < all.find("b.xy:2:28"));
  CHECK(all.find("3 errors") != std::string::npos);
}

TEST_CASE("diagnostics are capped, counted and summarised", "[render]") {
  std::string rules;
  for (int i = 0; i < 60; ++i)
    rules +=
        "  rule R" + std::to_string(i) + " permit when item.nope" + std::to_string(i) + " = 1\n";
  auto r = compile(with_rules(rules));
  CHECK(r.diagnostics.error_count() == 60);
  auto ds = diags(r);
  CHECK(ds.size() == 50);
  CHECK(r.diagnostics.dropped() == 10);
  for (std::size_t i = 1; i < ds.size(); ++i) CHECK(ds[i - 1].span.line < ds[i].span.line);
  std::string en = xy::render_all(r.diagnostics, r.files, xy::Lang::en, 20);
  CHECK(en.find("(40 more diagnostics not shown)") != std::string::npos);
  CHECK(en.find("60 errors") != std::string::npos);
  std::string zh = xy::render_all(r.diagnostics, r.files, xy::Lang::zh, 20);
  CHECK(zh.find("（另有 40 条诊断未显示）") != std::string::npos);
  CHECK(zh.find("共 60 个错误") != std::string::npos);
}

TEST_CASE("every diagnostic has both languages and renders in each", "[render]") {
  auto r = compile(
      with_rules("  rule R1 reject\n  rule R3 permit when item.fee > \"x\" because \"{item.nme}\"\n"
                 "  rule R2 exception to R9 permit effective 2024-12-31 to 2024-01-01\n"));
  auto ds = diags(r);
  REQUIRE(ds.size() >= 4);
  for (const auto& d : ds) {
    INFO(d.code << " " << d.message.en);
    CHECK_FALSE(d.message.en.empty());
    CHECK_FALSE(d.message.zh.empty());
    CHECK(d.message.en != d.message.zh);
    if (d.help) {
      CHECK_FALSE(d.help->en.empty());
      CHECK_FALSE(d.help->zh.empty());
    }
    std::string en = xy::render(d, r.files, xy::Lang::en);
    std::string zh = xy::render(d, r.files, xy::Lang::zh);
    CHECK(en.find(": error[" + d.code + "]: ") != std::string::npos);
    CHECK(zh.find(": 错误[" + d.code + "]: ") != std::string::npos);
    CHECK(en.find("^") != std::string::npos);
  }
}

TEST_CASE("a diagnostic without a location renders without a snippet", "[render]") {
  xy::Diagnostic d;
  d.code = "E0501";
  d.message = {"cannot read `x`", "无法读取「x」"};
  CHECK(xy::render(d, {}, xy::Lang::en) == "error[E0501]: cannot read `x`\n");
  d.span = {3, 7, 1, 1};  // a file index that does not exist
  CHECK(xy::render(d, {}, xy::Lang::zh) == "错误[E0501]: 无法读取「x」\n");
  d.span = {0, 99, 1, 1};  // a line past the end of the file
  CHECK_NOTHROW(xy::render(d, {{"f.xy", "one line"}}, xy::Lang::en));
}
