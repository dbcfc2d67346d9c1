// Shared by the parts of the `xy serve` fault test (serve_faults_test): calls with short timeouts,
// raw idle connections, what /proc says about the server, the tmpfs to clean up at exit, and the
// scenarios run in order by faults_test.cpp. Builds on the helpers of the main serve test
// (support.h: reporting, JSON, examples, config_json, policy edits).
#pragma once
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <limits>

#include "support.h"

namespace xy::servetest {

// ── calls, every one bounded in time ──

inline Response fcall(unsigned short port, verb v, const std::string& target,
                      const std::string& body = {}, const std::string& token = {},
                      std::chrono::milliseconds timeout = 5s,
                      const std::map<std::string, std::string>& extra = {}) {
  Client c("127.0.0.1", port, timeout);
  return c.request(v, target, body, token, extra);
}
// The `error.code` of an error answer (empty if there is none).
inline std::string error_code(const Response& r) {
  return str(get(r.json(), "error"), "code");
}
inline std::string error_message(const Response& r) {
  return str(get(r.json(), "error"), "message");
}
inline std::vector<Sample> fscrape(unsigned short port) {
  return parse_metrics(fcall(port, verb::get, "/metrics").body);
}
inline std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
inline bool contains(const std::string& text, const std::string& what) {
  return lower(text).find(lower(what)) != std::string::npos;
}
inline long long ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               t0)
      .count();
}
inline std::string exit_text(const std::optional<int>& code) {
  return code ? std::to_string(*code) : std::string("still running");
}

// ── the server under test ──

// Starts `PREFIX… xy serve ARGS…` (stdout and stderr in DIR/TAG.out, .err) and checks that it
// listens; on failure the check says why (exit code, the end of stderr) and nothing is left
// running.
inline ServerProcess start_checked(const std::string& what, const std::vector<std::string>& args,
                                   const fs::path& dir, const std::string& tag,
                                   const std::vector<std::string>& prefix = {},
                                   std::chrono::milliseconds limit = 60s) {
  fs::create_directories(dir);
  std::vector<std::string> argv = prefix;
  argv.push_back(xy_bin);
  argv.push_back("serve");
  argv.insert(argv.end(), args.begin(), args.end());
  auto s = start_server(argv, dir / (tag + ".out"), dir / (tag + ".err"), limit);
  bool up = s.running() && s.port != 0;
  check(up, what + ": the server starts (`" + shorten(s.first_line, 120) + "`" +
                (up ? ")"
                    : ", exit " + exit_text(s.exited) + "; stderr: " + tail(s.stderr_text(), 500) +
                          ")"));
  if (!up) s.kill_hard();
  return s;
}
// SIGTERM, then SIGKILL if it is still running after `limit`; the exit code of the SIGTERM.
inline std::optional<int> stop_server(ServerProcess& s, std::chrono::milliseconds limit = 15s) {
  if (!s.running()) return s.exited;
  auto code = s.stop(SIGTERM, limit);
  if (!code) s.kill_hard();
  return code;
}
// A config from config_json(watch, interval) (the main test's tokens, 2 workers) with `edit`
// applied.
inline std::string config_with(bool watch, int interval,
                               const std::function<void(json::object&)>& edit = {}) {
  json::value v = json::parse(config_json(watch, interval));
  if (edit) edit(v.get_object());
  return json::serialize(v);
}

// ── what /proc says about a process ──

// utime + stime in seconds (/proc/PID/stat fields 14 and 15); -1 if unreadable.
inline double cpu_seconds(pid_t pid) {
  std::string stat = read_text("/proc/" + std::to_string(pid) + "/stat");
  auto close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream in(stat.substr(close + 2));
  std::vector<std::string> f;
  for (std::string w; in >> w;) f.push_back(w);
  // After the name: field 3 (state) is f[0], so field N is f[N - 3].
  if (f.size() < 13) return -1;
  double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  return (std::stod(f[11]) + std::stod(f[12])) / ticks;
}
// A `VmXXX:  N kB` line of /proc/PID/status in kB; -1 if there is none.
inline long long proc_status_kb(pid_t pid, const std::string& key) {
  std::istringstream in(read_text("/proc/" + std::to_string(pid) + "/status"));
  for (std::string line; std::getline(in, line);)
    if (line.rfind(key + ":", 0) == 0) return std::atoll(line.c_str() + key.size() + 1);
  return -1;
}
inline std::size_t count_lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}
// The lines of `text` that contain `word` (case-insensitive).
inline std::vector<std::string> lines_with(const std::string& text, const std::string& word) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (contains(l, word)) out.push_back(l);
  return out;
}

