// The one outcome table: each outcome's wire name (decision JSON, the audit store) and the words
// people read and write for it, in English and Chinese. Text output, the HTML view, the audit
// commands, filters and test tables all take their words from here.
#include <algorithm>
#include <cctype>

#include "xiangyue/runtime/engine.h"

namespace xy {
namespace {

constexpr OutcomeWords kOutcomeWords[] = {
    {ir::Outcome::Permit, "permit", "permit", "准许", "准许", "允许"},
    {ir::Outcome::Deny, "deny", "deny", "不准许", "不准许（适用禁止性规定）", "禁止"},
    {ir::Outcome::NotPermitted, "not_permitted", "not permitted", "不予许可", "不予许可（无授权）",
     ""},
    {ir::Outcome::Indeterminate, "indeterminate", "indeterminate", "无法判定", "无法判定", ""},
    {ir::Outcome::Reject, "不能", "reject", "不能", "不能", ""},
    {ir::Outcome::Refer, "不宜", "refer", "不宜", "不宜", ""},
    {ir::Outcome::Pass, "通过", "pass", "通过", "通过", ""},
};

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::span<const OutcomeWords> all_outcomes() {
  return kOutcomeWords;
}

const OutcomeWords& outcome_words(ir::Outcome o) {
  for (const auto& w : kOutcomeWords)
    if (w.outcome == o) return w;
  return kOutcomeWords[3];  // indeterminate
}

const OutcomeWords* outcome_by_word(std::string_view word) {
  std::string w = ascii_lower(word);
  for (const auto& o : kOutcomeWords) {
    if (w == o.wire || w == o.en || w == o.zh) return &o;
    for (std::string_view rest = o.aliases; !rest.empty();) {
      std::size_t space = std::min(rest.find(' '), rest.size());
      if (w == rest.substr(0, space)) return &o;
      rest.remove_prefix(std::min(space + 1, rest.size()));
    }
  }
  return nullptr;
}

std::string outcome_label(std::string_view wire, Lang lang) {
  for (const auto& o : kOutcomeWords)
    if (wire == o.wire) return lang == Lang::zh ? o.zh : o.en;
  return std::string(wire);
}

std::string effect_label(std::string_view wire, Lang lang) {
  static constexpr std::pair<const char*, const char*> kEffects[] = {{"permit", "允许"},
                                                                     {"forbid", "禁止"},
                                                                     {"reject", "不能"},
                                                                     {"refer", "不宜"},
                                                                     {"pass", "通过"}};
  if (lang == Lang::zh)
    for (const auto& [en, zh] : kEffects)
      if (wire == en) return zh;
  return std::string(wire);
}

std::string problem_label(std::string_view wire, Lang lang) {
  if (lang == Lang::zh && wire == "missing") return "缺失";
  if (lang == Lang::zh && wire == "invalid") return "无效";
  return std::string(wire);
}

}  // namespace xy
