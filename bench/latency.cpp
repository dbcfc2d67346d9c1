// xy_latency: per-decision p50/p99 latency, compile and bundle-load time and peak RSS, as a table.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>

#include "generate.h"
#include "timing.h"
#include "xiangyue/compiler/compiler.h"
#include "xiangyue/runtime/engine.h"

namespace {

using namespace xy::bench;  // Clock, elapsed_ns, percentile, clock_overhead_ns
using xy::bench::PolicySet;

constexpr std::size_t kWarmup = 20000;
constexpr std::size_t kIterations = 200000;
constexpr std::size_t kRequests = 256;

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a.empty() ? "unknown" : a + " " + b + " " + c;
}

// Peak resident set size in kB (VmHWM), or -1 when /proc is unavailable.
long peak_rss_kb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  return -1;
}

const xy::Date kToday = *xy::Date::from_ymd(2026, 11, 26);

// A deque: Request's move constructor is not noexcept (it holds deques), so a vector would copy.
std::deque<xy::Request> parse_all(const xy::Bundle& bundle, const std::vector<std::string>& json) {
  std::deque<xy::Request> out;
  for (const auto& text : json) {
    auto r = xy::parse_request(bundle, text, std::nullopt, kToday);
    if (!r) {
      std::cerr << "generated request rejected: " << r.error().message.en << "\n" << text << "\n";
      std::abort();
    }
    out.push_back(std::move(*r));
  }
  return out;
}

struct Row {
  std::size_t rules = 0;
  std::size_t actions = 0;
  double p50 = 0, p90 = 0, p99 = 0, p999 = 0, mean = 0;
  double reasons = 0;                   // average reasons per decision
  std::map<std::string, int> outcomes;  // over the request pool
};

Row measure(std::size_t rules) {
  Row row;
  row.rules = rules;
  PolicySet set = xy::bench::generate_policies(rules);
  row.actions = set.actions.size();
  xy::Bundle bundle = xy::bench::compile_or_die(set);
  xy::bench::RequestOptions ro;
  ro.count = kRequests;
  std::deque<xy::Request> requests = parse_all(bundle, xy::bench::generate_requests(set, ro));

  xy::Evaluator ev(bundle);
  xy::Decision d;
  std::size_t total_reasons = 0;
  for (const auto& r : requests) {
    ev.decide(r, d);
    ++row.outcomes[xy::outcome_name(d.outcome)];
    total_reasons += d.reasons.size();
  }
  row.reasons = static_cast<double>(total_reasons) / static_cast<double>(requests.size());

  for (std::size_t i = 0; i < kWarmup; ++i) ev.decide(requests[i % requests.size()], d);
  std::vector<double> ns(kIterations);
  double sum = 0;
  for (std::size_t i = 0; i < kIterations; ++i) {
    const xy::Request& r = requests[i % requests.size()];
    auto t0 = Clock::now();
    ev.decide(r, d);
    auto t1 = Clock::now();
    ns[i] = elapsed_ns(t0, t1);
    sum += ns[i];
  }
  std::sort(ns.begin(), ns.end());
  row.p50 = percentile(ns, 0.50);
  row.p90 = percentile(ns, 0.90);
  row.p99 = percentile(ns, 0.99);
  row.p999 = percentile(ns, 0.999);
  row.mean = sum / static_cast<double>(kIterations);
  return row;
}

const char* verdict(bool ok) {
  return ok ? "PASS" : "MISS";
}

// `--dump DIR RULES`: writes the generated set and requests.jsonl, for `xy check DIR --request
// ...`.
int dump(const std::string& dir, std::size_t rules) {
  PolicySet set = xy::bench::generate_policies(rules);
  xy::bench::compile_or_die(set);
  std::filesystem::create_directories(dir + "/bench");
  for (const auto& f : set.files) std::ofstream(dir + "/" + f.path) << f.text;
  std::ofstream out(dir + "/requests.jsonl");
  xy::bench::RequestOptions ro;
  for (const auto& r : xy::bench::generate_requests(set, ro)) out << r << "\n";
  std::printf("wrote %zu files (%zu rules) and %zu requests under %s\n", set.files.size(), rules,
              ro.count, dir.c_str());
  return 0;
}

long status_kb(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key, 0) == 0) return std::strtol(line.c_str() + std::strlen(key), nullptr, 10);
  return -1;
}

