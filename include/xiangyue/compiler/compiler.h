// The compiler's public entry: policy files in, a bundle or located diagnostics out.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "xiangyue/common/diagnostic.h"
#include "xiangyue/compiler/returns.h"
#include "xiangyue/runtime/bundle.h"

namespace xy {

struct CompileResult {
  std::optional<Bundle> bundle;  // present when there were no errors
  DiagnosticSink diagnostics;
  std::vector<SourceFile> files;  // for rendering diagnostics
  std::string laws_dir;           // the law texts citations were checked against ("" if none)
  // The `returns` declarations, checked against the bundle's schema (xy review).
  std::vector<checked::Returns> returns;
};

struct CompileSettings {
  // Statute texts to check citations against and to quote (policies/laws/). Empty: look for a
  // `laws/` folder in, beside or above the policy paths (compile_paths only); none found: citations
  // are checked for form only.
  std::string laws_dir;
  // Every citation must be checked against law texts: without any, that is an error (E0306)
  // rather than a warning (W0306). `xy test --require-basis`.
  bool require_laws = false;
  // Where compile_paths looked for a `laws/` folder and found none (for the message).
  std::vector<std::string> laws_looked;
};

// Reads the policy files `paths` name: a file itself, a directory every *.xy under it (sorted).
// A path that is neither, a directory without .xy files or a read error is an E0501 in `sink`.
std::vector<SourceFile> read_policy_files(const std::vector<std::string>& paths,
                                          DiagnosticSink& sink);
// The `laws/` folder for policy paths (in a path, beside it or above it), or "" if none.
std::string find_laws_dir(const std::vector<std::string>& paths);
// Compiles the given files and directories (a directory means every *.xy under it, sorted).
CompileResult compile_paths(const std::vector<std::string>& paths,
                            const CompileSettings& settings = {});
// Compiles sources already in memory (tests, fuzzing).
CompileResult compile_sources(std::vector<SourceFile> files, const CompileSettings& settings = {});

}  // namespace xy
