// The compiler's public entry: policy files in, a bundle or located diagnostics out.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "xiangyue/common/diagnostic.h"
#include "xiangyue/runtime/bundle.h"

namespace xy {

struct CompileResult {
  std::optional<Bundle> bundle;  // present when there were no errors
  DiagnosticSink diagnostics;
  std::vector<SourceFile> files;  // for rendering diagnostics
};

// Compiles the given files and directories (a directory means every *.xy under it, sorted).
CompileResult compile_paths(const std::vector<std::string>& paths);
// Compiles sources already in memory (tests, fuzzing).
CompileResult compile_sources(std::vector<SourceFile> files);

}  // namespace xy
