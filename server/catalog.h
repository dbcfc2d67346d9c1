// The policies the service decides with: every set compiled and tested, actions routed to sets.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "xiangyue/common/result.h"
#include "xiangyue/runtime/bundle.h"

namespace xy::server {

struct LoadedSet {
  std::string dir;
  Bundle bundle;
  std::size_t tests = 0;  // test cases run and passed when it was loaded
};

struct Catalog {
  std::vector<LoadedSet> sets;
  std::unordered_map<std::string, std::size_t> by_action;  // action name → set
  std::string loaded_at;                                   // UTC
  Localized warnings;  // the compiler's warnings, rendered (logged at each load)
};

// Compiles every set under `dir` and runs its test tables. Fails (with every diagnostic and
// failed case, rendered in both languages) unless all compile and pass and no action is in two
// sets.
Result<std::shared_ptr<const Catalog>, Localized> load_catalog(const std::string& dir,
                                                               const std::string& laws);

// A fingerprint of the files under `dir` (paths, sizes, modification times), to notice edits;
// nothing when the folder cannot be read whole (out of file descriptors, a file vanishing).
std::optional<std::string> fingerprint(const std::string& dir);

}  // namespace xy::server
