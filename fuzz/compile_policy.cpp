// Fuzz target: the policy front end. Text in, parsed and checked; the diagnostics render as
// valid UTF-8 in both languages; a compiled bundle survives its file format and decides.
#include "check.h"
#include "decide_each.h"
#include "xiangyue/compiler/compiler.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace xy;
  auto result = compile_sources({SourceFile{"fuzz.xy", std::string(fuzz::as_text(data, size))}});
  for (Lang lang : {Lang::en, Lang::zh}) {
    std::string shown = render_all(result.diagnostics, result.files, lang, 1000);
    fuzz::require_utf8(shown, "the rendered diagnostics");
  }
  fuzz::require(result.bundle.has_value() == !result.diagnostics.has_errors(),
                "a bundle exactly when there is no error");
  if (!result.bundle) return 0;
  std::string bytes = result.bundle->serialize();
  auto loaded = Bundle::deserialize(bytes);
  fuzz::require(loaded.ok(), "a compiled bundle does not load", loaded ? "" : loaded.error().en);
  fuzz::require(loaded->serialize() == bytes, "a compiled bundle changes when loaded");
  fuzz::decide_each_action(*loaded);
  return 0;
}