// `--memory BUNDLE REQUESTS`: what a process that serves a bundle holds. Loads the bundle file,
// parses the requests (JSON Lines) and decides them 100 000 times; prints the peak and the current
// resident set. Run as its own process, so nothing else (generating, compiling) is counted.
int memory(const std::string& bundle_file, const std::string& requests_file) {
  auto bundle = xy::Bundle::read_file(bundle_file);
  if (!bundle) {
    std::fprintf(stderr, "%s\n", bundle.error().en.c_str());
    return 1;
  }
  std::ifstream in(requests_file);
  std::vector<std::string> texts;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) texts.push_back(line);
  std::deque<xy::Request> requests = parse_all(*bundle, texts);
  xy::Evaluator ev(*bundle);
  xy::Decision d;
  std::size_t permits = 0;
  for (std::size_t i = 0; i < 100000 && !requests.empty(); ++i) {
    ev.decide(requests[i % requests.size()], d);
    permits += d.outcome == xy::ir::Outcome::Permit;
  }
  std::printf("%ld %ld %zu\n", status_kb("VmHWM:"), status_kb("VmRSS:"), permits);
  return 0;
}

// Runs `--memory` in a fresh process of this program on a bundle of `rules` rules.
std::string measure_memory(const xy::Bundle& bundle, const PolicySet& set) {
  auto dir = std::filesystem::temp_directory_path() / ("xy_memory_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string file = (dir / "bundle.xyb").string(), reqs = (dir / "requests.jsonl").string();
  if (!bundle.write_file(file)) return "cannot write a bundle file";
  {
    std::ofstream out(reqs);
    xy::bench::RequestOptions ro;
    ro.count = kRequests;
    for (const auto& r : xy::bench::generate_requests(set, ro)) out << r << "\n";
  }
  std::string cmd = "/proc/" + std::to_string(::getpid()) + "/exe --memory " + file + " " + reqs;
  std::string out;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[256];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    ::pclose(p);
  }
  std::filesystem::remove_all(dir);
  long hwm = 0, rss = 0;
  if (std::sscanf(out.c_str(), "%ld %ld", &hwm, &rss) != 2) return "the --memory run failed";
  char line[160];
  std::snprintf(line, sizeof line, "%.1f MB peak, %.1f MB resident after 100000 decisions",
                static_cast<double>(hwm) / 1024.0, static_cast<double>(rss) / 1024.0);
  return std::string(line) + "|" + std::to_string(hwm);
}

