// Fuzz target: `xy fmt`. Whatever parses formats to text that means the same (E0601 never fires),
// formatting is idempotent, and translating keywords there and back keeps the meaning.
#include "check.h"
#include "xiangyue/compiler/syntax.h"
#include "xiangyue/tooling/format.h"

namespace {

bool unsound(const xy::tooling::Formatted& f) {
  for (const auto& d : f.diagnostics.sorted())
    if (d.code == "E0601") return true;
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace xy;
  SourceFile input{"fuzz.xy", std::string(fuzz::as_text(data, size))};
  auto once = tooling::format_source(input);
  fuzz::require(!unsound(once), "the formatter changed what the file means", input.text);
  if (!once.text) return 0;
  fuzz::require_utf8(*once.text, "the formatted text");
  auto twice = tooling::format_source(SourceFile{"fuzz.xy", *once.text});
  fuzz::require(twice.text && *twice.text == *once.text, "formatting is not idempotent",
                *once.text);
  for (auto lang : {tooling::KeywordLanguage::en, tooling::KeywordLanguage::zh}) {
    auto translated = tooling::format_source(input, {lang});
    fuzz::require(!unsound(translated), "translating keywords changed the meaning", input.text);
  }
  return 0;
}
