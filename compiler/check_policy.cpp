// Checks policies and rules: kinds, defaults, effects, actions, periods, reasons, exceptions.
#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "checker.h"
#include "parse/parse.h"
#include "xiangyue/runtime/vocabulary.h"

namespace xy::check {
namespace {

std::string word_list(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "`" : ", `") + w + "`";
  return out;
}

ir::Location loc(const SourceSpan& s) {
  return {s.file, s.line, s.column, s.end_line, s.end_column, s.begin, s.end};
}

}  // namespace

void Checker::check_policies(ast::Program& p) {
  // Blocks with the same name form one policy.
  std::vector<std::string> order;
  std::map<std::string, std::vector<ast::PolicyDecl*>> groups;
  for (auto& decl : p.policies) {
    if (!groups.count(decl.name.text)) order.push_back(decl.name.text);
    groups[decl.name.text].push_back(&decl);
  }
  for (const auto& name : order) {
    auto& blocks = groups[name];
    ir::Policy pol;
    pol.name = name;
    pol.loc = loc(blocks[0]->name.span);
    auto policy_index = static_cast<std::uint32_t>(b_.policies.size());
    auto once = [&](auto member, const char* what_en, const char* what_zh) {
      decltype(&(blocks[0]->*member)[0]) first = nullptr;
      for (auto* bl : blocks) {
        for (auto& item : bl->*member) {
          if (!first) {
            first = &item;
            continue;
          }
          auto& d = sink_.error(
              "E0103", item.span,
              {std::string("policy `") + name + "` sets `" + what_en + "` more than once",
               "政策「" + name + "」重复设置「" + what_zh + "」"});
          d.notes.push_back({first->span, {"first set here", "首次设置于此"}});
        }
      }
      return first;
    };
    const ast::Name* kind = once(&ast::PolicyDecl::kinds, "kind", "类型");
    const ast::Name* dflt = once(&ast::PolicyDecl::defaults, "default", "默认");
    const ast::Name* target = once(&ast::PolicyDecl::fors, "for", "针对");
    const ast::StringLit* scope = once(&ast::PolicyDecl::scopes, "scope", "范围");
    const ast::StringLit* version = once(&ast::PolicyDecl::versions, "version", "版本");
    const ast::Effective* eff = once(&ast::PolicyDecl::effectives, "effective", "生效");
    if (!kind || !dflt) {
      auto& d = sink_.error(
          "E0402", blocks[0]->name.span,
          {std::string("policy `") + name + "` has no `" + (kind ? "default" : "kind") + "`",
           "政策「" + name + "」缺少「" + (kind ? "默认" : "类型") + "」"});
      d.help =
          kind ? Localized{"add e.g. `default not_permitted` (check) or `default pass` (review)",
                           "例如加上「默认 不予许可」（检查）或「默认 通过」（审查）"}
               : Localized{"add `kind check` or `kind review`", "加上「类型 检查」或「类型 审查」"};
    }
    bool kind_known = false;
    if (kind) {
      if (const auto* k = kind_by_word(kind->text)) {
        pol.kind = k->kind;
        kind_known = true;
      } else {
        std::string words = word_list(kind_spellings());
        auto& d = sink_.error("E0203", kind->span,
                              {"unknown policy kind `" + kind->text + "`; expected " + words,
                               "未知政策类型「" + kind->text + "」，应为 " + words});
        if (auto s = closest_name(kind->text, kind_spellings()); !s.empty())
          d.help = Localized{"did you mean `" + s + "`?", "是否应为「" + s + "」？"};
      }
    }
    if (dflt && kind_known) {  // with an unknown kind, the default and effects cannot be judged
      const auto* o = outcome_by_word(dflt->text);
      if (o && allowed_default(pol.kind, o->outcome)) {
        pol.fallback = o->outcome;
      } else {
        bool review = pol.kind == ir::Kind::Review;
        std::string words = word_list(default_spellings(pol.kind, false));
        Localized msg =
            o ? Localized{"a " + std::string(review ? "review" : "check") +
                              " policy cannot default to `" + dflt->text + "`; expected " + words,
                          std::string(review ? "审查" : "检查") + "类政策不能默认「" + dflt->text +
                              "」，应为 " + words}
              : Localized{"unknown default outcome `" + dflt->text + "`; expected " + words,
                          "未知默认结果「" + dflt->text + "」，应为 " + words};
        auto& d = sink_.error("E0203", dflt->span, std::move(msg));
        if (o && o->outcome == ir::Outcome::Deny)
          d.help =
              Localized{"a prohibition comes from a rule with a citation, not from the default",
                        "禁止应当来自有依据的规则，而不是默认结果"};
        else if (auto s = closest_name(dflt->text, default_spellings(pol.kind, true)); !s.empty())
          d.help = Localized{"did you mean `" + s + "`?", "是否应为「" + s + "」？"};
      }
    }
    if (scope) pol.scope = scope->value;
    if (version) pol.version = version->value;
    if (eff) {
      auto from = date_of(eff->from, eff->from_span);
      if (from) pol.from = *from;
      if (eff->until) {
        auto until = date_of(*eff->until, eff->until_span);
        if (until) pol.until = *until;
        if (from && until && *until < *from)
          sink_.error(
              "E0404", eff->span,
              {"the effective period ends before it starts", "生效期间的结束日期早于开始日期"});
      }
    }
    std::uint32_t default_action = ir::kNone;
    if (target) {
      auto it = b_.action_by_name.find(target->text);
      if (it == b_.action_by_name.end()) {
        std::vector<std::string> names;
        for (const auto& a : b_.actions) names.push_back(a.name);
        auto& d = sink_.error(
            "E0101", target->span,
            {"unknown action `" + target->text + "`", "未知行为「" + target->text + "」"});
        if (auto s = closest_name(target->text, names); !s.empty())
          d.help = Localized{"did you mean `" + s + "`?", "是否应为「" + s + "」？"};
      } else {
        default_action = it->second;
      }
    }
    pol.target = default_action;
    b_.policies.push_back(std::move(pol));
    std::vector<std::pair<std::uint32_t, const ast::RuleDecl*>> rules;
    std::map<std::string, SourceSpan> ids;
    for (auto* bl : blocks) {
      for (auto& r : bl->rules) {
        if (auto it = ids.find(r.id.text); it != ids.end()) {
          auto& d =
              sink_.error("E0104", r.id.span,
                          {"the rule id `" + r.id.text + "` is used twice in policy `" + name + "`",
                           "规则编号「" + r.id.text + "」在政策「" + name + "」中重复"});
          d.notes.push_back({it->second, {"first used here", "首次使用于此"}});
          continue;
        }
        ids[r.id.text] = r.id.span;
        check_rule(r, policy_index, default_action, kind_known);
        rules.emplace_back(static_cast<std::uint32_t>(b_.rules.size() - 1), &r);
      }
    }
    link_exceptions(rules);
  }
}

}  // namespace xy::check
