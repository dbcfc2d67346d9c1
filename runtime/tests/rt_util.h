// Shared helpers for the runtime tests: a schema, compiling policies, deciding JSON requests.
#pragma once
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "support/child.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "xiangyue/compiler/compiler.h"
#include "xiangyue/runtime/engine.h"

namespace rt {

// A schema for `Assign` (a body assigns an item) and `Logic` (two bare booleans).
inline const std::string kSchema = R"(schema {
  enum Level ordered { village, town, county, city, province }
  entity Body { name: text, level: Level }
  record Person { name: text, crime: text?, released: date?, birth: date }
  record Item { name: text, fee: money, approved: Body?, tags: set<text>, due: date?, n: int,
                ratio: number?, period: duration? }
  action Assign { from: Body, item: Item, people: set<Person>, present: int, total: int }
  action Logic { a: bool, b: bool, c: bool? }
}
list Duties { "mediate", "publicize" }
)";

// A policy `P` of `kind` with `dflt`, for `action`, holding `body` (settings and rules).
inline std::string policy(const std::string& kind, const std::string& dflt,
                          const std::string& action, const std::string& body) {
  return kSchema + "policy P {\n  kind " + kind + "\n  default " + dflt + "\n  for " + action +
         "\n" + body + "}\n";
}
inline std::string check_policy(const std::string& body) {
  return policy("check", "not_permitted", "Assign", body);
}

inline xy::Date date(int y, int m, int d) {
  return *xy::Date::from_ymd(y, m, d);
}

// A request decided against a bundle, with everything needed to inspect it.
struct Decided {
  xy::Request request;
  xy::Decision decision;
  boost::json::object json;
  std::string outcome() const { return std::string(json.at("outcome").as_string()); }
  std::vector<std::string> ids(const char* key, const char* field = "rule") const {
    std::vector<std::string> out;
    for (const auto& x : json.at(key).as_array()) out.emplace_back(x.at(field).as_string());
    return out;
  }
  std::vector<std::string> reasons() const { return ids("reasons"); }
  std::vector<std::string> texts() const { return ids("reasons", "text"); }
  std::vector<std::string> missing() const { return ids("missing", "fact"); }
  // "rule by exception" pairs.
  std::vector<std::string> overridden() const {
    std::vector<std::string> out;
    for (const auto& x : json.at("overridden").as_array())
      out.push_back(std::string(x.at("rule").as_string()) + " by " +
                    std::string(x.at("by").as_string()));
    return out;
  }
};

class Engine {
 public:
  explicit Engine(const std::string& source) {
    auto r = xy::compile_sources({xy::SourceFile{"p.xy", source}});
    INFO(xy::render_all(r.diagnostics, r.files, xy::Lang::en, 100));
    REQUIRE(r.bundle);
    bundle_ = std::make_unique<xy::Bundle>(std::move(*r.bundle));
    evaluator_ = std::make_unique<xy::Evaluator>(*bundle_);
  }
  const xy::Bundle& bundle() const { return *bundle_; }

  xy::Result<xy::Request, xy::RequestError> parse(const std::string& json,
                                                  std::optional<xy::Date> as_of = std::nullopt,
                                                  xy::Date today = date(2024, 5, 1)) const {
    return xy::parse_request(*bundle_, json, as_of, today);
  }
  // Parses (REQUIRE: accepted) and decides.
  Decided decide(const std::string& json, std::optional<xy::Date> as_of = std::nullopt,
                 xy::Date today = date(2024, 5, 1)) {
    auto req = parse(json, as_of, today);
    INFO(json << "\n" << (req ? std::string() : req.error().message.en));
    REQUIRE(req.ok());
    Decided d{std::move(*req), {}, {}};
    evaluator_->decide(d.request, d.decision);
    d.json = boost::json::parse(xy::decision_json(*bundle_, d.request, d.decision)).as_object();
    return d;
  }
  // The error message of a rejected request (REQUIRE: rejected).
  std::string rejected(const std::string& json) const {
    auto req = parse(json);
    REQUIRE_FALSE(req.ok());
    CHECK_FALSE(req.error().message.en.empty());
    CHECK_FALSE(req.error().message.zh.empty());
    return req.error().message.en;
  }

 private:
  std::unique_ptr<xy::Bundle> bundle_;
  std::unique_ptr<xy::Evaluator> evaluator_;
};

// An `Assign` request: `item` and `extra` are JSON members spliced into facts.
inline std::string assign(const std::string& item, const std::string& extra = "",
                          const std::string& as_of = "2024-05-01") {
  return R"({"action":"Assign","as_of":")" + as_of +
         R"(","facts":{"from":{"name":"Town","level":"town"},"item":{)" + item + "}" +
         (extra.empty() ? "" : "," + extra) + "}}";
}
// A default item with every required field.
inline std::string item(const std::string& more = "") {
  return R"("name":"ledger","fee":0,"tags":[],"n":1)" + (more.empty() ? "" : "," + more);
}

using xy::testsupport::in_child;

using Strings = std::vector<std::string>;

}  // namespace rt
