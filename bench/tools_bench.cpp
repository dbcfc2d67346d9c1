// xy_tools_bench: what authors wait for: `xy fmt` of the generated 10000-rule set, with PASS/MISS
// against the targets in docs/performance.md.
#include <cstdio>
#include <iostream>

#include "generate.h"
#include "timing.h"
#include "xiangyue/tooling/format.h"

using namespace xy::bench;

namespace {

const char* verdict(bool ok) {
  return ok ? "PASS" : "MISS";
}

}  // namespace

int main() {
  PolicySet big = generate_policies(10000);
  // Format every file of the set (each parsed, printed, and its output parsed again and checked),
  // the median of three runs, on this thread's CPU time.
  std::vector<double> cpu_ms, wall_ms;
  std::size_t changed = 0;
  for (int run = 0; run < 3; ++run) {
    double c0 = thread_cpu_ns();
    auto t0 = Clock::now();
    changed = 0;
    for (const auto& f : big.files) {
      auto out = xy::tooling::format_source(f);
      if (!out.text) {
        std::cerr << xy::render_all(out.diagnostics, {f}, xy::Lang::en);
        return 1;
      }
      changed += *out.text != f.text;
    }
    wall_ms.push_back(elapsed_ns(t0, Clock::now()) / 1e6);
    cpu_ms.push_back((thread_cpu_ns() - c0) / 1e6);
  }
  double fmt_cpu = median(cpu_ms), fmt_wall = median(wall_ms);
  std::printf(
      "xy fmt 10000 rules (%zu files, %.1f MB; %zu files changed): %.0f ms wall, %.0f ms CPU "
      "(median of 3)\n\n",
      big.files.size(), static_cast<double>(big.bytes()) / 1e6, changed, fmt_wall, fmt_cpu);
  std::printf("targets:\n");
  std::printf("  %s  xy fmt 10000 rules <= 2 s           (%.0f ms CPU)\n", verdict(fmt_cpu <= 2000),
              fmt_cpu);
  return 0;
}
