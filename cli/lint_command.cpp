// `xy lint`: the analysis of a policy set (docs/analysis.md): findings located like compile
// diagnostics, each example request decided by the runtime, acknowledgements honoured.
#include <CLI/CLI.hpp>
#include <atomic>
#include <boost/json.hpp>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>

#include "commands.h"
#include "xiangyue/analysis/lint.h"
#include "xiangyue/compiler/checked.h"
#include "xiangyue/literals/literals.h"
#include "xiangyue/runtime/vocabulary.h"
#include "xiangyue/tooling/policy_test.h"

namespace xy::cli {

CLI::App* add_lint(CLI::App& app, LintOptions& o, std::string& lang_opt) {
  auto* l = app.add_subcommand(
      "lint",
      "find rules that never apply, are always overridden, conflict or repeat, and facts "
      "no rule reads (docs/analysis.md)");
  l->add_option("policies", o.policies, "policy files or directories")->required();
  l->add_option("--format,-f", o.format, "output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  l->add_flag("--deny-warnings", o.deny_warnings,
              "exit 1 when a warning is not acknowledged in the policy text");
  l->add_option("--as-of", o.as_of, "ask about this decision date only (default: any date)");
  l->add_option("--set-bound", o.set_bound, "most elements a set holds in the analysis")
      ->check(CLI::Range(1, 8));
  l->add_option("--timeout-ms", o.timeout_ms, "time for the solver per question")
      ->check(CLI::Range(100, 600000));
  l->add_option("--laws", o.laws,
                "statute texts to check citations against (default: a laws/ folder in, beside or "
                "above the policies)");
  l->add_option("--lang", lang_opt, "language of human text: zh or en")
      ->check(CLI::IsMember({"zh", "en"}))
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  return l;
}

namespace {

const char* severity_word(Severity s) {
  return s == Severity::error ? "error" : s == Severity::warning ? "warning" : "note";
}

std::string report_json(const analysis::LintReport& r, const std::vector<SourceFile>& files,
                        Lang lang) {
  boost::json::array findings;
  for (const auto& f : r.findings) {
    const auto& d = f.diagnostic;
    boost::json::object o{{"code", d.code},
                          {"severity", severity_word(d.severity)},
                          {"file", d.span.file < files.size() ? files[d.span.file].path : ""},
                          {"line", d.span.line},
                          {"column", d.span.column},
                          {"message", d.message.in(lang)}};
    if (d.help) o["help"] = d.help->in(lang);
    boost::json::array notes;
    for (const auto& [at, note] : d.notes)
      notes.push_back({{"file", at.file < files.size() ? files[at.file].path : ""},
                       {"line", at.line},
                       {"column", at.column},
                       {"message", note.in(lang)}});
    if (!notes.empty()) o["notes"] = std::move(notes);
    if (!f.example.empty()) {
      o["example"] = boost::json::parse(f.example);
      o["example_outcome"] = f.example_outcome;
      o["example_rules"] = f.example_rules;
    }
    if (!f.acknowledged.empty()) o["acknowledged"] = f.acknowledged;
    findings.push_back(std::move(o));
  }
  boost::json::array undecided, bugs;
  for (const auto& u : r.undecided) undecided.push_back(boost::json::string(u.in(lang)));
  for (const auto& b : r.disagreements) bugs.push_back(boost::json::string(b));
  boost::json::object out{
      {"set_bound", r.set_bound},
      {"as_of", r.as_of ? boost::json::value(r.as_of->to_string()) : boost::json::value(nullptr)},
      {"rules", r.rules},
      {"questions", r.questions},
      {"findings", std::move(findings)},
      {"undecided", std::move(undecided)},
      {"disagreements", std::move(bugs)}};
  return boost::json::serialize(out) + "\n";
}

}  // namespace

namespace {

struct Counts {
  std::size_t warnings = 0, notes = 0, acknowledged = 0, bugs = 0;
};

// Lints one policy set and prints its report; false when it does not compile.
std::string count(std::size_t n, const std::string& what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

// One set's report, made apart (sets are linted in parallel) and printed in order.
struct SetResult {
  bool compiled = false;
  std::ostringstream out, err;
  Counts counts;
  std::optional<boost::json::object> json;
};

void lint_set(const LintOptions& o, const std::vector<std::string>& paths,
              const analysis::Options& options, bool header, SetResult& result) {
  auto& out = result.out;
  auto& err = result.err;
  bool zh = o.lang == Lang::zh;
  CompileSettings settings;
  settings.laws_dir = o.laws.empty() ? find_laws_dir(paths) : o.laws;
  DiagnosticSink read;
  auto files = read_policy_files(paths, read);
  if (read.has_errors()) {
    err << render_all(read, files, o.lang);
    return;
  }
  auto checked = checked::check_sources(files, settings);
  auto compiled = compile_sources(files, settings);
  if (compiled.diagnostics.has_errors() || !checked.program || !compiled.bundle) {
    err << render_all(compiled.diagnostics, compiled.files, o.lang);
    return;
  }
  auto report = analysis::lint(*checked.program, *compiled.bundle, checked.files, options);
  std::string name;
  for (const auto& p : paths) name += (name.empty() ? "" : " ") + p;
  Counts here;
  for (const auto& f : report.findings) {
    if (!f.acknowledged.empty())
      ++here.acknowledged;
    else if (f.diagnostic.severity == Severity::warning)
      ++here.warnings;
    else
      ++here.notes;
  }
  here.bugs = report.disagreements.size();
  if (o.format == "json") {
    auto set = boost::json::parse(report_json(report, checked.files, o.lang)).as_object();
    set["policies"] = name;
    result.json = std::move(set);
  } else {
    if (header) out << "== " << name << "\n";
    for (const auto& f : report.findings) {
      if (!f.acknowledged.empty()) continue;
      out << render(f.diagnostic, checked.files, o.lang);
      if (!f.example.empty()) {
        std::string outcome = outcome_label(f.example_outcome, o.lang);
        out << (zh ? "  = 示例请求（运行时裁决为「" + outcome + "」" +
                         (f.example_rules.empty() ? "" : "，依据 " + f.example_rules) + "）：\n    "
                   : "  = example request (the runtime decides " + outcome +
                         (f.example_rules.empty() ? "" : " by " + f.example_rules) + "):\n    ")
            << f.example << "\n";
      }
      out << "\n";
    }
    for (const auto& u : report.undecided)
      out << (zh ? "未判定：" : "undecided: ") << u.in(o.lang) << "\n";
    std::string bound = std::to_string(report.set_bound);
    out << (zh ? "xy lint：" + std::to_string(report.rules) + " 条规则，" +
                     std::to_string(report.questions) + " 个求解问题（集合至多 " + bound +
                     " 个元素）；" + std::to_string(here.warnings) + " 个警告，" +
                     std::to_string(here.notes) + " 个提示，" + std::to_string(here.acknowledged) +
                     " 个已确认\n"
               : "xy lint: " + std::to_string(report.rules) + " rules, " +
                     std::to_string(report.questions) + " solver questions (sets of at most " +
                     bound + " elements); " + count(here.warnings, "warning") + ", " +
                     count(here.notes, "note") + ", " + std::to_string(here.acknowledged) +
                     " acknowledged\n");
  }
  for (const auto& b : report.disagreements)
    err << (zh ? "xy lint 的缺陷（求解器与运行时不一致，请报告）："
               : "a bug in xy lint (the solver and the runtime disagree; please report it): ")
        << b << "\n";
  result.counts = here;
  result.compiled = true;
}

}  // namespace

int run_lint(const LintOptions& o) {
  bool zh = o.lang == Lang::zh;
  analysis::Options options;
  options.set_bound = o.set_bound;
  options.timeout_ms = o.timeout_ms;
  if (!o.as_of.empty()) {
    auto d = lit::parse_date(o.as_of);
    if (!d) {
      std::cerr << (zh ? "错误：--as-of 应为日期，如 2024-03-01\n"
                       : "error: --as-of needs a date such as 2024-03-01\n");
      return kBadInput;
    }
    options.as_of = *d;
  }
  // Files given together are one set; a folder is its own set, or holds one per subfolder.
  std::vector<std::vector<std::string>> sets;
  std::vector<std::string> loose;
  std::error_code ec;
  for (const auto& p : o.policies) {
    if (!std::filesystem::is_directory(p, ec)) {
      loose.push_back(p);
      continue;
    }
    auto found = policytest::find_sets(p);
    if (found.empty()) loose.push_back(p);  // read_policy_files says why
    for (auto& s : found) sets.push_back(std::vector<std::string>{s});
  }
  if (!loose.empty()) sets.insert(sets.begin(), loose);
  // Each set in its own solver context, two at a time (the machines we target have two cores).
  std::vector<SetResult> results(sets.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next++) < sets.size();)
      lint_set(o, sets[i], options, sets.size() > 1, results[i]);
  };
  std::size_t threads = std::min<std::size_t>(
      sets.size(), std::max(1u, std::min(2u, std::thread::hardware_concurrency())));
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  Counts counts;
  boost::json::array json_sets;
  bool compiled = true;
  for (auto& r : results) {
    std::cout << r.out.str();
    std::cerr << r.err.str();
    compiled = compiled && r.compiled;
    counts.warnings += r.counts.warnings;
    counts.notes += r.counts.notes;
    counts.acknowledged += r.counts.acknowledged;
    counts.bugs += r.counts.bugs;
    if (r.json) json_sets.push_back(std::move(*r.json));
  }
  if (o.format == "json") std::cout << boost::json::serialize(json_sets) << "\n";
  if (counts.bugs) return kInternal;
  if (!compiled) return kPolicyErrors;
  return o.deny_warnings && counts.warnings > 0 ? kPolicyErrors : kDecided;
}

}  // namespace xy::cli
