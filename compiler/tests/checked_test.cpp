// The checked program: name resolution and type checking apart from lowering. Every expression
// the checker accepts carries its type and operation; nothing is lowered until compile asks.
#include "xiangyue/compiler/checked.h"
#include "test_util.h"

using xy::ir::Op;
using xy::ir::TypeKind;

namespace {

xy::checked::CheckResult check(const std::string& text) {
  return xy::checked::check_sources({xy::SourceFile{"main.xy", text}});
}

// Every expression under `root`, in pre-order.
std::vector<const xy::ast::Expr*> all(const xy::ast::Expr* root) {
  std::vector<const xy::ast::Expr*> out, todo{root};
  while (!todo.empty()) {
    const auto* e = todo.back();
    todo.pop_back();
    out.push_back(e);
    for (auto it = e->kids.rbegin(); it != e->kids.rend(); ++it) todo.push_back(it->get());
  }
  return out;
}

}  // namespace

TEST_CASE("checking types and resolves every expression of a condition without lowering it") {
  auto r = check(xyt::with_rules(
      "  rule A permit when from.level >= county and item.name in Duties and n + 1 > 2\n"
      "    because \"{item.name}\"\n"));
  REQUIRE_FALSE(r.diagnostics.has_errors());
  REQUIRE(r.program);
  const auto& p = *r.program;
  CHECK(p.decls.nodes.empty());  // nothing lowered
  REQUIRE(p.rules.size() == 1);
  REQUIRE(p.rules[0].when);
  for (const auto* e : all(p.rules[0].when)) {
    INFO(e->span.begin);
    if (e->text == "Duties") continue;  // a list's name: the membership holds the list
    REQUIRE(p.of(*e));
    CHECK(p.of(*e)->type != xy::ir::kNone);
  }
  const auto& cond = *p.rules[0].when;
  CHECK(p.type_name(p.of(cond)->type, xy::Lang::en) == "bool");
  CHECK(p.of(cond)->op == Op::And);
  // `from.level >= county`: a field read from the action's facts, compared with an enum member
  // that resolved against the other side's type.
  const auto& ge = *cond.kids[0];
  CHECK(p.of(ge)->op == Op::Ge);
  CHECK(p.of(ge)->flags == static_cast<std::uint8_t>(TypeKind::Enum));
  const auto* level = p.of(*ge.kids[0]);
  CHECK(level->op == Op::Field);
  CHECK(level->path == "from.level");
  CHECK(p.of(*ge.kids[0]->kids[0])->from_root);
  const auto* county = p.of(*ge.kids[1]);
  CHECK(county->op == Op::Const);
  REQUIRE(county->value);
  CHECK(county->value->ordinal == 2);
  CHECK(p.type_name(county->type, xy::Lang::en) == "Level");
  // `item.name in Duties`: membership in a list, by the list's index.
  const auto* in = p.of(*cond.kids[1]);
  CHECK(in->op == Op::InList);
  CHECK(p.decls.lists[in->list].name == "Duties");
  // `n + 1`: integer arithmetic stays integer.
  CHECK(p.type_name(p.of(*cond.kids[2]->kids[0])->type, xy::Lang::zh) == "整数");
  // The reason's placeholder is checked too, and kept for lowering.
  REQUIRE(p.rules[0].because.size() == 1);
  REQUIRE(p.rules[0].because[0].expr);
  CHECK(p.of(*p.rules[0].because[0].expr)->path == "item.name");
}

TEST_CASE("a rule that does not check leaves the others checked") {
  auto r =
      check(xyt::with_rules("  rule A permit when item.nmae = \"x\"\n"
                            "  rule B forbid when n > 3\n"));
  REQUIRE(r.diagnostics.has_errors());
  REQUIRE(r.program);
  const auto& p = *r.program;
  REQUIRE(p.rules.size() == 2);
  CHECK(p.rules[0].when == nullptr);
  CHECK_FALSE(p.of(*p.rules[0].decl->when));
  REQUIRE(p.rules[1].when);
  CHECK(p.of(*p.rules[1].when)->op == Op::Gt);
}

TEST_CASE("a file that does not parse gives no checked program") {
  auto r = check(xyt::with_rules("  rule A permit when (n > \n"));
  CHECK(r.diagnostics.has_errors());
  CHECK_FALSE(r.program);
}

TEST_CASE("expression_at finds the innermost checked expression at an offset") {
  std::string text =
      xyt::with_rules("  rule A permit when n > 3 and any t in item.tags: t = \"急\"\n");
  auto r = check(text);
  REQUIRE(r.program);
  auto at = [&](const std::string& needle, std::size_t plus = 0) {
    const auto* e = xy::checked::expression_at(*r.program, 0, text.find(needle) + plus);
    return e ? text.substr(e->span.begin, e->span.end - e->span.begin) : std::string("(none)");
  };
  CHECK(at("n > 3") == "n");
  CHECK(at("> 3") == "n > 3");
  CHECK(at("item.tags", 5) == "item.tags");
  CHECK(at("t = ") == "t");
  CHECK(at("= \"急\"") == "t = \"急\"");
  CHECK(at("rule A") == "(none)");
}

TEST_CASE("compiling lowers the checked program: one IR node range per node, conditions set") {
  auto r =
      xyt::compile(xyt::with_rules("  rule A permit when item.name not in Duties\n"
                                   "  rule B forbid when n + 1 > 2 or n < 0 or n = 7\n"));
  REQUIRE(r.bundle);
  const auto& b = *r.bundle;
  CHECK(b.node_ranges.size() == b.nodes.size());
  REQUIRE(b.rules.size() == 2);
  CHECK(b.nodes[b.rules[0].cond].op == Op::Not);  // `not in` is `not (… in …)`
  CHECK(b.nodes[b.nodes[b.rules[0].cond].a].op == Op::InList);
  CHECK(b.nodes[b.rules[1].cond].op == Op::Or);
}
