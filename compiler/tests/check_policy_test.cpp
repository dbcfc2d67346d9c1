// Checker tests for policy structure: E0401 cycles, E0402 kind/default, E0403 action, E0404
// periods.
#include "test_util.h"

using namespace xyt;

TEST_CASE("E0401 two exceptions forming a cycle: one error, at the first rule",
          "[checker][E0401]") {
  std::string text =
      with_rules("  rule R1 exception to R2 permit\n  rule R2 exception to R1 forbid\n");
  auto d = expect_error(text, "E0401", "13:8");
  CHECK(d.message.en.find("R1") != std::string::npos);
  CHECK(codes(compile(text)) == std::vector<std::string>{"E0401"});
}

TEST_CASE("E0401 a rule that is an exception to itself", "[checker][E0401]") {
  expect_error(with_rules("  rule R1 exception to R1 permit\n"), "E0401", "13:8");
}

TEST_CASE("E0401 a three-rule cycle", "[checker][E0401]") {
  std::string text = with_rules(
      "  rule R1 exception to R3 permit\n  rule R2 exception to R1 forbid\n"
      "  rule R3 exception to R2 permit\n");
  expect_error(text, "E0401", "13:8");
  CHECK(codes(compile(text)) == std::vector<std::string>{"E0401"});
}

TEST_CASE("an exception chain without a cycle compiles", "[checker][E0401]") {
  auto r = compile(with_rules(
      "  rule R1 forbid\n  rule R2 exception to R1 permit\n  rule R3 exception to R2 forbid\n"));
  INFO(dump(r));
  REQUIRE(r.bundle);
  CHECK(r.bundle->rules[1].base == 0);
  CHECK(r.bundle->rules[2].base == 1);
}

TEST_CASE("E0402 a policy without default", "[checker][E0402]") {
  std::string text = kSchema + "policy P {\n  kind check\n  for Assign\n  rule R1 permit\n}\n";
  auto d = expect_error(text, "E0402", "9:8");
  CHECK(d.message.en.find("default") != std::string::npos);
  CHECK(help_en(d).find("default not_permitted") != std::string::npos);
}

TEST_CASE("E0402 a policy without kind", "[checker][E0402]") {
  std::string text = kSchema + "policy P {\n  default permit\n  for Assign\n}\n";
  auto d = expect_error(text, "E0402", "9:8");
  CHECK(d.message.en.find("kind") != std::string::npos);
  CHECK(d.message.zh.find("类型") != std::string::npos);
}

TEST_CASE("E0402 kind and default may come from different blocks", "[checker][E0402]") {
  auto r = xy::compile_sources({{"a.xy", kSchema + "policy P {\n  kind check\n  for Assign\n}\n"},
                                {"b.xy", "policy P {\n  default permit\n  rule R1 permit\n}\n"}});
  INFO(dump(r));
  CHECK(r.bundle);
}

TEST_CASE("E0403 a rule naming no action in a policy without `for`", "[checker][E0403]") {
  std::string text = kSchema + "policy P {\n  kind check\n  default permit\n  rule R1 permit\n}\n";
  auto d = expect_error(text, "E0403", "12:8");
  CHECK(d.message.en.find("R1") != std::string::npos);
  CHECK(d.help);
  // Naming the action after the effect is enough.
  auto ok =
      compile(kSchema + "policy P {\n  kind check\n  default permit\n  rule R1 permit Assign\n}\n");
  CHECK(ok.bundle);
}

TEST_CASE("E0404 a rule's effective period ending before it starts", "[checker][E0404]") {
  auto d = expect_error(with_rules("  rule R1 permit effective 2024-12-31 to 2024-01-01\n"),
                        "E0404", "13:18");
  CHECK(d.message.zh.find("生效") != std::string::npos);
}

TEST_CASE("E0404 a policy's effective period ending before it starts", "[checker][E0404]") {
  expect_error(with_rules("  effective 2024-12-31 to 2024-01-01\n"), "E0404", "13:3");
  expect_error(with_rules("  生效 2024年12月31日 至 2024年1月1日\n"), "E0404", "13:3");
}

TEST_CASE("a one-day effective period is fine", "[checker][E0404]") {
  auto r = compile(with_rules("  rule R1 permit effective 2024-01-01 to 2024-01-01\n"));
  INFO(dump(r));
  CHECK(r.bundle);
}
