// `xy fmt`: the canonical layout of a policy file, comments and blank-line groups kept, keywords
// optionally rewritten into the other language.
#pragma once
#include <optional>
#include <string>

#include "xiangyue/common/diagnostic.h"

namespace xy::tooling {

enum class KeywordLanguage { keep, en, zh };

struct FormatOptions {
  // `en` / `zh`: keywords, effects, kinds and defaults written in the other language are
  // rewritten (each into its main spelling); names, strings, punctuation and comments untouched.
  KeywordLanguage keywords = KeywordLanguage::keep;
};

struct Formatted {
  std::optional<std::string> text;  // nullopt: the file does not parse, or the check failed
  DiagnosticSink diagnostics;       // the parse errors, or E0601 when the output was unsound
};

// Formats one file. Every run checks its own output: it parses, and it has the same shape
// (syntax::shape) as the input, so it compiles to the same program; otherwise no text (E0601).
Formatted format_source(const SourceFile& file, const FormatOptions& options = {});

// A unified diff (`--- a`/`+++ b`, hunks with three lines of context) of two texts, line by line;
// empty when they are equal.
std::string unified_diff(const std::string& path, const std::string& before,
                         const std::string& after);

}  // namespace xy::tooling
