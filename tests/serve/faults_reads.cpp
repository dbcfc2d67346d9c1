// The fault test, part 4: audit searches do not hold up checks. On a store of 200,000 records, 4
// clients scan it back to back (a filter no record matches) while one client checks: the checks'
// p99 stays under 100 ms, and every search is answered 200 or 503 (`audit_busy`, `timeout`),
// none hangs. With `"audit_read_timeout_ms": 200` a longer scan is cut off: 503 `timeout`.
#include "faults.h"

namespace xy::servetest {
namespace {

constexpr long long kRecords = 200000;
const std::string kScan = "/v1/decisions?filter=" + url_encode("rule = NOPE") + "&limit=10";
// A scan well over 200 ms on 200,000 records (about 0.6 s on a 2-core machine): 50 rule ids that
// no record has.
std::string slow_scan() {
  std::string ids;
  for (int i = 1; i <= 50; ++i) ids += (i > 1 ? ", N" : "N") + std::to_string(i);
  return "/v1/decisions?filter=" + url_encode("rule in (" + ids + ")") + "&limit=10";
}

long long percentile(std::vector<long long> v, double p) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// A store of `kRecords` decisions of the example, written by `xy check --audit`; its record count.
long long fill_store(const Example& ex01, const fs::path& dir, const fs::path& db) {
  std::string line = json::serialize(ex01.request) + "\n";
  constexpr long long kPerRun = kRecords;
  std::string lines;
  lines.reserve(line.size() * kPerRun);
  for (long long i = 0; i < kPerRun; ++i) lines += line;
  write_text(dir / "big.jsonl", lines);
  for (long long done = 0; done < kRecords; done += kPerRun) {
    int rc =
        run_command({xy_bin, "check", (g_work / "policies" / "work-items").string(), "--request",
                     (dir / "big.jsonl").string(), "--audit", db.string(), "--format", "json"},
                    "/dev/null", dir / "fill.err", 120s);
    if (rc != 0) {
      note("xy check --audit exited " + std::to_string(rc) + ": " +
           shorten(read_text(dir / "fill.err"), 300));
      return done;
    }
  }
  return kRecords;
}

void remove_large_store() {
  fs::path dir = g_work / "reads";
  std::error_code ec;
  for (const char* f : {"audit.db", "audit.db-wal", "audit.db-shm", "big.jsonl"})
    fs::remove(dir / f, ec);
}

void audit_reads(const Example& ex01) {
  fs::path dir = g_work / "reads", db = dir / "audit.db";
  fs::create_directories(dir);
  auto t0 = std::chrono::steady_clock::now();
  long long records = fill_store(ex01, dir, db);
  if (!check(records == kRecords, "(setup) a store of " + std::to_string(records) +
                                      " records, written by xy check --audit in " +
                                      std::to_string(ms_since(t0)) + " ms"))
    return;
  auto s = start_checked("audit reads",
                         {"--policies", (g_work / "policies" / "work-items").string(), "--audit",
                          db.string(), "--listen", "127.0.0.1:0", "--lang", "en"},
                         dir, "server");
  if (!s.running()) return;
  std::string body = json::serialize(ex01.request);
  auto lone0 = std::chrono::steady_clock::now();
  auto lone = fcall(s.port, verb::get, kScan, {}, {}, 10s);
  long long lone_ms = ms_since(lone0);
  note("one full scan alone (rule = NOPE): " + lone.describe(80) + " in " +
       std::to_string(lone_ms) + " ms");
  auto slow0 = std::chrono::steady_clock::now();
  auto slow = fcall(s.port, verb::get, slow_scan(), {}, {}, 10s);
  long long slow_ms = ms_since(slow0);
  note("one slower full scan alone (rule in (N1, …, N50)): " + slow.describe(80) + " in " +
       std::to_string(slow_ms) + " ms");

  std::atomic<bool> stop{false};
  std::mutex mu;
  long long searches = 0, searches_ok = 0, busy = 0;
  std::string bad_search;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      Client c("127.0.0.1", s.port, 5s);
      while (!stop.load()) {
        auto r = c.request(verb::get, kScan);
        std::string code = error_code(r);
        bool ok =
            r.status == 200 || (r.status == 503 && (code == "audit_busy" || code == "timeout"));
        std::lock_guard l(mu);
        ++searches;
        searches_ok += ok;
        busy += r.status == 503;
        if (!ok && bad_search.empty()) bad_search = r.describe(160);
      }
    });
  std::vector<long long> latencies;
  long long check_failed = 0;
  std::string bad_check;
  {
    Client c("127.0.0.1", s.port, 5s);
    std::this_thread::sleep_for(100ms);  // the searches are running
    auto start = std::chrono::steady_clock::now();
    while (ms_since(start) < 3000) {
      auto q = std::chrono::steady_clock::now();
      auto r = c.request(verb::post, "/v1/check", body);
      long long ms = ms_since(q);
      if (r.status == 200 && integer(r.json(), "audit_id")) {
        latencies.push_back(ms);
      } else {
        ++check_failed;
        if (bad_check.empty()) bad_check = r.describe(160);
      }
    }
  }
  stop = true;
  for (auto& t : threads) t.join();
  long long p50 = percentile(latencies, 0.50), p99 = percentile(latencies, 0.99);
  note("checks beside 4 scanning clients for 3 s: " + std::to_string(latencies.size()) +
       " answered, p50 " + std::to_string(p50) + " ms, p99 " + std::to_string(p99) + " ms; " +
       std::to_string(searches) + " searches, " + std::to_string(busy) + " of them 503");
  check(latencies.size() >= 10 && check_failed == 0 && p99 < 100,
        "checks while 4 clients scan the audit store: p99 < 100 ms (" +
            std::to_string(latencies.size()) + " checks, p50 " + std::to_string(p50) + " ms, p99 " +
            std::to_string(p99) + " ms" +
            (check_failed ? ", " + std::to_string(check_failed) + " failed: " + bad_check : "") +
            ")");
  check(searches > 0 && searches_ok == searches,
        "each search is answered 200 or 503 (audit_busy, timeout) within 5 s (" +
            std::to_string(searches_ok) + "/" + std::to_string(searches) +
            (bad_search.empty() ? "" : "; e.g. " + bad_search) + ")");
  auto code = stop_server(s);
  check(code && *code == 0, "audit reads: SIGTERM → exit 0 (" + exit_text(code) + ")");

