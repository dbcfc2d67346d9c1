// Fault test of `xy serve`: how the service behaves when things around it fail or are pushed to
// their limits. The audit disk fills up and frees again (a tmpfs); the process runs out of file
// descriptors under idle connections, and a connection cap; reloads that would drop a policy set
// or its tests; audit searches scanning a large store while checks are served; a token checked
// before a large body is read; filters too large for SQLite, duplicate JSON keys, config values
// that cannot work, the default batch limit. Each scenario runs its own server in its own folder.
// Usage: serve_faults_test XY_BINARY SOURCE_DIR WORK_DIR (as root: the disk scenario mounts a
// tmpfs under WORK_DIR, unmounted at exit however the test ends).
// Prints `ok   …` / `FAIL …` per check and `N passed, N failed`; exits 1 on a failure.
// XY_FAULTS_ONLY=1,4 runs only those scenarios (numbered as in the output).
#include "faults.h"

using namespace xy::servetest;

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: serve_faults_test XY SOURCE_DIR WORK_DIR\n";
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  std::atexit(cleanup_all);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGSEGV, SIGABRT, SIGBUS}) signal(sig, on_fatal_signal);
  xy_bin = fs::absolute(argv[1]).string();
  g_src = fs::absolute(argv[2]);
  g_work = fs::absolute(argv[3]);
  // A tmpfs left behind by a run that was killed outright would make remove_all fail.
  ::umount2((g_work / "disk" / "mnt").c_str(), MNT_DETACH);
  fs::remove_all(g_work);
  fs::create_directories(g_work);
  // 300 idle connections and their sockets: make sure this process may open them.
  rlimit nofile{};
  if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < 4096) {
    nofile.rlim_cur = std::min<rlim_t>(nofile.rlim_max, 4096);
    setrlimit(RLIMIT_NOFILE, &nofile);
  }
  copy_policies(g_work / "policies");
  g_rules_original = read_text(g_work / "policies" / "work-items" / "rules.xy");
  auto examples = load_examples();
  const Example* ex01 = find_example(examples, "work-items", "01-");
  if (!check(ex01 && ex01->expected == "deny" && str(ex01->cli, "outcome") == "deny",
             "(setup) the example work-items/01 is there and the CLI denies it")) {
    std::cout << g_passed << " passed, " << g_failed << " failed\n";
    return 1;
  }
  auto t0 = std::chrono::steady_clock::now();
  // XY_FAULTS_ONLY=2,3 runs only those scenarios (while working on one).
  const char* only = std::getenv("XY_FAULTS_ONLY");
  auto phase = [&](const std::string& name, const std::function<void()>& run) {
    if (only && std::string(",").append(only).append(",").find("," + name.substr(0, 1) + ",") ==
                    std::string::npos)
      return;
    auto t = std::chrono::steady_clock::now();
    std::cout << "── " << name << std::endl;
    run();
    kill_live_children();  // a scenario that failed half way leaves nothing running
    note("(" + name + ": " + std::to_string(ms_since(t)) + " ms)");
  };
  phase("1. the audit disk fills up, then frees", [&] { test_disk_full(*ex01); });
  phase("2. out of file descriptors", [&] { test_out_of_fds(*ex01); });
  phase("2. max_connections", [&] { test_max_connections(*ex01); });
  phase("3. reloads that would drop a set or its tests", [&] { test_reload_removals(*ex01); });
  phase("4. audit searches beside checks", [&] { test_audit_reads(*ex01); });
  phase("5. the token is checked before the body", [&] { test_token_before_body(*ex01); });
  phase("6. filters, duplicate keys, batches", [&] { test_bad_filters_and_duplicates(*ex01); });
  phase("6. config validation", [&] { test_config_validation(*ex01); });
  cleanup_all();
  note("(total " + std::to_string(ms_since(t0)) + " ms)");
  auto [outputs_ok, outputs] = outputs_checked();
  check(outputs_ok, outputs);
  std::cout << g_passed << " passed, " << g_failed << " failed\n";
  return g_failed == 0 ? 0 : 1;
}
