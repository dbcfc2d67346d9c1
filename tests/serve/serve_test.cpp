// Integration test of `xy serve` (the HTTP/1.1 JSON service): every endpoint, every error status,
// access control, limits, slow clients, hot reload (SIGHUP, POST /v1/reload, the file watcher),
// reload under concurrent load, a SIGTERM under load after which every decision a client was
// answered with is in the audit store (and every recorded one was answered) and the chain verifies,
// and a SIGTERM while a large batch is in flight.
// Usage: serve_test XY_BINARY SOURCE_DIR WORK_DIR
// The policies (SOURCE_DIR/policies, with laws/) are copied into WORK_DIR so that the test can
// edit them. Prints `ok   …` / `FAIL …` per check and `N passed, N failed`; exits 1 on a failure.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "client.h"
#include "process.h"

namespace {

using namespace xy::servetest;
namespace json = boost::json;
using namespace std::chrono_literals;
using verb = http::verb;

// ── reporting ──

int g_passed = 0, g_failed = 0;
std::mutex g_out;

bool check(bool ok, const std::string& what) {
  std::lock_guard lock(g_out);
  (ok ? g_passed : g_failed)++;
  std::cout << (ok ? "ok   " : "FAIL ") << what << std::endl;
  return ok;
}
void note(const std::string& what) {
  std::lock_guard lock(g_out);
  std::cout << "     " << what << std::endl;
}

// ── JSON helpers ──

const json::value* member(const json::value& v, std::string_view key) {
  if (!v.is_object()) return nullptr;
  return v.get_object().if_contains(key);
}
// The member, or null when there is none.
const json::value& get(const json::value& v, std::string_view key) {
  static const json::value null;
  auto* m = member(v, key);
  return m ? *m : null;
}
// The member is the boolean `want`.
bool flag(const json::value& v, std::string_view key, bool want) {
  auto* m = member(v, key);
  return m && m->is_bool() && m->get_bool() == want;
}
std::string str(const json::value& v, std::string_view key) {
  auto* m = member(v, key);
  return m && m->is_string() ? std::string(m->get_string()) : std::string();
}
std::optional<long long> integer(const json::value& v, std::string_view key) {
  auto* m = member(v, key);
  if (!m) return std::nullopt;
  if (m->is_int64()) return m->get_int64();
  if (m->is_uint64()) return static_cast<long long>(m->get_uint64());
  return std::nullopt;
}
const json::array* array(const json::value& v, std::string_view key) {
  auto* m = member(v, key);
  return m && m->is_array() ? &m->get_array() : nullptr;
}
json::value without_audit_id(json::value v) {
  if (v.is_object()) v.get_object().erase("audit_id");
  return v;
}
std::vector<std::string> rule_ids(const json::value& decision, std::string_view list = "reasons") {
  std::vector<std::string> out;
  if (auto* a = array(decision, list))
    for (const auto& r : *a) out.push_back(str(r, "rule"));
  return out;
}
bool has_rule(const json::value& decision, const std::string& rule) {
  auto ids = rule_ids(decision);
  return std::find(ids.begin(), ids.end(), rule) != ids.end();
}
std::string text_of(const json::value& decision, const std::string& rule) {
  if (auto* a = array(decision, "reasons"))
    for (const auto& r : *a)
      if (str(r, "rule") == rule) return str(r, "text");
  return {};
}
std::string shorten(const std::string& s, std::size_t max = 200) {
  return cut_utf8(s, max);
}
// The last `max` bytes of `s` (from a UTF-8 character boundary), with "…" when cut.
std::string tail(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t from = s.size() - max;
  while (from < s.size() && (static_cast<unsigned char>(s[from]) & 0xC0) == 0x80) ++from;
  return "…" + s.substr(from);
}
// Where two JSON values first differ: "reasons[0].text: "a" vs "b"".
std::string first_diff(const json::value& a, const json::value& b, const std::string& path = "") {
  if (a.is_object() && b.is_object()) {
    for (const auto& [k, v] : a.get_object()) {
      std::string p = path.empty() ? std::string(k) : path + "." + std::string(k);
      auto* w = b.get_object().if_contains(k);
      if (!w) return p + ": missing on the right";
      if (auto d = first_diff(v, *w, p); !d.empty()) return d;
    }
    for (const auto& [k, v] : b.get_object())
      if (!a.get_object().contains(k))
        return (path.empty() ? "" : path + ".") + std::string(k) + ": missing on the left";
    return {};
  }
  if (a.is_array() && b.is_array()) {
    const auto &x = a.get_array(), &y = b.get_array();
    for (std::size_t i = 0; i < std::min(x.size(), y.size()); ++i)
      if (auto d = first_diff(x[i], y[i], path + "[" + std::to_string(i) + "]"); !d.empty())
        return d;
    if (x.size() != y.size())
      return path + ": " + std::to_string(x.size()) + " vs " + std::to_string(y.size()) + " items";
    return {};
  }
  if (a == b) return {};
  return (path.empty() ? "(top)" : path) + ": " + shorten(json::serialize(a), 120) + " vs " +
         shorten(json::serialize(b), 120);
}
bool is_hex64(const std::string& s) {
  static const std::regex hex("[0-9a-f]{64}");
  return std::regex_match(s, hex);
}

// ── the test's fixtures ──

const std::string kCheckToken = "case-system-7f3a9c2e1b";
const std::string kAuditToken = "reviewer-4d8e6a0c55";
const std::string kAdminToken = "ops-91b2c3d4e5f6";
constexpr int kMaxBody = 65536;
constexpr int kReadTimeoutMs = 1500;

std::string xy_bin;
fs::path g_src, g_work;

// One example request of the policy library, with what it should come to.
struct Example {
  std::string set, file;
  json::value request;
  std::string expected;  // from the set's requests/README.md table (empty: not listed)
  json::value cli;       // the CLI's decision for it (`xy check SET --request … --format json`)
  bool review = false;   // the set's policies are of the review kind (类型 审查)
  std::string name() const { return set + "/" + file; }
};

// Everything a client was answered with an audit_id: checked against the store at the end.
struct Answer {
  long long id;
  std::string outcome, action;
};
std::mutex g_ledger_mu;
std::vector<Answer> g_ledger;
void remember(const json::value& decision) {
  auto id = integer(decision, "audit_id");
  if (!id) return;
  std::lock_guard lock(g_ledger_mu);
  g_ledger.push_back({*id, str(decision, "outcome"), str(decision, "action")});
}
std::size_t ledger_size() {
  std::lock_guard lock(g_ledger_mu);
  return g_ledger.size();
}

// Counts of the statuses the main server answered, to compare with its metrics.
std::mutex g_status_mu;
std::map<int, int> g_statuses;

unsigned short g_port = 0;  // the server under test

Response call(verb v, const std::string& target, const std::string& body = {},
              const std::string& token = {}, const std::map<std::string, std::string>& extra = {},
              unsigned short port = 0) {
  Client c("127.0.0.1", port ? port : g_port);
  auto r = c.request(v, target, body, token, extra);
  if (r.status && (port == 0 || port == g_port)) {
    std::lock_guard lock(g_status_mu);
    g_statuses[r.status]++;
  }
  return r;
}
std::map<int, int> statuses() {
  std::lock_guard lock(g_status_mu);
  return g_statuses;
}

// An error answer: the status, and `{"error": {"status": N, "code": "…", "message": "…"}}`.
bool is_error(const Response& r, int status, std::string* why = nullptr) {
  auto fail = [&](const std::string& w) {
    if (why) *why = w + " — got " + r.describe();
    return false;
  };
  if (r.status != status) return fail("expected HTTP " + std::to_string(status));
  auto j = r.json();
  auto* e = member(j, "error");
  if (!e || !e->is_object()) return fail("no `error` object");
  if (integer(*e, "status") != status) return fail("error.status is not " + std::to_string(status));
  if (str(*e, "code").empty()) return fail("error.code is empty");
  if (str(*e, "message").empty()) return fail("error.message is empty");
  return true;
}
void check_error(const Response& r, int status, const std::string& what) {
  std::string why;
  bool ok = is_error(r, status, &why);
  check(ok, what + (ok ? "" : ": " + why));
}

json::value health(unsigned short port = 0) {
  return call(verb::get, "/v1/health", {}, {}, {}, port).json();
}
const json::value* set_in(const json::value& h, const std::string& set) {
  if (auto* sets = array(h, "sets"))
    for (const auto& s : *sets)
      if (fs::path(str(s, "dir")).filename() == set ||
          fs::path(str(s, "dir")).parent_path().filename() == set)  // "…/work-items/"
        return &s;
  return nullptr;
}
std::string bundle_of(const json::value& h, const std::string& set) {
  auto* s = set_in(h, set);
  return s ? str(*s, "bundle") : std::string();
}
std::string last_reload(const json::value& h) {
  auto* l = member(h, "last_reload");
  return l ? json::serialize(*l) : std::string();
}

// ── Prometheus text ──

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};
std::vector<Sample> parse_metrics(const std::string& text) {
  std::vector<Sample> out;
  static const std::regex line(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+).*$)");
  static const std::regex label(R"re(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)")re");
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (l.empty() || l[0] == '#') continue;
    std::smatch m;
    if (!std::regex_match(l, m, line)) continue;
    Sample s;
    s.name = m[1];
    std::string labels = m[3];
    for (std::sregex_iterator it(labels.begin(), labels.end(), label), end; it != end; ++it)
      s.labels[(*it)[1]] = (*it)[2];
    try {
      s.value = std::stod(m[4]);
    } catch (...) {
      continue;
    }
    out.push_back(std::move(s));
  }
  return out;
}
// Sum of the samples named `name` whose labels include `want` (an endpoint label matches
// either "/v1/check" or "check").
double metric(const std::vector<Sample>& samples, const std::string& name,
              const std::map<std::string, std::string>& want = {}) {
  double sum = 0;
  for (const auto& s : samples) {
    if (s.name != name) continue;
    bool match = true;
    for (const auto& [k, v] : want) {
      auto it = s.labels.find(k);
      if (it == s.labels.end()) {
        match = false;
        break;
      }
      if (k == "endpoint") {
        std::string e = it->second;
        if (e != v && e != "/v1/" + v && e != "/" + v) match = false;
      } else if (it->second != v) {
        match = false;
      }
    }
    if (match) sum += s.value;
  }
  return sum;
}
bool has_metric(const std::vector<Sample>& samples, const std::string& name) {
  return std::any_of(samples.begin(), samples.end(),
                     [&](const Sample& s) { return s.name == name; });
}
std::vector<Sample> scrape(std::string* content_type = nullptr) {
  auto r = call(verb::get, "/metrics");
  if (content_type) *content_type = r.header("content-type");
  return parse_metrics(r.body);
}