// `--profile compile|decide RULES`: only that work, for valgrind --tool=callgrind.
int profile(const std::string& what, std::size_t rules) {
  PolicySet set = xy::bench::generate_policies(rules);
  if (what == "compile") {
    xy::CompileResult result = xy::compile_sources(set.files);
    std::printf("compiled %zu rules: %s\n", rules, result.bundle ? "ok" : "errors");
    return 0;
  }
  xy::Bundle bundle = xy::bench::compile_or_die(set);
  xy::bench::RequestOptions ro;
  ro.count = kRequests;
  std::deque<xy::Request> requests = parse_all(bundle, xy::bench::generate_requests(set, ro));
  xy::Evaluator ev(bundle);
  xy::Decision d;
  std::size_t permits = 0;
  for (std::size_t i = 0; i < 100000; ++i) {
    ev.decide(requests[i % requests.size()], d);
    permits += d.outcome == xy::ir::Outcome::Permit;
  }
  std::printf("100000 decisions at %zu rules, %zu permits\n", rules, permits);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  if (argc == 4 && mode == "--dump") return dump(argv[2], std::stoul(argv[3]));
  if (argc == 4 && mode == "--profile") return profile(argv[2], std::stoul(argv[3]));
  if (argc == 4 && mode == "--memory") return memory(argv[2], argv[3]);
  if (argc != 1) {
    std::fprintf(stderr,
                 "usage: xy_latency                       the latency table\n"
                 "       xy_latency --dump DIR RULES      write a generated set and requests\n"
                 "       xy_latency --profile compile|decide RULES   (for callgrind)\n"
                 "       xy_latency --memory BUNDLE REQUESTS   (resident set serving a bundle)\n");
    return 2;
  }
  std::printf("xy_latency: per-decision latency (in-process decide() with reasons), %zu timed\n",
              kIterations);
  std::printf("decisions per size after %zu warm-up, over %zu generated requests\n\n", kWarmup,
              kRequests);
  std::printf("load average at start: %s (other processes stretch the tail and wall times)\n\n",
              load_average().c_str());
  double overhead = clock_overhead_ns();

  std::vector<Row> rows;
  for (std::size_t n : {10, 100, 1000, 10000}) rows.push_back(measure(n));

  std::printf("%8s %8s %9s %9s %9s %9s %9s %8s  %s\n", "rules", "actions", "p50 ns", "p90 ns",
              "p99 ns", "p99.9 ns", "mean ns", "reasons", "outcomes");
  for (const Row& r : rows) {
    std::string outcomes;
    for (const auto& [name, count] : r.outcomes)
      outcomes += (outcomes.empty() ? "" : " ") + name + "=" + std::to_string(count);
    std::printf("%8zu %8zu %9.0f %9.0f %9.0f %9.0f %9.0f %8.2f  %s\n", r.rules, r.actions, r.p50,
                r.p90, r.p99, r.p999, r.mean, r.reasons, outcomes.c_str());
  }
  std::printf("(clock read pair overhead: %.0f ns, included in the figures above)\n\n", overhead);

  // Compile and bundle load at 10000 rules: the median of a few runs.
  PolicySet big = xy::bench::generate_policies(10000);
  std::vector<double> compile_ms, compile_cpu_ms;
  for (int i = 0; i < 3; ++i) {
    std::vector<xy::SourceFile> files = big.files;
    double c0 = thread_cpu_ns();
    auto t0 = Clock::now();
    xy::CompileResult result = xy::compile_sources(std::move(files));
    auto t1 = Clock::now();
    compile_cpu_ms.push_back((thread_cpu_ns() - c0) / 1e6);
    if (!result.bundle) {
      std::cerr << xy::render_all(result.diagnostics, result.files, xy::Lang::en);
      return 0;
    }
    compile_ms.push_back(elapsed_ns(t0, t1) / 1e6);
  }
  xy::Bundle bundle = xy::bench::compile_or_die(big);
  std::string bytes = bundle.serialize();
  std::vector<double> load_ms;
  for (int i = 0; i < 5; ++i) {
    auto t0 = Clock::now();
    auto loaded = xy::Bundle::deserialize(bytes);
    auto t1 = Clock::now();
    if (!loaded) {
      std::cerr << "bundle load failed: " << loaded.error().en << "\n";
      return 0;
    }
    load_ms.push_back(elapsed_ns(t0, t1) / 1e6);
  }
  double compile = median(compile_ms), compile_cpu = median(compile_cpu_ms);
  double load = median(load_ms);
  long rss = peak_rss_kb();
  std::printf(
      "compile 10000 rules (%zu policies, %.1f MB source): %.0f ms wall, %.0f ms CPU (median of "
      "3)\n",
      big.policies, static_cast<double>(big.bytes()) / 1e6, compile, compile_cpu);
  std::printf("bundle load 10000 rules (%.1f MB bundle): %.1f ms (median of 5)\n",
              static_cast<double>(bytes.size()) / 1e6, load);
  std::string served = measure_memory(bundle, big);
  long served_kb =
      served.find('|') != std::string::npos ? std::stol(served.substr(served.find('|') + 1)) : -1;
  std::printf("memory serving the 10000-rule bundle (a fresh process: load the file, decide): %s\n",
              served.substr(0, served.find('|')).c_str());
  std::printf("peak RSS of this whole run (generating and compiling included): %.1f MB\n\n",
              static_cast<double>(rss) / 1024.0);

  const Row& r10 = rows[0];
  const Row& r100 = rows[1];
  const Row& r10k = rows[3];
  std::printf("targets:\n");
  std::printf("  %s  p50 <= 1 us at 100 rules            (%.0f ns)\n", verdict(r100.p50 <= 1000),
              r100.p50);
  std::printf("  %s  p99 <= 5 us at 100 rules            (%.0f ns)\n", verdict(r100.p99 <= 5000),
              r100.p99);
  std::printf("  %s  10000 rules <= 2x 10 rules (p50)    (%.0f / %.0f ns = %.2fx)\n",
              verdict(r10k.p50 <= 2 * r10.p50), r10k.p50, r10.p50, r10k.p50 / r10.p50);
  // Judged on CPU time, which is the wall time of an otherwise idle core: a shared machine's load
  // only stretches the wall time.
  std::printf("  %s  compile 10000 rules <= 2 s          (%.0f ms CPU, %.0f ms wall)\n",
              verdict(compile_cpu <= 2000), compile_cpu, compile);
  std::printf("  %s  bundle load 10000 rules <= 50 ms     (%.1f ms)\n", verdict(load <= 50), load);
  std::printf("  %s  resident <= 50 MB serving 10000 rules (%.1f MB peak)\n",
              verdict(served_kb > 0 && served_kb <= 50 * 1024),
              static_cast<double>(served_kb) / 1024.0);
  return 0;
}
