// The service's configuration file (JSON): listen address, limits, bearer tokens and their roles.
#pragma once
#include <chrono>
#include <string>
#include <vector>

#include "xiangyue/common/result.h"

namespace xy::server {

enum Role : unsigned { kRoleCheck = 1, kRoleAudit = 2, kRoleAdmin = 4 };

struct Token {
  std::string name;    // for logs: the token itself is never logged
  std::string sha256;  // of the token
  unsigned roles = 0;
};

struct Config {
  std::string host = "127.0.0.1";
  unsigned short port = 8181;
  unsigned workers = 0;                  // 0: one per core
  std::size_t max_body_bytes = 8 << 20;  // room for max_batch requests of kBatchItemBytes
  std::chrono::milliseconds read_timeout{10000};
  bool watch = true;
  std::chrono::milliseconds watch_interval{1000};
  std::size_t max_batch = 10000;
  std::size_t max_connections = 1000;  // more are answered 503 (and never above the fd limit)
  bool reload_allow_removal = false;   // reloads may drop a set, an action or tests
  std::chrono::milliseconds audit_read_timeout{5000};  // a search or record read on the store
  bool durable_machine = true;  // "audit_durability": "machine" (fsync each commit) or "process"
  std::vector<Token> tokens;    // empty: access control is off (loopback only)
};

// A batch of max_batch requests must fit in the body limit: this much per request at least.
constexpr std::size_t kBatchItemBytes = 512;

// Reads a config file; errors read `FILE:LINE:COL: what`.
Result<Config> read_config(const std::string& path);
// "HOST:PORT" (IPv6 as "[::1]:8181") into `c`; false if malformed.
bool parse_listen(const std::string& text, Config& c);

}  // namespace xy::server