// ── setting up ──

void copy_policies(const fs::path& to) {
  fs::remove_all(to);
  fs::create_directories(to.parent_path());
  fs::copy(g_src / "policies", to, fs::copy_options::recursive);
}

std::string trim(std::string s) {
  auto b = s.find_first_not_of(" \t");
  auto e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// FILE → expected outcome from a requests/README.md table ("| `01-….json` | `deny` 禁止 | …").
std::map<std::string, std::string> expected_outcomes(const fs::path& readme) {
  std::map<std::string, std::string> out;
  std::istringstream in(read_text(readme));
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("| `", 0) != 0) continue;
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream ls(line);
    while (std::getline(ls, cell, '|')) cells.push_back(trim(cell));
    if (cells.size() < 3) continue;
    std::string file = cells[1];
    if (file.size() < 2 || file.front() != '`') continue;
    file = file.substr(1, file.find('`', 1) - 1);
    std::string word = cells[2];
    if (!word.empty() && word.front() == '`') {
      word = word.substr(1, word.find('`', 1) - 1);
    } else {
      word = word.substr(0, word.find(' '));
    }
    if (word == "无法判定") word = "indeterminate";
    out[file] = word;
  }
  return out;
}

bool is_review_set(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".xy" && read_text(e.path()).find("类型 审查") != std::string::npos)
      return true;
  return false;
}

// The CLI's answers to `lines` (one JSON request each) against one policy set.
std::vector<json::value> cli_decisions(const fs::path& set, const std::vector<std::string>& lines,
                                       const std::string& tag) {
  fs::path in = g_work / "cli" / (tag + ".jsonl"), out = g_work / "cli" / (tag + ".out"),
           err = g_work / "cli" / (tag + ".err");
  fs::create_directories(in.parent_path());
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  write_text(in, text);
  run_command({xy_bin, "check", set.string(), "--request", in.string(), "--format", "json",
               "--laws", (g_work / "policies" / "laws").string(), "--lang", "en"},
              out, err);
  std::vector<json::value> result;
  std::istringstream o(read_text(out));
  for (std::string l; std::getline(o, l);) {
    boost::system::error_code ec;
    auto v = json::parse(l, ec);
    result.push_back(ec ? json::value() : v);
  }
  return result;
}

std::vector<Example> load_examples() {
  std::vector<Example> all;
  for (const auto& e : fs::directory_iterator(g_work / "policies")) {
    if (!fs::is_directory(e.path() / "requests")) continue;
    std::string set = e.path().filename().string();
    auto expected = expected_outcomes(e.path() / "requests" / "README.md");
    bool review = is_review_set(e.path());
    std::vector<Example> here;
    for (const auto& f : fs::directory_iterator(e.path() / "requests")) {
      if (f.path().extension() != ".json") continue;
      Example x;
      x.set = set;
      x.file = f.path().filename().string();
      x.request = json::parse(read_text(f.path()));
      x.review = review;
      if (auto it = expected.find(x.file); it != expected.end()) x.expected = it->second;
      here.push_back(std::move(x));
    }
    std::sort(here.begin(), here.end(),
              [](const Example& a, const Example& b) { return a.file < b.file; });
    std::vector<std::string> lines;
    for (const auto& x : here) lines.push_back(json::serialize(x.request));
    auto cli = cli_decisions(e.path(), lines, set);
    for (std::size_t i = 0; i < here.size() && i < cli.size(); ++i) here[i].cli = cli[i];
    for (auto& x : here) all.push_back(std::move(x));
  }
  std::sort(all.begin(), all.end(),
            [](const Example& a, const Example& b) { return a.name() < b.name(); });
  return all;
}

const Example* find_example(const std::vector<Example>& all, const std::string& set,
                            const std::string& prefix) {
  for (const auto& x : all)
    if (x.set == set && x.file.rfind(prefix, 0) == 0) return &x;
  return nullptr;
}

std::string config_json(bool watch, int watch_interval_ms) {
  json::object c;
  c["listen"] = "127.0.0.1:0";
  c["workers"] = 2;
  c["max_body_bytes"] = kMaxBody;
  c["read_timeout_ms"] = kReadTimeoutMs;
  c["watch"] = watch;
  c["watch_interval_ms"] = watch_interval_ms;
  json::array tokens;
  tokens.push_back(json::object{
      {"name", "case-system"}, {"token", kCheckToken}, {"roles", json::array{"check"}}});
  tokens.push_back(
      json::object{{"name", "reviewer"}, {"token", kAuditToken}, {"roles", json::array{"audit"}}});
  tokens.push_back(json::object{
      {"name", "ops"}, {"token", kAdminToken}, {"roles", json::array{"admin", "check", "audit"}}});
  c["tokens"] = std::move(tokens);
  return json::serialize(c);
}

// ── editing the work-items rules ──

const std::string kA7Text = "委员会不予出具\"";
std::string g_rules_original;

// The original rules with the A7 reason text ending in "（第N版）".
std::string rules_version(int n) {
  std::string t = g_rules_original;
  auto at = t.find(kA7Text);
  return t.replace(at, kA7Text.size(), "委员会不予出具（第" + std::to_string(n) + "版）\"");
}
std::string marker(int n) {
  return "（第" + std::to_string(n) + "版）";
}
// Does not compile: `当 事项.类别 = = 证明事项`.
std::string rules_broken() {
  std::string t = g_rules_original;
  const std::string from = "当 事项.类别 = 证明事项 且";
  return t.replace(t.find(from), from.size(), "当 事项.类别 = = 证明事项 且");
}
// Compiles, but A7 permits instead of forbidding: the certificates test table fails.
std::string rules_failing_tests() {
  std::string t = g_rules_original;
  const std::string from = "规则 A7 禁止 下派事项";
  return t.replace(t.find(from), from.size(), "规则 A7 允许 下派事项");
}

template <class Pred>
json::value poll_health(unsigned short port, Pred pred, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  json::value h;
  while (std::chrono::steady_clock::now() < deadline) {
    h = health(port);
    if (pred(h)) return h;
    std::this_thread::sleep_for(100ms);
  }
  return h;
}

// ── load ──

struct Load {
  long long answered = 0, failed = 0;
  std::string first_failure;
  int connects = 0;
  std::vector<std::pair<std::string, std::string>> a7;  // (bundle, A7 text) of each deny answer
  std::vector<json::value> decisions;
  std::string stopped_by;
};

// One client thread: /v1/check with `requests` in turn on one keep-alive connection until `stop`;
// with `until_failure`, until the first request that is not answered 200 (counted as failed only
// without it).
void hammer(unsigned short port, const std::vector<const Example*>& requests,
            const std::atomic<bool>& stop, bool until_failure, Load& out) {
  Client c("127.0.0.1", port, 20s);
  std::vector<std::string> bodies;
  for (const auto* x : requests) bodies.push_back(json::serialize(x->request));
  for (std::size_t i = 0; !stop.load(); ++i) {
    const auto& x = *requests[i % requests.size()];
    auto r = c.request(verb::post, "/v1/check", bodies[i % bodies.size()], kCheckToken);
    auto j = r.json();
    if (r.status != 200 || str(j, "outcome") != x.expected || !integer(j, "audit_id")) {
      if (until_failure) {
        if (r.status == 200) {  // a wrong answer (or one without audit_id) is a failure
          ++out.failed;
          out.first_failure = x.name() + ": " + r.describe();
        }
        out.stopped_by = r.describe(120);  // what ended this client's run
        break;
      }
      ++out.failed;
      if (out.first_failure.empty()) out.first_failure = x.name() + ": " + r.describe();
      continue;
    }
    ++out.answered;
    if (x.expected == "deny") out.a7.emplace_back(str(j, "bundle"), text_of(j, "A7"));
    out.decisions.push_back(std::move(j));
  }
  out.connects = c.connects();
}

// ── the parts of the test ──

