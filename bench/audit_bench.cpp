// xy_audit_bench: sustained audit-store recording rate (records/s), decisions included, in batches.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "generate.h"
#include "xiangyue/audit/store.h"

int main(int argc, char** argv) {
  using namespace xy;
  std::size_t total = argc > 1 ? std::stoul(argv[1]) : 200000;
  std::size_t batch = argc > 2 ? std::stoul(argv[2]) : 1000;
  auto set = bench::generate_policies(100);
  Bundle bundle = bench::compile_or_die(set);
  bench::RequestOptions opts;
  opts.count = 256;
  auto texts = bench::generate_requests(set, opts);
  std::vector<Request> requests;
  for (const auto& t : texts)
    requests.push_back(std::move(*parse_request(bundle, t, std::nullopt, Date{})));
  std::string path = (std::filesystem::temp_directory_path() / "xy_audit_bench.db").string();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  auto store = audit::Store::open(path);
  if (!store) {
    std::cerr << store.error() << "\n";
    return 1;
  }
  Evaluator evaluator(bundle);
  Decision d;
  auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < total; ++i) {
    const Request& r = requests[i % requests.size()];
    evaluator.decide(r, d);
    (*store)->append(bundle, r, texts[i % texts.size()], d, decision_json(bundle, r, d));
    if ((*store)->pending() >= batch && !(*store)->commit()) return 1;
  }
  if (!(*store)->commit()) return 1;
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "recorded %zu decisions (decide + decision JSON + mask + hash chain + SQLite, batches of "
      "%zu,\n"
      "WAL, synchronous=FULL) in %.2f s: %.0f records/s; store %.1f MB\n",
      total, batch, secs, static_cast<double>(total) / secs,
      static_cast<double>(std::filesystem::file_size(path) +
                          (std::filesystem::exists(path + "-wal")
                               ? std::filesystem::file_size(path + "-wal")
                               : 0)) /
          1e6);
  auto t0 = std::chrono::steady_clock::now();
  auto v = (*store)->verify();
  std::printf("verify: %s, %lld records in %.2f s\n", v.intact ? "intact" : v.problem.c_str(),
              static_cast<long long>(v.records),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return 0;
}