  // A read timeout.
  fs::path cfg = dir / "config.json";
  write_text(cfg,
             "{\n  \"listen\": \"127.0.0.1:0\",\n  \"watch\": false,\n"
             "  \"audit_read_timeout_ms\": 200\n}\n");
  auto s2 = start_checked("\"audit_read_timeout_ms\": 200",
                          {"--policies", (g_work / "policies" / "work-items").string(), "--audit",
                           db.string(), "--config", cfg.string(), "--lang", "en"},
                          dir, "timeout");
  if (!s2.running()) return;
  auto q = std::chrono::steady_clock::now();
  auto r = fcall(s2.port, verb::get, slow_scan(), {}, {}, 5s);
  long long took = ms_since(q);
  check(is_error(r, 503) && error_code(r) == "timeout" && took <= 2000,
        "audit_read_timeout_ms 200: a full scan (" + std::to_string(slow_ms) +
            " ms when unlimited) → 503 {code: timeout} within 2 s (" + r.describe(160) + " in " +
            std::to_string(took) + " ms)");
  auto c = fcall(s2.port, verb::post, "/v1/check", body);
  check(c.status == 200, "audit_read_timeout_ms 200: checks are served (" + c.describe(80) + ")");
  auto code2 = stop_server(s2);
  check(code2 && *code2 == 0,
        "audit_read_timeout_ms 200: SIGTERM → exit 0 (" + exit_text(code2) + ")");
}

}  // namespace

void test_audit_reads(const Example& ex01) {
  audit_reads(ex01);
  kill_live_children();
  remove_large_store();  // about 350 MB
}

}  // namespace xy::servetest
