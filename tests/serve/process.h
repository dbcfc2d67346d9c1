// Child processes for the `xy serve` integration test: the server itself (started in the
// background, its port read from the first line of its stdout) and the `xy` CLI run to completion.
#pragma once
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace xy::servetest {

namespace fs = std::filesystem;

inline std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_text(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

// Every child still running, killed when the test exits however it exits.
inline std::set<pid_t>& live_children() {
  static std::set<pid_t> pids;
  return pids;
}
inline void kill_live_children() {
  for (pid_t p : live_children()) {
    kill(p, SIGKILL);
    int status = 0;
    waitpid(p, &status, 0);
  }
  live_children().clear();
}

// Starts `argv` with stdout and stderr redirected to files.
inline pid_t spawn(const std::vector<std::string>& argv, const fs::path& out, const fs::path& err) {
  pid_t pid = fork();
  if (pid == 0) {
    int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int n = ::open("/dev/null", O_RDONLY);
    dup2(n, 0);
    dup2(o, 1);
    dup2(e, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  if (pid > 0) live_children().insert(pid);
  return pid;
}

// Waits up to `limit` for `pid`; its exit code, 128 + signal when killed, or nothing if it is
// still running at the limit.
inline std::optional<int> wait_exit(pid_t pid, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      live_children().erase(pid);
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    if (r < 0) {
      live_children().erase(pid);
      return -1;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

// Runs a command to completion (killed after `limit`); its exit code, or -1 on timeout.
inline int run_command(const std::vector<std::string>& argv, const fs::path& out,
                       const fs::path& err,
                       std::chrono::milliseconds limit = std::chrono::seconds(120)) {
  pid_t pid = spawn(argv, out, err);
  if (pid < 0) return -1;
  auto code = wait_exit(pid, limit);
  if (!code) {
    kill(pid, SIGKILL);
    wait_exit(pid, std::chrono::seconds(10));
    return -1;
  }
  return *code;
}

// One `xy serve` process.
struct ServerProcess {
  pid_t pid = -1;
  unsigned short port = 0;
  fs::path out, err;
  std::string first_line;     // the first line of stdout
  std::optional<int> exited;  // set when it exited before printing the line (or was stopped)
  bool running() const { return pid > 0 && !exited; }
  // Still running? (Notices an exit that nobody waited for.)
  bool alive() {
    if (!running()) return false;
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) != pid) return true;
    live_children().erase(pid);
    exited = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
  }
  std::string stderr_text() const { return read_text(err); }
  std::string stdout_text() const { return read_text(out); }

  // Sends `sig` and waits up to `limit`; the exit code (128 + signal when killed by one), or
  // nothing if it is still running.
  std::optional<int> stop(int sig, std::chrono::milliseconds limit = std::chrono::seconds(30)) {
    if (!running()) return exited;
    kill(pid, sig);
    exited = wait_exit(pid, limit);
    return exited;
  }
  void kill_hard() {
    if (!running()) return;
    kill(pid, SIGKILL);
    exited = wait_exit(pid, std::chrono::seconds(10));
  }
};

// Starts the server and waits (up to `limit`) for `listening on http://HOST:PORT`, or its exit.
inline ServerProcess start_server(const std::vector<std::string>& argv, const fs::path& out,
                                  const fs::path& err,
                                  std::chrono::milliseconds limit = std::chrono::seconds(90)) {
  ServerProcess s;
  s.out = out;
  s.err = err;
  s.pid = spawn(argv, out, err);
  if (s.pid < 0) {
    s.exited = -1;
    return s;
  }
  auto deadline = std::chrono::steady_clock::now() + limit;
  static const std::regex line(R"(listening on http://([0-9.]+|\[[0-9a-fA-F:]+\]):([0-9]+))");
  for (;;) {
    std::string text = read_text(out);
    auto nl = text.find('\n');
    if (nl != std::string::npos) {
      s.first_line = text.substr(0, nl);
      std::smatch m;
      if (std::regex_match(s.first_line, m, line))
        s.port = static_cast<unsigned short>(std::stoi(m[2]));
      return s;
    }
    int status = 0;
    if (waitpid(s.pid, &status, WNOHANG) == s.pid) {
      live_children().erase(s.pid);
      s.exited = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      s.first_line = read_text(out);
      return s;
    }
    if (std::chrono::steady_clock::now() >= deadline) return s;  // running, silent
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace xy::servetest
