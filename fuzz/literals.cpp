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
    case 0: {
      auto d = lit::parse_date(text);
      check_error(d, text);
      if (d) {
        auto again = lit::parse_date(d->to_string());
        fuzz::require(again && *again == *d, "a date does not read back", d->to_string());
      }
      break;
    }
    case 1: {
      auto d = lit::parse_duration(text);
      check_error(d, text);
      if (d) {
        auto again = lit::parse_duration(d->to_string());
        fuzz::require(again && *again == *d, "a duration does not read back", d->to_string());
      }
      break;
    }
    case 2: {
      auto n = lit::parse_number(text);
      check_error(n, text);
      if (n) {
        auto again = lit::parse_number(n->to_string());
        fuzz::require(again && *again == *n, "a number does not read back", n->to_string());
      }
      break;
    }
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
