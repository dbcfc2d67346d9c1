// The fault test, parts 5 and 6: the token is checked before a large body is read (peak memory);
// filters too large for SQLite are a 400 `bad_filter`, not a 500; a duplicate JSON key is a 400;
// config values that cannot work stop the service at start (exit 2, FILE:LINE:COL); an upper-case
// token_sha256 works; the default body limit admits a batch of max_batch requests.
#include "faults.h"

namespace xy::servetest {
namespace {

// SHA-256 of kUpperToken (sha256sum), written in upper case in the config.
const std::string kUpperToken = "upper-hex-token-0123456789abcd";
const std::string kUpperTokenSha =
    "be1cd1a4f9eb66c9b33159c0b6893f5118f8e600ca8cf473a11b4d69bcff20d0";

// url_encode with `+` for spaces (the query is form-encoded): shorter URLs.
std::string form_encode(const std::string& s) {
  std::string e = url_encode(s), out;
  for (std::size_t i = 0; i < e.size(); ++i) {
    if (e.compare(i, 3, "%20") == 0) {
      out += '+';
      i += 2;
    } else {
      out += e[i];
    }
  }
  return out;
}

// Sends requests[i] on fds[i], all at once (poll), giving up on a connection at an error (the
// server may answer and close before the body is read) or at `limit`.
void send_all(const std::vector<int>& fds, const std::vector<std::string>& requests,
              std::chrono::milliseconds limit) {
  std::vector<std::size_t> sent(fds.size(), 0);
  std::vector<bool> done(fds.size(), false);
  for (std::size_t i = 0; i < fds.size(); ++i) done[i] = fds[i] < 0;
  auto t0 = std::chrono::steady_clock::now();
  while (ms_since(t0) < limit.count()) {
    std::vector<pollfd> ps;
    std::vector<std::size_t> which;
    for (std::size_t i = 0; i < fds.size(); ++i)
      if (!done[i]) {
        ps.push_back({fds[i], POLLOUT, 0});
        which.push_back(i);
      }
    if (ps.empty()) return;
    if (::poll(ps.data(), ps.size(), 100) <= 0) continue;
    for (std::size_t k = 0; k < ps.size(); ++k) {
      std::size_t i = which[k];
      if (ps[k].revents & (POLLERR | POLLHUP | POLLNVAL)) {
        done[i] = true;
      } else if (ps[k].revents & POLLOUT) {
        ssize_t n = ::send(fds[i], requests[i].data() + sent[i], requests[i].size() - sent[i],
                           MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n > 0) sent[i] += static_cast<std::size_t>(n);
        if (sent[i] == requests[i].size() || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
          done[i] = true;
      }
    }
  }
}

bool says_duplicate(const Response& r) {
  std::string m = error_message(r);
  return contains(m, "duplicate") || m.find("重复") != std::string::npos;
}

}  // namespace

void test_token_before_body(const Example& ex01) {
  fs::path dir = g_work / "token";
  fs::create_directories(dir);
  fs::path cfg = dir / "config.json";
  write_text(cfg, config_with(false, 1000, [](json::object& o) {
               o["max_body_bytes"] = 2000000;
               o["read_timeout_ms"] = 30000;  // reading 400 MB may take a while today
             }));
  auto s = start_checked("token before body",
                         {"--policies", (g_work / "policies" / "work-items").string(), "--audit",
                          (dir / "audit.db").string(), "--config", cfg.string(), "--lang", "en"},
                         dir, "server");
  if (!s.running()) return;
  std::string small = json::serialize(ex01.request);
  auto warm = fcall(s.port, verb::post, "/v1/check", small, kCheckToken);
  check(warm.status == 200,
        "token before body: a check with the token → 200 (" + warm.describe(80) + ")");
  long long hwm0 = proc_status_kb(s.pid, "VmHWM");
  std::string big = small + std::string(1000000 - small.size(), ' ');
  // 20 clients, each with 20 connections: all 400 requests are in flight together.
  std::atomic<int> unauthorized{0}, other{0};
  std::mutex mu;
  std::string first_other;
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < 20; ++t)
    threads.emplace_back([&, t] {
      std::vector<std::string> requests;
      std::vector<int> fds;
      for (int i = 0; i < 20; ++i) {
        std::string auth =
            (t + i) % 2 ? std::string() : "Authorization: Bearer not-a-valid-token-0123456789\r\n";
        requests.push_back("POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth +
                           "Content-Type: application/json\r\nContent-Length: " +
                           std::to_string(big.size()) + "\r\n\r\n" + big);
        fds.push_back(tcp_connect(s.port, 2000));
      }
      // One deadline for sending and for the answers: 30 s after the burst began.
      send_all(fds, requests, std::chrono::milliseconds(std::max(0LL, 30000 - ms_since(t0))));
      for (std::size_t i = 0; i < fds.size(); ++i) {
        int left = static_cast<int>(std::max(0LL, 30000 - ms_since(t0)));
        auto r = fds[i] < 0 ? Received{"", true} : receive(fds[i], left);
        if (fds[i] >= 0) ::close(fds[i]);
        if (r.data.rfind("HTTP/1.1 401", 0) == 0) {
          ++unauthorized;
        } else {
          ++other;
          std::lock_guard l(mu);
          if (first_other.empty())
            first_other = r.data.empty() ? (r.closed ? "closed without an answer" : "no answer")
                                         : shorten(r.data, 160);
        }
      }
    });
  for (auto& t : threads) t.join();
  long long took = ms_since(t0);
  long long hwm1 = proc_status_kb(s.pid, "VmHWM");
  check(unauthorized == 400,
        "400 requests of 1 MB (Content-Length: 1000000) without a token or with a wrong one, "
        "all in flight together from 20 clients → 401 each (" +
            std::to_string(unauthorized.load()) + "/400 in " + std::to_string(took) + " ms" +
            (first_other.empty() ? "" : "; e.g. " + first_other) + ")");
  check(hwm0 > 0 && hwm1 - hwm0 < 60 * 1024,
        "… and the server's peak RSS (VmHWM) grows by less than 60 MB (" +
            std::to_string(hwm0 / 1024) + " → " + std::to_string(hwm1 / 1024) + " MB)");
  auto after = fcall(s.port, verb::post, "/v1/check", small, kCheckToken);
  check(after.status == 200,
        "token before body: a check with the token is still served (" + after.describe(80) + ")");
  stop_server(s);
}

void test_bad_filters_and_duplicates(const Example& ex01) {
  fs::path dir = g_work / "small";
  auto s = start_checked("no config, one set",
                         {"--policies", (g_work / "policies" / "work-items").string(), "--audit",
                          (dir / "audit.db").string(), "--listen", "127.0.0.1:0", "--lang", "en"},
                         dir, "server");
  if (!s.running()) return;
  std::string body = json::serialize(ex01.request);
  auto first = fcall(s.port, verb::post, "/v1/check", body);
  check(first.status == 200, "no config: a check → 200 (" + first.describe(80) + ")");

  // Filters too large for SQLite: an OR chain deeper than its expression depth (1000), and 2,000
  // nested parentheses. The URL stays under the 64 KB header limit.
  std::string chain;
  for (int i = 0; i < 2500; ++i) chain += (i ? " or " : "") + std::string("outcome = deny");
  std::string target = "/v1/decisions?filter=" + form_encode(chain) + "&limit=10";
  auto r1 = fcall(s.port, verb::get, target, {}, {}, 10s);
  std::string why;
  bool e1 = is_error(r1, 400, &why);
  check(e1 && error_code(r1) == "bad_filter",
        "GET /v1/decisions with 2,500 `outcome = deny or …` terms (a " +
            std::to_string(target.size() / 1024) + " KB URL) → 400 bad_filter (" +
            r1.describe(200) + ")");
  std::string nested = std::string(2000, '(') + "outcome = deny" + std::string(2000, ')');
  auto r2 = fcall(s.port, verb::get, "/v1/decisions?filter=" + form_encode(nested) + "&limit=10",
                  {}, {}, 10s);
  check(is_error(r2, 400) && error_code(r2) == "bad_filter",
        "GET /v1/decisions with 2,000 nested parentheses → 400 bad_filter (" + r2.describe(200) +
            ")");
  check(fcall(s.port, verb::get, "/v1/health").status == 200,
        "after the large filters the server still answers");

  // Duplicate keys.
  std::string dup_action = "{\"action\":\"下派事项\"," + body.substr(1);
  auto d1 = fcall(s.port, verb::post, "/v1/check", dup_action);
  check(is_error(d1, 400) && error_code(d1) == "bad_request" && says_duplicate(d1),
        "POST /v1/check with `action` twice → 400 bad_request naming the duplicate key (" +
            d1.describe(200) + ")");
  std::string dup_fact = body;
  auto at = dup_fact.find("\"facts\":{");
  if (at != std::string::npos) dup_fact.insert(at + 9, "\"接收\":\"村民委员会\",");
  auto d2 = fcall(s.port, verb::post, "/v1/check", dup_fact);
  check(at != std::string::npos && is_error(d2, 400) && error_code(d2) == "bad_request" &&
            says_duplicate(d2),
        "POST /v1/check with the fact `接收` twice in `facts` → 400 bad_request naming the "
        "duplicate key (" +
            d2.describe(200) + ")");

  // The default limits admit a batch of max_batch (10,000) requests.
  std::string batch = "{\"requests\":[";
  for (int i = 0; i < 10000; ++i) batch += (i ? "," : "") + body;
  batch += "]}";
  auto b = fcall(s.port, verb::post, "/v1/check/batch", batch, {}, 60s);
  auto bj = b.json();  // kept: `ds` points into it
  auto* ds = array(bj, "decisions");
  check(b.status == 200 && ds && ds->size() == 10000,
        "no config: a batch of 10,000 compact work-items/01 requests (" +
            std::to_string(batch.size() / 1024) + " KB) → 200 with 10,000 decisions (" +
            b.describe(160) + ")");
  auto code = stop_server(s);
  check(code && *code == 0, "no config: SIGTERM → exit 0 (" + exit_text(code) + ")");
}

void test_config_validation(const Example& ex01) {
  fs::path dir = g_work / "config";
  fs::create_directories(dir);
  std::string policies = (g_work / "policies" / "work-items").string();
  auto token_config = [](const std::string& member) {
    return "{\n  \"listen\": \"127.0.0.1:0\",\n  \"tokens\": [\n    {\"name\": \"x\", " + member +
           ", \"roles\": [\"check\"]}\n  ]\n}\n";
  };
  struct Bad {
    std::string tag, text, lines, what;
  };
  std::vector<Bad> bads = {
      {"sha-not-hex",
       token_config("\"token_sha256\": \"" + std::string(31, 'a') + "g" + std::string(32, 'b') +
                    "\""),
       "[34]", "a token_sha256 of 64 characters that are not all hex digits (a `g`)"},
      {"blank-token", token_config("\"token\": \"" + std::string(20, ' ') + "\""), "[34]",
       "a token of 20 spaces"},
      {"batch-too-big",
       "{\n  \"listen\": \"127.0.0.1:0\",\n  \"max_batch\": 100000,\n  \"max_body_bytes\": "
       "1048576\n}\n",
       "[34]", "max_batch 100000 with max_body_bytes 1048576 (the batch cannot fit)"},
  };
  for (const auto& bad : bads) {
    fs::path cfg = dir / (bad.tag + ".json");
    write_text(cfg, bad.text);
    auto s = start_server({xy_bin, "serve", "--policies", policies, "--audit",
                           (dir / (bad.tag + ".db")).string(), "--config", cfg.string()},
                          dir / (bad.tag + ".out"), dir / (bad.tag + ".err"), 60s);
    if (s.running()) {
      stop_server(s, 5s);
      check(false, "config with " + bad.what + " → exit 2: the server started anyway (`" +
                       s.first_line + "`)");
      continue;
    }
    std::string err = s.stderr_text();
    bool located = std::regex_search(err, std::regex(bad.tag + "\\.json:" + bad.lines + ":[0-9]+"));
    check(s.exited == 2 && located, "config with " + bad.what + " → exit 2 with `" + bad.tag +
                                        ".json:LINE:COL: …` (exit " + exit_text(s.exited) + ": " +
                                        shorten(err, 300) + ")");
  }

  // An upper-case token_sha256 is the same token.
  std::string upper = kUpperTokenSha;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  fs::path cfg = dir / "upper.json";
  write_text(cfg,
             "{\n  \"listen\": \"127.0.0.1:0\",\n  \"watch\": false,\n  \"tokens\": [\n    "
             "{\"name\": \"upper\", \"token_sha256\": \"" +
                 upper + "\", \"roles\": [\"check\"]}\n  ]\n}\n");
  auto s = start_checked("an upper-case token_sha256",
                         {"--policies", policies, "--audit", (dir / "upper.db").string(),
                          "--config", cfg.string(), "--lang", "en"},
                         dir, "upper");
  if (!s.running()) return;
  auto r = fcall(s.port, verb::post, "/v1/check", json::serialize(ex01.request), kUpperToken);
  check(r.status == 200, "an upper-case token_sha256: its token is accepted, a check → 200 (" +
                             r.describe(120) + ")");
  stop_server(s);
}

}  // namespace xy::servetest
