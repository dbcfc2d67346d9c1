// `xy replay`: the requests recorded in an audit store decided again under other policies, each as
// of the date it was decided, and a report of every decision that would change (docs/analysis.md).
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <fstream>
#include <iostream>

#include "commands.h"
#include "xiangyue/audit/replay.h"
#include "xiangyue/compiler/compiler.h"
#include "xiangyue/literals/literals.h"

namespace xy::cli {

namespace {

std::string joined(const std::vector<std::string>& paths) {
  std::string out;
  for (const auto& p : paths) out += (out.empty() ? "" : " ") + p;
  return out;
}

}  // namespace

CLI::App* add_replay(CLI::App& app, ReplayOptions& o, std::string& lang_opt) {
  auto* r =
      app.add_subcommand("replay",
                         "decide recorded requests again under other policies: what would change "
                         "(docs/analysis.md)");
  r->add_option("db", o.db, "the audit store")->required();
  r->add_option("--policies", o.policies, "the new policy files or directories");
  r->add_option("--bundle", o.bundle, "a bundle made by `xy compile` (instead of --policies)");
  r->add_option("--filter", o.filter,
                "replay only the records this reviewers' filter selects (as `xy audit list`)");
  r->add_option("--format,-f", o.format, "output format")
      ->check(CLI::IsMember({"text", "json", "html"}))
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  r->add_option("--as-of", o.as_of,
                "decide every record as of this date instead of the date it was decided as of");
  r->add_option("--laws", o.laws,
                "statute texts to check citations against (default: a laws/ folder in, beside or "
                "above the policies)");
  r->add_option("-o,--output", o.output, "write the report to this file instead of stdout");
  r->add_option("--lang", lang_opt, "language of human text: zh or en")
      ->check(CLI::IsMember({"zh", "en"}))
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  return r;
}

int run_replay(const ReplayOptions& o) {
  bool zh = o.lang == Lang::zh;
  auto error = [&](const std::string& why, int code) {
    std::cerr << (zh ? "错误：" : "error: ") << why << "\n";
    return code;
  };
  if (o.bundle.empty() == o.policies.empty())
    return error(zh ? "请给出新政策：--policies 路径或 --bundle 文件（二者选一）"
                    : "give the new policies: --policies PATH... or --bundle FILE, not both",
                 kBadInput);
  std::optional<Date> as_of;
  if (!o.as_of.empty()) {
    auto d = lit::parse_date(o.as_of);
    if (!d)
      return error(
          zh ? "--as-of 应为日期，如 2024-03-01" : "--as-of needs a date such as 2024-03-01",
          kBadInput);
    as_of = *d;
  }
  auto filter = audit::compile_filter(o.filter);
  if (!filter) {
    std::cerr << audit::render_filter_error(o.filter, filter.error(), o.lang);
    return kBadInput;
  }
  // The store before the policies: a store that cannot be read is reported without compiling.
  auto store = audit::Store::open_read(o.db);
  if (!store) return error(store.error().in(o.lang), kBadInput);

  std::optional<Bundle> bundle;
  if (!o.bundle.empty()) {
    auto b = Bundle::read_file(o.bundle);
    if (!b) return error(b.error().in(o.lang), kPolicyErrors);
    bundle = std::move(*b);
  } else {
    CompileSettings settings;
    settings.laws_dir = o.laws;
    auto result = compile_paths(o.policies, settings);
    if (result.diagnostics.kept() > 0)  // errors, or warnings beside a bundle
      std::cerr << render_all(result.diagnostics, result.files, o.lang);
    if (!result.bundle) return kPolicyErrors;
    bundle = std::move(*result.bundle);
  }

  audit::ReplayReport report;
  report.store = o.db;
  report.policies = o.bundle.empty() ? joined(o.policies) : o.bundle;
  report.filter = o.filter;
  report.as_of = as_of ? as_of->to_string() : "";
  report.bundle = bundle->hash;
  audit::Replayer replayer(*bundle, as_of);
  if (auto read = audit::replay_store(**store, *filter, replayer, report); !read)
    return error(read.error().in(o.lang), kBadInput);

  std::string out = o.format == "json"
                        ? boost::json::serialize(audit::replay_json(report, o.lang)) + "\n"
                    : o.format == "html" ? audit::replay_html(report, o.lang)
                                         : audit::replay_text(report, o.lang);
  if (o.output.empty()) {
    std::cout << out << std::flush;
    return kDecided;
  }
  std::ofstream file(o.output, std::ios::binary | std::ios::trunc);
  if (!(file << out) || !file.flush())
    return error(zh ? "无法写入「" + o.output + "」" : "cannot write `" + o.output + "`",
                 kBadInput);
  return kDecided;
}

}  // namespace xy::cli
