// xy_audit_bench: sustained audit-store recording rate (records/s), deciding included.
// Usage: xy_audit_bench [RECORDS=1000000] [THREADS=1]
// THREADS callers decide and append (as the server's workers do); the store's writer thread
// group-commits whatever is queued. The clock stops when the last record is durable.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include "generate.h"
#include "xiangyue/audit/store.h"

int main(int argc, char** argv) {
  using namespace xy;
  std::size_t total = argc > 1 ? std::stoul(argv[1]) : 1000000;
  std::size_t threads = argc > 2 ? std::max<std::size_t>(1, std::stoul(argv[2])) : 1;
  auto set = bench::generate_policies(100);
  Bundle bundle = bench::compile_or_die(set);
  bench::RequestOptions opts;
  opts.count = 256;
  auto texts = bench::generate_requests(set, opts);
  std::vector<Request> requests;
  for (const auto& t : texts)
    requests.push_back(std::move(*parse_request(bundle, t, std::nullopt, Date{})));
  std::string path = (std::filesystem::temp_directory_path() / "xy_audit_bench.db").string();
  for (const char* suffix : {"", "-wal", "-shm", ".anchors", ".key"})
    std::filesystem::remove(path + suffix);
  auto store = audit::Store::open(path);
  if (!store) {
    std::cerr << store.error().en << "\n";
    return 1;
  }
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> callers;
  for (std::size_t t = 0; t < threads; ++t)
    callers.emplace_back([&, t] {
      Evaluator evaluator(bundle);
      Decision d;
      for (std::size_t i = t; i < total; i += threads) {
        const Request& r = requests[i % requests.size()];
        evaluator.decide(r, d);
        (*store)->append(bundle, r, texts[i % texts.size()], d, decision_json(bundle, r, d));
      }
    });
  for (auto& c : callers) c.join();
  if (auto r = (*store)->commit(); !r) {
    std::cerr << r.error().en << "\n";
    return 1;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto size = [&](const std::string& p) {
    return std::filesystem::exists(p) ? std::filesystem::file_size(p) : 0;
  };
  std::printf(
      "recorded %zu decisions from %zu thread(s) (decide + decision JSON + mask + hash chain +\n"
      "SQLite WAL, synchronous=FULL, group commit) in %.2f s: %.0f records/s; store %.0f "
      "B/record\n",
      total, threads, secs, static_cast<double>(total) / secs,
      static_cast<double>(size(path) + size(path + "-wal")) / static_cast<double>(total));
  auto t0 = std::chrono::steady_clock::now();
  auto v = (*store)->verify();
  std::printf("verify: %s, %lld records in %.2f s\n", v.intact ? "intact" : v.problem.en.c_str(),
              static_cast<long long>(v.records),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return v.intact ? 0 : 1;
}
