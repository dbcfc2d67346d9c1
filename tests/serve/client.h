// A small HTTP/1.1 client for the `xy serve` integration test, on Boost.Beast. Every call is
// synchronous for the caller (it runs the client's own io_context until the operation is done)
// but is built from asynchronous operations so that each one has a timeout. One client holds one
// connection and reuses it (keep-alive) until the server closes it or answers `Connection: close`.
#pragma once
#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cctype>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "support/output_check.h"

namespace xy::servetest {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// At most `max` bytes of `s`, cut at a UTF-8 character boundary, with "…" when cut.
inline std::string cut_utf8(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n) + "…";
}

// Every answer read is held to the output check (tests/support/output_check.h): UTF-8, and JSON
// that parses when it says it is JSON. What fails is collected here; the test's main reports it.
inline std::mutex g_output_mu;
inline std::vector<std::string> g_output_problems;
inline std::size_t g_outputs_checked = 0;

// "every answer (N) is UTF-8 …" and the first problems, for the test's closing check.
inline std::pair<bool, std::string> outputs_checked() {
  std::lock_guard l(g_output_mu);
  std::string what = "every answer read (" + std::to_string(g_outputs_checked) +
                     ") is UTF-8, and every JSON answer parses";
  for (std::size_t i = 0; i < g_output_problems.size() && i < 3; ++i)
    what += "; " + g_output_problems[i];
  return {g_output_problems.empty(), what};
}

struct Response {
  int status = 0;     // 0: no response was read (see `error`)
  std::string error;  // what went wrong on the wire; empty when a response was read
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case
  bool keep_alive = false;
  unsigned version = 0;  // 11 for HTTP/1.1

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  // The body as JSON; null if it is not JSON.
  boost::json::value json() const {
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec);
    return ec ? boost::json::value() : v;
  }
  // "HTTP 400 {...}" or "no response: ..." (shortened), for failure messages.
  std::string describe(std::size_t max = 300) const {
    if (status == 0) return "no response: " + error;
    return "HTTP " + std::to_string(status) + " " + cut_utf8(body, max);
  }
};

class Client {
 public:
  Client(std::string host, unsigned short port,
         std::chrono::milliseconds timeout = std::chrono::seconds(30))
      : host_(std::move(host)), port_(port), timeout_(timeout) {}

  // Opens the connection; false (and `last_error()`) if it cannot.
  bool connect() {
    close();
    stream_ = std::make_unique<beast::tcp_stream>(ioc_);
    buffer_.consume(buffer_.size());
    beast::error_code ec;
    tcp::endpoint ep(asio::ip::make_address(host_, ec), port_);
    if (ec) return fail("bad address: " + ec.message());
    stream_->expires_after(timeout_);
    stream_->async_connect(ep, [&](beast::error_code e) { ec = e; });
    run();
    if (ec) {
      stream_.reset();
      return fail("connect: " + ec.message());
    }
    ++connects_;
    return true;
  }
  bool connected() const { return stream_ != nullptr; }
  void close() {
    if (!stream_) return;
    beast::error_code ec;
    stream_->socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_->socket().close(ec);
    stream_.reset();
  }
  // How many connections this client has opened.
  int connects() const { return connects_; }
  const std::string& last_error() const { return error_; }