void test_startup_failures() {
  fs::path dir = g_work / "startup";
  fs::create_directories(dir);
  auto expect_refused = [&](const std::string& tag, const std::vector<std::string>& args,
                            std::optional<int> want, const std::string& stderr_pattern,
                            const std::string& what) {
    std::vector<std::string> argv{xy_bin, "serve"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto s = start_server(argv, dir / (tag + ".out"), dir / (tag + ".err"), 60s);
    if (s.running()) {
      // Either it printed the line or it stayed up silently: both wrong here.
      auto code = s.stop(SIGTERM, 10s);
      if (!code) s.kill_hard();
      check(false, what + ": the server started anyway (`" + s.first_line + "`)");
      return;
    }
    std::string err = s.stderr_text();
    bool line_ok = s.first_line.find("listening on") == std::string::npos;
    bool code_ok = want ? s.exited == *want : (s.exited && *s.exited != 0);
    bool err_ok = stderr_pattern.empty() || std::regex_search(err, std::regex(stderr_pattern));
    check(line_ok && code_ok && err_ok,
          what + " (exit " + (s.exited ? std::to_string(*s.exited) : "?") + ")" +
              (code_ok ? "" : ": wrong exit code") +
              (line_ok ? "" : ": printed the listening line") +
              (err_ok ? ""
                      : ": stderr does not match /" + stderr_pattern + "/: " + shorten(err, 400)));
  };

  // A policy set that does not compile.
  fs::path broken = dir / "broken";
  copy_policies(broken);
  write_text(broken / "work-items" / "rules.xy", rules_broken());
  expect_refused("broken",
                 {"--policies", broken.string(), "--audit", (dir / "broken.db").string(),
                  "--listen", "127.0.0.1:0"},
                 1, "rules\\.xy:[0-9]+:[0-9]+",
                 "startup: policies that do not compile → exit 1, the diagnostic on stderr");
  // One set whose test tables fail.
  fs::path failing = dir / "failing";
  copy_policies(failing);
  write_text(failing / "work-items" / "rules.xy", rules_failing_tests());
  expect_refused("failing",
                 {"--policies", (failing / "work-items").string(), "--audit",
                  (dir / "failing.db").string(), "--listen", "127.0.0.1:0"},
                 1, ".", "startup: a set whose test tables fail → exit 1, reported on stderr");
  // Bad config files: FILE:LINE:COL.
  struct Bad {
    std::string tag, text, line, what;
  };
  std::vector<Bad> bads = {
      {"bad-syntax", "{\n  \"listen\": \"127.0.0.1:0\",\n  \"workers\": ,\n  \"watch\": false\n}\n",
       "3", "a config that is not JSON"},
      {"bad-type",
       "{\n  \"listen\": \"127.0.0.1:0\",\n  \"watch\": false,\n  \"workers\": \"two\"\n}\n", "4",
       "a config with a value of the wrong type"},
      {"bad-role",
       "{\n  \"listen\": \"127.0.0.1:0\",\n  \"tokens\": [\n    {\"name\": \"x\", \"token\": "
       "\"0123456789abcdef0123\", \"roles\": [\"superuser\"]}\n  ]\n}\n",
       "[34]", "a config with an unknown role"},
  };
  for (const auto& b : bads) {
    fs::path cfg = dir / (b.tag + ".json");
    write_text(cfg, b.text);
    expect_refused(
        b.tag,
        {"--policies", (g_work / "policies").string(), "--audit", (dir / (b.tag + ".db")).string(),
         "--config", cfg.string()},
        2, b.tag + "\\.json:" + b.line + ":[0-9]+:",
        "startup: " + b.what + " → exit 2 with `" + b.tag + ".json:" + b.line + ":COL: …`");
  }
  // No tokens: only on a loopback address.
  expect_refused("open-non-loopback",
                 {"--policies", (g_work / "policies").string(), "--audit",
                  (dir / "open.db").string(), "--listen", "0.0.0.0:0"},
                 std::nullopt, "",
                 "startup: no access control on a non-loopback address (0.0.0.0) is refused");
}

void test_health_initial(const json::value& h) {
  auto* sets = array(h, "sets");
  check(str(h, "status") == "ok", "health: status ok");
  check(sets && sets->size() == 6,
        "health: lists the 6 policy sets (" + std::to_string(sets ? sets->size() : 0) + ")");
  bool all_ok = sets != nullptr;
  std::string bad;
  for (const char* name : {"work-items", "legislation", "villagers-assembly", "charters",
                           "candidate-review", "major-decisions"}) {
    auto* s = set_in(h, name);
    if (!s) {
      all_ok = false;
      bad += std::string(" ") + name + " missing;";
      continue;
    }
    auto* pols = array(*s, "policies");
    if (!is_hex64(str(*s, "bundle")) || !pols || pols->empty() ||
        integer(*s, "rules").value_or(0) <= 0 || integer(*s, "tests").value_or(0) <= 0) {
      all_ok = false;
      bad += std::string(" ") + name + ": " + shorten(json::serialize(*s), 160) + ";";
    }
  }
  check(all_ok,
        "health: each set has its dir, a bundle hash, its policies, rules > 0, tests > 0" + bad);
  auto* cr = set_in(h, "candidate-review");
  check(cr && array(*cr, "policies") && array(*cr, "policies")->size() == 3,
        "health: candidate-review lists its 3 policies");
  auto* lr = member(h, "last_reload");
  check(lr && member(*lr, "ok") && member(*lr, "ok")->is_bool() && member(*lr, "ok")->get_bool() &&
            !str(*lr, "at").empty(),
        "health: last_reload {at, ok: true, …} after the initial load (" +
            (lr ? json::serialize(*lr) : std::string("none")) + ")");
  auto* audit = member(h, "audit");
  check(audit && integer(*audit, "recorded") == 0 && integer(*audit, "queue").has_value(),
        "health: audit {recorded: 0, queue} on a new store");
}

// Every example request through /v1/check or /v1/review.
std::map<std::string, json::value> test_examples(const std::vector<Example>& examples,
                                                 const json::value& h) {
  std::map<std::string, json::value> answers;  // by example name
  long long last_id = 0;
  int sanity_bad = 0;
  std::vector<std::string> not_fetchable;
  for (const auto& x : examples) {
    if (!x.expected.empty() && str(x.cli, "outcome") != x.expected) {
      ++sanity_bad;
      note("the README and the CLI disagree on " + x.name() + ": " + x.expected + " vs " +
           shorten(json::serialize(x.cli), 200));
    }
    std::string expected = x.expected.empty() ? str(x.cli, "outcome") : x.expected;
    std::string endpoint = x.review ? "/v1/review" : "/v1/check";
    auto r = call(verb::post, endpoint, json::serialize(x.request), kCheckToken);
    auto j = r.json();
    std::vector<std::string> problems;
    if (r.status != 200) {
      check(false, endpoint + " " + x.name() + ": " + r.describe());
      continue;
    }
    auto id = integer(j, "audit_id");
    if (!id)
      problems.push_back("no audit_id");
    else if (j.get_object().begin()->key() != "audit_id")
      problems.push_back("audit_id is not the first member");
    else if (*id <= last_id)
      problems.push_back("audit_id " + std::to_string(*id) + " not above " +
                         std::to_string(last_id));
    if (str(j, "outcome") != expected)
      problems.push_back("outcome " + str(j, "outcome") + ", expected " + expected);
    if (auto d = first_diff(without_audit_id(j), x.cli); !d.empty())
      problems.push_back("differs from the CLI's decision at " + d);
    if (str(j, "bundle") != bundle_of(h, x.set))
      problems.push_back("bundle " + str(j, "bundle") + " is not the set's in /v1/health");
    if (r.header("content-type").find("application/json") != 0)
      problems.push_back("content-type " + r.header("content-type"));
    std::string all;
    for (const auto& p : problems) all += "; " + p;
    check(problems.empty(), endpoint + " " + x.name() + " → " + str(j, "outcome") +
                                (id ? " (audit_id " + std::to_string(*id) + ")" : "") + all);
    if (id) {
      last_id = std::max(last_id, *id);
      remember(j);
      // Sent only once recorded: the record is there right away.
      auto rec = call(verb::get, "/v1/decisions/" + std::to_string(*id), {}, kAuditToken);
      if (rec.status != 200 || str(rec.json(), "outcome") != str(j, "outcome"))
        not_fetchable.push_back(std::to_string(*id) + ": " + rec.describe(120));
    }
    answers[x.name()] = j;
  }
  check(sanity_bad == 0, "(sanity) the README tables and the CLI agree on every example's outcome");
  check(not_fetchable.empty(),
        "every decision answered is readable at GET /v1/decisions/{id} right after the answer" +
            (not_fetchable.empty() ? "" : ": " + not_fetchable.front()));
  return answers;
}

json::value decision_in_record(const json::value& rec) {
  auto* d = member(rec, "decision");
  if (!d) return {};
  if (d->is_string()) {
    boost::system::error_code ec;
    auto v = json::parse(d->get_string(), ec);
    return ec ? json::value() : v;
  }
  return *d;
}

void test_records(const std::map<std::string, json::value>& answers, const Example& deny_ex,
                  const Example& review_ex) {
  auto ai = answers.find(deny_ex.name()), ri = answers.find(review_ex.name());
  if (ai == answers.end() || ri == answers.end() || !integer(ai->second, "audit_id") ||
      !integer(ri->second, "audit_id")) {
    check(false, "GET /v1/decisions/{id}: no answers to read the records of");
    return;
  }
  const auto& ans = ai->second;
  long long id = *integer(ans, "audit_id");
  auto r = call(verb::get, "/v1/decisions/" + std::to_string(id), {}, kAuditToken);
  auto rec = r.json();
  std::vector<std::string> problems;
  for (const char* k : {"id", "recorded_at", "as_of", "action", "policy", "outcome", "bundle",
                        "request", "decision", "prev_hash", "hash"})
    if (!member(rec, k)) problems.push_back(std::string("no `") + k + "`");
  if (integer(rec, "id") != id) problems.push_back("id");
  for (const char* k : {"outcome", "action", "as_of", "policy", "bundle"})
    if (str(rec, k) != str(ans, k))
      problems.push_back(std::string(k) + " " + str(rec, k) + " vs " + str(ans, k));
  if (auto d = first_diff(decision_in_record(rec), without_audit_id(ans)); !d.empty())
    problems.push_back("decision differs at " + d);
  if (!is_hex64(str(rec, "hash")) || !is_hex64(str(rec, "prev_hash")))
    problems.push_back("hash/prev_hash not hex");
  std::string all;
  for (const auto& p : problems) all += "; " + p;
  check(r.status == 200 && problems.empty(), "GET /v1/decisions/" + std::to_string(id) +
                                                 ": the record matches the answer (" +
                                                 std::to_string(r.status) + ")" + all);
  // The chain: prev_hash is the previous record's hash.
  if (id > 1) {
    auto prev = call(verb::get, "/v1/decisions/" + std::to_string(id - 1), {}, kAuditToken).json();
    check(str(prev, "hash") == str(rec, "prev_hash") && !str(rec, "prev_hash").empty(),
          "GET /v1/decisions/{id}: prev_hash is record " + std::to_string(id - 1) + "'s hash");
  } else {
    check(str(rec, "prev_hash") == std::string(64, '0'),
          "GET /v1/decisions/1: prev_hash is 64 zeros");
  }
  // A review record: sensitive facts are masked in the stored request.
  const auto& rans = ri->second;
  long long rid = *integer(rans, "audit_id");
  auto rr = call(verb::get, "/v1/decisions/" + std::to_string(rid), {}, kAuditToken);
  auto rrec = rr.json();
  std::string clear_id;
  if (auto* f = member(review_ex.request, "facts"))
    if (auto* c = member(*f, "候选人")) clear_id = str(*c, "身份证号");
  const json::value* masked = nullptr;
  if (auto* req = member(rrec, "request"))
    if (auto* f = member(*req, "facts"))
      if (auto* c = member(*f, "候选人")) masked = member(*c, "身份证号");
  check(rr.status == 200 && str(rrec, "outcome") == str(rans, "outcome") && !clear_id.empty() &&
            rr.body.find(clear_id) == std::string::npos && masked && member(*masked, "masked"),
        "GET /v1/decisions/" + std::to_string(rid) + " (review): outcome " + str(rrec, "outcome") +
            ", the ID number is stored masked, never in clear");

  // The HTML page.
  auto html = call(verb::get, "/v1/decisions/" + std::to_string(id) + ".html", {}, kAuditToken);
  std::string lower = html.body;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const std::regex external(
      R"re(<(script|img|iframe)[^>]*\ssrc\s*=\s*["']?(?!data:)|<link[^>]*\shref\s*=)re");
  check(html.status == 200 && html.header("content-type").find("text/html") == 0 &&
            (lower.find("<html") != std::string::npos ||
             lower.find("<!doctype html") != std::string::npos) &&
            html.body.find(str(ans, "outcome")) != std::string::npos &&
            html.body.find("A7") != std::string::npos,
        "GET /v1/decisions/" + std::to_string(id) + ".html: text/html page with the outcome (" +
            str(ans, "outcome") + ") and the rule A7 (" + std::to_string(html.status) + ", " +
            html.header("content-type") + ")");
  check(!std::regex_search(lower, external),
        "GET /v1/decisions/{id}.html: self-contained (no external scripts, styles, images)");
  auto rhtml = call(verb::get, "/v1/decisions/" + std::to_string(rid) + ".html", {}, kAuditToken);
  check(rhtml.status == 200 && rhtml.body.find(str(rans, "outcome")) != std::string::npos &&
            rhtml.body.find(clear_id) == std::string::npos,
        "GET /v1/decisions/" + std::to_string(rid) + ".html (review): shows " +
            str(rans, "outcome") + ", not the ID number");
}

// GET /v1/decisions?filter=…: the ids are exactly those of the answers that match.
void test_filters(const std::map<std::string, json::value>& answers) {
  struct Case {
    std::string filter;
    std::function<bool(const json::value&)> match;
    std::string rule;  // a rule every listed decision must carry
  };
  std::vector<Case> cases = {
      {"outcome = deny and rule = A7",
       [](const json::value& d) { return str(d, "outcome") == "deny" && has_rule(d, "A7"); }, "A7"},
      {"结论 = 不能 且 规则 = R1_刑事处罚",
       [](const json::value& d) {
         return str(d, "outcome") == "不能" && has_rule(d, "R1_刑事处罚");
       },
       "R1_刑事处罚"},
      {"action = \"联审\" and not outcome in (通过, 不能)",
       [](const json::value& d) {
         auto o = str(d, "outcome");
         return str(d, "action") == "联审" && o != "通过" && o != "不能";
       },
       ""},
      {"outcome = permit or outcome = not_permitted",
       [](const json::value& d) {
         auto o = str(d, "outcome");
         return o == "permit" || o == "not_permitted";
       },
       ""},
  };
  for (const auto& c : cases) {
    std::set<long long> want, got;
    for (const auto& [name, d] : answers)
      if (c.match(d)) want.insert(integer(d, "audit_id").value_or(-1));
    auto r = call(verb::get, "/v1/decisions?filter=" + url_encode(c.filter) + "&limit=1000", {},
                  kAuditToken);
    auto j = r.json();
    bool fields = true;
    if (auto* list = array(j, "decisions")) {
      for (const auto& d : *list) {
        if (auto id = integer(d, "id")) got.insert(*id);
        for (const char* k : {"id", "recorded_at", "as_of", "action", "policy", "outcome", "rules"})
          if (!member(d, k)) fields = false;
        if (!c.rule.empty()) {
          auto* rules = array(d, "rules");
          if (!rules ||
              std::find(rules->begin(), rules->end(), json::value(c.rule)) == rules->end())
            fields = false;
        }
      }
    }
    std::string diff;
    for (auto id : want)
      if (!got.count(id)) diff += " missing " + std::to_string(id);
    for (auto id : got)
      if (!want.count(id)) diff += " extra " + std::to_string(id);
    check(r.status == 200 && want == got && fields && !want.empty(),
          "GET /v1/decisions?filter=" + c.filter + " → exactly the " + std::to_string(want.size()) +
              " matching ids" + (fields ? "" : "; items lack fields or the rule") + diff +
              (r.status == 200 ? "" : ": " + r.describe()));
  }
  // limit
  std::set<long long> r1;
  for (const auto& [name, d] : answers)
    if (str(d, "outcome") == "不能" && has_rule(d, "R1_刑事处罚"))
      r1.insert(integer(d, "audit_id").value_or(-1));
  auto r =
      call(verb::get,
           "/v1/decisions?filter=" + url_encode("结论 = 不能 且 规则 = R1_刑事处罚") + "&limit=2",
           {}, kAuditToken);
  auto rj = r.json();
  auto* list = array(rj, "decisions");
  bool subset = list != nullptr;
  if (list)
    for (const auto& d : *list)
      if (!r1.count(integer(d, "id").value_or(-1))) subset = false;
  check(r.status == 200 && list && list->size() == 2 && subset,
        "GET /v1/decisions?filter=…&limit=2 → 2 of the matching decisions");
  auto all = call(verb::get, "/v1/decisions?limit=1000", {}, kAuditToken);
  auto allj = all.json();
  auto* alll = array(allj, "decisions");
  check(all.status == 200 && alll && alll->size() == answers.size(),
        "GET /v1/decisions (no filter) → all " + std::to_string(answers.size()) + " decisions (" +
            std::to_string(alll ? alll->size() : 0) + ")");
  // Bad filters.
  for (const std::string f :
       {"outcome = = deny", "colour = red", "outcome = deny and (rule = A7"}) {
    auto b = call(verb::get, "/v1/decisions?filter=" + url_encode(f), {}, kAuditToken);
    check_error(b, 400, "GET /v1/decisions?filter=" + f + " → 400 with a message");
  }
}

void test_batch(const std::vector<Example>& examples) {
  std::vector<const Example*> picks;
  for (const char* set : {"work-items", "legislation", "villagers-assembly", "major-decisions"})
    for (const auto& x : examples)
      if (x.set == set && !x.review && !x.expected.empty()) {
        picks.push_back(&x);
        break;
      }
  picks.push_back(find_example(examples, "work-items", "05-"));
  json::array reqs;
  for (const auto* x : picks) reqs.push_back(x->request);
  auto r = call(verb::post, "/v1/check/batch", json::serialize(json::object{{"requests", reqs}}),
                kCheckToken);
  auto j = r.json();
  auto* ds = array(j, "decisions");
  std::vector<std::string> problems;
  long long last = 0;
  if (!ds || ds->size() != picks.size()) {
    problems.push_back("not " + std::to_string(picks.size()) + " decisions");
  } else {
    for (std::size_t i = 0; i < picks.size(); ++i) {
      const auto& d = (*ds)[i];
      auto id = integer(d, "audit_id");
      if (!id || *id <= last)
        problems.push_back("item " + std::to_string(i) + ": audit_id missing or not increasing");
      last = id.value_or(last);
      if (str(d, "outcome") != picks[i]->expected)
        problems.push_back("item " + std::to_string(i) + ": " + str(d, "outcome") + " vs " +
                           picks[i]->expected);
      if (auto diff = first_diff(without_audit_id(d), picks[i]->cli); !diff.empty())
        problems.push_back("item " + std::to_string(i) + " differs from the CLI at " + diff);
      remember(d);
    }
  }
  std::string all;
  for (const auto& p : problems) all += "; " + p;
  check(r.status == 200 && problems.empty(),
        "POST /v1/check/batch with " + std::to_string(picks.size()) +
            " requests → their decisions in order, each with an increasing audit_id" + all +
            (r.status == 200 ? "" : ": " + r.describe()));

  // A bad item: 400 naming it, nothing recorded.
  auto before = health();
  long long recorded = integer(get(before, "audit"), "recorded").value_or(-1);
  json::array bad = {
      picks[0]->request, picks[1]->request,
      json::object{{"action", "不存在的行为"}, {"as_of", "2024-05-01"}, {"facts", json::object{}}},
      json::value("not a request")};
  auto b = call(verb::post, "/v1/check/batch", json::serialize(json::object{{"requests", bad}}),
                kCheckToken);
  auto bj = b.json();
  auto* e = member(bj, "error");
  check(is_error(b, 400) && e && integer(*e, "index") == 2,
        "POST /v1/check/batch with a bad item 2 → 400 with \"index\": 2 (" + b.describe(200) + ")");
  auto after = health();
  check(integer(get(after, "audit"), "recorded").value_or(-2) == recorded,
        "POST /v1/check/batch with a bad item: nothing recorded (health audit.recorded stays " +
            std::to_string(recorded) + ")");
  auto next = call(verb::post, "/v1/check", json::serialize(picks[0]->request), kCheckToken).json();
  remember(next);
  check(integer(next, "audit_id") == last + 1,
        "after the refused batch the next audit_id is " + std::to_string(last + 1) + " (" +
            std::to_string(integer(next, "audit_id").value_or(-1)) + ")");
  // A review request inside a batch.
  const Example* review = find_example(examples, "candidate-review", "02-");
  json::array mixed = {picks[0]->request, review->request};
  auto m = call(verb::post, "/v1/check/batch", json::serialize(json::object{{"requests", mixed}}),
                kCheckToken);
  auto mj = m.json();
  auto* me = member(mj, "error");
  check(is_error(m, 400) && me && integer(*me, "index") == 1,
        "POST /v1/check/batch with a review request as item 1 → 400 with \"index\": 1 (" +
            m.describe(200) + ")");
  check_error(call(verb::post, "/v1/check/batch", "{\"requests\": [", kCheckToken), 400,
              "POST /v1/check/batch with malformed JSON → 400");
  check_error(call(verb::post, "/v1/check/batch", json::serialize(picks[0]->request), kCheckToken),
              400, "POST /v1/check/batch without a `requests` array → 400");
}

void test_request_errors(const std::vector<Example>& examples) {
  const Example& ex = *find_example(examples, "work-items", "01-");
  const Example& review = *find_example(examples, "candidate-review", "02-");
  check_error(call(verb::post, "/v1/check", "{\"action\": \"下派事项\", \"as_of\": ", kCheckToken),
              400, "POST /v1/check malformed JSON → 400");
  check_error(call(verb::post, "/v1/check", "[1, 2]", kCheckToken), 400,
              "POST /v1/check a JSON array → 400");
  check_error(call(verb::post, "/v1/review", "{\"action\": ", kCheckToken), 400,
              "POST /v1/review malformed JSON → 400");
  // Requests the CLI calls bad (exit 2) are 400; whatever the CLI decides is decided the same way.
  auto with = [&](const std::function<void(json::object&)>& edit) {
    json::value v = ex.request;
    edit(v.get_object());
    return v;
  };
  struct Case {
    std::string what;
    json::value request;
  };
  std::vector<Case> cases = {
      {"an unknown action", with([](json::object& o) { o["action"] = "不存在的行为"; })},
      {"an unknown fact", with([](json::object& o) { o["facts"].get_object()["未知事实"] = 5; })},
      {"`facts` not an object", with([](json::object& o) { o["facts"] = json::array{}; })},
      {"a malformed as_of", with([](json::object& o) { o["as_of"] = "2024-13-45"; })},
      {"no action", with([](json::object& o) { o.erase("action"); })},
      {"an unknown policy", with([](json::object& o) { o["policy"] = "不存在的政策"; })},
  };
  // The service is strict where the CLI is lenient: a fact of the wrong type fails the request
  // (the CLI decides it, the fact unknown), naming the fact.
  {
    auto r =
        call(verb::post, "/v1/check",
             json::serialize(with([](json::object& o) { o["facts"].get_object()["接收"] = 5; })),
             kCheckToken);
    check_error(r, 400, "POST /v1/check with a fact of the wrong type (接收: 5) → 400");
    check(r.body.find("接收") != std::string::npos, "… and the error names the fact 接收");
  }
  std::vector<std::string> lines;
  for (const auto& c : cases) lines.push_back(json::serialize(c.request));
  auto cli = cli_decisions(g_work / "policies" / "work-items", lines, "bad-requests");
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    auto r = call(verb::post, "/v1/check", lines[i], kCheckToken);
    bool cli_bad = i >= cli.size() || !member(cli[i], "outcome");
    if (cli_bad) {
      check_error(r, 400, "POST /v1/check with " + c.what + " → 400 (the CLI: bad request)");
    } else {
      auto j = r.json();
      remember(j);
      std::string d = r.status == 200 ? first_diff(without_audit_id(j), cli[i]) : "";
      check(r.status == 200 && d.empty(),
            "POST /v1/check with " + c.what + " → 200 " + str(cli[i], "outcome") +
                ", as the CLI decides it" +
                (r.status == 200 ? (d.empty() ? "" : ": differs at " + d) : ": " + r.describe()));
    }
  }
  auto rc = call(verb::post, "/v1/check", json::serialize(review.request), kCheckToken);
  std::string why;
  bool err = is_error(rc, 400, &why);
  check(err && rc.body.find("/v1/review") != std::string::npos,
        "POST /v1/check with a review request (联审) → 400 pointing to /v1/review" +
            (err ? (rc.body.find("/v1/review") != std::string::npos ? "" : ": " + rc.describe())
                 : ": " + why));
  check_error(call(verb::post, "/v1/review", json::serialize(ex.request), kCheckToken), 400,
              "POST /v1/review with a check request (下派事项) → 400");
  check_error(call(verb::get, "/v1/decisions/abc", {}, kAuditToken), 400,
              "GET /v1/decisions/abc → 400");
  check_error(call(verb::get, "/v1/decisions/999999", {}, kAuditToken), 404,
              "GET /v1/decisions/999999 → 404");
  check_error(call(verb::get, "/v1/decisions/999999.html", {}, kAuditToken), 404,
              "GET /v1/decisions/999999.html → 404");
}

void test_access(const std::vector<Example>& examples) {
  const Example& ex = *find_example(examples, "work-items", "01-");
  const Example& review = *find_example(examples, "candidate-review", "02-");
  std::string body = json::serialize(ex.request);
  auto r = call(verb::post, "/v1/check", body);
  check(is_error(r, 401) && r.header("www-authenticate").rfind("Bearer", 0) == 0,
        "POST /v1/check without a token → 401 with WWW-Authenticate: Bearer (" + r.describe(100) +
            ", WWW-Authenticate: " + r.header("www-authenticate") + ")");
  auto u = call(verb::post, "/v1/check", body, "not-a-token");
  check(is_error(u, 401) && u.header("www-authenticate").rfind("Bearer", 0) == 0,
        "POST /v1/check with an unknown token → 401 (" + u.describe(100) + ")");
  check_error(call(verb::post, "/v1/check", body, {}, {{"Authorization", "Basic " + kCheckToken}}),
              401, "POST /v1/check with `Authorization: Basic …` → 401");
  check_error(call(verb::post, "/v1/check", "{\"action\": ", {}), 401,
              "POST /v1/check without a token and a malformed body → 401 (access before parsing)");
  check_error(call(verb::get, "/v1/decisions/1", {}, {}), 401,
              "GET /v1/decisions/1 without a token → 401");
  check_error(call(verb::get, "/v1/decisions?limit=1", {}, {}), 401,
              "GET /v1/decisions without a token → 401");
  check_error(call(verb::post, "/v1/reload", {}, {}), 401, "POST /v1/reload without a token → 401");
  // Known token, wrong role.
  check_error(call(verb::post, "/v1/check", body, kAuditToken), 403,
              "POST /v1/check as reviewer (audit) → 403");
  check_error(call(verb::post, "/v1/review", json::serialize(review.request), kAuditToken), 403,
              "POST /v1/review as reviewer (audit) → 403");
  check_error(call(verb::post, "/v1/check/batch", "{\"requests\": [" + body + "]}", kAuditToken),
              403, "POST /v1/check/batch as reviewer (audit) → 403");
  check_error(call(verb::get, "/v1/decisions/1", {}, kCheckToken), 403,
              "GET /v1/decisions/1 as case-system (check) → 403");
  check_error(call(verb::get, "/v1/decisions/1.html", {}, kCheckToken), 403,
              "GET /v1/decisions/1.html as case-system (check) → 403");
  check_error(call(verb::get, "/v1/decisions?limit=1", {}, kCheckToken), 403,
              "GET /v1/decisions as case-system (check) → 403");
  check_error(call(verb::post, "/v1/reload", {}, kCheckToken), 403,
              "POST /v1/reload as case-system (check) → 403");
  check_error(call(verb::post, "/v1/reload", {}, kAuditToken), 403,
              "POST /v1/reload as reviewer (audit) → 403");
  // Health and metrics need no token.
  check(call(verb::get, "/v1/health").status == 200, "GET /v1/health without a token → 200");
  check(call(verb::get, "/metrics").status == 200, "GET /metrics without a token → 200");
  // The ops token has every role.
  auto o = call(verb::post, "/v1/check", body, kAdminToken);
  remember(o.json());
  check(o.status == 200 && call(verb::get, "/v1/decisions/1", {}, kAdminToken).status == 200,
        "ops (admin, check, audit) may check and read records");
  // Unknown paths and methods.
  check_error(call(verb::get, "/v1/nothing-here", {}, kAdminToken), 404,
              "GET /v1/nothing-here → 404");
  check_error(call(verb::get, "/", {}, kAdminToken), 404, "GET / → 404");
  check_error(call(verb::post, "/v2/check", body, kAdminToken), 404, "POST /v2/check → 404");
  struct M {
    verb v;
    std::string target, what;
  };
  std::string no_allow;
  for (const auto& m : std::vector<M>{{verb::get, "/v1/check", "GET /v1/check"},
                                      {verb::get, "/v1/check/batch", "GET /v1/check/batch"},
                                      {verb::get, "/v1/review", "GET /v1/review"},
                                      {verb::post, "/v1/health", "POST /v1/health"},
                                      {verb::delete_, "/v1/decisions/1", "DELETE /v1/decisions/1"},
                                      {verb::post, "/v1/decisions", "POST /v1/decisions"},
                                      {verb::get, "/v1/reload", "GET /v1/reload"},
                                      {verb::put, "/metrics", "PUT /metrics"}}) {
    auto res =
        call(m.v, m.target, m.v == verb::get || m.v == verb::delete_ ? "" : "{}", kAdminToken);
    check_error(res, 405, m.what + " → 405");
    if (res.status == 405 && res.header("allow").empty()) no_allow += " " + m.what;
  }
  check(no_allow.empty(), "405 answers name the allowed methods in `Allow` (docs/serve.md)" +
                              (no_allow.empty() ? "" : ": none on" + no_allow));
}

void test_limits(const std::vector<Example>& examples) {
  const Example& ex = *find_example(examples, "work-items", "01-");
  std::string body = json::serialize(ex.request);
  std::string big = body + std::string(kMaxBody + 4096 - body.size(), ' ');
  check_error(call(verb::post, "/v1/check", big, kCheckToken), 413,
              "POST /v1/check with a body of " + std::to_string(big.size()) +
                  " bytes (max_body_bytes " + std::to_string(kMaxBody) + ") → 413");
  std::string under = body + std::string(kMaxBody - 1024 - body.size(), ' ');
  auto u = call(verb::post, "/v1/check", under, kCheckToken);
  remember(u.json());
  check(u.status == 200 && str(u.json(), "outcome") == ex.expected,
        "POST /v1/check with a body just under max_body_bytes → 200 (" + u.describe(80) + ")");
  check_error(call(verb::post, "/v1/check/batch", "{\"requests\": [" + big + "]}", kCheckToken),
              413, "POST /v1/check/batch over max_body_bytes → 413");

  // Keep-alive: several requests on one connection, errors included.
  Client c("127.0.0.1", g_port);
  struct Step {
    verb v;
    std::string target, body, token;
    int status;
  };
  std::vector<Step> steps = {
      {verb::get, "/v1/health", "", "", 200},
      {verb::post, "/v1/check", body, kCheckToken, 200},
      {verb::post, "/v1/check", "{\"action\": ", kCheckToken, 400},
      {verb::get, "/metrics", "", "", 200},
      {verb::get, "/v1/nothing-here", "", kAdminToken, 404},
      {verb::post, "/v1/check", body, "", 401},
      {verb::post, "/v1/check", body, kCheckToken, 200},
  };
  bool all = true;
  std::string why;
  for (const auto& st : steps) {
    auto r = c.request(st.v, st.target, st.body, st.token);
    if (r.status) {
      std::lock_guard lock(g_status_mu);
      g_statuses[r.status]++;
    }
    if (r.status == 200 && st.target == "/v1/check") remember(r.json());
    if (r.status != st.status || r.version != 11 || !r.keep_alive) {
      all = false;
      why = st.target + " " + r.describe(100);
    }
  }
  check(all && c.connects() == 1,
        "HTTP/1.1 keep-alive: 7 requests (200, 400, 404, 401 among them) answered on one "
        "connection (" +
            std::to_string(c.connects()) + " connections)" + (all ? "" : ": " + why));
  Client once("127.0.0.1", g_port);
  std::string answer;
  bool sent_close =
      once.send_raw("GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  auto closed_after = sent_close ? once.wait_closed(3s, &answer) : std::nullopt;
  check(closed_after && answer.rfind("HTTP/1.1 200", 0) == 0,
        "`Connection: close` is honoured: answered, then the server closes");

  // Stalled clients are disconnected; others are served meanwhile.
  std::vector<std::unique_ptr<Client>> stalled;
  std::vector<std::string> partial = {
      "POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kCheckToken +
          "\r\nContent-Le",
      "POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kCheckToken +
          "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"action\": \"下派",
      "GET /v1/heal",
  };
  auto t0 = std::chrono::steady_clock::now();
  bool sent = true;
  for (const auto& p : partial) {
    stalled.push_back(std::make_unique<Client>("127.0.0.1", g_port));
    sent = stalled.back()->send_raw(p) && sent;
  }
  check(sent, "3 clients send part of a request and stall (more than the 2 workers)");
  std::this_thread::sleep_for(100ms);
  Client other("127.0.0.1", g_port);
  int served = 0;
  std::chrono::milliseconds slowest{0};
  for (int i = 0; i < 10; ++i) {
    auto s = std::chrono::steady_clock::now();
    auto r = i % 2 ? other.request(verb::post, "/v1/check", body, kCheckToken)
                   : other.request(verb::get, "/v1/health");
    if (i % 2) remember(r.json());
    auto took =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - s);
    slowest = std::max(slowest, took);
    if (r.status == 200) ++served;
  }
  auto meanwhile =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  check(served == 10 && meanwhile.count() < kReadTimeoutMs,
        "another client is served while they stall (10/10 answered within " +
            std::to_string(meanwhile.count()) + " ms, slowest " + std::to_string(slowest.count()) +
            " ms; " + std::to_string(served) + " answered)");
  for (std::size_t i = 0; i < stalled.size(); ++i) {
    std::string got;
    auto left = std::chrono::milliseconds(kReadTimeoutMs + 8000) -
                std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - t0);
    auto closed = stalled[i]->wait_closed(left, &got);
    auto at = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - t0);
    std::string first = got.substr(0, got.find('\r'));
    check(closed && at.count() >= kReadTimeoutMs / 2,
          "stalled client " + std::to_string(i + 1) + " is disconnected after read_timeout_ms (" +
              std::to_string(kReadTimeoutMs) + "): closed at " + std::to_string(at.count()) +
              " ms" + (first.empty() ? "" : ", after `" + first + "`") +
              (closed ? "" : " — still open"));
  }
  auto h = call(verb::get, "/v1/health");
  check(h.status == 200, "the server still answers after the stalled clients");
}

