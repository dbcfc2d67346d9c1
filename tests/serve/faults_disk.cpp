// The fault test, part 1: the audit store's disk fills up (a 4 MB tmpfs and a filler file). While
// it is full every check is answered 503 `not_recorded` at once, health says `failing` with the
// reason, and the log says so a few times, not once per request; once space is freed the service
// records again by itself, never reusing an id, and its store and receipts verify. Stopped while
// still full, it exits 3 and says how many decisions were not recorded.
#include "faults.h"

namespace xy::servetest {
namespace {

// Appends to `file` until the filesystem is full (ENOSPC); the bytes written, or nothing (and
// `why`) if it did not end with ENOSPC.
std::optional<long long> fill_disk(const fs::path& file, std::string& why) {
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) {
    why = "cannot create " + file.string() + ": " + std::strerror(errno);
    return std::nullopt;
  }
  std::string chunk(65536, 'x');
  long long total = 0;
  int last_errno = 0;
  for (std::size_t size : {std::size_t{65536}, std::size_t{4096}, std::size_t{512}, std::size_t{1}})
    for (;;) {
      ssize_t k = ::write(fd, chunk.data(), size);
      if (k <= 0) {
        last_errno = errno;
        break;
      }
      total += k;
    }
  ::close(fd);
  if (last_errno != ENOSPC) {
    why = std::string("writing the filler ended with ") + std::strerror(last_errno);
    return std::nullopt;
  }
  return total;
}

const fs::path& work_items() {
  static const fs::path p = g_work / "policies" / "work-items";
  return p;
}

// One check; a 200 answer goes to `receipts`.
struct Checked {
  Response r;
  long long ms = 0;
};
Checked one_check(unsigned short port, const std::string& body) {
  auto t = std::chrono::steady_clock::now();
  Checked c{fcall(port, verb::post, "/v1/check", body), 0};
  c.ms = ms_since(t);
  return c;
}

struct WhileFull {
  int sent = 0, good = 0;  // good: 503 not_recorded within 5 s
  long long slowest = 0;
  std::string first_bad;
  std::vector<std::string> answered_200;  // a 200 while full (the disk had room after all)
};
// `n` checks from `threads` clients while the disk is full (all done within 20 s).
WhileFull checks_while_full(unsigned short port, const std::string& body, int threads, int n) {
  WhileFull out;
  std::mutex mu;
  auto deadline = std::chrono::steady_clock::now() + 20s;
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&, t] {
      Client c("127.0.0.1", port, 5s);
      for (int i = t; i < n && std::chrono::steady_clock::now() < deadline; i += threads) {
        auto t0 = std::chrono::steady_clock::now();
        auto r = c.request(verb::post, "/v1/check", body);
        long long ms = ms_since(t0);
        bool good = is_error(r, 503) && error_code(r) == "not_recorded" && ms <= 5000;
        std::lock_guard l(mu);
        ++out.sent;
        out.slowest = std::max(out.slowest, ms);
        if (good) {
          ++out.good;
        } else {
          if (r.status == 200) out.answered_200.push_back(r.body);
          if (out.first_bad.empty())
            out.first_bad = r.describe(200) + " after " + std::to_string(ms) + " ms";
        }
      }
    });
  for (auto& t : ts) t.join();
  return out;
}

