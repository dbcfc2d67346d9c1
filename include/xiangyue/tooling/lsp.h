// `xy lsp`: the language server for policy files, over stdio (JSON-RPC with Content-Length
// framing, LSP 3.17): diagnostics, hover, definition, completion, symbols, formatting.
#pragma once
#include <istream>
#include <ostream>

#include "xiangyue/common/diagnostic.h"

namespace xy::tooling {

// Serves one client until `exit`; returns the process exit code (0 after `shutdown`, else 1).
// `lang`: the language of messages unless the client's `initialize` names a locale.
int serve_lsp(std::istream& in, std::ostream& out, Lang lang);

}  // namespace xy::tooling
