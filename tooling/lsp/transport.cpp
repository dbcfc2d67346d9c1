// LSP framing: header lines up to an empty line, of which Content-Length is required.
#include "transport.h"

#include <charconv>

namespace xy::tooling::lsp {

std::optional<std::string> read_message(std::istream& in) {
  constexpr std::size_t kMaxBody = 64 * 1024 * 1024;
  std::optional<std::size_t> length;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (!length) continue;  // stray blank lines between messages
      if (*length > kMaxBody) return std::nullopt;
      std::string body(*length, '\0');
      in.read(body.data(), static_cast<std::streamsize>(*length));
      if (static_cast<std::size_t>(in.gcount()) != *length) return std::nullopt;
      return body;
    }
    constexpr std::string_view kKey = "content-length:";
    if (line.size() > kKey.size()) {
      std::string key = line.substr(0, kKey.size());
      for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (key == kKey) {
        std::string_view v(line);
        v.remove_prefix(kKey.size());
        while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
        std::size_t n = 0;
        auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
        if (ec != std::errc() || p != v.data() + v.size()) return std::nullopt;
        length = n;
      }
    }
  }
  return std::nullopt;
}

void write_message(std::ostream& out, const std::string& body) {
  out << "Content-Length: " << body.size() << "\r\n\r\n" << body;
  out.flush();
}

}  // namespace xy::tooling::lsp