// Run 1: fill, fail visibly, free, recover; then stop, verify the store and the receipts.
void disk_fills_and_frees(const Example& ex01, const fs::path& dir, const fs::path& mnt) {
  fs::path db = mnt / "audit.db", filler = mnt / "filler";
  auto s = start_checked("disk full, run 1",
                         {"--policies", work_items().string(), "--audit", db.string(), "--listen",
                          "127.0.0.1:0", "--lang", "en"},
                         dir, "recover");
  if (!s.running()) return;
  std::string body = json::serialize(ex01.request);
  std::vector<std::string> receipts;  // every 200 answer
  std::vector<long long> ids;
  long long max_before = 0;
  int ok_before = 0;
  std::string why_before;
  for (int i = 0; i < 5; ++i) {
    auto c = one_check(s.port, body);
    auto id = integer(c.r.json(), "audit_id");
    if (c.r.status == 200 && id) {
      ++ok_before;
      receipts.push_back(c.r.body);
      ids.push_back(*id);
      max_before = std::max(max_before, *id);
    } else if (why_before.empty()) {
      why_before = c.r.describe(200);
    }
  }
  check(ok_before == 5, "disk full: before the disk fills, 5 checks → 200 with audit_id (" +
                            std::to_string(ok_before) + "/5" +
                            (why_before.empty() ? "" : "; " + why_before) + ")");

  // Fill the disk; a check that still found room is answered 200 (and recorded): fill again.
  std::size_t err_mark = s.stderr_text().size();
  std::string why;
  long long filled = 0;
  Checked probe;
  bool full = false;
  for (int round = 0; round < 3; ++round) {
    auto n = fill_disk(filler, why);
    if (!n) break;
    filled += *n;
    probe = one_check(s.port, body);
    if (probe.r.status != 200) {
      full = true;
      break;
    }
    if (auto id = integer(probe.r.json(), "audit_id")) {
      receipts.push_back(probe.r.body);
      ids.push_back(*id);
      max_before = std::max(max_before, *id);
    }
  }
  if (!check(full, "(setup) disk full: the tmpfs is filled (" + std::to_string(filled) +
                       " bytes of filler, then ENOSPC) and a check no longer finds room" +
                       (why.empty() ? "" : ": " + why))) {
    fs::remove(filler);
    stop_server(s);
    return;
  }
  bool probe_ok = is_error(probe.r, 503) && error_code(probe.r) == "not_recorded";
  auto wf = checks_while_full(s.port, body, 5, 60);
  wf.sent += 1;
  wf.good += probe_ok;
  if (!probe_ok && wf.first_bad.empty()) wf.first_bad = "the first: " + probe.r.describe(200);
  wf.slowest = std::max(wf.slowest, probe.ms);
  check(wf.sent >= 50 && wf.good == wf.sent,
        "disk full: each check is answered within 5 s with 503 {error: {code: not_recorded}} (" +
            std::to_string(wf.good) + "/" + std::to_string(wf.sent) + ", slowest " +
            std::to_string(wf.slowest) + " ms" +
            (wf.first_bad.empty() ? "" : "; e.g. " + wf.first_bad) + ")");
  for (const auto& b : wf.answered_200) {
    receipts.push_back(b);
    if (auto id = integer(json::parse(b), "audit_id")) ids.push_back(*id);
  }

  auto h = fcall(s.port, verb::get, "/v1/health");
  auto hj = h.json();
  const auto& audit = get(hj, "audit");
  std::string error = str(audit, "error");
  check(h.status == 503 && str(hj, "status") == "failing" && flag(audit, "ok", false) &&
            !error.empty(),
        "disk full: GET /v1/health → 503 {status: failing, audit: {ok: false, error}} (" +
            h.describe(400) + ")");
  check(contains(error, "full") || contains(error, "space"),
        "disk full: health's audit.error gives the reason (disk full / no space): `" +
            shorten(error, 200) + "`");
  auto logged = lines_with(s.stderr_text().substr(err_mark), "audit");
  check(!logged.empty() && logged.size() <= 3,
        "disk full: the log mentions the failure, in at most 3 lines with `audit` for the " +
            std::to_string(wf.sent) + " checks refused (" + std::to_string(logged.size()) +
            " lines" + (logged.empty() ? "" : "; first: " + shorten(logged.front(), 200)) + ")");

  // Free the space: the service records again by itself.
  fs::remove(filler);
  auto t0 = std::chrono::steady_clock::now();
  Response hr;
  json::value hrj;
  while (ms_since(t0) < 10000) {
    hr = fcall(s.port, verb::get, "/v1/health");
    hrj = hr.json();
    if (hr.status == 200 && str(hrj, "status") == "ok" && flag(get(hrj, "audit"), "ok", true))
      break;
    std::this_thread::sleep_for(200ms);
  }
  bool healthy =
      hr.status == 200 && str(hrj, "status") == "ok" && flag(get(hrj, "audit"), "ok", true);
  check(healthy,
        "disk freed: within 10 s health → 200 {status: ok, audit: {ok: true}} (" +
            (healthy ? std::to_string(ms_since(t0)) + " ms" : "after 10 s: " + hr.describe(300)) +
            ")");
  int ok_after = 0;
  long long min_after = std::numeric_limits<long long>::max();
  std::string why_after;
  for (int i = 0; i < 5; ++i) {
    auto c = one_check(s.port, body);
    auto id = integer(c.r.json(), "audit_id");
    if (c.r.status == 200 && id) {
      ++ok_after;
      receipts.push_back(c.r.body);
      ids.push_back(*id);
      min_after = std::min(min_after, *id);
    } else if (why_after.empty()) {
      why_after = c.r.describe(200);
    }
  }
  check(ok_after == 5 && min_after > max_before,
        "disk freed: checks → 200 again, with audit_ids above every id answered before (" +
            std::to_string(ok_after) + "/5 answered 200" +
            (ok_after ? ", lowest new id " + std::to_string(min_after) + " vs highest before " +
                            std::to_string(max_before)
                      : "") +
            (why_after.empty() ? "" : "; " + why_after) + ")");
  std::set<long long> distinct(ids.begin(), ids.end());
  check(distinct.size() == ids.size(), "disk full: no audit_id was answered twice (" +
                                           std::to_string(distinct.size()) + " distinct of " +
                                           std::to_string(ids.size()) + ")");
  std::size_t hashed = 0;
  for (const auto& b : receipts)
    if (is_hex64(str(json::parse(b), "audit_hash"))) ++hashed;
  check(!receipts.empty() && hashed == receipts.size(),
        "every 200 answer carries audit_hash (64 hex digits) beside audit_id (" +
            std::to_string(hashed) + "/" + std::to_string(receipts.size()) + ")");

  auto code = stop_server(s);
  check(code && *code == 0, "disk freed: SIGTERM → exit 0 (" + exit_text(code) + ")");
  int v = run_command({xy_bin, "audit", "verify", db.string()}, dir / "verify.out",
                      dir / "verify.err", 60s);
  std::string vout = read_text(dir / "verify.out");
  check(v == 0 && vout.find("intact") != std::string::npos,
        "disk full, run 1: xy audit verify DB → exit 0, `intact` (" + std::to_string(v) + ": " +
            shorten(vout + read_text(dir / "verify.err"), 300) + ")");
  std::string lines;
  for (const auto& b : receipts) lines += b + "\n";
  write_text(dir / "receipts.jsonl", lines);
  int vr = run_command(
      {xy_bin, "audit", "verify", db.string(), "--receipts", (dir / "receipts.jsonl").string()},
      dir / "verify-receipts.out", dir / "verify-receipts.err", 60s);
  check(vr == 0,
        "xy audit verify DB --receipts FILE (the " + std::to_string(receipts.size()) +
            " answers 200) → exit 0 (" + std::to_string(vr) + ": " +
            shorten(read_text(dir / "verify-receipts.out") + read_text(dir / "verify-receipts.err"),
                    300) +
            ")");
}

