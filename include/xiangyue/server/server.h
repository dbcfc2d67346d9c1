// `xy serve`: the HTTP/1.1 JSON decision service for case systems (docs/serve.md).
#pragma once
#include <string>

#include "xiangyue/common/diagnostic.h"

namespace xy::server {

struct ServeOptions {
  std::string policies;  // one policy set, or a folder of sets
  std::string audit;     // the audit store every decision is recorded in
  std::string listen;    // HOST:PORT; empty: from the config, else 127.0.0.1:8181
  std::string config;    // JSON config file (tokens, limits); empty: defaults, no access control
  std::string laws;      // statute texts for citations; empty: found beside the policies
  Lang lang = Lang::en;  // language of error messages when the client asks for none
};

// Runs until SIGTERM/SIGINT. Exit codes: 0 clean stop, 1 the policies do not compile or their
// tests fail, 2 bad options or config, 3 the audit store cannot be opened.
int serve(const ServeOptions& options);

}  // namespace xy::server