// ── raw connections, for clients that connect and say nothing ──

// A TCP connection to 127.0.0.1:PORT (non-blocking connect, at most `timeout_ms`); -1 on failure.
inline int tcp_connect(unsigned short port, int timeout_ms = 1000) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) return fd;
  if (errno != EINPROGRESS) {
    ::close(fd);
    return -1;
  }
  pollfd p{fd, POLLOUT, 0};
  int err = 0;
  socklen_t len = sizeof err;
  if (::poll(&p, 1, timeout_ms) != 1 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 ||
      err != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}
// What the server sent on `fd` within `wait_ms` (until it stops sending or closes).
struct Received {
  std::string data;
  bool closed = false;  // the server closed (EOF or reset)
};
inline Received receive(int fd, int wait_ms) {
  Received r;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  char buf[4096];
  for (;;) {
    int left = static_cast<int>(std::max<long long>(
        0, std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                 std::chrono::steady_clock::now())
               .count()));
    pollfd p{fd, POLLIN, 0};
    int n = ::poll(&p, 1, r.data.empty() ? left : std::min(left, 50));
    if (n <= 0) return r;
    ssize_t k = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (k > 0) {
      r.data.append(buf, static_cast<std::size_t>(k));
      continue;
    }
    if (k == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      r.closed = true;
      return r;
    }
  }
}
// "HTTP/1.1 503 …" with a JSON error body whose code is `code`.
inline bool is_raw_error(const std::string& data, int status, const std::string& code) {
  return data.rfind("HTTP/1.1 " + std::to_string(status), 0) == 0 &&
         data.find("\"" + code + "\"") != std::string::npos;
}

// ── cleaning up: tmpfs mounts are lazily unmounted and children killed at exit, however the test
// ends (atexit, and on SIGINT/SIGTERM/SIGHUP) ──

inline std::vector<std::string>& mounts() {
  static std::vector<std::string> m;
  return m;
}
inline void unmount_all() {
  for (const auto& m : mounts()) ::umount2(m.c_str(), MNT_DETACH);
  mounts().clear();
}
inline void cleanup_all() {
  kill_live_children();
  unmount_all();
}
inline void on_fatal_signal(int sig) {
  cleanup_all();
  _exit(128 + sig);
}
// Mounts a tmpfs of `size` on `dir`; nothing, or why it could not.
inline std::optional<std::string> mount_tmpfs(const fs::path& dir, const std::string& size) {
  fs::create_directories(dir);
  std::string opts = "size=" + size + ",mode=0755";
  if (::mount("tmpfs", dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, opts.c_str()) != 0)
    return "mount -t tmpfs -o size=" + size + " tmpfs " + dir.string() + ": " +
           std::strerror(errno) + (geteuid() != 0 ? " (not running as root)" : "");
  mounts().push_back(dir.string());
  return std::nullopt;
}
inline void unmount(const fs::path& dir) {
  ::umount2(dir.c_str(), MNT_DETACH);
  auto& m = mounts();
  m.erase(std::remove(m.begin(), m.end(), dir.string()), m.end());
}

// ── the scenarios, in the order faults_test.cpp runs them ──

void test_disk_full(const Example& ex01);                   // faults_disk.cpp
void test_out_of_fds(const Example& ex01);                  // faults_fds.cpp
void test_max_connections(const Example& ex01);             // faults_fds.cpp
void test_reload_removals(const Example& ex01);             // faults_reload.cpp
void test_audit_reads(const Example& ex01);                 // faults_reads.cpp
void test_token_before_body(const Example& ex01);           // faults_small.cpp
void test_bad_filters_and_duplicates(const Example& ex01);  // faults_small.cpp
void test_config_validation(const Example& ex01);           // faults_small.cpp

}  // namespace xy::servetest