void test_metrics(const std::vector<Sample>& m0, const std::vector<Sample>& m1,
                  std::size_t decisions, std::size_t denies, const std::string& content_type) {
  check(content_type.find("text/plain") == 0 &&
            content_type.find("version=0.0.4") != std::string::npos,
        "GET /metrics: Content-Type text/plain; version=0.0.4 (" + content_type + ")");
  bool names = true;
  std::string missing;
  for (const char* n :
       {"xy_requests_total", "xy_decisions_total", "xy_request_duration_seconds_bucket",
        "xy_request_duration_seconds_sum", "xy_request_duration_seconds_count", "xy_reloads_total",
        "xy_audit_queue", "xy_audit_recorded_total"})
    if (!has_metric(m1, n)) {
      names = false;
      missing += std::string(" ") + n;
    }
  check(names, "GET /metrics: every metric of the spec is there" + missing);
  double dd = metric(m1, "xy_decisions_total") - metric(m0, "xy_decisions_total");
  check(dd == static_cast<double>(decisions), "xy_decisions_total grew by the " +
                                                  std::to_string(decisions) + " decisions made (" +
                                                  std::to_string(dd) + ")");
  double ddeny = metric(m1, "xy_decisions_total", {{"outcome", "deny"}}) -
                 metric(m0, "xy_decisions_total", {{"outcome", "deny"}});
  check(ddeny == static_cast<double>(denies), "xy_decisions_total{outcome=\"deny\"} grew by the " +
                                                  std::to_string(denies) + " denials (" +
                                                  std::to_string(ddeny) + ")");
  double checks = metric(m1, "xy_requests_total", {{"endpoint", "check"}, {"status", "200"}}) -
                  metric(m0, "xy_requests_total", {{"endpoint", "check"}, {"status", "200"}});
  check(checks >= 60,
        "xy_requests_total{endpoint=\"…check\",status=\"200\"} grew with the checks (" +
            std::to_string(checks) + ")");
  double count = metric(m1, "xy_request_duration_seconds_count") -
                 metric(m0, "xy_request_duration_seconds_count");
  double inf = metric(m1, "xy_request_duration_seconds_bucket", {{"le", "+Inf"}});
  check(count >= checks && inf == metric(m1, "xy_request_duration_seconds_count") &&
            metric(m1, "xy_request_duration_seconds_sum") >
                metric(m0, "xy_request_duration_seconds_sum"),
        "xy_request_duration_seconds: _count grew (" + std::to_string(count) +
            "), _sum grew, le=\"+Inf\" = _count");
  // Buckets are cumulative.
  std::vector<std::pair<double, double>> buckets;
  for (const auto& s : m1)
    if (s.name == "xy_request_duration_seconds_bucket" && s.labels.count("le") &&
        s.labels.at("le") != "+Inf")
      buckets.emplace_back(std::stod(s.labels.at("le")), s.value);
  std::sort(buckets.begin(), buckets.end());
  bool cumulative = !buckets.empty();
  for (std::size_t i = 1; i < buckets.size(); ++i)
    if (buckets[i].second < buckets[i - 1].second) cumulative = false;
  check(cumulative, "xy_request_duration_seconds_bucket counts are cumulative");
  check(metric(m1, "xy_audit_recorded_total") >= static_cast<double>(ledger_size()),
        "xy_audit_recorded_total ≥ the decisions answered (" +
            std::to_string(metric(m1, "xy_audit_recorded_total")) + " ≥ " +
            std::to_string(ledger_size()) + ")");
}

