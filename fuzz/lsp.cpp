// Fuzz target: `xy lsp`'s input, a stream of framed JSON-RPC messages. Every message it sends back
// is framed, is a JSON object and is valid UTF-8, whatever came in.
#include <boost/json.hpp>
#include <sstream>

#include "check.h"
#include "xiangyue/tooling/lsp.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace xy;
  std::string_view text = fuzz::as_text(data, size);
  std::istringstream in{std::string(text)};
  std::ostringstream out;
  tooling::serve_lsp(in, out, Lang::en);
  std::string_view rest = out.view();
  while (!rest.empty()) {
    constexpr std::string_view kHeader = "Content-Length: ";
    fuzz::require(rest.starts_with(kHeader), "an answer without its header", rest);
    rest.remove_prefix(kHeader.size());
    std::size_t end = rest.find("\r\n\r\n");
    fuzz::require(end != std::string_view::npos, "a header without its end", rest);
    std::size_t length = std::stoul(std::string(rest.substr(0, end)));
    rest.remove_prefix(end + 4);
    fuzz::require(length <= rest.size(), "a body shorter than its header says", rest);
    std::string_view body = rest.substr(0, length);
    fuzz::require_utf8(body, "an answer");
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec);
    fuzz::require(!ec && v.is_object(), "an answer that is not a JSON object", body);
    rest.remove_prefix(length);
  }
  return 0;
}
