// `xy diff OLD NEW`: what a new version of a policy set decides differently (docs/analysis.md):
// per action and policy, a verdict and example requests decided by both versions.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "xiangyue/analysis/diff.h"
#include "xiangyue/compiler/checked.h"
#include "xiangyue/literals/literals.h"

namespace xy::cli {

CLI::App* add_diff(CLI::App& app, DiffOptions& o, std::string& lang_opt) {
  auto* d = app.add_subcommand(
      "diff",
      "compare two versions of a policy set: which requests they decide differently "
      "(docs/analysis.md)");
  d->add_option("old", o.old_path, "the old version: a policy folder or file, or a bundle")
      ->required();
  d->add_option("new", o.new_path, "the new version: a policy folder or file, or a bundle")
      ->required();
  d->add_option("--format,-f", o.format, "output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  auto* both = d->add_option("--as-of", o.as_of, "compare decisions on this date (both versions)");
  d->add_option("--old-as-of", o.old_as_of, "the old version decides as of this date")
      ->excludes(both);
  d->add_option("--new-as-of", o.new_as_of, "the new version decides as of this date")
      ->excludes(both);
  d->add_option("--set-bound", o.set_bound, "most elements a set holds in the analysis")
      ->check(CLI::Range(1, 8));
  d->add_option("--timeout-ms", o.timeout_ms, "time for the solver per question")
      ->check(CLI::Range(100, 600000));
  d->add_option("--lang", lang_opt, "language of human text: zh or en")
      ->check(CLI::IsMember({"zh", "en"}))
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  return d;
}

namespace {

struct Loaded {
  checked::CheckResult checked;
  std::optional<Bundle> bundle;
};

// A version: policy paths, or a bundle (its embedded sources are checked again).
bool load(const std::string& path, Lang lang, Loaded& out) {
  std::error_code ec;
  std::vector<SourceFile> files;
  DiagnosticSink read;
  // What is not there is read as policies, which says so (a bundle is a file that exists).
  bool policies = std::filesystem::is_directory(path, ec) || path.ends_with(".xy") ||
                  !std::filesystem::exists(path, ec);
  if (policies) {
    files = read_policy_files({path}, read);
    if (read.has_errors()) {
      std::cerr << render_all(read, files, lang);
      return false;
    }
  } else {
    auto b = Bundle::read_file(path);
    if (!b) {
      std::cerr << (lang == Lang::zh ? "错误：" : "error: ") << b.error().in(lang) << "\n";
      return false;
    }
    files = b->sources;
  }
  CompileSettings settings;
  if (policies) settings.laws_dir = find_laws_dir({path});
  out.checked = checked::check_sources(files, settings);
  auto compiled = compile_sources(files, settings);
  if (!compiled.bundle || !out.checked.program) {
    std::cerr << render_all(compiled.diagnostics, compiled.files, lang);
    return false;
  }
  out.bundle = std::move(compiled.bundle);
  return true;
}

const char* verdict_text(const std::string& v, bool review, Lang lang) {
  bool zh = lang == Lang::zh;
  if (v == "equivalent") return zh ? "等价" : "equivalent";
  if (v == "more_permissive")
    return review ? (zh ? "更宽（结论变轻）" : "milder") : (zh ? "更宽松" : "more permissive");
  if (v == "less_permissive")
    return review ? (zh ? "更严（结论变重）" : "harsher") : (zh ? "更严格" : "less permissive");
  if (v == "incomparable")
    return zh ? "不可比（两个方向都有变化）" : "incomparable (changes both ways)";
  if (v == "only_old") return zh ? "只在旧版本中裁决" : "decided by the old version only";
  if (v == "only_new") return zh ? "只在新版本中裁决" : "decided by the new version only";
  if (v == "facts_changed")
    return zh ? "事实结构已改变，未比较" : "its facts are declared differently: not compared";
  if (v == "kind_changed")
    return zh ? "政策类型已改变（检查与审查之间），未比较"
              : "the policy's kind changed (check and review): not compared";
  if (v == "not_in_force")
    return zh ? "两个版本在所比较的日期都不生效，未比较"
              : "in force in neither version on the dates compared: nothing compared";
  if (v == "no_common_date")
    return zh ? "两个版本没有同时生效的日期，未比较"
              : "the two versions are never in force on the same date: nothing compared";
  return zh ? "未判定（求解超时）" : "undecided (the solver timed out)";
}

std::string side_text(const analysis::DiffSide& s) {
  std::string out = s.outcome;
  for (std::size_t i = 0; i < s.rules.size(); ++i)
    out += (i ? "; " : " — ") + s.rules[i] + (s.citations[i].empty() ? "" : " " + s.citations[i]);
  return out;
}

boost::json::object side_json(const analysis::DiffSide& s) {
  boost::json::array rules;
  for (std::size_t i = 0; i < s.rules.size(); ++i)
    rules.push_back({{"rule", s.rules[i]}, {"cite", s.citations[i]}});
  return {{"outcome", s.outcome}, {"rules", std::move(rules)}};
}

}  // namespace

int run_diff(const DiffOptions& o) {
  bool zh = o.lang == Lang::zh;
  analysis::Options old_options, new_options;
  old_options.set_bound = new_options.set_bound = o.set_bound;
  old_options.timeout_ms = new_options.timeout_ms = o.timeout_ms;
  auto date = [&](const std::string& text, std::optional<Date>& into, const char* flag) {
    if (text.empty()) return true;
    auto d = lit::parse_date(text);
    if (!d) {
      std::cerr << (zh ? "错误：" : "error: ") << flag
                << (zh ? " 应为日期，如 2024-03-01\n" : " needs a date such as 2024-03-01\n");
      return false;
    }
    into = *d;
    return true;
  };
  std::optional<Date> both;
  if (!date(o.as_of, both, "--as-of") || !date(o.old_as_of, old_options.as_of, "--old-as-of") ||
      !date(o.new_as_of, new_options.as_of, "--new-as-of"))
    return kBadInput;
  if (!old_options.as_of) old_options.as_of = both;
  if (!new_options.as_of) new_options.as_of = both;
  Loaded before, after;
  if (!load(o.old_path, o.lang, before) || !load(o.new_path, o.lang, after)) return kPolicyErrors;
  auto report = analysis::diff(*before.checked.program, *before.bundle, *after.checked.program,
                               *after.bundle, old_options, new_options);
  auto when = [&](const std::optional<Date>& d) {
    return d ? (zh ? "（" + d->to_string() + "）" : " (as of " + d->to_string() + ")") : "";
  };
  if (o.format == "json") {
    boost::json::array entries;
    for (const auto& e : report.entries) {
      boost::json::array examples;
      for (const auto& ex : e.examples)
        examples.push_back({{"request", boost::json::parse(ex.request)},
                            {"old", side_json(ex.before)},
                            {"new", side_json(ex.after)}});
      entries.push_back({{"action", e.action},
                         {"policy", e.policy},
                         {"verdict", e.verdict},
                         {"examples", std::move(examples)}});
    }
    boost::json::array bugs;
    for (const auto& b : report.disagreements) bugs.push_back(boost::json::string(b));
    auto date_json = [](const std::optional<Date>& d) {
      return d ? boost::json::value(d->to_string()) : boost::json::value(nullptr);
    };
    std::cout << boost::json::serialize(
                     boost::json::object{{"old", o.old_path},
                                         {"new", o.new_path},
                                         {"old_as_of", date_json(old_options.as_of)},
                                         {"new_as_of", date_json(new_options.as_of)},
                                         {"set_bound", report.set_bound},
                                         {"entries", std::move(entries)},
                                         {"disagreements", std::move(bugs)}})
              << "\n";
  } else {
    std::cout << "xy diff: " << o.old_path << when(old_options.as_of) << " → " << o.new_path
              << when(new_options.as_of)
              << (zh ? "；集合至多 " + std::to_string(report.set_bound) + " 个元素\n"
                     : "; sets of at most " + std::to_string(report.set_bound) + " elements\n");
    for (const auto& e : report.entries) {
      std::cout << e.action << " / " << e.policy << ": "
                << verdict_text(e.verdict, e.review, o.lang) << "\n";
      for (const auto& ex : e.examples) {
        std::cout << (zh ? "  示例请求：" : "  example request: ") << ex.request << "\n"
                  << (zh ? "    旧：" : "    old: ") << side_text(ex.before) << "\n"
                  << (zh ? "    新：" : "    new: ") << side_text(ex.after) << "\n";
      }
    }
  }
  for (const auto& b : report.disagreements)
    std::cerr << (zh ? "xy diff 的缺陷（求解器与运行时不一致，请报告）："
                     : "a bug in xy diff (the solver and a runtime disagree; please report it): ")
              << b << "\n";
  return report.disagreements.empty() ? kDecided : kInternal;
}

}  // namespace xy::cli
