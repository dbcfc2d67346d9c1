// `xy lint`: runs the checks, decides every example with the runtime, applies the
// acknowledgements written in the policies, and orders the findings by place.
#include "xiangyue/analysis/lint.h"

#include <algorithm>

#include "lint_context.h"
#include "xiangyue/runtime/vocabulary.h"

namespace xy::analysis {

Finding& LintContext::add(Severity severity, std::string code, SourceSpan at, Localized message) {
  Finding f;
  f.diagnostic.severity = severity;
  f.diagnostic.code = std::move(code);
  f.diagnostic.span = at;
  f.diagnostic.message = std::move(message);
  report.findings.push_back(std::move(f));
  return report.findings.back();
}

bool LintContext::example(Encoding& enc, const z3::model& model, const std::string& policy,
                          Finding& finding, const std::function<bool(const Decision&)>& expect) {
  std::string json = boost::json::serialize(enc.request(model, policy));
  auto parsed = parse_fitting_request(bundle, json, std::nullopt, Date::today());
  if (!parsed) {
    report.disagreements.push_back(finding.diagnostic.code + " " + finding.diagnostic.message.en +
                                   ": the runtime refuses the example request " + json + " (" +
                                   parsed.error().message.en + ")");
    return false;
  }
  Decision d = evaluator.decide(*parsed);
  std::string fired, deciding;
  for (auto r : d.fired) fired += (fired.empty() ? "" : ", ") + bundle.rules[r].id;
  for (const auto& reason : d.reasons) {
    const std::string& id = bundle.rules[reason.rule].id;
    if (deciding.find(id) == std::string::npos) deciding += (deciding.empty() ? "" : ", ") + id;
    finding.deciding.push_back(reason.rule);
  }
  std::string outcome(outcome_name(d.outcome));
  if (!expect(d)) {
    report.disagreements.push_back(finding.diagnostic.code + " " + finding.diagnostic.message.en +
                                   ": the runtime decides the example otherwise (" + outcome +
                                   "; fired: " + fired + ") " + json);
    return false;
  }
  finding.example = json;
  finding.example_outcome = outcome;
  finding.example_rules = deciding;
  return true;
}

LintReport lint(const checked::Program& program, const Bundle& bundle,
                const std::vector<SourceFile>& files, const Options& options) {
  LintContext cx(program, bundle, files, options);
  cx.report.set_bound = options.set_bound;
  cx.report.as_of = options.as_of;
  cx.report.rules = program.decls.rules.size();
  solver_checks(cx);
  unread_facts(cx);
  unread_lists(cx);
  unreached_items(cx);
  near_miss_texts(cx);
  acknowledge(cx);
  std::stable_sort(cx.report.findings.begin(), cx.report.findings.end(),
                   [](const Finding& a, const Finding& b) {
                     const auto &x = a.diagnostic.span, &y = b.diagnostic.span;
                     return std::tie(x.file, x.line, x.column) < std::tie(y.file, y.line, y.column);
                   });
  return std::move(cx.report);
}

}  // namespace xy::analysis
