// The `xy serve` test, part 4: reloads (also under load), SIGTERM (under load, with a batch in
// flight), the store afterwards, the file watcher, a server without access control.
#include "parts.h"

namespace xy::servetest {

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

}  // namespace xy::servetest
