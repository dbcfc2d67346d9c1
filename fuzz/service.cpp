// Fuzz target: the HTTP service's request handling in-process (no sockets). The input is a request
// in a loose text form, `METHOD TARGET`, header lines, an empty line, the body; it is given a
// right Content-Length and read by Beast's parser, as the network layer would, then answered by
// Service::answer_early (bodies over 64 KiB) and Service::handle with the shipped policies and a
// temporary audit store. Every request is answered once, in well-formed HTTP; JSON bodies parse
// (errors carry their status), other bodies are valid UTF-8.
#include <boost/json.hpp>
#include <future>
#include <sstream>

#include "check.h"
#include "policies.h"
#include "scratch.h"
#include "service.h"
#include "xiangyue/common/hash.h"

namespace {

using namespace xy;
using namespace xy::server;
namespace beast = boost::beast;

Service& service() {
  static std::unique_ptr<Service> s = [] {
    Config config;
    config.watch = false;
    for (auto [name, roles] : {std::pair{"admin", kRoleCheck | kRoleAudit | kRoleAdmin},
                               std::pair{"check", +kRoleCheck}, std::pair{"audit", +kRoleAudit}})
      config.tokens.push_back({name, sha256_hex(std::string("fuzz-") + name), roles});
    ServeOptions options;
    options.policies = fuzz::policies_dir();
    options.laws = options.policies + "/laws";
    options.audit = fuzz::scratch_dir() + "/service.db";
    auto catalog = load_catalog(options.policies, options.laws);
    if (!catalog) fuzz::fail("the policies do not load", catalog.error().en);
    audit::StoreOptions store_options;
    store_options.durability = audit::Durability::Process;
    auto store = audit::Store::open(options.audit, std::move(store_options));
    if (!store) fuzz::fail("cannot open an audit store", store.error().en);
    return std::make_unique<Service>(config, options, std::move(*store), std::move(*catalog), "");
  }();
  return *s;
}

bool starts_with_nocase(std::string_view line, std::string_view prefix) {
  return line.size() >= prefix.size() && beast::iequals(line.substr(0, prefix.size()), prefix);
}

// The request Beast's parser reads from the input's text form; nothing when it is not HTTP.
std::optional<HttpRequest> to_request(std::string_view input, std::size_t body_limit) {
  std::string raw;
  std::size_t at = 0;
  for (bool first = true;; first = false) {
    std::size_t end = input.find('\n', at);
    std::string_view line = input.substr(at, end == std::string_view::npos ? end : end - at);
    at = end == std::string_view::npos ? input.size() : end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() && !first) break;
    if (first)
      raw.append(line).append(" HTTP/1.1\r\n");
    else if (!starts_with_nocase(line, "content-length:") &&
             !starts_with_nocase(line, "transfer-encoding:"))
      raw.append(line).append("\r\n");
    if (at == input.size()) break;
  }
  std::string_view body = input.substr(at);
  raw += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  raw += body;
  http::request_parser<http::string_body> parser;
  parser.header_limit(64 * 1024);
  parser.body_limit(body_limit);
  parser.eager(true);
  beast::error_code ec;
  for (std::size_t used = 0; !parser.is_done();) {
    std::size_t n = parser.put(boost::asio::buffer(raw.data() + used, raw.size() - used), ec);
    if (ec || n == 0) return std::nullopt;
    used += n;
  }
  return parser.release();
}

void check_response(const HttpResponse& res) {
  unsigned status = res.result_int();
  fuzz::require(status >= 200 && status <= 599, "a status outside 200..599");
  std::string type(res[http::field::content_type]);
  fuzz::require(!type.empty(), "an answer without a Content-Type");
  if (type.starts_with("application/json")) {
    boost::system::error_code ec;
    auto doc = boost::json::parse(res.body(), ec);
    fuzz::require(!ec, "a JSON answer does not parse", res.body());
    // Errors are {"error": {"status": N, ...}}; only health (503 failing) answers otherwise.
    auto* error = doc.is_object() ? doc.as_object().if_contains("error") : nullptr;
    auto* code = error && error->is_object() ? error->as_object().if_contains("status") : nullptr;
    if (status >= 400 && !(status == 503 && !error))
      fuzz::require(code && code->is_int64() && code->as_int64() == status,
                    "an error answer does not carry its status", res.body());
  } else {
    fuzz::require_utf8(res.body(), "an answer's body");
  }
  // What goes on the wire reads back as the same response.
  std::ostringstream wire;
  wire << res;
  std::string bytes = wire.str();
  http::response_parser<http::string_body> parser;
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  parser.eager(true);
  beast::error_code ec;
  std::size_t used = parser.put(boost::asio::buffer(bytes), ec);
  fuzz::require(!ec && parser.is_done() && used == bytes.size(),
                "an answer is not well-formed HTTP", bytes);
  fuzz::require(parser.get().body() == res.body(), "an answer's body changes on the wire", bytes);
}

}  // namespace

// Every set is compiled and tested before fuzzing starts (not in the first input's time limit).
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  service();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Service& s = service();
  auto request = to_request(fuzz::as_text(data, size), s.config().max_body_bytes);
  if (!request) return 0;  // the network layer answers 400 itself
  std::string_view target = request->target();
  // A reload compiles and tests every set again (seconds): not fuzzed here, the serve test has it.
  if (target.substr(0, target.find('?')) == "/v1/reload") return 0;
  if (request->body().size() > 64 * 1024) {
    if (auto early = s.answer_early(*request)) return check_response(*early), 0;
  }
  auto answered = std::make_shared<std::promise<HttpResponse>>();
  auto calls = std::make_shared<std::atomic<int>>(0);
  s.handle(std::move(*request), [answered, calls](HttpResponse res) {
    if (calls->fetch_add(1) == 0) answered->set_value(std::move(res));
  });
  auto future = answered->get_future();
  if (future.wait_for(std::chrono::seconds(30)) != std::future_status::ready)
    fuzz::fail("a request was never answered");
  check_response(future.get());
  fuzz::require(calls->load() == 1, "a request was answered twice");
  return 0;
}