// Each 4xx status the test received, counted by the server between two scrapes.
void test_status_metrics(const std::vector<Sample>& before, const std::vector<Sample>& after,
                         const std::map<int, int>& sent_before,
                         const std::map<int, int>& sent_after) {
  for (int status : {400, 401, 403, 404, 405, 413}) {
    int sent = (sent_after.count(status) ? sent_after.at(status) : 0) -
               (sent_before.count(status) ? sent_before.at(status) : 0);
    double counted = metric(after, "xy_requests_total", {{"status", std::to_string(status)}}) -
                     metric(before, "xy_requests_total", {{"status", std::to_string(status)}});
    check(sent > 0 && counted == sent,
          "xy_requests_total{status=\"" + std::to_string(status) + "\"} grew by the " +
              std::to_string(sent) + " answers with that status (" + std::to_string(counted) + ")");
  }
}

json::value check_example(const Example& ex, unsigned short port = 0) {
  auto r = call(verb::post, "/v1/check", json::serialize(ex.request), kCheckToken, {}, port);
  auto j = r.json();
  if (port == 0 || port == g_port) remember(j);
  return j;
}

void test_reloads(ServerProcess& server, const Example& ex01, const fs::path& rules) {
  auto h0 = health();
  std::string b0 = bundle_of(h0, "work-items"), l0 = last_reload(h0);
  auto m0 = scrape();

  // SIGHUP with a policy that does not compile.
  write_text(rules, rules_broken());
  kill(server.pid, SIGHUP);
  auto h1 = poll_health(
      0, [&](const json::value& h) { return last_reload(h) != l0; }, 15s);
  auto* lr = member(h1, "last_reload");
  check(lr && flag(*lr, "ok", false) && !str(*lr, "error").empty() && !str(*lr, "trigger").empty(),
        "SIGHUP with a broken policy: health last_reload {ok: false, error, trigger} (" +
            shorten(lr ? json::serialize(*lr) : "unchanged", 300) + ")");
  check(bundle_of(h1, "work-items") == b0, "SIGHUP with a broken policy: the bundle is unchanged");
  auto d1 = check_example(ex01);
  check(str(d1, "outcome") == "deny" && str(d1, "bundle") == b0,
        "SIGHUP with a broken policy: the old bundle keeps serving (deny, " +
            shorten(str(d1, "bundle"), 12) + ")");

  // POST /v1/reload with the same broken policy.
  auto r2 = call(verb::post, "/v1/reload", {}, kAdminToken);
  auto j2 = r2.json();
  check(r2.status == 422 && flag(j2, "ok", false) &&
            str(j2, "error").find("rules.xy") != std::string::npos,
        "POST /v1/reload with a broken policy → 422 {ok: false, error naming rules.xy} (" +
            r2.describe(200) + ")");
  auto d2 = check_example(ex01);
  check(str(d2, "outcome") == "deny" && str(d2, "bundle") == b0 &&
            bundle_of(health(), "work-items") == b0,
        "POST /v1/reload with a broken policy: the old bundle keeps serving");

  // A policy that compiles but fails its test table.
  write_text(rules, rules_failing_tests());
  auto r3 = call(verb::post, "/v1/reload", {}, kAdminToken);
  auto j3 = r3.json();
  check(r3.status == 422 && flag(j3, "ok", false) && !str(j3, "error").empty(),
        "POST /v1/reload with a policy that fails its test table → 422 {ok: false, error} (" +
            r3.describe(200) + ")");
  auto h3 = health();
  auto* lr3 = member(h3, "last_reload");
  auto d3 = check_example(ex01);
  check(bundle_of(h3, "work-items") == b0 && str(d3, "outcome") == "deny" && has_rule(d3, "A7") &&
            str(d3, "bundle") == b0 && lr3 && flag(*lr3, "ok", false) &&
            !str(*lr3, "error").empty(),
        "after the refused reload: the old bundle serves (deny by A7) and health shows the error");

  // Back to the original: reload succeeds.
  write_text(rules, g_rules_original);
  auto r4 = call(verb::post, "/v1/reload", {}, kAdminToken);
  auto h4 = health();
  auto* lr4 = member(h4, "last_reload");
  check(r4.status == 200 && flag(r4.json(), "ok", true) && lr4 && flag(*lr4, "ok", true) &&
            str(*lr4, "error").empty(),
        "POST /v1/reload with the policies restored → 200 {ok: true}; health last_reload ok (" +
            r4.describe(200) + ")");

  // A good edit: the new bundle is swapped in.
  write_text(rules, rules_version(2));
  auto r5 = call(verb::post, "/v1/reload", {}, kAdminToken);
  auto h5 = health();
  std::string b5 = bundle_of(h5, "work-items");
  auto d5 = check_example(ex01);
  check(r5.status == 200 && is_hex64(b5) && b5 != b0,
        "POST /v1/reload with a good edit → 200 and a new bundle hash (" + shorten(b0, 12) + " → " +
            shorten(b5, 12) + ")");
  check(str(d5, "bundle") == b5 && text_of(d5, "A7").find(marker(2)) != std::string::npos,
        "after the good reload decisions come from the new bundle (the edited reason text)");
  auto m1 = scrape();
  double failed = metric(m1, "xy_reloads_total", {{"result", "failed"}}) -
                  metric(m0, "xy_reloads_total", {{"result", "failed"}});
  double ok = metric(m1, "xy_reloads_total", {{"result", "ok"}}) -
              metric(m0, "xy_reloads_total", {{"result", "ok"}});
  check(failed == 3 && ok == 2, "xy_reloads_total: failed +3, ok +2 (" + std::to_string(failed) +
                                    ", " + std::to_string(ok) + ")");
}

