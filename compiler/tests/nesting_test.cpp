// Hostile shapes: deep nesting (E0002), long flat chains and nested quantifiers, without crashing.
#include "test_util.h"

using namespace xyt;

namespace {
std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}
}  // namespace

TEST_CASE("10,000 nested parentheses are E0002, not a crash", "[parser][nesting]") {
  std::string deep = repeat("(", 10000) + "n > 0" + repeat(")", 10000);
  // The expression starts at column 23. The policy's `{` is the first nesting level, so the
  // 100th parenthesis (column 122) is the first too deep.
  auto d = expect_error(with_rules("  rule R1 permit when " + deep + "\n"), "E0002", "13:122");
  CHECK(d.message.en.find("100") != std::string::npos);
  auto r = compile(with_rules("  rule R1 permit when " + deep + "\n"));
  CHECK(codes(r) == std::vector<std::string>{"E0002"});
}

TEST_CASE("deep brackets, braces, not and minus chains are E0002", "[parser][nesting]") {
  for (std::string shape : {"[", "{", "not ", "- ", "非 "}) {
    INFO("shape: " << shape);
    std::string close = shape == "[" ? "]" : shape == "{" ? "}" : "";
    std::string text = with_rules("  rule R1 permit when " + repeat(shape, 5000) + "n > 0" +
                                  repeat(close, 5000) + "\n");
    auto r = compile(text);
    REQUIRE_FALSE(r.bundle);
    auto ds = diags(r);
    REQUIRE_FALSE(ds.empty());
    CHECK(ds[0].code == "E0002");
    CHECK(ds[0].span.line == 13);
  }
}

TEST_CASE("nesting up to the limit still compiles", "[parser][nesting]") {
  auto r = compile(
      with_rules("  rule R1 permit when " + repeat("(", 90) + "n > 0" + repeat(")", 90) + "\n"));
  INFO(dump(r));
  CHECK(r.bundle);
}

TEST_CASE("a 2 MB file of repeated rules compiles", "[parser][size]") {
  std::string rules;
  for (int i = 0; i < 20000; ++i)
    rules += "  rule R" + std::to_string(i) + " permit when item.name = \"v" + std::to_string(i) +
             "\" and n > " + std::to_string(i) + "\n";
  auto r = compile(with_rules(rules));
  INFO(r.diagnostics.error_count());
  REQUIRE(r.bundle);
  CHECK(r.bundle->rules.size() == 20000);
}

// A flat chain has no brackets, but the AST and IR the compiler builds from it are as deep as it
// is long; checking (or evaluating) it recursively must not overflow the stack.
TEST_CASE("long flat + and `and` chains compile without crashing", "[parser][nesting]") {
  for (std::string op : {" + ", " and "}) {
    INFO("chain of 100000 `" << op << "`");
    std::string term = op == " + " ? "n" : "n > 0";
    std::string tail = op == " + " ? " > 0" : "";
    std::string chain = term;
    for (int i = 1; i < 100000; ++i) chain += op + term;
    std::string text = with_rules("  rule R1 permit when " + chain + tail + "\n");
    int code = in_child([&] {
      auto r = compile(text);
      // Either a bundle or a located E0002: both are fine, a crash is not.
      if (r.bundle) return 0;
      auto ds = r.diagnostics.sorted();
      return !ds.empty() && ds[0].code == "E0002" && ds[0].span.known() ? 0 : 1;
    });
    CHECK(code == 0);
  }
}

// `any a in S: any b in S: ...` without parentheses: the body runs to the end, so each level is
// a nested quantifier. Parsing time must not double with each level (it did: 14 levels took
// 0.2 s, 16 levels 0.8 s, 25 levels minutes), so 20 and 100 levels must finish within 3 s.
TEST_CASE("unparenthesised nested quantifiers parse in linear time", "[parser][nesting]") {
  for (int levels : {20, 100}) {
    std::string body;
    for (int i = 0; i < levels; ++i) body += "any a" + std::to_string(i) + " in item.tags: ";
    std::string text = with_rules("  rule R1 permit when " + body + "n > 0\n");
    int code = in_child([&] {
      alarm(3);
      auto r = compile(text);
      return r.bundle || r.diagnostics.error_count() > 0 ? 0 : 1;  // E0002 at 100 is fine
    });
    INFO(levels << " levels; 142 means killed by the 3 s alarm");
    CHECK(code == 0);
  }
}

// Quantifier variables live in 64 slots at run time; a rule with more must be rejected at
// compile time (the bundle loader already rejects slot >= 64), never written past the end.
TEST_CASE("a rule with more quantifier variables than slots is rejected", "[checker][nesting]") {
  std::string cond;
  for (int i = 0; i < 70; ++i)
    cond += (i ? " and " : "") + std::string("(any a") + std::to_string(i) + " in item.tags: a" +
            std::to_string(i) + " = \"x\")";
  auto r = compile(with_rules("  rule R1 permit when " + cond + "\n"));
  INFO(dump(r));
  CHECK_FALSE(r.bundle);
  if (r.bundle) {
    auto back = xy::Bundle::deserialize(r.bundle->serialize());
    INFO((back ? std::string("reloaded") : back.error().en));
    CHECK(back.ok());  // what the compiler writes, the loader must accept
  }
}
