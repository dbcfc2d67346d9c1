// Durability: `xy check --audit` is killed with SIGKILL mid-run; every decision it printed (each
// printed only after its batch committed) must be in the store, and the chain must verify.
// Usage: durability_test XY_BINARY POLICY_SET REQUEST_JSON WORK_DIR
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "xiangyue/audit/store.h"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc < 5) {
    std::cerr << "usage: durability_test XY POLICY_SET REQUEST_JSON WORK_DIR\n";
    return 2;
  }
  std::string xy = argv[1], policies = argv[2], request = argv[3];
  fs::path work = argv[4];
  fs::create_directories(work);
  fs::path requests = work / "requests.jsonl", out = work / "out.jsonl", db = work / "audit.db";
  for (const char* s : {"", "-wal", "-shm", ".anchors", ".key"}) fs::remove(db.string() + s);
  fs::remove(out);
  // One request, many times: a long run to interrupt.
  std::ifstream in(request);
  std::stringstream body;
  body << in.rdbuf();
  std::string one = boost::json::serialize(boost::json::parse(body.str()));
  {
    std::ofstream f(requests);
    for (int i = 0; i < 100000; ++i) f << one << "\n";
  }
  int passed = 0, failed = 0;
  auto check = [&](bool ok, const std::string& what) {
    (ok ? passed : failed)++;
    std::cout << (ok ? "ok   " : "FAIL ") << what << "\n";
  };
  pid_t pid = fork();
  if (pid == 0) {
    int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    execl(xy.c_str(), xy.c_str(), "check", policies.c_str(), "--request", requests.c_str(),
          "--audit", db.c_str(), "--audit-batch", "500", "--format", "json",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait until a few batches are out, then kill without warning.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    std::error_code ec;
    auto size = fs::file_size(out, ec);
    if (!ec && size > 12'000'000) break;  // about 1100 decisions of the candidate review
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  check(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
        "the run was killed mid-way by SIGKILL");
  // Every complete output line is a decision reported as recorded.
  std::ifstream printed(out);
  std::vector<std::pair<long long, std::string>> reported;
  for (std::string line; std::getline(printed, line);) {
    boost::system::error_code ec;
    auto v = boost::json::parse(line, ec);
    if (ec || !v.is_object() || !v.get_object().contains("audit_id")) continue;  // a torn last line
    reported.emplace_back(v.at("audit_id").as_int64(), std::string(v.at("outcome").as_string()));
  }
  check(reported.size() >= 1000,
        "decisions were reported before the kill (" + std::to_string(reported.size()) + ")");
  auto store = xy::audit::Store::open_read(db.string());
  check(store.ok(), "the store opens after the crash");
  if (!store) return 1;
  auto v = (*store)->verify();
  check(v.intact, "the chain verifies after the crash (" + std::to_string(v.records) + " records" +
                      (v.intact ? "" : ": " + v.problem.en) + ")");
  std::size_t missing = 0;
  for (const auto& [id, outcome] : reported) {
    auto r = (*store)->get(id);
    if (!r || !r->has_value() || (*r)->outcome != outcome) ++missing;
  }
  check(missing == 0, "every reported decision is in the store with its outcome (" +
                          std::to_string(reported.size() - missing) + "/" +
                          std::to_string(reported.size()) + ")");
  check(v.records >= static_cast<long long>(reported.size()),
        "the store holds at least what was reported");
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}
