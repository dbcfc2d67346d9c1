// Shared by the parts of the `xy serve` integration test: reporting, JSON helpers, the client
// ledger, the server under test, metrics parsing, example requests and policy edits.
#pragma once
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

namespace xy::servetest {

using namespace xy::servetest;
namespace json = boost::json;
using namespace std::chrono_literals;
using verb = http::verb;

// ── reporting ──

inline int g_passed = 0, g_failed = 0;
inline std::mutex g_out;

inline bool check(bool ok, const std::string& what) {
  std::lock_guard lock(g_out);
  (ok ? g_passed : g_failed)++;
  std::cout << (ok ? "ok   " : "FAIL ") << what << std::endl;
  return ok;
}
inline void note(const std::string& what) {
  std::lock_guard lock(g_out);
  std::cout << "     " << what << std::endl;
}

// ── JSON helpers ──

inline const json::value* member(const json::value& v, std::string_view key) {
  if (!v.is_object()) return nullptr;
  return v.get_object().if_contains(key);
}
// The member, or null when there is none.
inline const json::value& get(const json::value& v, std::string_view key) {
  static const json::value null;
  auto* m = member(v, key);
  return m ? *m : null;
}
// The member is the boolean `want`.
inline bool flag(const json::value& v, std::string_view key, bool want) {
  auto* m = member(v, key);
  return m && m->is_bool() && m->get_bool() == want;
}
inline std::string str(const json::value& v, std::string_view key) {
  auto* m = member(v, key);
  return m && m->is_string() ? std::string(m->get_string()) : std::string();
}
inline std::optional<long long> integer(const json::value& v, std::string_view key) {
  auto* m = member(v, key);
  if (!m) return std::nullopt;
  if (m->is_int64()) return m->get_int64();
  if (m->is_uint64()) return static_cast<long long>(m->get_uint64());
  return std::nullopt;
}
inline const json::array* array(const json::value& v, std::string_view key) {
  auto* m = member(v, key);
  return m && m->is_array() ? &m->get_array() : nullptr;
}
inline json::value without_audit_id(json::value v) {
  if (v.is_object()) {
    v.get_object().erase("audit_id");
    v.get_object().erase("audit_hash");
  }
  return v;
}
inline std::vector<std::string> rule_ids(const json::value& decision,
                                         std::string_view list = "reasons") {
  std::vector<std::string> out;
  if (auto* a = array(decision, list))
    for (const auto& r : *a) out.push_back(str(r, "rule"));
  return out;
}
inline bool has_rule(const json::value& decision, const std::string& rule) {
  auto ids = rule_ids(decision);
  return std::find(ids.begin(), ids.end(), rule) != ids.end();
}
inline std::string text_of(const json::value& decision, const std::string& rule) {
  if (auto* a = array(decision, "reasons"))
    for (const auto& r : *a)
      if (str(r, "rule") == rule) return str(r, "text");
  return {};
}
inline std::string shorten(const std::string& s, std::size_t max = 200) {
  return cut_utf8(s, max);
}
// The last `max` bytes of `s` (from a UTF-8 character boundary), with "…" when cut.
inline std::string tail(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t from = s.size() - max;
  while (from < s.size() && (static_cast<unsigned char>(s[from]) & 0xC0) == 0x80) ++from;
  return "…" + s.substr(from);
}
// Where two JSON values first differ: "reasons[0].text: "a" vs "b"".
inline std::string first_diff(const json::value& a, const json::value& b,
                              const std::string& path = "") {
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
inline bool is_hex64(const std::string& s) {
  static const std::regex hex("[0-9a-f]{64}");
  return std::regex_match(s, hex);
}

// ── the test's fixtures ──

inline const std::string kCheckToken = "case-system-7f3a9c2e1b";
inline const std::string kAuditToken = "reviewer-4d8e6a0c55";
inline const std::string kAdminToken = "ops-91b2c3d4e5f6";
constexpr int kMaxBody = 65536;
constexpr int kReadTimeoutMs = 1500;

inline std::string xy_bin;
inline fs::path g_src, g_work;

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
inline std::mutex g_ledger_mu;
inline std::vector<Answer> g_ledger;
inline void remember(const json::value& decision) {
  auto id = integer(decision, "audit_id");
  if (!id) return;
  std::lock_guard lock(g_ledger_mu);
  g_ledger.push_back({*id, str(decision, "outcome"), str(decision, "action")});
}
inline std::size_t ledger_size() {
  std::lock_guard lock(g_ledger_mu);
  return g_ledger.size();
}

// Counts of the statuses the main server answered, to compare with its metrics.
inline std::mutex g_status_mu;
inline std::map<int, int> g_statuses;

inline unsigned short g_port = 0;  // the server under test

inline Response call(verb v, const std::string& target, const std::string& body = {},
                     const std::string& token = {},
                     const std::map<std::string, std::string>& extra = {},
                     unsigned short port = 0) {
  Client c("127.0.0.1", port ? port : g_port);
  auto r = c.request(v, target, body, token, extra);
  if (r.status && (port == 0 || port == g_port)) {
    std::lock_guard lock(g_status_mu);
    g_statuses[r.status]++;
  }
  return r;
}
inline std::map<int, int> statuses() {
  std::lock_guard lock(g_status_mu);
  return g_statuses;
}

// An error answer: the status, and `{"error": {"status": N, "code": "…", "message": "…"}}`.
inline bool is_error(const Response& r, int status, std::string* why = nullptr) {
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
inline void check_error(const Response& r, int status, const std::string& what) {
  std::string why;
  bool ok = is_error(r, status, &why);
  check(ok, what + (ok ? "" : ": " + why));
}

inline json::value health(unsigned short port = 0) {
  return call(verb::get, "/v1/health", {}, {}, {}, port).json();
}
inline const json::value* set_in(const json::value& h, const std::string& set) {
  if (auto* sets = array(h, "sets"))
    for (const auto& s : *sets)
      if (fs::path(str(s, "dir")).filename() == set ||
          fs::path(str(s, "dir")).parent_path().filename() == set)  // "…/work-items/"
        return &s;
  return nullptr;
}
inline std::string bundle_of(const json::value& h, const std::string& set) {
  auto* s = set_in(h, set);
  return s ? str(*s, "bundle") : std::string();
}
inline std::string last_reload(const json::value& h) {
  auto* l = member(h, "last_reload");
  return l ? json::serialize(*l) : std::string();
}

// ── Prometheus text ──

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};
inline std::vector<Sample> parse_metrics(const std::string& text) {
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
inline double metric(const std::vector<Sample>& samples, const std::string& name,
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
inline bool has_metric(const std::vector<Sample>& samples, const std::string& name) {
  return std::any_of(samples.begin(), samples.end(),
                     [&](const Sample& s) { return s.name == name; });
}
inline std::vector<Sample> scrape(std::string* content_type = nullptr) {
  auto r = call(verb::get, "/metrics");
  if (content_type) *content_type = r.header("content-type");
  return parse_metrics(r.body);
}

// ── setting up ──

inline void copy_policies(const fs::path& to) {
  fs::remove_all(to);
  fs::create_directories(to.parent_path());
  fs::copy(g_src / "policies", to, fs::copy_options::recursive);
}

inline std::string trim(std::string s) {
  auto b = s.find_first_not_of(" \t");
  auto e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// FILE → expected outcome from a requests/README.md table ("| `01-….json` | `deny` 禁止 | …").
inline std::map<std::string, std::string> expected_outcomes(const fs::path& readme) {
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

inline bool is_review_set(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".xy" && read_text(e.path()).find("类型 审查") != std::string::npos)
      return true;
  return false;
}

// The CLI's answers to `lines` (one JSON request each) against one policy set.
inline std::vector<json::value> cli_decisions(const fs::path& set,
                                              const std::vector<std::string>& lines,
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

inline std::vector<Example> load_examples() {
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

inline const Example* find_example(const std::vector<Example>& all, const std::string& set,
                                   const std::string& prefix) {
  for (const auto& x : all)
    if (x.set == set && x.file.rfind(prefix, 0) == 0) return &x;
  return nullptr;
}

inline std::string config_json(bool watch, int watch_interval_ms) {
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

inline const std::string kA7Text = "委员会不予出具\"";
inline std::string g_rules_original;

// The original rules with the A7 reason text ending in "（第N版）".
inline std::string rules_version(int n) {
  std::string t = g_rules_original;
  auto at = t.find(kA7Text);
  return t.replace(at, kA7Text.size(), "委员会不予出具（第" + std::to_string(n) + "版）\"");
}
inline std::string marker(int n) {
  return "（第" + std::to_string(n) + "版）";
}
// Does not compile: `当 事项.类别 = = 证明事项`.
inline std::string rules_broken() {
  std::string t = g_rules_original;
  const std::string from = "当 事项.类别 = 证明事项 且";
  return t.replace(t.find(from), from.size(), "当 事项.类别 = = 证明事项 且");
}
// Compiles, but A7 permits instead of forbidding: the certificates test table fails.
inline std::string rules_failing_tests() {
  std::string t = g_rules_original;
  const std::string from = "规则 A7 禁止 下派事项";
  return t.replace(t.find(from), from.size(), "规则 A7 允许 下派事项");
}

template <class Pred>
inline json::value poll_health(unsigned short port, Pred pred, std::chrono::milliseconds limit) {
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
inline void hammer(unsigned short port, const std::vector<const Example*>& requests,
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

}  // namespace xy::servetest