void test_reload_under_load(const std::vector<const Example*>& mix, const fs::path& rules) {
  std::atomic<bool> stop{false};
  std::vector<Load> loads(4);
  std::vector<std::thread> threads;
  for (auto& l : loads)
    threads.emplace_back([&, lp = &l] { hammer(g_port, mix, stop, false, *lp); });
  std::map<std::string, std::string> marker_of;  // bundle → the marker its A7 text carries
  marker_of[bundle_of(health(), "work-items")] = marker(2);
  int reloads_ok = 0;
  std::set<std::string> bundles;
  std::string why;
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(300ms);
    write_text(rules, rules_version(3 + i));
    auto r = call(verb::post, "/v1/reload", {}, kAdminToken);
    std::string b = bundle_of(health(), "work-items");
    if (r.status == 200 && !bundles.count(b))
      ++reloads_ok;
    else
      why = r.describe(200);
    bundles.insert(b);
    marker_of[b] = marker(3 + i);
  }
  std::this_thread::sleep_for(300ms);
  stop = true;
  for (auto& t : threads) t.join();
  long long answered = 0, failed = 0;
  std::string first;
  int connects = 0;
  std::set<std::string> seen;
  long long torn = 0;
  std::string torn_example;
  for (auto& l : loads) {
    answered += l.answered;
    failed += l.failed;
    if (first.empty()) first = l.first_failure;
    connects += l.connects;
    for (const auto& [b, text] : l.a7) {
      seen.insert(b);
      auto it = marker_of.find(b);
      if (it == marker_of.end() || text.find(it->second) == std::string::npos) {
        ++torn;
        torn_example = shorten(b, 12) + ": " + text;
      }
    }
    for (const auto& d : l.decisions) remember(d);
  }
  check(reloads_ok == 5,
        "5 reloads under load (4 keep-alive clients on /v1/check) → each 200 with a new bundle" +
            (why.empty() ? "" : ": " + why));
  check(failed == 0 && answered >= 100,
        "reload under load: zero failed requests (" + std::to_string(answered) + " answered, " +
            std::to_string(failed) + " failed" + (first.empty() ? "" : "; first: " + first) + ")");
  check(connects == 4, "reload under load: each client kept its one keep-alive connection (" +
                           std::to_string(connects) + " connections for 4 clients)");
  check(torn == 0 && seen.size() >= 2,
        "reload under load: every answer is wholly from one bundle (" +
            std::to_string(seen.size()) + " bundles seen, " + std::to_string(torn) + " mismatched" +
            (torn ? "; e.g. " + torn_example : "") + ")");
}

