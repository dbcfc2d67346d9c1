// LSP framing (private to the language server): `Content-Length: N` headers, then N bytes of JSON.
#pragma once
#include <istream>
#include <optional>
#include <ostream>
#include <string>

namespace xy::tooling::lsp {

// The next message's body; nullopt at end of input or on a broken header (the stream is then
// unusable: a client that breaks framing cannot be resynchronised).
std::optional<std::string> read_message(std::istream& in);
void write_message(std::ostream& out, const std::string& body);

}  // namespace xy::tooling::lsp
