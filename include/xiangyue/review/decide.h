// Deciding the collated candidates (xy review): one request per candidate, decided by the runtime
// like any `xy check` request, with what the reports show of each decision.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "xiangyue/review/collate.h"
#include "xiangyue/runtime/engine.h"

namespace xy::review {

// A finding of the decision: a rule that decided it.
struct Finding {
  std::string rule;
  ir::Effect effect = ir::Effect::Reject;
  std::string text;  // the reason
  std::string cite;  // the article it cites ("" if none)
};

struct Decided {
  std::string request;   // the request JSON
  std::string decision;  // the decision JSON; empty when the request was refused
  ir::Outcome outcome = ir::Outcome::Indeterminate;
  std::vector<Finding> findings;
  std::vector<std::string> missing;  // facts without a value that a rule needed
  std::optional<Localized> refused;  // why the runtime refused the request (a bug in collation)
};

class Decider {
 public:
  // Decides by `policy` of `bundle` as of `as_of`. Throws nothing; an unknown policy is the
  // caller's to check (policy_for).
  Decider(const Bundle& bundle, std::string policy, Date as_of);
  ~Decider();
  // Decides one candidate. `record` (if set) is called with the request and decision, for the
  // audit store, before this returns.
  Decided decide(const Candidate& candidate, const checked::Returns& returns,
                 const std::function<void(const Request&, const Decision&, const std::string&,
                                          const std::string&)>& record = {});

 private:
  const Bundle& bundle_;
  std::string policy_;
  Date as_of_;
  std::unique_ptr<Evaluator> evaluator_;
  Decision scratch_;
};

// The review policy of `bundle` named `name` for the action of `returns`, or why not.
Result<std::uint32_t, Localized> policy_for(const Bundle& bundle, const checked::Returns& returns,
                                            const std::string& name);

}  // namespace xy::review
