// The one vocabulary table: every word a policy may write for a default or an effect is read back
// as that outcome or effect wherever words are read (test tables, the audit filter, the compiler).
#include <catch2/catch.hpp>

#include "xiangyue/compiler/compiler.h"
#include "xiangyue/runtime/vocabulary.h"

using xy::ir::Kind;

TEST_CASE("every default spelling names an outcome that kind of policy may default to",
          "[vocabulary]") {
  for (Kind kind : {Kind::Check, Kind::Review}) {
    for (const auto& word : xy::default_spellings(kind, true)) {
      INFO(word);
      const auto* o = xy::outcome_by_word(word);
      REQUIRE(o);
      CHECK(xy::allowed_default(kind, o->outcome));
    }
  }
  // 未授权 is a default, so it is an outcome word (test tables and filters read it).
  REQUIRE(xy::outcome_by_word("未授权"));
  CHECK(xy::outcome_by_word("未授权")->outcome == xy::ir::Outcome::NotPermitted);
  CHECK_FALSE(xy::allowed_default(Kind::Check, xy::ir::Outcome::Deny));
}

TEST_CASE("every effect spelling names an effect of its kind, deciding its outcome",
          "[vocabulary]") {
  for (Kind kind : {Kind::Check, Kind::Review}) {
    for (const auto& word : xy::effect_spellings(kind, true)) {
      INFO(word);
      const auto* e = xy::effect_by_word(word);
      REQUIRE(e);
      CHECK(e->kind == kind);
    }
  }
  // A review's effects are its outcomes, in the same words.
  for (const auto& e : xy::all_effects()) {
    if (e.kind != Kind::Review) continue;
    CHECK(std::string(e.zh) == xy::outcome_words(e.outcome).zh);
    CHECK(std::string(e.wire) == xy::outcome_words(e.outcome).en);
  }
}

TEST_CASE("the compiler takes every default and effect spelling of the table", "[vocabulary]") {
  for (const auto& dflt : xy::default_spellings(Kind::Check, true)) {
    for (const auto& effect : xy::effect_spellings(Kind::Check, true)) {
      std::string policy =
          "schema { action A { n: int } }\n"
          "policy P {\n  kind 检查\n  default " +
          dflt + "\n  for A\n  rule R " + effect + " when n > 1\n}\n";
      auto r = xy::compile_sources({xy::SourceFile{"v.xy", policy}});
      INFO(policy << xy::render_all(r.diagnostics, r.files, xy::Lang::en));
      REQUIRE(r.bundle);
      CHECK(r.bundle->policies[0].fallback == xy::outcome_by_word(dflt)->outcome);
      CHECK(r.bundle->rules[0].effect == xy::effect_by_word(effect)->effect);
    }
  }
}
