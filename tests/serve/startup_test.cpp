// The `xy serve` test, part 1: startup failures and the first health report.
#include "parts.h"

namespace xy::servetest {

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

}  // namespace xy::servetest
