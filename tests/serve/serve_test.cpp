// Integration test of `xy serve` (the HTTP/1.1 JSON service): every endpoint, every error status,
// access control, limits, slow clients, hot reload (SIGHUP, POST /v1/reload, the file watcher),
// reload under concurrent load, a SIGTERM under load after which every decision a client was
// answered with is in the audit store (and every recorded one was answered) and the chain verifies,
// and a SIGTERM while a large batch is in flight.
// Usage: serve_test XY_BINARY SOURCE_DIR WORK_DIR
// The policies (SOURCE_DIR/policies, with laws/) are copied into WORK_DIR so that the test can
// edit them. Prints `ok   …` / `FAIL …` per check and `N passed, N failed`; exits 1 on a failure.
#include "parts.h"

using namespace xy::servetest;

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

  // The main server: the eight shipped sets, three tokens, no file watcher (reloads are triggered
  // by hand).
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
  auto [outputs_ok, outputs] = outputs_checked();
  check(outputs_ok, outputs);
  std::cout << g_passed << " passed, " << g_failed << " failed\n";
  return g_failed == 0 ? 0 : 1;
}
