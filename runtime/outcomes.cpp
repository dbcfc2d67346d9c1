// The one vocabulary table (vocabulary.h): outcomes, effects and kinds with their wire names and
// the words people read and write for them, in English and Chinese.
#include <algorithm>
#include <cctype>

#include "xiangyue/runtime/vocabulary.h"

namespace xy {
namespace {

using ir::Kind;
using ir::Outcome;

constexpr OutcomeWords kOutcomeWords[] = {
    {Outcome::Permit, "permit", "permit", "准许", "准许", "允许", "permit"},
    {Outcome::Deny, "deny", "deny", "不准许", "不准许（适用禁止性规定）", "禁止", "deny"},
    {Outcome::NotPermitted, "not_permitted", "not permitted", "不予许可", "不予许可（无授权）",
     "未授权", "not_permitted"},
    {Outcome::Indeterminate, "indeterminate", "indeterminate", "无法判定", "无法判定", "",
     "indeterminate"},
    {Outcome::Reject, "不能", "reject", "不能", "不能", "", "reject"},
    {Outcome::Refer, "不宜", "refer", "不宜", "不宜", "", "refer"},
    {Outcome::Pass, "通过", "pass", "通过", "通过", "", "pass"},
};

constexpr EffectWords kEffectWords[] = {
    {ir::Effect::Permit, "permit", "允许", "准许", Kind::Check, Outcome::Permit},
    {ir::Effect::Forbid, "forbid", "禁止", "deny", Kind::Check, Outcome::Deny},
    {ir::Effect::Reject, "reject", "不能", "", Kind::Review, Outcome::Reject},
    {ir::Effect::Refer, "refer", "不宜", "", Kind::Review, Outcome::Refer},
    {ir::Effect::Pass, "pass", "通过", "", Kind::Review, Outcome::Pass},
};

constexpr KindWords kKindWords[] = {{Kind::Check, "check", "检查"},
                                    {Kind::Review, "review", "审查"}};

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The words of a space-separated alias list.
std::vector<std::string_view> split(std::string_view list) {
  std::vector<std::string_view> out;
  for (std::string_view rest = list; !rest.empty();) {
    std::size_t space = std::min(rest.find(' '), rest.size());
    out.push_back(rest.substr(0, space));
    rest.remove_prefix(std::min(space + 1, rest.size()));
  }
  return out;
}

bool in_list(std::string_view list, std::string_view w) {
  auto words = split(list);
  return std::find(words.begin(), words.end(), w) != words.end();
}

}  // namespace

std::span<const OutcomeWords> all_outcomes() {
  return kOutcomeWords;
}
std::span<const EffectWords> all_effects() {
  return kEffectWords;
}
std::span<const KindWords> all_kinds() {
  return kKindWords;
}

const OutcomeWords& outcome_words(Outcome o) {
  for (const auto& w : kOutcomeWords)
    if (w.outcome == o) return w;
  return kOutcomeWords[3];  // indeterminate
}

const EffectWords& effect_words(ir::Effect e) {
  for (const auto& w : kEffectWords)
    if (w.effect == e) return w;
  return kEffectWords[0];
}

const KindWords& kind_words(Kind k) {
  return k == Kind::Review ? kKindWords[1] : kKindWords[0];
}

const OutcomeWords* outcome_by_word(std::string_view word) {
  std::string w = ascii_lower(word);
  for (const auto& o : kOutcomeWords)
    if (w == o.wire || w == o.en || w == o.zh || w == o.source_en || in_list(o.aliases, w))
      return &o;
  return nullptr;
}

const EffectWords* effect_by_word(std::string_view word) {
  std::string w = ascii_lower(word);
  for (const auto& e : kEffectWords)
    if (w == e.wire || w == e.zh || in_list(e.aliases, w)) return &e;
  return nullptr;
}

const KindWords* kind_by_word(std::string_view word) {
  std::string w = ascii_lower(word);
  for (const auto& k : kKindWords)
    if (w == k.en || w == k.zh) return &k;
  return nullptr;
}

bool allowed_default(Kind kind, Outcome o) {
  if (kind == Kind::Check) return o == Outcome::Permit || o == Outcome::NotPermitted;
  return o == Outcome::Pass || o == Outcome::Refer || o == Outcome::Reject;
}

std::vector<std::string> kind_spellings() {
  std::vector<std::string> out;
  for (const auto& k : kKindWords) out.insert(out.end(), {k.en, k.zh});
  return out;
}

std::vector<std::string> effect_spellings(Kind kind, bool with_aliases) {
  std::vector<std::string> out;
  for (const auto& e : kEffectWords) {
    if (e.kind != kind) continue;
    out.insert(out.end(), {e.wire, e.zh});
    if (with_aliases)
      for (auto a : split(e.aliases)) out.emplace_back(a);
  }
  return out;
}

std::vector<std::string> default_spellings(Kind kind, bool with_aliases) {
  std::vector<std::string> out;
  for (const auto& o : kOutcomeWords) {
    if (!allowed_default(kind, o.outcome)) continue;
    out.insert(out.end(), {o.source_en, o.zh});
    if (with_aliases)
      for (auto a : split(o.aliases)) out.emplace_back(a);
  }
  return out;
}

const char* outcome_name(Outcome o) {
  return outcome_words(o).wire;
}

const char* effect_name(ir::Effect e) {
  return effect_words(e).wire;
}

std::string outcome_label(std::string_view wire, Lang lang) {
  for (const auto& o : kOutcomeWords)
    if (wire == o.wire) return lang == Lang::zh ? o.zh : o.en;
  return std::string(wire);
}

std::string effect_label(std::string_view wire, Lang lang) {
  for (const auto& e : kEffectWords)
    if (wire == e.wire) return lang == Lang::zh ? e.zh : e.wire;
  return std::string(wire);
}

std::string problem_label(std::string_view wire, Lang lang) {
  if (lang == Lang::zh && wire == "missing") return "缺失";
  if (lang == Lang::zh && wire == "invalid") return "无效";
  return std::string(wire);
}

}  // namespace xy
