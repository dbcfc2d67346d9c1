// The `xy` subcommands, each a function from parsed options to an exit code.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "xiangyue/audit/facts_read.h"
#include "xiangyue/audit/store.h"
#include "xiangyue/common/diagnostic.h"

namespace CLI {
class App;
}  // namespace CLI

namespace xy::cli {

// Exit codes (documented in docs/cli.md).
constexpr int kDecided = 0;       // decisions were made, whatever they are
constexpr int kPolicyErrors = 1;  // the policies (or bundle) have errors
constexpr int kBadInput = 2;      // a bad request, or bad usage
constexpr int kNotRecorded = 3;   // the audit store could not record decisions (none printed)
constexpr int kInternal = 4;      // a fault in xy itself (a bug, or out of memory): reported

struct CheckOptions {
  std::vector<std::string> policies;
  std::string bundle;
  std::string request = "-";
  std::string format = "text";
  std::string as_of;
  std::string laws;
  std::string audit;  // audit store to record every decision in
  std::size_t audit_batch = 1000;
  Lang lang = Lang::en;
};
int run_check(const CheckOptions& o);

struct CompileOptions {
  std::vector<std::string> policies;
  std::string output;
  std::string laws;
  Lang lang = Lang::en;
};
int run_compile(const CompileOptions& o);

struct TestOptions {
  std::vector<std::string> paths;
  std::string format = "text";
  bool require_coverage = false;
  bool require_basis = false;
  bool law_coverage = false;
  std::string laws;
  Lang lang = Lang::en;
};
int run_test(const TestOptions& o);

struct FmtOptions {
  std::vector<std::string> paths;
  bool check = false;             // print a diff for each file not formatted; exit 1 if any
  bool write = false;             // rewrite the files that are not formatted
  std::string keywords = "keep";  // keep | en | zh
  Lang lang = Lang::en;
};
int run_fmt(const FmtOptions& o);

struct AuditOptions {
  std::string command;  // list | show | verify | export | key | recover
  std::string db;
  std::string filter;
  std::int64_t limit = 100;
  std::int64_t id = 0;
  std::string format;                // show: text|json|html; export: jsonl|csv
  std::string receipts, public_key;  // verify
  std::string reason;                // recover
  Lang lang = Lang::en;
};
int run_audit(const AuditOptions& o);
// With the facts the decision's rules read (xiangyue/audit/facts_read.h); nullptr: not available.
std::string show_text(const audit::Record& r, const std::vector<SourceFile>& sources,
                      const audit::FactsRead* facts, Lang lang);

// `xy replay` (cli/replay_command.cpp): add_replay declares the subcommand and its options.
struct ReplayOptions {
  std::string db;
  std::vector<std::string> policies;
  std::string bundle, filter, as_of, laws, output;
  std::string format = "text";  // text | json | html
  Lang lang = Lang::en;
};
CLI::App* add_replay(CLI::App& app, ReplayOptions& o, std::string& lang_opt);
int run_replay(const ReplayOptions& o);

// `xy lint` (cli/lint_command.cpp).
struct LintOptions {
  std::vector<std::string> policies;
  std::string format = "text";  // text | json
  bool deny_warnings = false;
  std::string as_of, laws;
  unsigned set_bound = 3;
  unsigned timeout_ms = 10000;
  Lang lang = Lang::en;
};
CLI::App* add_lint(CLI::App& app, LintOptions& o, std::string& lang_opt);
int run_lint(const LintOptions& o);

// `xy diff` (cli/diff_command.cpp).
struct DiffOptions {
  std::string old_path, new_path;
  std::string format = "text";  // text | json
  std::string as_of, old_as_of, new_as_of;
  unsigned set_bound = 3;
  unsigned timeout_ms = 10000;
  Lang lang = Lang::en;
};
CLI::App* add_diff(CLI::App& app, DiffOptions& o, std::string& lang_opt);
int run_diff(const DiffOptions& o);

// `xy review` (cli/review_command.cpp).
struct ReviewOptions {
  std::vector<std::string> policies, returns;
  std::string policy, candidates, out, as_of, audit, mapping, laws;
  bool show_ids = false;
  Lang lang = Lang::en;
};
CLI::App* add_review(CLI::App& app, ReviewOptions& o, std::string& lang_opt);
int run_review(const ReviewOptions& o);

}  // namespace xy::cli
