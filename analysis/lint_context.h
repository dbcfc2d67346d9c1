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

// Which parts of a rule each_expr walks.
enum class Parts { All, Conditions, Reasons };

// Every checked expression of every rule, with its rule: its condition, then its reason
// placeholders (or only one of them).
template <class F>
void each_expr(const checked::Program& p, F&& visit, Parts parts = Parts::All) {
  for (std::uint32_t r = 0; r < p.rules.size(); ++r) {
    std::vector<const ast::Expr*> todo;
    if (parts != Parts::Reasons && p.rules[r].decl && p.rules[r].decl->when)
      todo.push_back(p.rules[r].decl->when.get());
    if (parts != Parts::Conditions)
      for (const auto& piece : p.rules[r].because)
        if (piece.expr) todo.push_back(piece.expr);
    while (!todo.empty()) {
      const ast::Expr* e = todo.back();
      todo.pop_back();
      if (const auto* info = p.of(*e)) visit(r, *e, *info);
      for (const auto& k : e->kids)
        if (k) todo.push_back(k.get());
    }
  }
}

// The checks (lint_solver.cpp, lint_items.cpp, lint_plain.cpp) and acknowledgements
// (acknowledge.cpp).
void solver_checks(LintContext& cx);
void unread_facts(LintContext& cx);
void unread_lists(LintContext& cx);
void unreached_items(LintContext& cx);
void near_miss_texts(LintContext& cx);
void acknowledge(LintContext& cx);

}  // namespace xy::analysis