void test_sigterm_under_load(ServerProcess& server, const std::vector<const Example*>& mix) {
  std::atomic<bool> stop{false};
  std::vector<Load> loads(4);
  std::vector<std::thread> threads;
  for (auto& l : loads)
    threads.emplace_back([&, lp = &l] { hammer(g_port, mix, stop, true, *lp); });
  std::this_thread::sleep_for(1000ms);
  auto code = server.stop(SIGTERM, 60s);
  stop = true;
  for (auto& t : threads) t.join();
  if (!code) server.kill_hard();
  long long answered = 0, wrong = 0;
  for (auto& l : loads) {
    answered += l.answered;
    wrong += l.failed;
    for (const auto& d : l.decisions) remember(d);
  }
  for (const auto& l : loads)
    if (!l.stopped_by.empty()) note("a client's run ended with: " + l.stopped_by);
  check(code && *code == 0, "SIGTERM under load: the server exits 0 (" +
                                (code ? std::to_string(*code) : "still running") + ")");
  check(answered > 0 && wrong == 0, "SIGTERM under load: " + std::to_string(answered) +
                                        " decisions answered, none wrong (" +
                                        std::to_string(wrong) + ")");
  std::string out = server.stdout_text();
  check(std::count(out.begin(), out.end(), '\n') == 1 &&
            out.rfind("listening on http://127.0.0.1:", 0) == 0,
        "stdout held only the `listening on` line (" + shorten(out, 200) + ")");
  std::string log = server.stderr_text();
  check(!log.empty(), "the server logged to stderr");
  bool secret = false;
  for (const auto& t : {kCheckToken, kAuditToken, kAdminToken, std::string("110101198003150000")})
    if (log.find(t) != std::string::npos) secret = true;
  check(!secret, "the log holds no token and no sensitive fact");
}

void test_store(const fs::path& db) {
  fs::path dir = db.parent_path();
  int v =
      run_command({xy_bin, "audit", "verify", db.string()}, dir / "verify.out", dir / "verify.err");
  check(v == 0, "xy audit verify DB exits 0 after the server stopped (" + std::to_string(v) + ": " +
                    shorten(read_text(dir / "verify.out") + read_text(dir / "verify.err"), 300) +
                    ")");
  int e = run_command({xy_bin, "audit", "export", db.string(), "--format", "jsonl"},
                      dir / "export.out", dir / "export.err");
  std::map<long long, std::pair<std::string, std::string>> stored;
  std::istringstream in(read_text(dir / "export.out"));
  for (std::string l; std::getline(in, l);) {
    boost::system::error_code ec;
    auto j = json::parse(l, ec);
    if (!ec) stored[integer(j, "id").value_or(-1)] = {str(j, "outcome"), str(j, "action")};
  }
  std::size_t missing = 0;
  std::string example;
  std::lock_guard lock(g_ledger_mu);
  std::set<long long> ids;
  for (const auto& a : g_ledger) {
    ids.insert(a.id);
    auto it = stored.find(a.id);
    if (it == stored.end() || it->second.first != a.outcome || it->second.second != a.action) {
      ++missing;
      if (example.empty()) example = " e.g. #" + std::to_string(a.id) + " " + a.outcome;
    }
  }
  check(e == 0 && missing == 0 && !g_ledger.empty(),
        "every audit_id a client received is in the store with its outcome and action (" +
            std::to_string(g_ledger.size() - missing) + "/" + std::to_string(g_ledger.size()) +
            ")" + example);
  check(ids.size() == g_ledger.size(), "no audit_id was given twice (" +
                                           std::to_string(ids.size()) + " distinct of " +
                                           std::to_string(g_ledger.size()) + ")");
  check(stored.empty() || stored.rbegin()->first == static_cast<long long>(stored.size()),
        "the store holds records 1…" + std::to_string(stored.size()) + " without gaps");
  // A decision is recorded only once its request was read and decided: it was in flight, so it
  // must have been answered (SIGTERM finishes the requests in flight).
  std::string unanswered;
  std::size_t n_unanswered = 0;
  for (const auto& [id, rec] : stored)
    if (!ids.count(id)) {
      if (++n_unanswered <= 5) unanswered += " #" + std::to_string(id) + " (" + rec.first + ")";
    }
  check(n_unanswered == 0, "every decision in the store was answered to its client (" +
                               std::to_string(n_unanswered) + " recorded but never answered" +
                               (unanswered.empty() ? "" : ":" + unanswered) + ")");
  if (!g_ledger.empty()) {
    const auto& last =
        *std::max_element(g_ledger.begin(), g_ledger.end(),
                          [](const Answer& a, const Answer& b) { return a.id < b.id; });
    int s = run_command(
        {xy_bin, "audit", "show", db.string(), std::to_string(last.id), "--format", "json"},
        dir / "show.out", dir / "show.err");
    check(s == 0 && str(json::parse(read_text(dir / "show.out")), "outcome") == last.outcome,
          "xy audit show DB " + std::to_string(last.id) + " finds the last decision answered");
  }
}

// SIGTERM while a large batch is being decided and recorded: the batch is answered. A round whose
// SIGTERM came before the server had read the request proves nothing either way.
void test_sigterm_in_flight(const Example& ex01) {
  fs::path dir = g_work / "inflight";
  copy_policies(dir / "policies");
  json::array reqs;
  constexpr int kItems = 2500;
  for (int i = 0; i < kItems; ++i) reqs.push_back(ex01.request);
  std::string body = json::serialize(json::object{{"requests", reqs}});
  std::string raw =
      "POST /v1/check/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
      "application/json\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  int answered = 0, lost = 0, early = 0, bad_exit = 0;
  static const std::regex intact(R"(intact: ([0-9]+) record)");
  for (int delay : {5, 15, 25, 35, 50}) {
    std::string tag = "round-" + std::to_string(delay) + "ms";
    fs::path db = dir / (tag + ".db");
    auto s =
        start_server({xy_bin, "serve", "--policies", (dir / "policies" / "work-items").string(),
                      "--audit", db.string(), "--listen", "127.0.0.1:0"},
                     dir / (tag + ".out"), dir / (tag + ".err"));
    if (!s.running() || s.port == 0) {
      check(false, "in-flight SIGTERM: the server starts (" + tag + ")");
      s.kill_hard();
      continue;
    }
    Client c("127.0.0.1", s.port, 30s);
    bool sent = c.send_raw(raw);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    kill(s.pid, SIGTERM);
    auto r = sent ? c.read_response() : Response{};
    auto code = wait_exit(s.pid, 30s);
    if (!code) {
      kill(s.pid, SIGKILL);
      wait_exit(s.pid, 10s);
    }
    s.exited = code ? code : std::optional(-1);
    if (!code || *code != 0) ++bad_exit;
    run_command({xy_bin, "audit", "verify", db.string()}, dir / (tag + ".verify"),
                dir / (tag + ".verify.err"));
    std::string v = read_text(dir / (tag + ".verify"));
    std::smatch m;
    long long records = std::regex_search(v, m, intact) ? std::stoll(m[1]) : 0;
    auto rj = r.json();
    auto* ds = array(rj, "decisions");
    if (r.status == 200 && ds && ds->size() == static_cast<std::size_t>(kItems)) {
      ++answered;
    } else if (records > 0) {
      ++lost;
      note(tag + ": " + std::to_string(records) + " decisions recorded, but the client got " +
           r.describe(120));
    } else {
      ++early;
      note(tag + ": SIGTERM before the batch was read (nothing recorded; " + r.describe(80) + ")");
    }
  }
  check(lost == 0 && answered > 0, "SIGTERM while a batch of " + std::to_string(kItems) +
                                       " is in flight: it is answered (answered " +
                                       std::to_string(answered) + ", recorded but not answered " +
                                       std::to_string(lost) + ", not yet read " +
                                       std::to_string(early) + ", of 5 rounds)");
  check(bad_exit == 0, "in-flight SIGTERM: each server exits 0");
}

