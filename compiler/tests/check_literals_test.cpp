// Checker tests for literals: E0301 citations, E0302 dates, E0303 numbers/durations, E0304 reasons.
#include "test_util.h"

using namespace xyt;

TEST_CASE("E0301 a paragraph without an article", "[checker][E0301]") {
  auto d = expect_error(with_rules("  rule R1 permit basis \"《立法法》第八十一款\"\n"), "E0301",
                        "13:24");
  CHECK(d.message.en.find("citation") != std::string::npos);
  CHECK(d.message.zh.find("引用") != std::string::npos);
  CHECK(d.help);
}

TEST_CASE("E0301 in list and list item citations", "[checker][E0301]") {
  std::string text = kSchema + "list L basis \"《立法法\" { \"a\" basis \"\" }\n";
  auto r = compile(text);
  INFO(dump(r));
  auto ds = diags(r);
  REQUIRE(ds.size() == 2);
  CHECK(ds[0].code == "E0301");
  CHECK(loc(ds[0]) == "9:14");
  CHECK(ds[1].code == "E0301");
  CHECK(loc(ds[1]) == "9:33");
}

TEST_CASE("valid citations in every documented form compile", "[checker][E0301]") {
  for (std::string cite :
       {"《村民委员会组织法》第二十四条第一款第（三）项", "立法法 2023 art. 81(1)",
        "县《村级组织工作事项准入办法》第五条", "《立法法》（2023年修正）第八十一条",
        "民政部等六部门《关于改进和规范基层群众性自治组织出具证明工作的指导意见》"}) {
    auto r = compile(with_rules("  rule R1 permit basis \"" + cite + "\"\n"));
    INFO(cite << "\n" << dump(r));
    CHECK(r.bundle);
  }
}

TEST_CASE("E0302 a date that does not exist", "[checker][E0302]") {
  auto d = expect_error(with_rules("  rule R1 permit effective 2023-02-29\n"), "E0302", "13:28");
  CHECK(d.message.en.find("2023-02-29") != std::string::npos);
  expect_error(with_rules("  rule R1 permit effective 2023年2月30日\n"), "E0302", "13:28");
  expect_error(with_rules("  rule R1 permit when item.due > 2023-13-01\n"), "E0302", "13:34");
  expect_error(with_rules("  effective 2023-02-29\n"), "E0302", "13:13");
  expect_error(with_rules("  rule R1 permit effective 2024-01-01 to 2023-04-31\n"), "E0302",
               "13:42");
}

TEST_CASE("E0303 a fraction with a zero denominator", "[checker][E0303]") {
  auto d =
      expect_error(with_rules("  rule R1 permit when item.fee > 零分之二\n"), "E0303", "13:34");
  CHECK(d.message.en.find("零分之二") != std::string::npos);
}

TEST_CASE("E0303 a fractional duration", "[checker][E0303]") {
  expect_error(with_rules("  rule R1 permit when item.due + 2.5日 > as_of\n"), "E0303", "13:34");
}

TEST_CASE("E0304 a placeholder naming an unknown fact", "[checker][E0304]") {
  auto d = expect_error(with_rules("  rule R1 permit because \"{item.nme}\"\n"), "E0304", "13:27");
  CHECK(d.span.length == 10);
  auto r = compile(with_rules("  rule R1 permit because \"{item.nme}\"\n"));
  INFO(dump(r));
  CHECK(codes(r) == std::vector<std::string>{"E0304"});
}

TEST_CASE("E0304 unbalanced braces in a reason", "[checker][E0304]") {
  auto d = expect_error(with_rules("  rule R1 permit because \"a}b\"\n"), "E0304", "13:28");
  CHECK(d.message.en.find("}}") != std::string::npos);
  auto e = expect_error(with_rules("  rule R1 permit because \"a{item.name\"\n"), "E0304", "13:28");
  CHECK(e.message.en.find("{{") != std::string::npos);
}

TEST_CASE("E0304 placeholders that are records or not paths", "[checker][E0304]") {
  expect_error(with_rules("  rule R1 permit because \"{item}\"\n"), "E0304", "13:27");
  expect_error(with_rules("  rule R1 permit because \"{1 +}\"\n"), "E0304", "13:27");
  expect_error(with_rules("  rule R1 permit because \"{}\"\n"), "E0304", "13:27");
}

TEST_CASE("E0304 columns count code points inside a Chinese reason", "[checker][E0304]") {
  // 「 and 」 are one column each; the bad brace is the 5th character of the string.
  expect_error(with_rules("  rule R1 permit because \"「名称」}\"\n"), "E0304", "13:31");
}

TEST_CASE("escaped braces and placeholders in reasons compile", "[checker][E0304]") {
  auto r = compile(
      with_rules("  rule R1 permit when any t in item.tags: t = \"x\"\n"
                 "    because \"{{literal}} {item.name} {t} {from.level} {item.fee} {as_of}\"\n"));
  INFO(dump(r));
  CHECK(r.bundle);
}
