// Hostile shapes at run time: deep exception chains, deep conditions, many quantifier
// variables, and crafted bundles whose hash is valid but whose IR is ill-typed.
#include "rt_util.h"

using namespace rt;

TEST_CASE("a 70-deep exception chain is evaluated exceptions first", "[hostile][exceptions]") {
  // R0 forbid; R(k+1) is an exception to Rk; all apply. The deepest rule R69 decides, and every
  // other rule is set aside by its exception.
  std::string rules = "  rule R0 forbid\n";
  for (int k = 1; k < 70; ++k)
    rules += "  rule R" + std::to_string(k) + " exception to R" + std::to_string(k - 1) + " " +
             (k % 2 ? "permit" : "forbid") + "\n";
  Engine e(check_policy(rules));
  auto d = e.decide(assign(item()));
  CHECK(d.reasons() == Strings{"R69"});
  CHECK(d.outcome() == "permit");
  CHECK(d.overridden().size() == 69);
}

TEST_CASE("a 60,000-term `and` condition is evaluated without a crash", "[hostile]") {
  std::string cond = "item.n > 0";
  for (int i = 1; i < 60000; ++i) cond += " and item.n > 0";
  auto r = xy::compile_sources({{"p.xy", check_policy("  rule A permit when " + cond + "\n")}});
  if (!r.bundle) {  // rejecting it at compile time is fine too
    CHECK(r.diagnostics.error_count() > 0);
    return;
  }
  const xy::Bundle& b = *r.bundle;
  int code = in_child([&] {
    auto req = xy::parse_request(b, assign(item()), std::nullopt, date(2024, 5, 1));
    if (!req) return 2;
    xy::Evaluator ev(b);
    return ev.decide(*req).outcome == xy::ir::Outcome::Permit ? 0 : 1;
  });
  CHECK(code == 0);
}

TEST_CASE("a rule with 70 quantifier variables is rejected or evaluated safely", "[hostile]") {
  std::string cond;
  for (int i = 0; i < 70; ++i)
    cond += (i ? " and " : "") + std::string("(any a") + std::to_string(i) + " in item.tags: a" +
            std::to_string(i) + " = \"x\")";
  auto r = xy::compile_sources({{"p.xy", check_policy("  rule A permit when " + cond + "\n")}});
  if (!r.bundle) return;
  const xy::Bundle& b = *r.bundle;
  int code = in_child([&] {
    auto req = xy::parse_request(b, assign(R"("name":"n","fee":0,"n":1,"tags":["x"])"),
                                 std::nullopt, date(2024, 5, 1));
    if (!req) return 2;
    xy::Evaluator ev(b);
    return ev.decide(*req).outcome == xy::ir::Outcome::Permit ? 0 : 1;
  });
  CHECK(code == 0);  // 70 slots are written into an array of 64
}

TEST_CASE("a crafted bundle comparing text with a number cannot crash the evaluator",
          "[hostile][bundle]") {
  // Compile a valid bundle, point a text comparison at a number constant, re-hash and reload:
  // the loader promises that a hostile bundle cannot make evaluation read out of bounds.
  auto r =
      xy::compile_sources({{"p.xy", check_policy("  rule N permit when item.n = 5\n"
                                                 "  rule T permit when item.name = \"x\"\n")}});
  REQUIRE(r.bundle);
  xy::Bundle& b = *r.bundle;
  std::uint32_t number = xy::ir::kNone, text_eq = xy::ir::kNone;
  for (std::uint32_t i = 0; i < b.nodes.size(); ++i) {
    const auto& n = b.nodes[i];
    if (n.op == xy::ir::Op::Const && b.consts[n.a].kind == xy::ValueKind::Number) number = i;
    if (n.op == xy::ir::Op::Eq && static_cast<xy::ir::TypeKind>(n.flags) == xy::ir::TypeKind::Text)
      text_eq = i;
  }
  REQUIRE(number != xy::ir::kNone);
  REQUIRE(text_eq != xy::ir::kNone);
  REQUIRE(number < text_eq);
  b.nodes[text_eq].b = number;
  b.finalize();
  auto loaded = xy::Bundle::deserialize(b.serialize());
  if (!loaded) {
    SUCCEED("rejected: " + loaded.error().en);
    return;
  }
  const xy::Bundle& h = *loaded;
  int code = in_child([&] {
    auto req =
        xy::parse_request(h, assign(R"("name":"a long name, not inline","fee":0,"tags":[],"n":1)"),
                          std::nullopt, date(2024, 5, 1));
    if (!req) return 2;
    xy::Evaluator ev(h);
    xy::decision_json(h, *req, ev.decide(*req));
    return 0;
  });
  CHECK(code == 0);
}
