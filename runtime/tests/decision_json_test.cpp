// decision_json writes its text by hand. These tests pin it, byte for byte, to Boost.JSON: the
// serializer's output for the same values (quotes, backslashes and control characters escaped,
// UTF-8 and DEL as they are, keys in order, integers and null as the library writes them).
#include <algorithm>

#include "rt_util.h"
#include "xiangyue/literals/literals.h"

using namespace rt;
namespace json = boost::json;

namespace {

// Reasons that show a text fact, a citation (basis), an exception (overridden) and, with an
// ill-typed fee, an invalid fact (missing, with `at` and `detail`).
const std::string kPolicy = check_policy(
    "  rule A permit when item.fee >= 0 because \"{item.name}\" basis "
    "\"《村民委员会组织法》第二条第二款\"\n"
    "  rule B forbid when item.n > 1 because \"{item.name}|{from.name}\"\n"
    "  rule C exception to B permit when item.n > 2 because \"{item.name}\"\n");

json::value opt(const std::optional<int>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::object location(const xy::Bundle& b, const xy::ir::Location& l) {
  json::object o;
  o["file"] = l.file < b.sources.size() ? b.sources[l.file].path : "";
  o["line"] = l.line;
  o["column"] = l.column;
  if (l.end_line > 0) {
    o["end_line"] = l.end_line;
    o["end_column"] = l.end_column;
  }
  return o;
}

// The decision as a Boost.JSON document, key by key in the order of the contract.
json::object reference(const xy::Bundle& b, const xy::Request& req, const xy::Decision& d) {
  json::object o;
  const auto& pol = b.policies[d.policy];
  o["outcome"] = xy::outcome_name(d.outcome);
  o["policy"] = pol.name;
  if (!pol.scope.empty()) o["scope"] = pol.scope;
  if (!pol.version.empty()) o["version"] = pol.version;
  o["action"] = b.actions[d.action].name;
  o["as_of"] = d.as_of.to_string();
  o["by_default"] = d.by_default;
  json::array reasons;
  for (const auto& r : d.reasons) {
    const auto& rule = b.rules[r.rule];
    json::object x;
    x["rule"] = rule.id;
    x["effect"] = xy::effect_name(rule.effect);
    x["text"] = r.text;
    if (rule.citation == xy::ir::kNone) {
      x["basis"] = nullptr;
    } else {
      const auto& c = b.citations[rule.citation];
      json::object basis;
      basis["law"] = c.law;
      basis["version"] = c.version ? json::value(*c.version) : json::value(nullptr);
      basis["article"] = opt(c.article);
      basis["paragraph"] = opt(c.paragraph);
      basis["item"] = opt(c.item);
      basis["cite"] = c.cite;
      if (!c.source.empty()) {
        basis["text"] = c.text;
        basis["source"] = c.source;
      }
      if (!c.issuer.empty()) basis["issuer"] = c.issuer;
      x["basis"] = std::move(basis);
    }
    x["location"] = location(b, rule.loc);
    if (rule.base != xy::ir::kNone) x["exception_to"] = b.rules[rule.base].id;
    reasons.push_back(std::move(x));
  }
  o["reasons"] = std::move(reasons);
  json::array over;
  for (const auto& ov : d.overridden) {
    json::object x;
    x["rule"] = b.rules[ov.rule].id;
    x["by"] = b.rules[ov.by].id;
    x["location"] = location(b, b.rules[ov.rule].loc);
    over.push_back(std::move(x));
  }
  o["overridden"] = std::move(over);
  json::array missing;
  for (const auto& m : d.missing) {
    json::object x;
    x["fact"] = m.path == xy::ir::kNone ? "" : b.paths[m.path];
    bool invalid = m.problem > 0 && m.problem <= req.problems.size();
    x["problem"] = invalid ? "invalid" : "missing";
    if (invalid) {
      x["at"] = req.problems[m.problem - 1].path;
      x["detail"] = req.problems[m.problem - 1].detail.en;
    }
    json::array rules;
    for (auto r : m.rules) rules.push_back(json::value(b.rules[r].id));
    x["rules"] = std::move(rules);
    missing.push_back(std::move(x));
  }
  o["missing"] = std::move(missing);
  o["bundle"] = b.hash;
  return o;
}

std::string quoted(const std::string& s) {
  return json::serialize(json::value(json::string_view(s)));
}

// Strings that need every kind of escaping, none, or a mix, at every offset of the 8-byte steps.
std::vector<std::string> tricky() {
  std::vector<std::string> out = {"",
                                  "plain ASCII words",
                                  "say \"hi\"",
                                  "back\\slash",
                                  "\\\"",
                                  "\"",
                                  "\\",
                                  "a/b </script>",
                                  std::string("nul\0inside", 10),
                                  "\b\f\n\r\t",
                                  "\x01\x02\x1b\x1f",
                                  "del \x7f kept",
                                  "村民委员会「调解」：“引号”",
                                  "emoji 😀 and 𠀀",
                                  "中文\t\"混合\"\\\n结尾"};
  std::string controls;
  for (int c = 0; c < 0x20; ++c) controls += static_cast<char>(c);
  out.push_back(controls);
  for (std::size_t at = 0; at < 20; ++at)
    for (const char* special : {"\"", "\\", "\n", "\x01", "中"}) {
      std::string s(20, 'x');
      s.insert(at, special);
      out.push_back(s);
    }
  return out;
}

}  // namespace

TEST_CASE("decision JSON escapes text exactly as Boost.JSON serializes it", "[decision_json]") {
  Engine e(kPolicy);
  for (const auto& s : tricky()) {
    for (int n : {1, 2, 3}) {
      std::string name =
          R"("name":)" + quoted(s) + R"(,"fee":0,"tags":[],"n":)" + std::to_string(n);
      auto d = e.decide(assign(name));
      std::string text = xy::decision_json(e.bundle(), d.request, d.decision);
      INFO(quoted(s) << " n=" << n << "\n" << text);
      CHECK(text == json::serialize(reference(e.bundle(), d.request, d.decision)));
      CHECK(text == json::serialize(json::parse(text)));
      std::string shown = n == 2 ? s + "|Town" : s;  // B's reason when it decides
      auto texts = d.texts();
      CHECK(std::find(texts.begin(), texts.end(), shown) != texts.end());
      CHECK(text.find("\"text\":" + quoted(shown)) != std::string::npos);
    }
  }
}

TEST_CASE("decision JSON escapes the detail of an invalid fact", "[decision_json]") {
  Engine e(kPolicy);
  for (const auto& s : tricky()) {
    auto d = e.decide(assign(R"("name":"x","fee":)" + quoted(s) + R"(,"tags":[],"n":1)"));
    std::string text = xy::decision_json(e.bundle(), d.request, d.decision);
    INFO(quoted(s) << "\n" << text);
    if (xy::lit::parse_number(s)) continue;
    REQUIRE(d.json.at("missing").as_array().size() == 1);
    CHECK(d.json.at("missing").as_array()[0].at("problem") == "invalid");
    CHECK(text == json::serialize(reference(e.bundle(), d.request, d.decision)));
    CHECK(text == json::serialize(json::parse(text)));
  }
}

TEST_CASE("decision JSON passes any byte through as the serializer does", "[decision_json]") {
  // Not reachable from a request (texts are valid UTF-8 there), but the writer is byte-exact.
  Engine e(kPolicy);
  auto d = e.decide(assign(item()));
  REQUIRE_FALSE(d.decision.reasons.empty());
  for (int c = 0; c < 256; ++c) {
    for (std::size_t at : {0, 3, 7, 8, 9, 15}) {
      std::string s(17, 'y');
      s[at] = static_cast<char>(c);
      d.decision.reasons[0].text = s;
      INFO("byte " << c << " at " << at);
      CHECK(xy::decision_json(e.bundle(), d.request, d.decision) ==
            json::serialize(reference(e.bundle(), d.request, d.decision)));
    }
  }
  for (int days : {-800000, -719163, -1, 0, 19844, 2932896, 2932897, 3000000}) {
    d.decision.as_of = xy::Date{days};
    INFO("as_of " << d.decision.as_of.to_string());
    CHECK(xy::decision_json(e.bundle(), d.request, d.decision) ==
          json::serialize(reference(e.bundle(), d.request, d.decision)));
  }
}
