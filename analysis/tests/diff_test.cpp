// xy diff's verdicts on small pairs of versions, each example checked by both runtimes.
#include <catch2/catch.hpp>

#include "xiangyue/analysis/diff.h"

namespace {

const std::string kSchema = R"(
schema {
  enum Level ordered { village, town, county }
  action Assign { level: Level, fee: int, name: text, due: date }
}
)";

std::string set(const std::string& rules, const std::string& dflt = "not_permitted") {
  return kSchema + "policy P {\n  kind check\n  default " + dflt + "\n  for Assign\n" + rules +
         "}\n";
}

xy::analysis::DiffReport compare(const std::string& before, const std::string& after,
                                 std::optional<xy::Date> old_as_of = std::nullopt,
                                 std::optional<xy::Date> new_as_of = std::nullopt) {
  std::vector<xy::SourceFile> a{{"old.xy", before}}, b{{"new.xy", after}};
  auto ca = xy::checked::check_sources(a), cb = xy::checked::check_sources(b);
  auto ba = xy::compile_sources(a), bb = xy::compile_sources(b);
  REQUIRE(ca.program);
  REQUIRE(cb.program);
  REQUIRE(ba.bundle);
  REQUIRE(bb.bundle);
  xy::analysis::Options oa, ob;
  oa.as_of = old_as_of;
  ob.as_of = new_as_of;
  auto r = xy::analysis::diff(*ca.program, *ba.bundle, *cb.program, *bb.bundle, oa, ob);
  CHECK(r.disagreements.empty());
  return r;
}

}  // namespace

TEST_CASE("diff: the same rules written differently are equivalent") {
  auto r = compare(set("  rule A permit when fee > 10 and level >= town\n"),
                   set("  rule B permit when not (fee <= 10 or level < town)\n"));
  REQUIRE(r.entries.size() == 1);
  CHECK(r.entries[0].verdict == "equivalent");
  CHECK(r.entries[0].examples.empty());
}

TEST_CASE("diff: a lower threshold permits more, with an example both versions decide") {
  auto r = compare(set("  rule A permit when fee > 10\n"), set("  rule A permit when fee > 5\n"));
  REQUIRE(r.entries.size() == 1);
  CHECK(r.entries[0].verdict == "more_permissive");
  REQUIRE(r.entries[0].examples.size() == 1);
  const auto& ex = r.entries[0].examples[0];
  CHECK(ex.before.outcome == "not_permitted");
  CHECK(ex.after.outcome == "permit");
  CHECK(ex.after.rules == std::vector<std::string>{"A"});
}

TEST_CASE("diff: a new prohibition permits less; changes both ways are incomparable") {
  auto less = compare(set("  rule A permit when fee > 10\n"),
                      set("  rule A permit when fee > 10\n  rule F forbid when name = \"x\"\n"));
  CHECK(less.entries[0].verdict == "less_permissive");
  auto both =
      compare(set("  rule A permit when fee > 10\n"), set("  rule A permit when fee < 10\n"));
  CHECK(both.entries[0].verdict == "incomparable");
  CHECK(both.entries[0].examples.size() == 2);
}

TEST_CASE("diff: dates of decision on each side (a rule coming into force)") {
  std::string rules = "  rule A permit when fee > 10 effective 2024-01-01\n";
  auto r = compare(set(rules), set(rules), xy::Date::from_ymd(2023, 12, 31),
                   xy::Date::from_ymd(2024, 1, 1));
  CHECK(r.entries[0].verdict == "more_permissive");
  REQUIRE(r.entries[0].examples.size() == 1);
  CHECK(r.entries[0].examples[0].request.find("2024-01-01") != std::string::npos);
}

TEST_CASE("diff: facts declared differently are not compared; a policy on one side only") {
  std::string changed =
      "\nschema {\n  enum Level ordered { village, town, county }\n  action "
      "Assign { level: Level, fee: number, name: text, due: date }\n}\n"
      "policy P {\n  kind check\n  default not_permitted\n  for Assign\n"
      "  rule A permit when fee > 10\n}\n";
  auto r = compare(set("  rule A permit when fee > 10\n"), changed);
  CHECK(r.entries[0].verdict == "facts_changed");
  auto only = compare(set("  rule A permit when fee > 10\n"),
                      set("  rule A permit when fee > 10\n") +
                          "policy Q {\n  kind check\n  default permit\n  for Assign\n  rule Z "
                          "forbid when fee > 3\n}\n");
  REQUIRE(only.entries.size() == 2);
  CHECK(only.entries[1].policy == "Q");
  CHECK(only.entries[1].verdict == "only_new");
}
