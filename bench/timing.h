// Timing helpers shared by the benchmarks (xy_latency, xy_tools_bench, bench/peers/xy_peer):
// elapsed nanoseconds, percentiles of a sample, and the cost of reading the clock.
#pragma once
#include <algorithm>
#include <chrono>
#include <ctime>
#include <vector>

namespace xy::bench {

using Clock = std::chrono::steady_clock;

inline double elapsed_ns(Clock::time_point a, Clock::time_point b) {
  return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count());
}

// CPU time of this thread: what a compile costs when it does not share the core.
inline double thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

inline double percentile(const std::vector<double>& sorted, double p) {
  std::size_t i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

struct Stats {
  std::size_t n = 0;
  double p50 = 0, p90 = 0, p99 = 0, p999 = 0, mean = 0;
};

inline Stats summarize(std::vector<double> ns) {
  Stats s;
  s.n = ns.size();
  if (ns.empty()) return s;
  double sum = 0;
  for (double x : ns) sum += x;
  std::sort(ns.begin(), ns.end());
  s.p50 = percentile(ns, 0.50);
  s.p90 = percentile(ns, 0.90);
  s.p99 = percentile(ns, 0.99);
  s.p999 = percentile(ns, 0.999);
  s.mean = sum / static_cast<double>(ns.size());
  return s;
}

// The median cost of one pair of clock reads (included in every figure timed this way).
inline double clock_overhead_ns() {
  std::vector<double> ns(100000);
  for (auto& x : ns) {
    auto t0 = Clock::now();
    auto t1 = Clock::now();
    x = elapsed_ns(t0, t1);
  }
  return summarize(std::move(ns)).p50;
}

}  // namespace xy::bench
