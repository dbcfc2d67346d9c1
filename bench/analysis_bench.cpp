// xy_analysis_bench: what `xy lint` and `xy diff` cost (docs/performance.md, issue targets): the
// whole shipped library linted, two versions of the legislation set compared, and a generated
// 1000-rule set linted; wall time, with PASS/MISS against the targets.
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include "generate.h"
#include "timing.h"
#include "xiangyue/analysis/diff.h"
#include "xiangyue/analysis/lint.h"
#include "xiangyue/compiler/checked.h"
#include "xiangyue/tooling/policy_test.h"

using namespace xy::bench;

namespace {

const char* verdict(bool ok) {
  return ok ? "PASS" : "MISS";
}

struct Set {
  xy::checked::CheckResult checked;
  std::optional<xy::Bundle> bundle;
};

Set load(std::vector<xy::SourceFile> files, const std::string& laws) {
  xy::CompileSettings settings;
  settings.laws_dir = laws;
  Set s{xy::checked::check_sources(files, settings), xy::compile_sources(files, settings).bundle};
  if (!s.checked.program || !s.bundle) {
    std::cerr << "a set does not compile\n";
    std::exit(1);
  }
  return s;
}

// Lints a set; returns the number of findings.
std::size_t lint(const Set& s) {
  auto r = xy::analysis::lint(*s.checked.program, *s.bundle, s.checked.files, {});
  if (!r.disagreements.empty()) {
    std::cerr << "disagreement: " << r.disagreements[0] << "\n";
    std::exit(1);
  }
  return r.findings.size();
}

}  // namespace

int main() {
  std::string root = XY_SOURCE_DIR;
  // The shipped library, set by set, loading included, two sets at a time (as `xy lint policies`
  // does on two cores).
  auto t0 = Clock::now();
  auto dirs = xy::policytest::find_sets(root + "/policies");
  std::size_t sets = dirs.size();
  std::atomic<std::size_t> next{0}, findings{0};
  auto worker = [&] {
    for (std::size_t i; (i = next++) < dirs.size();) {
      xy::DiagnosticSink sink;
      findings += lint(load(xy::read_policy_files({dirs[i]}, sink), xy::find_laws_dir({dirs[i]})));
    }
  };
  std::thread other(worker);
  worker();
  other.join();
  double library_ms = elapsed_ns(t0, Clock::now()) / 1e6;
  std::printf(
      "xy lint of the shipped library (%zu sets, %zu findings, 2 threads): %.0f ms wall\n\n", sets,
      findings.load(), library_ms);

  // The legislation set as of 2023-03-14 against 2023-03-15.
  std::string legislation = root + "/policies/legislation";
  xy::DiagnosticSink sink;
  auto files = xy::read_policy_files({legislation}, sink);
  Set before = load(files, xy::find_laws_dir({legislation}));
  Set after = load(files, xy::find_laws_dir({legislation}));
  xy::analysis::Options old_options, new_options;
  old_options.as_of = xy::Date::from_ymd(2023, 3, 14);
  new_options.as_of = xy::Date::from_ymd(2023, 3, 15);
  t0 = Clock::now();
  auto d = xy::analysis::diff(*before.checked.program, *before.bundle, *after.checked.program,
                              *after.bundle, old_options, new_options);
  double diff_ms = elapsed_ns(t0, Clock::now()) / 1e6;
  std::printf(
      "xy diff of the legislation set, 2023-03-14 against 2023-03-15 (%s): %.0f ms wall\n\n",
      d.entries.empty() ? "?" : d.entries[0].verdict.c_str(), diff_ms);

  // A generated 1000-rule set (the latency benchmark's generator).
  PolicySet generated = generate_policies(1000);
  Set g = load(generated.files, "");
  t0 = Clock::now();
  std::size_t generated_findings = lint(g);
  double generated_ms = elapsed_ns(t0, Clock::now()) / 1e6;
  std::printf("xy lint of a generated 1000-rule set (%zu findings): %.0f ms wall\n\n",
              generated_findings, generated_ms);

  std::printf("targets:\n");
  std::printf("  %s  xy lint policies <= 5 s             (%.0f ms)\n", verdict(library_ms <= 5000),
              library_ms);
  std::printf("  %s  xy diff of the legislation set <= 5 s  (%.0f ms)\n", verdict(diff_ms <= 5000),
              diff_ms);
  std::printf("  %s  xy lint of 1000 generated rules <= 60 s  (%.0f ms)\n",
              verdict(generated_ms <= 60000), generated_ms);
  return 0;
}
