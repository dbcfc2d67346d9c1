// The fault test, part 2: file descriptors. Under `ulimit -n 128`, 300 idle connections must not
// make the server spin (CPU), flood its log, or trip the file watcher into a reload; connections
// over the cap (min(max_connections, the soft limit − 64)) are answered 503 `too_many_connections`.
// With `"max_connections": 5`, the 6th to 10th idle connections are refused the same way.
#include "faults.h"

namespace xy::servetest {
namespace {

// A check (with the main test's check token) answered 200, retried for up to `limit` while the
// server settles after connections closed; the last answer.
Response check_until_200(unsigned short port, const std::string& body,
                         std::chrono::milliseconds limit = 3s) {
  auto t0 = std::chrono::steady_clock::now();
  Response r;
  for (;;) {
    r = fcall(port, verb::post, "/v1/check", body, kCheckToken, 2s);
    if (r.status == 200 || ms_since(t0) >= limit.count()) return r;
    std::this_thread::sleep_for(200ms);
  }
}

void close_all(std::vector<int>& fds) {
  for (int fd : fds) ::close(fd);
  fds.clear();
}

}  // namespace

void test_out_of_fds(const Example& ex01) {
  fs::path dir = g_work / "fds";
  fs::create_directories(dir);
  fs::path cfg = dir / "config.json";
  write_text(cfg, config_with(true, 200, [](json::object& o) { o["read_timeout_ms"] = 60000; }));
  auto s = start_checked("ulimit -n 128",
                         {"--policies", (g_work / "policies" / "work-items").string(), "--audit",
                          (dir / "audit.db").string(), "--config", cfg.string(), "--lang", "en"},
                         dir, "server", {"/bin/sh", "-c", "ulimit -n 128; exec \"$0\" \"$@\""});
  if (!s.running()) return;
  std::string body = json::serialize(ex01.request);
  auto warm = fcall(s.port, verb::post, "/v1/check", body, kCheckToken);
  check(warm.status == 200, "ulimit -n 128: a first check → 200 (" + warm.describe(100) + ")");

  double cpu0 = cpu_seconds(s.pid);
  std::size_t lines0 = count_lines(s.stderr_text());
  auto t0 = std::chrono::steady_clock::now();
  std::vector<int> fds;
  int not_connected = 0;
  for (int i = 0; i < 300; ++i) {
    int fd = tcp_connect(s.port, 500);
    if (fd < 0)
      ++not_connected;
    else
      fds.push_back(fd);
  }
  long long opening = ms_since(t0);
  std::this_thread::sleep_for(3s);
  double cpu1 = cpu_seconds(s.pid);
  std::size_t lines1 = count_lines(s.stderr_text());
  note("300 connections opened in " + std::to_string(opening) + " ms (" +
       std::to_string(not_connected) + " could not connect), then idle for 3 s");
  char cpu_text[64];
  std::snprintf(cpu_text, sizeof cpu_text, "%.2f s", cpu1 - cpu0);
  check(cpu0 >= 0 && cpu1 >= 0 && cpu1 - cpu0 < 1.0,
        "300 idle connections, ulimit -n 128: the server's CPU time grows by less than 1 s "
        "over those 3 s (" +
            std::string(cpu_text) + ")");
  std::string log = s.stderr_text();
  auto added = lines1 - lines0;
  std::string sample;
  {
    std::istringstream in(log);
    std::size_t i = 0;
    for (std::string l; std::getline(in, l); ++i)
      if (i == lines0) sample = l;
  }
  check(added < 50, "300 idle connections, ulimit -n 128: the log grows by fewer than 50 lines (" +
                        std::to_string(added) +
                        (sample.empty() ? "" : "; the first: " + shorten(sample, 160)) + ")");
  int refused = 0, answered_other = 0, closed = 0;
  std::string other;
  for (int fd : fds) {
    auto r = receive(fd, 0);
    if (is_raw_error(r.data, 503, "too_many_connections")) {
      ++refused;
    } else if (!r.data.empty()) {
      ++answered_other;
      if (other.empty()) other = r.data.substr(0, r.data.find('\r'));
    } else if (r.closed) {
      ++closed;
    }
  }
  check(refused > 0,
        "300 connections with a cap of 64 (the soft limit 128 − 64): some are answered 503 "
        "too_many_connections (" +
            std::to_string(refused) + " refused, " + std::to_string(answered_other) +
            " answered otherwise" + (other.empty() ? "" : " e.g. `" + other + "`") + ", " +
            std::to_string(closed) + " closed without an answer)");
  close_all(fds);

  auto t1 = std::chrono::steady_clock::now();
  Response h;
  while (ms_since(t1) < 3000) {
    h = fcall(s.port, verb::get, "/v1/health", {}, {}, 2s);
    if (h.status) break;
  }
  auto hj = h.json();
  const auto& lr = get(hj, "last_reload");
  check(h.status == 200 && str(lr, "trigger") == "start",
        "after the idle connections: no reload happened, health last_reload.trigger is still "
        "`start` (" +
            (h.status ? shorten(json::serialize(lr), 300) : h.describe()) + ")");
  auto c = check_until_200(s.port, body);
  check(c.status == 200 && str(c.json(), "outcome") == "deny",
        "after closing the idle connections: a check → 200 deny (" + c.describe(100) + ")");
  auto code = stop_server(s);
  check(code && *code == 0, "ulimit -n 128: SIGTERM → exit 0 (" + exit_text(code) + ")");
}

void test_max_connections(const Example& ex01) {
  fs::path dir = g_work / "maxconn";
  fs::create_directories(dir);
  fs::path cfg = dir / "config.json";
  write_text(cfg, config_with(false, 1000, [](json::object& o) {
               o["read_timeout_ms"] = 60000;
               o["max_connections"] = 5;
             }));
  auto s = start_checked("\"max_connections\": 5",
                         {"--policies", (g_work / "policies" / "work-items").string(), "--audit",
                          (dir / "audit.db").string(), "--config", cfg.string(), "--lang", "en"},
                         dir, "server");
  if (!s.running()) return;
  std::vector<int> fds;
  for (int i = 0; i < 10; ++i) {
    fds.push_back(tcp_connect(s.port, 1000));
    std::this_thread::sleep_for(100ms);
  }
  std::this_thread::sleep_for(500ms);
  int quiet = 0, refused = 0;
  std::string first_five, last_five;
  for (std::size_t i = 0; i < fds.size(); ++i) {
    auto r = fds[i] < 0 ? Received{"", true} : receive(fds[i], i < 5 ? 0 : 1000);
    std::string what = r.data.empty() ? (r.closed ? "closed" : "open, no answer")
                                      : shorten(r.data.substr(0, r.data.find('\r')), 60);
    if (i < 5) {
      quiet += r.data.empty() && !r.closed;
      first_five += (i ? "; " : "") + what;
    } else {
      refused += is_raw_error(r.data, 503, "too_many_connections");
      last_five += (i > 5 ? "; " : "") + what;
    }
  }
  check(refused == 5,
        "max_connections 5, 10 idle connections: the 6th to 10th are answered 503 "
        "too_many_connections (" +
            std::to_string(refused) + "/5: " + last_five + ")");
  check(quiet == 5, "max_connections 5: the first 5 idle connections stay open (" +
                        std::to_string(quiet) + "/5: " + first_five + ")");
  for (int fd : fds)
    if (fd >= 0) ::close(fd);
  auto c = check_until_200(s.port, json::serialize(ex01.request));
  check(c.status == 200 && str(c.json(), "outcome") == "deny",
        "max_connections 5: after closing them, a check → 200 deny (" + c.describe(100) + ")");
  auto h = fcall(s.port, verb::get, "/v1/health");
  check(h.status == 200, "max_connections 5: health → 200 (" + h.describe(100) + ")");
  auto code = stop_server(s);
  check(code && *code == 0, "max_connections 5: SIGTERM → exit 0 (" + exit_text(code) + ")");
}

}  // namespace xy::servetest
