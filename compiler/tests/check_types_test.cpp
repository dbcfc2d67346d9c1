// Checker tests for types and words: E0201 type mismatches, E0202 effects, E0203 kinds/defaults.
#include "test_util.h"

using namespace xyt;

namespace {
// A policy `P` with the given kind/default lines (lines 10 and 11); rules start on line 13.
std::string policy_with(const std::string& kind, const std::string& dflt,
                        const std::string& rules) {
  return kSchema + "policy P {\n  " + kind + "\n  " + dflt + "\n  for Assign\n" + rules + "}\n";
}
}  // namespace

TEST_CASE("E0201 comparing a number with text, at the operator", "[checker][E0201]") {
  auto d = expect_error(with_rules("  rule R1 permit when item.fee > \"x\"\n"), "E0201", "13:32");
  CHECK(d.message.en == "cannot compare number with text");
  CHECK(d.message.zh == "不能比较数值与文本");
}

TEST_CASE("E0201 a condition that is not a bool", "[checker][E0201]") {
  auto d = expect_error(with_rules("  rule R1 permit when item.fee\n"), "E0201", "13:23");
  CHECK(d.message.en.find("number") != std::string::npos);
}

TEST_CASE("E0201 date plus number suggests a duration", "[checker][E0201]") {
  auto d =
      expect_error(with_rules("  rule R1 permit when item.due + 5 > as_of\n"), "E0201", "13:32");
  CHECK(help_en(d).find("duration") != std::string::npos);
  CHECK(help_zh(d).find("期限") != std::string::npos);
}

TEST_CASE("E0201 ordering text and unordered enums", "[checker][E0201]") {
  auto d = expect_error(with_rules("  rule R1 permit when item.name < \"x\"\n"), "E0201", "13:33");
  CHECK(d.message.en == "text values have no order");
  std::string text = with_rules("  rule R1 permit when item.color > red\n");
  text.replace(text.find("due: date }"), 11, "due: date, color: Color }");
  auto e = expect_error(text, "E0201", "13:34");
  CHECK(help_en(e).find("ordered") != std::string::npos);
}

TEST_CASE("E0201 membership in something that is not a set or list", "[checker][E0201]") {
  expect_error(with_rules("  rule R1 permit when item.name in item.fee\n"), "E0201", "13:36");
  auto d = expect_error(with_rules("  rule R1 permit when n in Duties\n"), "E0201", "13:23");
  CHECK(d.message.en.find("text") != std::string::npos);
}

TEST_CASE("E0201 a set literal of mixed types, at the odd element", "[checker][E0201]") {
  expect_error(with_rules("  rule R1 permit when item.name in [\"a\", 1]\n"), "E0201", "13:42");
}

TEST_CASE("E0201 quantifiers and functions on the wrong types", "[checker][E0201]") {
  expect_error(with_rules("  rule R1 permit when any t in item.name: t = \"x\"\n"), "E0201",
               "13:32");
  expect_error(with_rules("  rule R1 permit when age(item.name, as_of) > 1\n"), "E0201", "13:27");
  expect_error(with_rules("  rule R1 permit when size(item.name) > 1\n"), "E0201", "13:28");
  auto d = expect_error(with_rules("  rule R1 permit when age(item.due) > 1\n"), "E0201", "13:23");
  CHECK(d.message.en.find("2 argument") != std::string::npos);
}

TEST_CASE("E0201 reading a field of something that has none", "[checker][E0201]") {
  expect_error(with_rules("  rule R1 permit when item.name.first = \"x\"\n"), "E0201", "13:33");
}

TEST_CASE("E0202 a review effect in a check policy", "[checker][E0202]") {
  auto d = expect_error(with_rules("  rule R1 reject\n"), "E0202", "13:11");
  CHECK(d.message.en.find("check policy") != std::string::npos);
  CHECK(d.message.en.find("`permit`") != std::string::npos);
}

TEST_CASE("E0202 a check effect in a review policy", "[checker][E0202]") {
  auto d = expect_error(policy_with("kind review", "default pass", "  rule R1 允许\n"), "E0202",
                        "13:11");
  CHECK(d.message.zh.find("审查") != std::string::npos);
}

TEST_CASE("E0202 an unknown effect word, with did you mean", "[checker][E0202]") {
  auto d = expect_error(with_rules("  rule R1 permt\n"), "E0202", "13:11");
  CHECK(help_en(d) == "did you mean `permit`?");
}

TEST_CASE("E0203 unknown policy kind, with did you mean", "[checker][E0203]") {
  auto d = expect_error(policy_with("kind chek", "default not_permitted", ""), "E0203", "10:8");
  CHECK(help_en(d) == "did you mean `check`?");
  // With the kind unknown, the default and effects are not judged (no cascade).
  auto r = compile(policy_with("kind chek", "default pass", "  rule R1 reject\n"));
  CHECK(codes(r) == std::vector<std::string>{"E0203"});
}

TEST_CASE("E0203 unknown default outcome, with did you mean", "[checker][E0203]") {
  auto d = expect_error(policy_with("kind check", "default not_permited", ""), "E0203", "11:11");
  CHECK(help_en(d) == "did you mean `not_permitted`?");
}

TEST_CASE("E0203 defaults are judged by the policy kind", "[checker][E0203]") {
  expect_error(policy_with("kind review", "default not_permitted", ""), "E0203", "11:11");
  expect_error(policy_with("kind check", "default 通过", ""), "E0203", "11:11");
  // A check policy never denies by default: a prohibition must come from a citable rule.
  expect_error(policy_with("kind check", "default deny", ""), "E0203", "11:11");
}

TEST_CASE("every kind and default word is accepted", "[checker][E0203]") {
  for (auto [kind, dflt] :
       std::vector<std::pair<std::string, std::string>>{{"kind check", "default not_permitted"},
                                                        {"类型 检查", "默认 不予许可"},
                                                        {"kind check", "default permit"},
                                                        {"类型 检查", "默认 允许"},
                                                        {"kind review", "default pass"},
                                                        {"类型 审查", "默认 通过"},
                                                        {"kind review", "default 不宜"},
                                                        {"kind review", "default reject"}}) {
    auto r = compile(policy_with(kind, dflt, ""));
    INFO(kind << " / " << dflt << "\n" << dump(r));
    CHECK(r.bundle);
  }
}