// Run 2: stopped while the disk is still full.
void disk_full_at_stop(const Example& ex01, const fs::path& dir, const fs::path& mnt) {
  fs::path db = mnt / "stop.db", filler = mnt / "filler";
  auto s = start_checked("disk full, run 2",
                         {"--policies", work_items().string(), "--audit", db.string(), "--listen",
                          "127.0.0.1:0", "--lang", "en"},
                         dir, "stop");
  if (!s.running()) return;
  std::string body = json::serialize(ex01.request);
  int ok = 0;
  for (int i = 0; i < 2; ++i) ok += one_check(s.port, body).r.status == 200;
  std::string why;
  bool full = false;
  for (int round = 0; round < 3 && !full; ++round) {
    if (!fill_disk(filler, why)) break;
    full = one_check(s.port, body).r.status != 200;
  }
  if (!check(ok == 2 && full, "(setup) disk full, run 2: 2 checks → 200, then the disk is full" +
                                  (why.empty() ? "" : ": " + why))) {
    fs::remove(filler);
    stop_server(s);
    return;
  }
  int refused = 1;
  for (int i = 0; i < 5; ++i) refused += one_check(s.port, body).r.status == 503;
  note("disk full, run 2: " + std::to_string(refused) + " of 6 checks answered 503 while full");
  std::size_t mark = s.stderr_text().size();
  auto code = stop_server(s, 20s);
  std::string said = s.stderr_text().substr(std::min(mark, s.stderr_text().size()));
  // A line that says "not recorded" (未记录) with a count: "3 decisions …", "3 not recorded".
  static const std::regex count(R"((^|\s)[0-9]+\s*(decisions?|records?|not recorded|条|个|项))",
                                std::regex::icase);
  std::string line;
  for (const auto* word : {"not recorded", "未记录", "未能记录"})
    for (const auto& l : lines_with(said, word))
      if (line.empty() && std::regex_search(l, count)) line = l;
  check(code && *code == 3,
        "disk still full at SIGTERM: the server exits 3 (" + exit_text(code) + ")");
  check(
      !line.empty(),
      "disk still full at SIGTERM: stderr says how many decisions were not recorded (" +
          (line.empty() ? "after the signal: " + tail(said, 400) : "`" + shorten(line, 200) + "`") +
          ")");
  fs::remove(filler);
}

}  // namespace

void test_disk_full(const Example& ex01) {
  fs::path dir = g_work / "disk", mnt = dir / "mnt";
  if (auto why = mount_tmpfs(mnt, "4m")) {
    check(false,
          "disk full: a 4 MB tmpfs for the audit store cannot be mounted, so none of the "
          "disk-full checks ran — " +
              *why);
    return;
  }
  note("a 4 MB tmpfs on " + mnt.string());
  disk_fills_and_frees(ex01, dir, mnt);
  for (const char* f : {"audit.db", "audit.db-wal", "audit.db-shm", "filler"}) {
    std::error_code ec;
    fs::remove(mnt / f, ec);
  }
  disk_full_at_stop(ex01, dir, mnt);
  kill_live_children();
  unmount(mnt);
}

}  // namespace xy::servetest
