// The one vocabulary of decisions: outcomes, rule effects and policy kinds, each with its wire
// name and the words people read and write for it in English and Chinese. The compiler, decision
// JSON and text, test tables, the audit filter and views, metrics and `xy fmt` all read it, so the
// words agree everywhere.
#pragma once
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "xiangyue/common/diagnostic.h"
#include "xiangyue/runtime/bundle.h"

namespace xy {

struct OutcomeWords {
  ir::Outcome outcome;
  const char* wire;     // decision JSON and the audit store: permit … 不能 不宜 通过
  const char* en;       // for people: permit, deny, not permitted, indeterminate, reject …
  const char* zh;       // 准许 不准许 不予许可 无法判定 不能 不宜 通过
  const char* zh_long;  // in a decision's text: 不准许（适用禁止性规定）
  const char* aliases;  // other words accepted for it (space-separated): 允许, 禁止, 未授权
  const char* source_en;  // how a policy writes it as a default (`default not_permitted`)
};

struct EffectWords {
  ir::Effect effect;
  const char* wire;     // decision JSON: permit forbid reject refer pass
  const char* zh;       // 允许 禁止 不能 不宜 通过 (a policy's Chinese spelling)
  const char* aliases;  // other words accepted in policies (space-separated)
  ir::Kind kind;        // the kind of policy it belongs to
  ir::Outcome outcome;  // what a rule with this effect decides
};

struct KindWords {
  ir::Kind kind;
  const char* en;  // check, review
  const char* zh;  // 检查, 审查
};

std::span<const OutcomeWords> all_outcomes();
std::span<const EffectWords> all_effects();
std::span<const KindWords> all_kinds();

const OutcomeWords& outcome_words(ir::Outcome o);
const EffectWords& effect_words(ir::Effect e);
const KindWords& kind_words(ir::Kind k);
// The outcome, effect or kind a word names (wire name, English, Chinese or an alias; ASCII case
// ignored), or null.
const OutcomeWords* outcome_by_word(std::string_view word);
const EffectWords* effect_by_word(std::string_view word);
const KindWords* kind_by_word(std::string_view word);
// Whether a policy of `kind` may default to `o` (a check never defaults to `deny`: a prohibition
// must come from a rule that can be cited; a review defaults to 通过, 不宜 or 不能).
bool allowed_default(ir::Kind kind, ir::Outcome o);

// The words a policy may write for a kind, for an effect of a policy of `kind` and for its default
// (main words first; aliases too when asked): for messages and "did you mean".
std::vector<std::string> kind_spellings();
std::vector<std::string> effect_spellings(ir::Kind kind, bool with_aliases);
std::vector<std::string> default_spellings(ir::Kind kind, bool with_aliases);

const char* outcome_name(ir::Outcome o);  // the wire name
const char* effect_name(ir::Effect e);    // the wire name
// A stored outcome (wire name) in words for people; an unknown one as it is.
std::string outcome_label(std::string_view wire, Lang lang);
// A rule's effect (wire name) in words for people.
std::string effect_label(std::string_view wire, Lang lang);
// A `missing[].problem` (missing, invalid) in words for people.
std::string problem_label(std::string_view wire, Lang lang);

}  // namespace xy
