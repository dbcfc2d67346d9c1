// What the lint checks share (private to the analysis): the set, the report, example requests
// decided by the runtime, the rule names and spans used in messages.
#pragma once
#include <functional>

#include "xiangyue/analysis/lint.h"
#include "xiangyue/runtime/engine.h"

namespace xy::analysis {

struct LintContext {
  const checked::Program& p;
  const Bundle& bundle;
  const std::vector<SourceFile>& files;
  Options options;
  LintReport report;
  Evaluator evaluator;

  LintContext(const checked::Program& program, const Bundle& b, const std::vector<SourceFile>& f,
              const Options& o)
      : p(program), bundle(b), files(f), options(o), evaluator(b) {}

  const std::string& id(std::uint32_t rule) const { return p.decls.rules[rule].id; }
  SourceSpan span(std::uint32_t rule) const { return p.rules[rule].decl->id.span; }
  Finding& add(Severity severity, std::string code, SourceSpan at, Localized message);

  // Decides the request `model` describes with the runtime; `expect` says whether the decision
  // shows what the finding claims. When it does not, that is a disagreement (recorded) and the
  // result is false.
  bool example(Encoding& enc, const z3::model& model, const std::string& policy, Finding& finding,
               const std::function<bool(const Decision&)>& expect);
};

// The checks (lint_solver.cpp, lint_plain.cpp) and acknowledgements (acknowledge.cpp).
void solver_checks(LintContext& cx);
void unread_facts(LintContext& cx);
void unread_lists(LintContext& cx);
void near_miss_texts(LintContext& cx);
void acknowledge(LintContext& cx);

}  // namespace xy::analysis
