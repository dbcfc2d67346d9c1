// Reading the service's JSON config, with errors located by line and column.
#include "config.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <fstream>
#include <sstream>

#include "xiangyue/common/hash.h"

namespace xy::server {
namespace json = boost::json;

namespace {

std::string where(const std::string& path, const std::string& text, std::size_t offset) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++col;
    }
  }
  return path + ":" + std::to_string(line) + ":" + std::to_string(col);
}

// The offset of `"key"` in the text, to point errors at the member (first occurrence).
std::size_t offset_of(const std::string& text, const std::string& key) {
  auto at = text.find("\"" + key + "\"");
  return at == std::string::npos ? 0 : at;
}

}  // namespace

bool parse_listen(const std::string& text, Config& c) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return false;
  std::string host = text.substr(0, colon), port = text.substr(colon + 1);
  if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return false;
  unsigned long p = std::stoul(port);
  if (p > 65535 || host.empty()) return false;
  c.host = host;
  c.port = static_cast<unsigned short>(p);
  return true;
}

Result<Config> read_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Result<Config>::failure(path + ": cannot read the config file");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  json::stream_parser p;
  boost::system::error_code ec;
  std::size_t used = p.write_some(text.data(), text.size(), ec);
  if (!ec && used < text.size()) ec = json::error::extra_data;
  if (!ec) p.finish(ec);
  if (ec)
    return Result<Config>::failure(where(path, text, used) + ": not valid JSON: " + ec.message());
  json::value doc = p.release();
  if (!doc.is_object())
    return Result<Config>::failure(where(path, text, 0) + ": the config must be a JSON object");
  Config c;
  auto fail = [&](const std::string& key, const std::string& why) {
    return Result<Config>::failure(where(path, text, offset_of(text, key)) + ": `" + key + "` " +
                                   why);
  };
  auto uint_of = [](const json::value& v, std::uint64_t lo, std::uint64_t hi, std::uint64_t& out) {
    if (v.is_int64() && v.get_int64() >= 0)
      out = static_cast<std::uint64_t>(v.get_int64());
    else if (v.is_uint64())
      out = v.get_uint64();
    else
      return false;
    return out >= lo && out <= hi;
  };
  for (const auto& [key, v] : doc.get_object()) {
    std::string k(key);
    std::uint64_t n = 0;
    if (k == "listen") {
      if (!v.is_string() || !parse_listen(std::string(v.get_string()), c))
        return fail(k, "must be \"HOST:PORT\", e.g. \"127.0.0.1:8181\"");
    } else if (k == "workers") {
      if (!uint_of(v, 0, 256, n)) return fail(k, "must be a number of threads from 0 to 256");
      c.workers = static_cast<unsigned>(n);
    } else if (k == "max_body_bytes") {
      if (!uint_of(v, 1024, 1ull << 30, n)) return fail(k, "must be from 1024 to 1073741824");
      c.max_body_bytes = n;
    } else if (k == "read_timeout_ms") {
      if (!uint_of(v, 100, 3600000, n)) return fail(k, "must be from 100 to 3600000");
      c.read_timeout = std::chrono::milliseconds(n);
    } else if (k == "watch") {
      if (!v.is_bool()) return fail(k, "must be true or false");
      c.watch = v.get_bool();
    } else if (k == "watch_interval_ms") {
      if (!uint_of(v, 50, 3600000, n)) return fail(k, "must be from 50 to 3600000");
      c.watch_interval = std::chrono::milliseconds(n);
    } else if (k == "max_batch") {
      if (!uint_of(v, 1, 1000000, n)) return fail(k, "must be from 1 to 1000000");
      c.max_batch = n;
    } else if (k == "max_connections") {
      if (!uint_of(v, 1, 1000000, n)) return fail(k, "must be from 1 to 1000000");
      c.max_connections = n;
    } else if (k == "reload_allow_removal") {
      if (!v.is_bool()) return fail(k, "must be true or false");
      c.reload_allow_removal = v.get_bool();
    } else if (k == "audit_read_timeout_ms") {
      if (!uint_of(v, 100, 600000, n)) return fail(k, "must be from 100 to 600000");
      c.audit_read_timeout = std::chrono::milliseconds(n);
    } else if (k == "audit_durability") {
      std::string d = v.is_string() ? std::string(v.get_string()) : "";
      if (d != "machine" && d != "process") return fail(k, "must be \"machine\" or \"process\"");
      c.durable_machine = d == "machine";
    } else if (k == "tokens") {
      if (!v.is_array()) return fail(k, "must be a list of {\"name\", \"token\", \"roles\"}");
      for (const auto& t : v.get_array()) {
        const json::object* o = t.if_object();
        const json::value* name = o ? o->if_contains("name") : nullptr;
        const json::value* secret = o ? o->if_contains("token") : nullptr;
        const json::value* hashed = o ? o->if_contains("token_sha256") : nullptr;
        const json::value* roles = o ? o->if_contains("roles") : nullptr;
        if (!name || !name->is_string() || !roles || !roles->is_array() ||
            !((secret && secret->is_string()) || (hashed && hashed->is_string())))
          return fail(k, "entries need \"name\", \"token\" (or \"token_sha256\") and \"roles\"");
        Token tok;
        tok.name = std::string(name->get_string());
        if (secret && secret->is_string()) {
          std::string_view secret_text = secret->get_string();
          if (secret_text.find_first_not_of(" \t\r\n") == std::string_view::npos ||
              secret_text.find_first_of(" \t\r\n") != std::string_view::npos)
            return fail(k, "token of `" + tok.name + "` is blank or has spaces in it");
          if (secret_text.size() < 16)
            return fail(k, "token of `" + tok.name + "` is shorter than 16 characters");
          tok.sha256 = sha256_hex(secret_text);
        } else {
          tok.sha256 = std::string(hashed->get_string());
          if (tok.sha256.size() != 64 ||
              tok.sha256.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
            return fail(k, "token_sha256 of `" + tok.name + "` must be 64 hex digits");
          for (auto& ch : tok.sha256)
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        }
        for (const auto& r : roles->get_array()) {
          std::string role = r.is_string() ? std::string(r.get_string()) : "";
          if (role == "check")
            tok.roles |= kRoleCheck;
          else if (role == "audit")
            tok.roles |= kRoleAudit;
          else if (role == "admin")
            tok.roles |= kRoleAdmin;
          else
            return fail(
                k, "role `" + role + "` of `" + tok.name + "` is unknown (check, audit, admin)");
        }
        c.tokens.push_back(std::move(tok));
      }
    } else {
      return fail(k,
                  "is not a setting (listen, workers, max_body_bytes, read_timeout_ms, watch, "
                  "watch_interval_ms, max_batch, max_connections, reload_allow_removal, "
                  "audit_read_timeout_ms, audit_durability, tokens)");
    }
  }
  // The two limits go together: a batch of max_batch requests must be able to arrive. Whichever
  // one is set alone makes room for the other.
  const json::object& o = doc.get_object();
  bool body_set = o.contains("max_body_bytes"), batch_set = o.contains("max_batch");
  if (body_set && !batch_set)
    c.max_batch =
        std::min(c.max_batch, std::max<std::size_t>(1, c.max_body_bytes / kBatchItemBytes));
  else if (batch_set && !body_set)
    c.max_body_bytes = std::max(c.max_body_bytes, c.max_batch * kBatchItemBytes);
  else if (batch_set && c.max_batch * kBatchItemBytes > c.max_body_bytes)
    return fail("max_batch", "(" + std::to_string(c.max_batch) +
                                 ") cannot be reached under "
                                 "max_body_bytes (" +
                                 std::to_string(c.max_body_bytes) + "): a batch needs about " +
                                 std::to_string(kBatchItemBytes) +
                                 " bytes per request; raise max_body_bytes to " +
                                 std::to_string(c.max_batch * kBatchItemBytes) +
                                 " or lower max_batch");
  return c;
}

}  // namespace xy::server
