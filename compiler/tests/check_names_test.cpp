// Checker tests for names: E0101 unknown names with "did you mean", E0102-E0104 declarations.
#include "test_util.h"

using namespace xyt;

namespace {
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}
}  // namespace

TEST_CASE("E0101 unknown field, with did you mean", "[checker][E0101]") {
  auto d = expect_error(with_rules("  rule R1 permit when item.naem = \"x\"\n"), "E0101", "13:28");
  CHECK(d.span.length == 4);
  CHECK(d.message.en.find("naem") != std::string::npos);
  CHECK(help_en(d) == "did you mean `name`?");
  CHECK(help_zh(d) == "是否应为「name」？");
}

TEST_CASE("E0101 unknown type, with did you mean", "[checker][E0101]") {
  std::string text = replaced(with_rules(""), "fee: money", "fee: mony");
  auto d = expect_error(text, "E0101", "5:34");
  CHECK(help_en(d) == "did you mean `money`?");
}

TEST_CASE("E0101 unknown action after the effect", "[checker][E0101]") {
  auto d = expect_error(with_rules("  rule R1 permit Asign\n"), "E0101", "13:18");
  CHECK(help_en(d) == "did you mean `Assign`?");
}

TEST_CASE("E0101 unknown action in `for`", "[checker][E0101]") {
  auto d = expect_error(replaced(with_rules(""), "for Assign", "for Asign"), "E0101", "12:7");
  CHECK(help_en(d) == "did you mean `Assign`?");
}

TEST_CASE("E0101 unknown list", "[checker][E0101]") {
  auto d = expect_error(with_rules("  rule R1 permit when item.name in Dutis\n"), "E0101", "13:36");
  CHECK(d.message.en.find("Dutis") != std::string::npos);
  auto r = compile(with_rules("  rule R1 permit when item.name in Dutis\n"));
  CHECK(codes(r) == std::vector<std::string>{"E0101"});
}

TEST_CASE("E0101 unknown list suggests the closest list", "[checker][E0101]") {
  auto d = expect_error(with_rules("  rule R1 permit when item.name in Dutis\n"), "E0101", "13:36");
  CHECK(help_en(d) == "did you mean `Duties`?");
}

TEST_CASE("E0101 unknown enum member, with did you mean", "[checker][E0101]") {
  auto d = expect_error(with_rules("  rule R1 permit when from.level >= twon\n"), "E0101", "13:37");
  CHECK(d.message.en.find("Level") != std::string::npos);
  CHECK(help_en(d) == "did you mean `town`?");
}

TEST_CASE("E0101 unknown variable suggests the quantifier variable", "[checker][E0101]") {
  auto d = expect_error(with_rules("  rule R1 permit when any t in item.tags: tt = \"x\"\n"),
                        "E0101", "13:43");
  CHECK(help_en(d) == "did you mean `t`?");
}

TEST_CASE("E0101 unknown function, with did you mean", "[checker][E0101]") {
  auto d = expect_error(with_rules("  rule R1 permit when agee(item.due, as_of) > 18\n"), "E0101",
                        "13:23");
  CHECK(d.message.en.find("agee") != std::string::npos);
  CHECK(help_en(d) == "did you mean `age`?");
}

TEST_CASE("E0101 unknown list attribute, with did you mean", "[checker][E0101]") {
  std::string text = replaced(kSchema, "list Duties { \"mediate\", \"publicize\" }",
                              "list Duties (rank: int) { \"mediate\" (rnk: 1), \"publicize\" }");
  auto d = expect_error(text, "E0101", "8:38");
  CHECK(help_en(d) == "did you mean `rank`?");
}

TEST_CASE("E0101 gives no suggestion when nothing is close", "[checker][E0101]") {
  auto d =
      expect_error(with_rules("  rule R1 permit when item.zzzzzz = \"x\"\n"), "E0101", "13:28");
  CHECK_FALSE(d.help);
}

TEST_CASE("E0102 exception to a rule that does not exist", "[checker][E0102]") {
  auto d = expect_error(with_rules("  rule R1 permit\n  rule R2 exception to R9 forbid\n"), "E0102",
                        "14:24");
  CHECK(d.message.en.find("R9") != std::string::npos);
  CHECK(help_en(d) == "did you mean `R1`?");
}

TEST_CASE("E0103 duplicate type", "[checker][E0103]") {
  std::string text = kSchema + "schema { enum Color { blue } }\n";
  expect_error(text, "E0103", "9:15");
  CHECK(codes(compile(text)) == std::vector<std::string>{"E0103"});
}

TEST_CASE("E0103 a builtin type name cannot be redeclared", "[checker][E0103]") {
  expect_error(kSchema + "schema { record text { a: int } }\n", "E0103", "9:17");
}

TEST_CASE("E0103 duplicate field", "[checker][E0103]") {
  std::string text = replaced(kSchema, "due: date }", "due: date, fee: int }");
  expect_error(text, "E0103", where(text, "fee", 2));
}

TEST_CASE("E0103 duplicate enum member", "[checker][E0103]") {
  std::string text = replaced(kSchema, "{ red, green }", "{ red, green, red }");
  expect_error(text, "E0103", "3:28");
}

TEST_CASE("E0103 duplicate action", "[checker][E0103]") {
  expect_error(kSchema + "schema {\n  action Assign { x: int }\n}\n", "E0103", "10:10");
}

TEST_CASE("E0103 duplicate list and duplicate list item", "[checker][E0103]") {
  expect_error(kSchema + "list Duties { \"x\" }\n", "E0103", "9:6");
  std::string text = replaced(kSchema, "\"publicize\" }", "\"publicize\", \"mediate\" }");
  expect_error(text, "E0103", "8:39");
}

TEST_CASE("E0103 policy setting given twice, across blocks and files", "[checker][E0103]") {
  expect_error(with_rules("  kind check\n"), "E0103", "13:8");
  auto r = xy::compile_sources(
      {{"a.xy", with_rules("")}, {"b.xy", "policy P {\n  default permit\n}\n"}});
  INFO(dump(r));
  auto ds = diags(r);
  auto* d = find(ds, "E0103");
  REQUIRE(d);
  CHECK(d->span.file == 1);
  CHECK(loc(*d) == "2:11");
}

TEST_CASE("E0103 a rule clause given twice", "[checker][E0103]") {
  expect_error(with_rules("  rule R1 permit when n > 0 when n > 1\n"), "E0103", "13:29");
}

TEST_CASE("E0104 duplicate rule id, with a note at the first", "[checker][E0104]") {
  auto d = expect_error(with_rules("  rule R1 permit\n  rule R1 forbid\n"), "E0104", "14:8");
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0].first.line == 13);
  CHECK(d.notes[0].first.column == 8);
  CHECK(d.notes[0].second.en == "first used here");
}

TEST_CASE("the same rule id in two policies is fine", "[checker][E0104]") {
  auto r =
      compile(with_rules("  rule R1 permit\n") +
              "policy Q {\n  kind review\n  default pass\n  for Assign\n  rule R1 reject\n}\n");
  INFO(dump(r));
  CHECK(r.bundle);
}