void test_watcher(const Example& ex01) {
  fs::path dir = g_work / "watch";
  copy_policies(dir / "policies");
  fs::path cfg = dir / "config.json";
  write_text(cfg, config_json(true, 200));
  auto s = start_server({xy_bin, "serve", "--policies", (dir / "policies").string(), "--audit",
                         (dir / "audit.db").string(), "--config", cfg.string(), "--lang", "en"},
                        dir / "server.out", dir / "server.err");
  if (!check(s.running() && s.port != 0, "watch server: started (`" + s.first_line + "`)")) {
    note("stderr: " + shorten(s.stderr_text(), 600));
    s.kill_hard();
    return;
  }
  auto h0 = health(s.port);
  std::string b0 = bundle_of(h0, "work-items");
  fs::path rules = dir / "policies" / "work-items" / "rules.xy";
  std::this_thread::sleep_for(300ms);
  write_text(rules, rules_version(9));
  auto t0 = std::chrono::steady_clock::now();
  auto h1 = poll_health(
      s.port, [&](const json::value& h) { return bundle_of(h, "work-items") != b0; }, 20s);
  auto took =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  std::string b1 = bundle_of(h1, "work-items");
  auto* lr = member(h1, "last_reload");
  check(b1 != b0 && is_hex64(b1) && lr && flag(*lr, "ok", true),
        "file watcher: a good edit is picked up, health's bundle hash changes (after " +
            std::to_string(took.count()) + " ms; last_reload " +
            shorten(lr ? json::serialize(*lr) : "-", 200) + ")");
  auto d1 = check_example(ex01, s.port);
  check(str(d1, "bundle") == b1 && text_of(d1, "A7").find(marker(9)) != std::string::npos,
        "file watcher: decisions come from the edited policy");
  write_text(rules, rules_broken());
  auto h2 = poll_health(
      s.port,
      [&](const json::value& h) {
        auto* l = member(h, "last_reload");
        return l && flag(*l, "ok", false);
      },
      20s);
  auto* lr2 = member(h2, "last_reload");
  check(lr2 && flag(*lr2, "ok", false) && !str(*lr2, "error").empty() &&
            bundle_of(h2, "work-items") == b1,
        "file watcher: a broken edit is refused, health shows the error, the bundle stays (" +
            shorten(lr2 ? json::serialize(*lr2) : "-", 200) + ")");
  auto d2 = check_example(ex01, s.port);
  check(str(d2, "outcome") == "deny" && text_of(d2, "A7").find(marker(9)) != std::string::npos,
        "file watcher: the last good bundle keeps serving");
  auto code = s.stop(SIGINT);
  if (!code) s.kill_hard();
  check(code && *code == 0, "watch server: SIGINT → exit 0");
  int v = run_command({xy_bin, "audit", "verify", (dir / "audit.db").string()}, dir / "verify.out",
                      dir / "verify.err");
  check(v == 0, "watch server: its store verifies");
}

void test_open_single_set(const Example& ex01, const Example& review) {
  fs::path dir = g_work / "single";
  copy_policies(dir / "policies");
  auto s = start_server(
      {xy_bin, "serve", "--policies", (dir / "policies" / "work-items").string(), "--audit",
       (dir / "audit.db").string(), "--listen", "127.0.0.1:0", "--lang", "zh"},
      dir / "server.out", dir / "server.err");
  if (!check(s.running() && s.port != 0,
             "no config, one set, --listen 127.0.0.1:0: started (`" + s.first_line + "`)")) {
    note("stderr: " + shorten(s.stderr_text(), 600));
    s.kill_hard();
    return;
  }
  auto h = health(s.port);
  check(array(h, "sets") && array(h, "sets")->size() == 1, "one policy set: health lists 1 set");
  auto r = call(verb::post, "/v1/check", json::serialize(ex01.request), {}, {}, s.port);
  auto j = r.json();
  check(r.status == 200 && str(j, "outcome") == "deny" && integer(j, "audit_id") == 1,
        "no config: access control is off, POST /v1/check without a token → 200 (" +
            r.describe(100) + ")");
  auto g = call(verb::get, "/v1/decisions/1", {}, {}, {}, s.port);
  check(g.status == 200, "no config: GET /v1/decisions/1 without a token → 200");
  auto rl = call(verb::post, "/v1/reload", {}, {}, {}, s.port);
  check(rl.status == 200,
        "no config: POST /v1/reload without a token → 200 (" + rl.describe(100) + ")");
  auto x = call(verb::post, "/v1/review", json::serialize(review.request), {}, {}, s.port);
  check_error(x, 400, "one set without review policies: POST /v1/review 联审 → 400");
  auto code = s.stop(SIGTERM);
  if (!code) s.kill_hard();
  check(code && *code == 0, "no config: SIGTERM → exit 0");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: serve_test XY SOURCE_DIR WORK_DIR\n";
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  std::atexit(kill_live_children);
  xy_bin = fs::absolute(argv[1]).string();
  g_src = fs::absolute(argv[2]);
  g_work = fs::absolute(argv[3]);
  fs::remove_all(g_work);
  fs::create_directories(g_work);
  copy_policies(g_work / "policies");
  fs::path rules = g_work / "policies" / "work-items" / "rules.xy";
  g_rules_original = read_text(rules);

  auto examples = load_examples();
  std::size_t reviews =
      std::count_if(examples.begin(), examples.end(), [](const Example& x) { return x.review; });
  bool cli_ok = std::all_of(examples.begin(), examples.end(),
                            [](const Example& x) { return member(x.cli, "outcome") != nullptr; });
  check(examples.size() >= 90 && reviews >= 20 && cli_ok,
        "(setup) " + std::to_string(examples.size()) + " example requests, " +
            std::to_string(reviews) + " of the review kind, each decided by the CLI");
  const Example* ex01 = find_example(examples, "work-items", "01-");
  const Example* ex03 = find_example(examples, "work-items", "03-");
  const Example* review02 = find_example(examples, "candidate-review", "02-");
  if (!ex01 || !ex03 || !review02 || ex01->expected != "deny" || ex03->expected != "permit") {
    std::cout << "the example requests this test relies on are missing\n";
    return 1;
  }

  test_startup_failures();

  // The main server: the six sets, three tokens, no file watcher (reloads are triggered by hand).
  fs::path cfg = g_work / "config.json", db = g_work / "audit.db";
  write_text(cfg, config_json(false, 1000));
  auto server = start_server(
      {xy_bin, "serve", "--policies", (g_work / "policies").string(), "--audit", db.string(),
       "--config", cfg.string(), "--laws", (g_work / "policies" / "laws").string(), "--lang", "en"},
      g_work / "server.out", g_work / "server.err");
  static const std::regex line(R"(listening on http://127\.0\.0\.1:[0-9]+)");
  if (!check(
          server.running() && server.port != 0 && std::regex_match(server.first_line, line),
          "xy serve prints `listening on http://127.0.0.1:PORT` (`" + server.first_line + "`)")) {
    note("exit: " + (server.exited ? std::to_string(*server.exited) : std::string("running")));
    note("stderr: " + shorten(server.stderr_text(), 1500));
    server.kill_hard();
    std::cout << g_passed << " passed, " << g_failed << " failed\n";
    return 1;
  }
  g_port = server.port;

  // Each phase runs only while the server is up; a crash is reported once, with its stderr.
  bool up = true;
  auto survived = [&](const std::string& phase) {
    if (!up) return false;
    if (server.alive()) return true;
    up = false;
    check(false, "the server is still running after " + phase + " (exit " +
                     (server.exited ? std::to_string(*server.exited) : std::string("?")) +
                     "; stderr ends: " + tail(server.stderr_text(), 800) + ")");
    return false;
  };
  auto h0 = health();
  test_health_initial(h0);
  std::string ct;
  auto m0 = scrape(&ct);
  std::size_t before = ledger_size();
  std::map<std::string, json::value> answers;
  if (survived("the first health and metrics requests")) answers = test_examples(examples, h0);
  if (survived("the example requests")) {
    const Example* deny_review = find_example(examples, "candidate-review", "05-");
    test_records(answers, *ex01, *deny_review);
    test_filters(answers);
    test_batch(examples);
  }
  if (survived("records, filters and batches")) {
    auto m1 = scrape();
    std::size_t denies = 0;
    {
      std::lock_guard lock(g_ledger_mu);
      for (std::size_t i = before; i < g_ledger.size(); ++i)
        denies += g_ledger[i].outcome == "deny";
    }
    test_metrics(m0, m1, ledger_size() - before, denies, ct);
    auto h1 = health();
    check(
        integer(get(h1, "audit"), "recorded").value_or(-1) == static_cast<long long>(ledger_size()),
        "health: audit.recorded = the " + std::to_string(ledger_size()) + " decisions answered (" +
            std::to_string(integer(get(h1, "audit"), "recorded").value_or(-1)) + ")");
    auto sent_before = statuses();
    test_request_errors(examples);
    test_access(examples);
    test_limits(examples);
    auto m2 = scrape();
    test_status_metrics(m1, m2, sent_before, statuses());
  }
  std::vector<const Example*> mix = {ex01, ex03};
  if (survived("the error statuses and limits")) test_reloads(server, *ex01, rules);
  if (survived("the reloads")) test_reload_under_load(mix, rules);
  if (survived("the reloads under load")) test_sigterm_under_load(server, mix);
  server.kill_hard();
  test_store(db);

  test_watcher(*ex01);
  test_open_single_set(*ex01, *review02);
  test_sigterm_in_flight(*ex01);

  kill_live_children();
  std::cout << g_passed << " passed, " << g_failed << " failed\n";
  return g_failed == 0 ? 0 : 1;
}
