// The one Diagnostic type for every user-facing error, with source spans and bilingual text.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xy {

enum class Lang { en, zh };

// Text in both languages; the renderer picks one.
struct Localized {
  std::string en;
  std::string zh;
  const std::string& in(Lang lang) const { return lang == Lang::zh ? zh : en; }
};

// A policy source file, kept whole so diagnostics and traces can quote its lines.
struct SourceFile {
  std::string path;  // as given on the command line (relative paths stay relative)
  std::string text;
};

// A span in a source file: 1-based line and column (in code points) and a length in code points
// on its first line; where the parser made it, also its end (line and column just past it) and
// its byte range, so a multi-line construct is shown whole and tools can point at exact text.
struct SourceSpan {
  std::uint32_t file = 0;
  std::uint32_t line = 0;  // 0 = no location
  std::uint32_t column = 0;
  std::uint32_t length = 1;
  std::uint32_t end_line = 0;  // 0 = only the first line is known
  std::uint32_t end_column = 0;
  std::uint32_t begin = 0, end = 0;  // byte offsets in the file's text; end == 0: not known

  bool known() const { return line != 0; }
  bool multiline() const { return end_line > line; }
  bool has_bytes() const { return end > begin; }
};

enum class Severity { error, warning, note };

struct Diagnostic {
  Severity severity = Severity::error;
  std::string code;  // stable, e.g. "E0101"
  SourceSpan span;
  Localized message;
  std::optional<Localized> help;
  std::vector<std::pair<SourceSpan, Localized>> notes;
};

// Collects diagnostics; errors beyond the cap are counted, not kept.
class DiagnosticSink {
 public:
  explicit DiagnosticSink(std::size_t cap = 50) : cap_(cap) {}
  Diagnostic& error(std::string code, SourceSpan span, Localized message);
  Diagnostic& warning(std::string code, SourceSpan span, Localized message);
  void add(Diagnostic d);
  bool has_errors() const { return errors_ > 0; }
  std::size_t error_count() const { return errors_; }
  // Sorted by file, line, column; at most `cap` entries.
  std::vector<Diagnostic> sorted() const;
  std::size_t dropped() const { return dropped_; }
  // Number of diagnostics kept so far, and a way to give those added since then another code
  // (a placeholder's unknown fact is a reason-template error, E0304, not a plain E0101).
  std::size_t kept() const { return items_.size(); }
  void recode_since(std::size_t kept_before, const std::string& code);

 private:
  Diagnostic& push(Diagnostic d);
  std::size_t cap_;
  std::size_t errors_ = 0;
  std::size_t dropped_ = 0;
  std::vector<Diagnostic> items_;
  Diagnostic overflow_;
};

// Renders `file:line:col: error[CODE]: message`, the source line, a caret line and help/notes.
std::string render(const Diagnostic& d, const std::vector<SourceFile>& files, Lang lang);
std::string render_all(const DiagnosticSink& sink, const std::vector<SourceFile>& files, Lang lang,
                       std::size_t show_at_most = 20);

// The closest candidate by edit distance (code points), for "did you mean" help; empty if none.
std::string closest_name(const std::string& wrong, const std::vector<std::string>& candidates);

// Display width of UTF-8 text in a terminal (East Asian wide characters count 2).
std::size_t display_width(const std::string& utf8);
std::size_t char_width(char32_t c);

// Decodes UTF-8 into code points (invalid bytes become U+FFFD).
std::u32string decode_utf8(const std::string& s);
std::string encode_utf8(const std::u32string& s);
// `utf8` cut to at most `max_chars` characters (the last of them then `…`), never inside one.
// Every place that shortens text for people uses it.
std::string shorten(std::string_view utf8, std::size_t max_chars);
// Sensitive text as shown where it may not appear in clear: the first and last two characters of
// text longer than six kept ("41**************12"), every other character `*`.
std::string partly_hidden(const std::string& utf8);
// Bytes of the UTF-8 sequence a lead byte starts (1 for ASCII and for a stray byte): for walking
// text a code point at a time where positions are counted in code points.
inline std::size_t utf8_length(unsigned char lead) {
  return lead < 0x80 ? 1 : (lead >> 5) == 6 ? 2 : (lead >> 4) == 14 ? 3 : (lead >> 3) == 30 ? 4 : 1;
}
// Whether `s` is UTF-8 (RFC 3629: no overlong forms, surrogates or code points past U+10FFFF).
bool valid_utf8(std::string_view s);
// `s` as UTF-8 text: itself when valid, else with each stray byte shown as U+FFFD. For text from
// outside (a path, a client's query) that goes into JSON, bundles or terminals.
std::string replacing_invalid_utf8(std::string_view s);

Lang lang_from_env();

}  // namespace xy
