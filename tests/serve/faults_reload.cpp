// The fault test, part 3: reloads that would drop things. A policy set moved out of the watched
// folder for 3 s must not make its action unknown to clients (the reload is refused); deleting a
// set's tests together with an edit they would catch is refused too, until an admin reloads with
// `?allow_removal=true`; and the watcher debounces a file that keeps changing.
#include "faults.h"

namespace xy::servetest {
namespace {

struct Tally {
  long long ok = 0, other = 0;
  std::map<int, long long> by_status;  // the answers other than 200 deny, by status (0: none)
  std::string first;
};

std::string statuses_text(const std::vector<Tally>& ts) {
  std::map<int, long long> all;
  for (const auto& t : ts)
    for (const auto& [k, v] : t.by_status) all[k] += v;
  std::string out;
  for (const auto& [k, v] : all)
    out += (out.empty() ? "" : ", ") + std::to_string(v) + "×" + (k ? std::to_string(k) : "none");
  return out;
}

bool names_removed_set(const json::value& lr) {
  std::string e = str(lr, "error");
  return contains(e, "work-items") || contains(e, "下派事项") || contains(e, "remov") ||
         contains(e, "删除") || contains(e, "移除");
}

bool names_removed_tests(const json::value& lr) {
  std::string e = str(lr, "error");
  bool tests = contains(e, "test") || contains(e, "测试");
  bool removed = contains(e, "remov") || contains(e, "delet") || contains(e, "missing") ||
                 contains(e, "gone") || contains(e, "no longer") || contains(e, "删除") ||
                 contains(e, "移除") || contains(e, "缺少") || contains(e, "不再");
  return tests && removed;
}

// (a) work-items moved out of the folder for 3 s while 2 clients check back to back.
void set_moved_away(const ServerProcess& s, const Example& ex01, const fs::path& pol,
                    const fs::path& dir) {
  std::string body = json::serialize(ex01.request);
  std::atomic<bool> stop{false};
  std::vector<Tally> tallies(2);
  std::vector<std::thread> threads;
  for (auto& t : tallies)
    threads.emplace_back([&, tp = &t] {
      Client c("127.0.0.1", s.port, 5s);
      while (!stop.load()) {
        auto r = c.request(verb::post, "/v1/check", body, kCheckToken);
        if (r.status == 200 && str(r.json(), "outcome") == "deny") {
          ++tp->ok;
          continue;
        }
        ++tp->other;
        tp->by_status[r.status]++;
        if (tp->first.empty()) tp->first = r.describe(200);
      }
    });
  std::this_thread::sleep_for(500ms);
  fs::path away = dir / "work-items.away";
  std::error_code ec;
  fs::rename(pol / "work-items", away, ec);
  auto t0 = std::chrono::steady_clock::now();
  std::vector<json::value> seen;
  for (long long at : {1000, 2000, 2900}) {
    while (ms_since(t0) < at) std::this_thread::sleep_for(20ms);
    seen.push_back(get(fcall(s.port, verb::get, "/v1/health").json(), "last_reload"));
  }
  while (ms_since(t0) < 3000) std::this_thread::sleep_for(20ms);
  std::error_code back;
  fs::rename(away, pol / "work-items", back);
  // Let the watcher see the set back (a reload that succeeds, or none at all).
  auto t1 = std::chrono::steady_clock::now();
  json::value after;
  std::this_thread::sleep_for(600ms);
  while (ms_since(t1) < 4000) {
    after = fcall(s.port, verb::get, "/v1/health").json();
    const auto& lr = get(after, "last_reload");
    if (flag(lr, "ok", true) && !bundle_of(after, "work-items").empty()) break;
    std::this_thread::sleep_for(200ms);
  }
  stop = true;
  for (auto& t : threads) t.join();
  if (!check(!ec && !back, "(setup) work-items moved out of the policies folder and back (" +
                               ec.message() + ", " + back.message() + ")"))
    return;
  long long ok = 0, other = 0;
  std::string first;
  for (const auto& t : tallies) {
    ok += t.ok;
    other += t.other;
    if (first.empty()) first = t.first;
  }
  check(ok > 0 && other == 0,
        "work-items moved away for 3 s while 2 clients check it: every answer is 200 deny (" +
            std::to_string(ok) + " answered 200, " + std::to_string(other) + " otherwise" +
            (other ? ": " + statuses_text(tallies) + "; first: " + first : "") + ")");
  bool refused_or_none = true;
  std::string shown;
  for (const auto& lr : seen) {
    bool none = str(lr, "trigger") == "start";
    bool refused = flag(lr, "ok", false) && names_removed_set(lr);
    if (!none && !refused) refused_or_none = false;
    shown += (shown.empty() ? "" : " | ") + shorten(json::serialize(lr), 160);
  }
  check(refused_or_none,
        "while work-items is away: health last_reload is a refused reload naming the removed "
        "set (or none happened) (" +
            shown + ")");
  auto r = fcall(s.port, verb::post, "/v1/check", body, kCheckToken);
  auto j = r.json();
  check(r.status == 200 && str(j, "outcome") == "deny" && has_rule(j, "A7"),
        "work-items moved back: the example → 200 deny by A7 as before (" + r.describe(120) + ")");
}

// (b) work-items/tests deleted and A7 flipped from forbid to permit in one edit.
void tests_deleted(const ServerProcess& s, const Example& ex01, const fs::path& pol) {
  std::string body = json::serialize(ex01.request);
  fs::path set = pol / "work-items";
  std::error_code ec;
  fs::remove_all(set / "tests", ec);
  write_text(set / "rules.xy", rules_failing_tests());
  auto t0 = std::chrono::steady_clock::now();
  json::value lr;
  bool refused = false;
  while (ms_since(t0) < 3000) {
    lr = get(fcall(s.port, verb::get, "/v1/health").json(), "last_reload");
    if (flag(lr, "ok", false) && names_removed_tests(lr)) {
      refused = true;
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  check(refused,
        "work-items/tests deleted and A7 flipped to permit: within 3 s health last_reload "
        "{ok: false, error naming the removed tests} (" +
            (refused ? std::to_string(ms_since(t0)) + " ms: " : "after 3 s: ") +
            shorten(json::serialize(lr), 300) + ")");
  auto r = fcall(s.port, verb::post, "/v1/check", body, kCheckToken);
  auto j = r.json();
  check(r.status == 200 && str(j, "outcome") == "deny" && has_rule(j, "A7"),
        "tests deleted: the running policies stay, the example is still denied by A7 (" +
            r.describe(120) + ")");
  auto plain = fcall(s.port, verb::post, "/v1/reload", {}, kAdminToken, 30s);
  auto pj = plain.json();
  check(plain.status == 422 && flag(pj, "ok", false) && !str(pj, "error").empty(),
        "tests deleted: POST /v1/reload → 422 {ok: false, error} (" + plain.describe(200) + ")");
  auto allowed = fcall(s.port, verb::post, "/v1/reload?allow_removal=true", {}, kAdminToken, 30s);
  check(allowed.status == 200 && flag(allowed.json(), "ok", true),
        "tests deleted: POST /v1/reload?allow_removal=true (admin) → 200 {ok: true} (" +
            allowed.describe(200) + ")");
  auto r2 = fcall(s.port, verb::post, "/v1/check", body, kCheckToken);
  auto j2 = r2.json();
  check(r2.status == 200 && !(str(j2, "outcome") == "deny" && has_rule(j2, "A7")),
        "after the reload that allows removal: the example is no longer denied by A7 (" +
            r2.describe(120) + ")");
}

// (c) a file changed every 100 ms for 2 s, the watcher polling every 200 ms.
void watcher_debounces(const ServerProcess& s, const fs::path& pol) {
  fs::path rules = pol / "work-items" / "rules.xy";
  double r0 = metric(fscrape(s.port), "xy_reloads_total");
  std::string text = read_text(rules);
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) {
    text += "\n# edited " + std::to_string(i) + "\n";
    write_text(rules, text);
    while (ms_since(t0) < 100 * (i + 1)) std::this_thread::sleep_for(5ms);
  }
  // A reload compiles and tests every set: under the sanitizers that takes seconds. Wait for the
  // first to finish (at most 60 s), then long enough for any further one to start and end.
  double r1 = r0;
  while (r1 - r0 < 1 && ms_since(t0) < 60000) {
    std::this_thread::sleep_for(100ms);
    r1 = metric(fscrape(s.port), "xy_reloads_total");
  }
  auto settle = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(1500ms + (settle - t0) / 2);
  r1 = metric(fscrape(s.port), "xy_reloads_total");
  auto h = fcall(s.port, verb::get, "/v1/health").json();
  check(r1 - r0 >= 1 && r1 - r0 <= 2,
        "the watcher debounces: rules.xy changed every 100 ms for 2 s (interval 200 ms) → 1 or 2 "
        "reloads (xy_reloads_total +" +
            std::to_string(static_cast<long long>(r1 - r0)) + ")");
  check(flag(get(h, "last_reload"), "ok", true),
        "after the edits settle: health last_reload ok (" +
            shorten(json::serialize(get(h, "last_reload")), 200) + ")");
}

}  // namespace

void test_reload_removals(const Example& ex01) {
  fs::path dir = g_work / "reload", pol = dir / "policies";
  copy_policies(pol);
  fs::path cfg = dir / "config.json";
  write_text(cfg, config_json(true, 200));
  auto s =
      start_checked("reloads",
                    {"--policies", pol.string(), "--audit", (dir / "audit.db").string(), "--config",
                     cfg.string(), "--laws", (pol / "laws").string(), "--lang", "en"},
                    dir, "server");
  if (!s.running()) return;
  set_moved_away(s, ex01, pol, dir);
  tests_deleted(s, ex01, pol);
  watcher_debounces(s, pol);
  auto code = stop_server(s);
  check(code && *code == 0, "reloads: SIGTERM → exit 0 (" + exit_text(code) + ")");
}

}  // namespace xy::servetest
