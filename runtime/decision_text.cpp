// Renders a decision as text for people, in Chinese or English.
#include <algorithm>

#include "xiangyue/runtime/engine.h"

namespace xy {

namespace {
const char* outcome_word(ir::Outcome o, Lang lang) {
  return lang == Lang::en ? outcome_name(o) : outcome_words(o).zh_long;
}
std::string effect_word(ir::Effect e, Lang lang) {
  return effect_label(effect_name(e), lang);
}
// The cited text on one line, cut at 120 characters.
std::string quote(const std::string& text) {
  std::string line = text;
  std::replace(line.begin(), line.end(), '\n', ' ');
  return "「" + shorten(line, 120) + "」";
}

std::string where(const Bundle& b, const ir::Location& l) {
  std::string f = l.file < b.sources.size() ? b.sources[l.file].path : "?";
  return f + ":" + std::to_string(l.line) + ":" + std::to_string(l.column);
}
}  // namespace

std::string decision_text(const Bundle& b, const Request& req, const Decision& d, Lang lang) {
  bool zh = lang == Lang::zh;
  const auto& pol = b.policies[d.policy];
  std::string out = b.actions[d.action].name + " @ " + d.as_of.to_string() + " → " +
                    outcome_word(d.outcome, lang) + "   (" + (zh ? "政策 " : "policy ") + pol.name;
  if (!pol.scope.empty()) out += " " + pol.scope;
  if (!pol.version.empty()) out += " " + pol.version;
  out += (zh ? "，策略包 " : ", bundle ") + b.hash.substr(0, 12) + ")\n";
  if (d.by_default)
    out += zh ? "  没有规则适用，按政策默认结果裁决\n"
              : "  no rule applied: the policy default decided\n";
  for (const auto& r : d.reasons) {
    const auto& rule = b.rules[r.rule];
    out += "  • " + rule.id + " [" + effect_word(rule.effect, lang) + "] " + r.text + "\n";
    if (rule.citation != ir::kNone) {
      const auto& cit = b.citations[rule.citation];
      out += std::string(zh ? "      依据：" : "      basis: ") + cit.cite + "\n";
      if (!cit.text.empty())
        out += std::string(zh ? "      原文：" : "      text: ") + quote(cit.text) + "\n";
    }
    out += std::string(zh ? "      位置：" : "      at: ") + where(b, rule.loc) + "\n";
  }
  for (const auto& o : d.overridden)
    out += std::string(zh ? "  例外：" : "  set aside: ") + b.rules[o.rule].id +
           (zh ? " 被例外 " : " by exception ") + b.rules[o.by].id + (zh ? " 排除" : "") + "\n";
  for (const auto& m : d.missing) {
    std::string fact = m.path == ir::kNone ? "?" : b.paths[m.path];
    std::string rules;
    for (auto r : m.rules) rules += (rules.empty() ? "" : ", ") + b.rules[r].id;
    if (m.problem > 0 && m.problem <= req.problems.size()) {
      const auto& p = req.problems[m.problem - 1];
      out += std::string(zh ? "  事实无效：" : "  invalid fact: ") + p.path + " — " +
             p.detail.in(lang) + (zh ? "（规则 " : " (rules ") + rules + (zh ? "）\n" : ")\n");
    } else {
      out += std::string(zh ? "  缺少事实：" : "  missing fact: ") + fact +
             (zh ? "（规则 " : " (rules ") + rules + (zh ? "）\n" : ")\n");
    }
  }
  return out;
}

}  // namespace xy
