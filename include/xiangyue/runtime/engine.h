// The runtime's public API: parse a request against a bundle, decide it, render the decision.
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "xiangyue/common/diagnostic.h"
#include "xiangyue/common/result.h"
#include "xiangyue/runtime/bundle.h"
#include "xiangyue/runtime/vocabulary.h"

namespace xy {

// A fact that is present but unusable (wrong type, unknown enum member, bad date...).
struct FactProblem {
  std::string path;
  Localized detail;
};

// A request checked against the bundle's schema. Owns the storage its values point into.
struct Request {
  Request() = default;
  // Moving keeps every pointer into `texts` and `blocks` valid (deque moves steal the storage).
  Request(Request&&) noexcept = default;
  Request& operator=(Request&&) noexcept = default;
  Request(const Request&) = delete;
  Request& operator=(const Request&) = delete;

  std::uint32_t action = 0;
  std::uint32_t policy = 0;
  Date as_of;
  Value facts;                        // a record of the action's fact type
  std::vector<FactProblem> problems;  // Value::missing(i + 1) refers to problems[i]
  std::deque<std::string> texts;
  std::deque<std::unique_ptr<Value[]>> blocks;
};

// Why a request could not be used at all (exit code 2 at the CLI, HTTP 400 in the server).
struct RequestError {
  Localized message;
  std::vector<FactProblem> facts;  // when facts do not fit the schema: every one of them
};

// Parses one JSON request. `as_of_override` (from --as-of) wins over the request's `as_of`;
// `today` is used when neither gives one.
Result<Request, RequestError> parse_request(const Bundle& bundle, std::string_view json,
                                            std::optional<Date> as_of_override, Date today);

// The action a JSON request names, read without converting the rest (to route a request among
// bundles). nullopt when it cannot be read that way — not plain JSON, no string action — and the
// caller must parse the text itself to tell.
std::optional<std::string> request_action(std::string_view json);
// The path of the first key given twice in one object of valid JSON `json` ("facts.接收"), or
// nothing. Requests with one are refused (Boost.JSON would keep the last silently).
std::optional<std::string> duplicate_json_key(std::string_view json);
// A request with facts that do not fit the schema (a wrong type, an unknown enum member, a bad
// date) is not decided by the CLI, the service or the test tables, whether or not a rule reads
// them: the error names every such fact. Nothing when they all fit. (The runtime itself decides
// such a request as `indeterminate` where a rule needs the fact, for embedders that want that.)
std::optional<RequestError> ill_fitting_facts(const Request& request);
// parse_request, then ill_fitting_facts: a request the CLI, the service, replay and the analysis
// decide, or why not. The error has `facts` exactly when the request parsed but facts do not fit.
Result<Request, RequestError> parse_fitting_request(const Bundle& bundle, std::string_view json,
                                                    std::optional<Date> as_of_override, Date today);
// `[{"path":"接收","problem":"invalid","detail":"…"}, …]`: the facts of such an error, in JSON.
std::string fact_problems_json(const std::vector<FactProblem>& facts, Lang lang);

struct Reason {
  std::uint32_t rule = 0;
  std::string text;
};
struct Overridden {
  std::uint32_t rule = 0;
  std::uint32_t by = 0;
};
struct MissingFact {
  std::uint32_t path = ir::kNone;  // index into Bundle::paths
  std::uint32_t problem = 0;       // 0: absent; i + 1: Request::problems[i]
  std::vector<std::uint32_t> rules;
};

struct Decision {
  ir::Outcome outcome = ir::Outcome::Indeterminate;
  std::uint32_t policy = 0;
  std::uint32_t action = 0;
  Date as_of;
  bool by_default = false;  // no rule applied: the policy's default decided
  std::vector<Reason> reasons;
  std::vector<Overridden> overridden;
  std::vector<MissingFact> missing;
  std::vector<std::uint32_t> fired;    // every rule in force whose condition held (for coverage)
  std::vector<std::uint32_t> unknown;  // every rule in force whose condition was unknown
};

// Evaluates requests against one bundle. Not thread-safe: use one Evaluator per thread.
class Evaluator {
 public:
  explicit Evaluator(const Bundle& bundle);
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  // Fills `out` (its vectors are reused across calls to avoid allocation).
  void decide(const Request& request, Decision& out);
  Decision decide(const Request& request) {
    Decision d;
    decide(request, d);
    return d;
  }

  struct State;  // private to the runtime (eval_state.h)

 private:
  std::unique_ptr<State> s_;
};

// The decision JSON (the contract with case systems) and the human text form.
std::string decision_json(const Bundle& bundle, const Request& request, const Decision& d);
std::string decision_text(const Bundle& bundle, const Request& request, const Decision& d,
                          Lang lang);
// Formats a value for reasons and reports (numbers exact, dates ISO, enums by name).
std::string format_value(const Bundle& bundle, const Value& v, std::uint32_t type);
void append_value(std::string& out, const Bundle& bundle, const Value& v, std::uint32_t type);

}  // namespace xy
