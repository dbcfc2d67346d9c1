// Fuzz target: the literal grammars (Boost.Spirit X3). The first byte picks the grammar, the rest
// is the literal. Errors point inside the input and read as valid UTF-8; what is accepted prints
// back in a form the same grammar reads as the same value.
#include "xiangyue/literals/literals.h"
#include "check.h"

namespace {

using namespace xy;

template <class T>
void check_error(const Result<T, lit::LiteralError>& r, std::string_view text) {
  if (r) return;
  fuzz::require(r.error().offset <= text.size(), "a literal error points past the input", text);
  fuzz::require_utf8(r.error().en, "a literal error (en)");
  fuzz::require_utf8(r.error().zh, "a literal error (zh)");
}

// A value `parse` accepts prints back (to_string) as text that reads as the same value.
template <class Parse>
void reads_back(Parse parse, std::string_view text, const char* what) {
  auto v = parse(text);
  check_error(v, text);
  if (!v) return;
  auto again = parse(v->to_string());
  fuzz::require(again && *again == *v, what, v->to_string());
}

void citation(std::string_view text) {
  auto c = lit::parse_citation(text);
  check_error(c, text);
  if (!c || !fuzz::valid_utf8(text)) return;
  for (const std::string* part : {&c->issuer, &c->law, &c->cite})
    fuzz::require_utf8(*part, "a part of a citation read from valid UTF-8");
  if (c->version) fuzz::require_utf8(*c->version, "a citation's version");
  for (const auto& n : {c->article, c->paragraph, c->item})
    fuzz::require(!n || *n > 0, "a citation number that is not positive", text);
  fuzz::require(!c->paragraph || c->article, "a paragraph without an article", text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view text = fuzz::as_text(data + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      reads_back(lit::parse_date, text, "a date does not read back");
      break;
    case 1:
      reads_back(lit::parse_duration, text, "a duration does not read back");
      break;
    case 2:
      reads_back(lit::parse_number, text, "a number does not read back");
      break;
    case 3:
      citation(text);
      break;
    default: {
      auto n = lit::parse_cn_numeral(text);
      check_error(n, text);
      fuzz::require(!n || *n > 0, "a numeral that is not positive", text);
    }
  }
  return 0;
}
