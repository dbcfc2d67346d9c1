// The text form of `xy audit show`: one recorded decision with its rules, their policy source
// lines and cited statute text, overridden rules, missing facts, the facts those rules read, the
// request and the chain data.
#include <boost/json.hpp>
#include <sstream>

#include "commands.h"
#include "xiangyue/audit/facts_read.h"
#include "xiangyue/audit/rule_source.h"
#include "xiangyue/runtime/engine.h"

namespace xy::cli {
namespace json = boost::json;

namespace {

std::string str(const json::value* v) {
  if (!v) return "";
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_null()) return "";
  return json::serialize(*v);
}

// The rule's own lines (as the HTML view shows them), numbered.
std::string rule_lines(const std::vector<SourceFile>& sources, const std::string& file,
                       std::int64_t line, std::int64_t end_line) {
  const SourceFile* src = audit::find_source(sources, file);
  auto extent = src && line > 0 ? audit::rule_extent(
                                      *src, static_cast<std::size_t>(line),
                                      static_cast<std::size_t>(std::max<std::int64_t>(end_line, 0)))
                                : std::nullopt;
  if (!extent) return {};
  std::string out;
  for (std::size_t i = extent->first; i <= extent->last; ++i)
    out += "        " + std::to_string(i + 1) + " | " + std::string(extent->lines[i]) + "\n";
  return out;
}

// "facts read": each path the rules named above read, its value in the stored request and the
// rules that read it (facts_read.h); or why there is no such list.
std::string facts_read_lines(const audit::FactsRead* facts, bool named, Lang lang) {
  bool zh = lang == Lang::zh;
  if (!facts)
    return zh ? "  读取的事实：未列出（没有此决定的规则包）\n"
              : "  facts read: not listed (no policy bundle for this decision)\n";
  std::string out;
  if (facts->facts.empty()) {
    out = !named ? (zh ? "  读取的事实：无（没有规则作出决定）\n"
                       : "  facts read: none (no rule decided)\n")
                 : (zh ? "  读取的事实：无（上述规则没有读取事实）\n"
                       : "  facts read: none (the rules above read no facts)\n");
  } else {
    out = zh ? "  读取的事实（上述规则的条件与理由所引用，依据编译后的规则）：\n"
             : "  facts read (by the conditions and reasons of the rules above, from the compiled "
               "rules):\n";
    for (const auto& f : facts->facts) {
      std::string rules;
      for (const auto& id : f.rules) rules += (rules.empty() ? "" : ", ") + id;
      out +=
          "    " + f.path + " = " + audit::fact_value_text(f.value, lang) + "    ← " + rules + "\n";
    }
  }
  if (!facts->unknown_rules.empty()) {
    std::string ids;
    for (const auto& id : facts->unknown_rules) ids += (ids.empty() ? "" : ", ") + id;
    out += (zh ? "    （规则包中没有这些规则：" : "    (not in the policy bundle: ") + ids +
           (zh ? "）\n" : ")\n");
  }
  return out;
}

}  // namespace

std::string show_text(const audit::Record& r, const std::vector<SourceFile>& sources,
                      const audit::FactsRead* facts, Lang lang) {
  bool zh = lang == Lang::zh;
  std::string out =
      (zh ? "审计记录 #" : "audit record #") + std::to_string(r.seq) + "  " + r.recorded_at + "\n";
  out += (zh ? "  结论：" : "  outcome: ") + outcome_label(r.outcome, lang) + "   " + r.action +
         " @ " + r.as_of + (zh ? "   政策 " : "   policy ") + r.policy + "\n";
  boost::system::error_code ec;
  json::value d = json::parse(r.decision, ec);
  if (ec || !d.is_object()) {
    out += zh ? "  （决定记录无法解析）\n" : "  (the stored decision cannot be read)\n";
  } else {
    const auto& o = d.get_object();
    if (auto* reasons = o.if_contains("reasons"); reasons && reasons->is_array()) {
      if (reasons->get_array().empty())
        out += zh ? "  没有规则适用，按政策默认结果裁决\n"
                  : "  no rule applied: the policy default decided\n";
      for (const auto& x : reasons->get_array()) {
        if (!x.is_object()) continue;
        const auto& reason = x.get_object();
        out += "  • " + str(reason.if_contains("rule")) + " [" +
               effect_label(str(reason.if_contains("effect")), lang) + "] " +
               str(reason.if_contains("text")) + "\n";
        if (auto* basis = reason.if_contains("basis"); basis && basis->is_object()) {
          out += (zh ? "      依据：" : "      basis: ") +
                 str(basis->get_object().if_contains("cite")) + "\n";
          std::string text = str(basis->get_object().if_contains("text"));
          if (!text.empty())
            out += (zh ? "      原文（" : "      text (") +
                   str(basis->get_object().if_contains("source")) + (zh ? "）：" : "): ") + text +
                   "\n";
        }
        if (auto* loc = reason.if_contains("location"); loc && loc->is_object()) {
          std::string file = str(loc->get_object().if_contains("file"));
          auto number = [&](const char* key) -> std::int64_t {
            const auto* v = loc->get_object().if_contains(key);
            return v && v->is_int64() ? v->get_int64() : 0;
          };
          std::int64_t line = number("line");
          out += (zh ? "      位置：" : "      at: ") + file + ":" + std::to_string(line) + "\n";
          out += rule_lines(sources, file, line, number("end_line"));
        }
      }
    }
    if (auto* over = o.if_contains("overridden"); over && over->is_array())
      for (const auto& x : over->get_array())
        out += (zh ? "  例外：" : "  set aside: ") + str(x.get_object().if_contains("rule")) +
               (zh ? " 被例外 " : " by exception ") + str(x.get_object().if_contains("by")) + "\n";
    if (auto* miss = o.if_contains("missing"); miss && miss->is_array())
      for (const auto& x : miss->get_array())
        out += (zh ? "  缺少或无效的事实：" : "  missing or invalid fact: ") +
               str(x.get_object().if_contains("fact")) + (zh ? "（" : " (") +
               problem_label(str(x.get_object().if_contains("problem")), lang) +
               (zh ? "）\n" : ")\n");
    bool named = false;
    for (const char* key : {"reasons", "overridden", "missing"})
      if (auto* list = o.if_contains(key); list && list->is_array() && !list->get_array().empty())
        named = true;
    out += facts_read_lines(facts, named, lang);
  }
  out += (zh ? "  请求（敏感事实已遮蔽）：" : "  request (sensitive facts masked): ") + r.request +
         "\n";
  out += (zh ? "  策略包 " : "  bundle ") + r.bundle + "\n";
  out += (zh ? "  哈希 " : "  hash ") + r.hash + (zh ? "\n  前一哈希 " : "\n  prev_hash ") +
         r.prev_hash + "\n";
  return out;
}

// Without the record's bundle: no list of the facts read.
}  // namespace xy::cli
