// Checks one rule (effect, action, condition, reason template, basis, period), then links
// exceptions to the rules they override.
#include <algorithm>

#include "checker.h"
#include "parse/parse.h"
#include "xiangyue/runtime/vocabulary.h"

namespace xy::check {

void Checker::check_rule(ast::RuleDecl& r, std::uint32_t policy, std::uint32_t default_action,
                         bool kind_known) {
  for (const auto& [at, word] : r.repeated)
    sink_.error("E0103", at,
                {"the rule `" + r.id.text + "` has more than one `" + word + "` clause",
                 "规则「" + r.id.text + "」有多个「" + word + "」子句"});
  ir::Rule rule;
  rule.id = r.id.text;
  rule.policy = policy;
  rule.loc = {r.id.span.file,      r.span.line,    r.span.column, r.extent.end_line,
              r.extent.end_column, r.extent.begin, r.extent.end};
  bool review = b_.policies[policy].kind == ir::Kind::Review;
  const EffectWords* eff = effect_by_word(r.effect.text);
  if (!kind_known) {
    if (eff) rule.effect = eff->effect;
  } else if (!eff || (eff->kind == ir::Kind::Review) != review) {
    std::vector<std::string> allowed =
        effect_spellings(review ? ir::Kind::Review : ir::Kind::Check, true);
    const char* en_list = review ? "`reject`, `refer` or `pass`" : "`permit` or `forbid`";
    const char* zh_list = review ? "「不能」「不宜」或「通过」" : "「允许」或「禁止」";
    Localized msg = eff ? Localized{"`" + r.effect.text + "` is an effect of " +
                                        (review ? "check" : "review") + " policies; a " +
                                        (review ? "review" : "check") + " policy uses " + en_list,
                                    "「" + r.effect.text + "」是" + (review ? "检查" : "审查") +
                                        "类政策的效果；" + (review ? "审查" : "检查") +
                                        "类政策应使用" + zh_list}
                        : Localized{"unknown effect `" + r.effect.text + "`; a " +
                                        (review ? "review" : "check") + " policy uses " + en_list,
                                    "未知效果「" + r.effect.text + "」；" +
                                        (review ? "审查" : "检查") + "类政策应使用" + zh_list};
    auto& d = sink_.error("E0202", r.effect.span, msg);
    if (!eff)
      if (auto s = closest_name(r.effect.text, allowed); !s.empty())
        d.help = Localized{"did you mean `" + s + "`?", "是否应为「" + s + "」？"};
  } else {
    rule.effect = eff->effect;
  }

  action_ = default_action;
  if (r.action) {
    auto it = b_.action_by_name.find(r.action->text);
    if (it == b_.action_by_name.end()) {
      std::vector<std::string> names;
      for (const auto& a : b_.actions) names.push_back(a.name);
      auto& d = sink_.error(
          "E0101", r.action->span,
          {"unknown action `" + r.action->text + "`", "未知行为「" + r.action->text + "」"});
      if (auto s = closest_name(r.action->text, names); !s.empty())
        d.help = Localized{"did you mean `" + s + "`?", "是否应为「" + s + "」？"};
      action_ = ir::kNone;
    } else {
      action_ = it->second;
    }
  } else if (default_action == ir::kNone) {
    auto& d =
        sink_.error("E0403", r.id.span,
                    {"the rule `" + r.id.text + "` names no action and its policy has no `for`",
                     "规则「" + r.id.text + "」未指明行为，所属政策也没有「针对」"});
    d.help = Localized{"write the action after the effect, e.g. `rule A1 permit 下派事项 when ...`",
                       "在效果之后写明行为，例如「规则 A1 允许 下派事项 当 …」"};
  }
  rule.action = action_ == ir::kNone ? 0 : action_;

  scope_.clear();
  rule_vars_.clear();
  next_slot_ = 0;
  depth_reported_ = false;
  checked::RuleBody body;
  body.decl = &r;
  if (r.when && action_ != ir::kNone) {
    Typed c = check(*r.when);
    if (c.ok() && T(c.type).kind != ir::TypeKind::Bool) {
      sink_.error(
          "E0201", r.when->span,
          {"a `when` condition must be a condition (bool), found " + type_name(c.type, Lang::en),
           "「当」之后应为条件（布尔），实为" + type_name(c.type, Lang::zh)});
    } else if (c.ok()) {
      body.when = r.when.get();
    }
  }
  if (r.because && action_ != ir::kNone) body.because = reason_template(*r.because);
  rule.slots = next_slot_;
  if (r.basis) rule.citation = citation(*r.basis);
  if (r.effective) {
    auto from = date_of(r.effective->from, r.effective->from_span);
    if (from) rule.from = *from;
    if (r.effective->until) {
      auto until = date_of(*r.effective->until, r.effective->until_span);
      if (until) rule.until = *until;
      if (from && until && *until < *from)
        sink_.error(
            "E0404", r.effective->span,
            {"the effective period ends before it starts", "生效期间的结束日期早于开始日期"});
    }
  }
  if (action_ == ir::kNone) rule.action = ir::kNone;
  b_.rules.push_back(std::move(rule));
  p_.rules.push_back(std::move(body));
}

std::vector<checked::Piece> Checker::reason_template(const ast::StringLit& s) {
  std::vector<checked::Piece> out;
  std::u32string cps = decode_utf8(s.value);
  std::u32string literal;
  auto flush = [&] {
    if (!literal.empty()) out.push_back({encode_utf8(literal), nullptr, ir::kNone});
    literal.clear();
  };
  scope_ = rule_vars_;
  for (std::size_t i = 0; i < cps.size(); ++i) {
    char32_t c = cps[i];
    SourceSpan at = s.span;
    at.column = s.span.column + 1 + static_cast<std::uint32_t>(i);
    if ((c == U'{' || c == U'}') && i + 1 < cps.size() && cps[i + 1] == c) {
      literal += c;
      ++i;
      continue;
    }
    if (c == U'}') {
      at.length = 1;
      sink_.error("E0304", at,
                  {"unmatched `}` in the reason; write `}}` for a brace",
                   "理由中的「}」没有配对；如需花括号请写「}}」"});
      continue;
    }
    if (c != U'{') {
      literal += c;
      continue;
    }
    std::size_t end = i + 1;
    while (end < cps.size() && cps[end] != U'}') ++end;
    if (end >= cps.size()) {
      at.length = static_cast<std::uint32_t>(cps.size() - i);
      sink_.error("E0304", at,
                  {"unclosed `{` in the reason; write `{{` for a brace",
                   "理由中的「{」没有闭合；如需花括号请写「{{」"});
      break;
    }
    std::string text = encode_utf8(cps.substr(i + 1, end - i - 1));
    at.length = static_cast<std::uint32_t>(end - i + 1);
    flush();
    // `{申报人.姓名|遮蔽}` / `{name|masked}`: the value shown partly hidden (张**, 41**…12).
    bool masked = false;
    if (auto bar = text.rfind('|'); bar != std::string::npos) {
      std::string form = text.substr(bar + 1);
      form.erase(0, form.find_first_not_of(' '));
      form.erase(form.find_last_not_of(' ') + 1);
      if (form != "遮蔽" && form != "masked") {
        sink_.error("E0304", at,
                    {"`|" + form + "` is not a form of a placeholder; the one form is `|masked`",
                     "「|" + form + "」不是占位符的写法；唯一的写法是「|遮蔽」"});
        i = end;
        continue;
      }
      masked = true;
      text.erase(bar);
    }
    read_sensitive_.clear();
    ast::ExprPtr e = parse::parse_placeholder(text, at, sink_);
    if (!e) {
      sink_.error("E0304", at,
                  {"`{" + text + "}` is not a fact path such as `{事项.名称}`",
                   "「{" + text + "}」不是事实路径，例如「{事项.名称}」"});
    } else {
      std::size_t before = sink_.error_count();
      std::size_t kept = sink_.kept();
      Typed t = check(*e);
      sink_.recode_since(kept, "E0304");
      if (t.ok()) {
        auto k = T(t.type).kind;
        if (k == ir::TypeKind::Struct) {
          sink_.error("E0304", at,
                      {"`{" + text + "}` is a record; name one of its fields",
                       "「{" + text + "}」是记录，请写出其中的字段"});
        } else if (!read_sensitive_.empty() && !masked) {
          // The reason is stored with the decision and shown to reviewers in clear, beside the
          // request whose sensitive facts are masked.
          auto& d =
              sink_.error("E0307", at,
                          {"`{" + text + "}` would put the sensitive fact `" + read_sensitive_ +
                               "` in clear into the reason, which is stored and shown to reviewers",
                           "「{" + text + "}」会把敏感事实「" + read_sensitive_ +
                               "」明文写进理由，而理由会存档并展示给审查人员"});
          d.help = Localized{"show it masked with `{" + text + "|masked}`, or leave it out",
                             "如需显示，请写「{" + text + "|遮蔽}」（部分遮蔽），或不写"};
        } else {
          out.push_back({"{" + text + (masked ? "|遮蔽}" : "}"), e.get(), t.type});
          p_.placeholders.push_back(std::move(e));
        }
      } else if (sink_.error_count() == before) {
        sink_.error(
            "E0304", at,
            {"cannot use `{" + text + "}` in the reason", "理由中不能使用「{" + text + "}」"});
      }
    }
    i = end;
  }
  flush();
  scope_.clear();
  return out;
}

void Checker::link_exceptions(
    const std::vector<std::pair<std::uint32_t, const ast::RuleDecl*>>& rules) {
  for (const auto& [index, decl] : rules) {
    if (!decl->base) continue;
    std::uint32_t base = ir::kNone;
    std::vector<std::string> ids;
    for (const auto& [j, other] : rules) {
      if (other->id.text == decl->base->text) base = j;
      if (other != decl) ids.push_back(other->id.text);
    }
    if (base == ir::kNone) {
      auto& d = sink_.error(
          "E0102", decl->base->span,
          {"`" + decl->id.text + "` is an exception to `" + decl->base->text +
               "`, but no such rule exists in this policy",
           "「" + decl->id.text + "」是「" + decl->base->text + "」的例外，但本政策没有该规则"});
      if (auto s = closest_name(decl->base->text, ids); !s.empty())
        d.help = Localized{"did you mean `" + s + "`?", "是否应为「" + s + "」？"};
      continue;
    }
    if (b_.rules[base].action != b_.rules[index].action) {
      sink_.error(
          "E0102", decl->base->span,
          {"`" + decl->id.text + "` and `" + decl->base->text + "` apply to different actions",
           "「" + decl->id.text + "」与「" + decl->base->text + "」针对不同的行为"});
      continue;
    }
    b_.rules[index].base = base;
    b_.rules[base].exceptions.push_back(index);
  }
  // Cycles: follow base links from each rule.
  for (const auto& [index, decl] : rules) {
    std::uint32_t at = b_.rules[index].base;
    for (std::size_t steps = 0; at != ir::kNone && steps <= rules.size(); ++steps) {
      if (at == index) {
        sink_.error("E0401", decl->id.span,
                    {"the exceptions of `" + decl->id.text + "` lead back to it",
                     "「" + decl->id.text + "」的例外关系形成循环"});
        b_.rules[index].base = ir::kNone;  // break the cycle so later stages terminate
        break;
      }
      at = b_.rules[at].base;
    }
  }
}

void Checker::run() {
  ast::Program& program = p_.ast;
  declare_types(program);
  resolve_fields(program);
  check_lists(program);
  check_returns(program);
  check_policies(program);
}

}  // namespace xy::check
