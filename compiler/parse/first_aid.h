// First aid for syntax errors: names the likely slip in the language the file is written in.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "xiangyue/common/diagnostic.h"
#include "xiangyue/compiler/syntax.h"

namespace xy::parse {

// What to say about one syntax error; a part left empty keeps the listener's own ("unexpected
// `x`" at the offending token, "expected …" as help).
struct Aid {
  std::optional<SourceSpan> span;
  std::optional<Localized> message;
  std::optional<Localized> help;
  bool repeat = false;  // the error follows from a problem already reported: say nothing
};

// Looks at the tokens around a syntax error for a Chinese keyword glued to a name, a word that is
// not a keyword (`reason`), a `{` that is never closed, or a full-width operator.
class FirstAid {
 public:
  // `file` holds the text and every token (comments included, EOF last); it must outlive this.
  FirstAid(const syntax::Tree& file, std::uint32_t file_id) : file_(file), file_id_(file_id) {}

  // The syntax error whose offending token is `at` (an index into the file's tokens).
  Aid at(std::uint32_t at);

  // Whether the error at `at` comes right after the one reported at `previous`, on its line: the
  // parser stumbling again as it recovers, which is not another problem.
  bool cascade(std::uint32_t previous, std::uint32_t at) const;

  // A keyword as the file spells its keywords: `rule`, or `规则` in a file written in Chinese.
  Localized keyword(syntax::Keyword k) const;
  // Whether the file writes its keywords in Chinese.
  bool keywords_zh() const { return file_.keywords_zh(); }

 private:
  struct Unclosed {
    std::uint32_t brace;  // the `{`
    std::uint32_t found;  // the `}` that, by its indentation, closed an outer brace; or EOF
    bool reported = false;
  };

  std::optional<Aid> unclosed_brace(std::uint32_t at);
  std::optional<Aid> slip(std::uint32_t at) const;
  std::optional<Aid> glued(std::uint32_t at) const;
  void find_unclosed();

  std::string_view text(std::uint32_t i) const { return file_.token_text(i); }
  const syntax::Token& token(std::uint32_t i) const { return file_.tokens[i]; }
  std::optional<std::uint32_t> before(std::uint32_t i) const;  // the code token before `i`
  std::optional<std::uint32_t> after(std::uint32_t i) const;   // the code token after `i`
  bool first_on_line(std::uint32_t i) const;
  std::uint32_t indent(std::uint32_t i) const;  // column of the first code token on i's line
  bool declared(std::string_view name) const;
  SourceSpan span(std::uint32_t i) const { return file_.span(file_id_, i, i); }

  const syntax::Tree& file_;
  std::uint32_t file_id_;
  std::optional<std::vector<Unclosed>> unclosed_;  // found at the first error that asks
};

}  // namespace xy::parse