  // One request on the current connection (opened if needed). `token` non-empty adds
  // `Authorization: Bearer TOKEN`; `extra` adds raw headers (e.g. {"Authorization", "Basic x"}).
  Response request(http::verb verb, const std::string& target, const std::string& body = {},
                   const std::string& token = {},
                   const std::map<std::string, std::string>& extra = {}) {
    Response r;
    if (!stream_ && !connect()) {
      r.error = error_;
      return r;
    }
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, host_ + ":" + std::to_string(port_));
    req.keep_alive(true);
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
    for (const auto& [k, v] : extra) req.set(k, v);
    if (!body.empty() || verb == http::verb::post) {
      if (req[http::field::content_type].empty())
        req.set(http::field::content_type, "application/json");
      req.body() = body;
      req.prepare_payload();
    }
    beast::error_code wec;
    stream_->expires_after(timeout_);
    http::async_write(*stream_, req, [&](beast::error_code e, std::size_t) { wec = e; });
    run();
    // Even when the write failed (the server may answer 413 and close before reading the whole
    // body), try to read the answer.
    return read_response(wec);
  }

  // Reads one response on the current connection (after `send_raw`, or for `request`).
  Response read_response(beast::error_code wec = {}) {
    Response r;
    beast::error_code rec;
    if (!stream_) {
      r.error = "not connected";
      return r;
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    if (stream_->socket().is_open()) {
      stream_->expires_after(timeout_);
      http::async_read(*stream_, buffer_, parser,
                       [&](beast::error_code e, std::size_t) { rec = e; });
      run();
    } else {
      rec = asio::error::not_connected;
    }
    if (rec) {
      r.error = (wec ? "write: " + wec.message() + "; " : std::string()) + "read: " + rec.message();
      close();
      return r;
    }
    const auto& res = parser.get();
    r.status = static_cast<int>(res.result_int());
    r.body = res.body();
    {
      bool json = res[http::field::content_type].starts_with("application/json");
      auto bad = xy::testsupport::output_problem(r.body, false);
      if (!bad && json) {
        boost::system::error_code ec;
        boost::json::parse(r.body, ec);
        if (ec) bad = "the JSON body does not parse: " + ec.message();
      }
      std::lock_guard l(g_output_mu);
      ++g_outputs_checked;
      if (bad) g_output_problems.push_back("HTTP " + std::to_string(r.status) + ": " + *bad);
    }
    r.keep_alive = res.keep_alive();
    r.version = res.version();
    for (const auto& f : res) {
      std::string name(f.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers[name] = std::string(f.value());
    }
    if (!r.keep_alive || wec) close();
    return r;
  }

  // Raw bytes on the connection (opened if needed), for clients that misbehave on purpose.
  bool send_raw(const std::string& bytes) {
    if (!stream_ && !connect()) return false;
    beast::error_code ec;
    stream_->expires_after(timeout_);
    asio::async_write(*stream_, asio::buffer(bytes),
                      [&](beast::error_code e, std::size_t) { ec = e; });
    run();
    if (ec) return fail("write: " + ec.message());
    return true;
  }

  // Waits up to `limit` for the server to close the connection; returns how long that took, or
  // nothing if it was still open at the limit. Whatever the server sent meanwhile goes to
  // `received`.
  std::optional<std::chrono::milliseconds> wait_closed(std::chrono::milliseconds limit,
                                                       std::string* received = nullptr) {
    if (!stream_) return std::chrono::milliseconds(0);
    auto start = std::chrono::steady_clock::now();
    std::array<char, 4096> chunk;
    for (;;) {
      auto left = limit - std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - start);
      if (left.count() <= 0) return std::nullopt;
      beast::error_code ec;
      std::size_t n = 0;
      stream_->expires_after(left);
      stream_->async_read_some(asio::buffer(chunk), [&](beast::error_code e, std::size_t k) {
        ec = e;
        n = k;
      });
      run();
      if (received) received->append(chunk.data(), n);
      if (ec == beast::error::timeout) {
        stream_.reset();  // the timeout closed the socket
        return std::nullopt;
      }
      if (ec) {
        close();
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - start);
      }
    }
  }

 private:
  void run() {
    ioc_.restart();
    ioc_.run();
  }
  bool fail(std::string what) {
    error_ = std::move(what);
    return false;
  }

  std::string host_;
  unsigned short port_;
  std::chrono::milliseconds timeout_;
  asio::io_context ioc_;
  std::unique_ptr<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  std::string error_;
  int connects_ = 0;
};

// "a b=c" → "a%20b%3Dc": percent-encodes everything but unreserved characters (RFC 3986).
inline std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace xy::servetest
