// `xy lint`: what the solver can tell authors about a policy set (rules that never apply,
// permissions always overridden, exceptions that cannot meet their rule, conflicts, findings
// always outranked, subsumed rules) and what plain reading can (facts and lists no rule reads,
// texts close to a list's item). Every example request is decided by the runtime before it is
// shown.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "xiangyue/analysis/encoding.h"
#include "xiangyue/common/diagnostic.h"

namespace xy::analysis {

struct Finding {
  Diagnostic diagnostic;
  std::string example;          // a request (JSON) showing it, decided by the runtime; or ""
  std::string example_outcome;  // the runtime's outcome on it (wire name)
  std::string example_rules;    // the rules that decided it, as the decision names them
  std::vector<std::uint32_t> deciding;  // the same, as rule indexes
  std::string acknowledged;             // the reason written beside it in the policy; "" if none
};

struct LintReport {
  std::vector<Finding> findings;  // in file and line order
  // The solver and the runtime disagreed on a request: a bug in the analysis, never a finding.
  std::vector<std::string> disagreements;
  // Questions the solver did not answer within the timeout (nothing is claimed about them).
  std::vector<Localized> undecided;
  unsigned set_bound = 3;
  std::optional<Date> as_of;
  std::size_t rules = 0, questions = 0;
};

// Lints a checked set; `bundle` is the same set compiled (to decide the examples).
LintReport lint(const checked::Program& program, const Bundle& bundle,
                const std::vector<SourceFile>& files, const Options& options);

}  // namespace xy::analysis
