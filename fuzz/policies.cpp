// Compiling the shipped policies once for the fuzz targets (policies.h).
#include "policies.h"

#include <cstdlib>
#include <map>

#include "check.h"
#include "xiangyue/compiler/compiler.h"

namespace xy::fuzz {

std::string policies_dir() {
  const char* given = std::getenv("XY_FUZZ_POLICIES");
  return given && *given ? given : XY_POLICIES_DIR;
}

const Bundle& policy_bundle(const std::string& set) {
  static std::map<std::string, Bundle> compiled;
  auto it = compiled.find(set);
  if (it != compiled.end()) return it->second;
  auto result = compile_paths({policies_dir() + "/" + set});
  if (!result.bundle)
    fail("the policies do not compile", render_all(result.diagnostics, result.files, Lang::en));
  return compiled.emplace(set, std::move(*result.bundle)).first->second;
}

}  // namespace xy::fuzz
