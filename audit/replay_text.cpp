// The replay report as text for people, in one language (`xy replay --format text`).
#include <string>

#include "xiangyue/audit/replay.h"

namespace xy::audit {

namespace {

// "12 records" / "12 条".
std::string records(std::int64_t n, Lang lang) {
  if (lang == Lang::zh) return std::to_string(n) + " 条";
  return std::to_string(n) + (n == 1 ? " record" : " records");
}

std::string id_list(const std::vector<std::int64_t>& ids, Lang lang) {
  std::string out;
  for (std::int64_t id : ids)
    out += (out.empty() ? "" : lang == Lang::zh ? "、" : ", ") + ("#" + std::to_string(id));
  return out;
}

std::string joined(const std::vector<std::string>& items, Lang lang) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : lang == Lang::zh ? "、" : ", ") + s;
  return out;
}

// "#2  联审 @ 2021-06-01  policy 候选人资格联审_甲省2021"
std::string heading(const ReplayRecord& r, Lang lang) {
  return "  #" + std::to_string(r.id) + "  " + r.action + " @ " + r.as_of +
         (lang == Lang::zh ? "  政策 " : "  policy ") + r.policy;
}

// A side on one line: the outcome, then the deciding rules' ids (or why there are none) and the
// facts it lacked.
std::string side_line(const ReplaySide& s, bool after, Lang lang) {
  bool zh = lang == Lang::zh;
  std::string out =
      std::string(after ? (zh ? "    新：" : "    after:  ") : (zh ? "    原：" : "    before: ")) +
      outcome_label(s.outcome, lang);
  std::string what;
  if (s.rules.empty()) {
    what = s.by_default
               ? (zh ? "没有规则适用，按政策默认结果" : "no rule applied: the policy default")
               : (zh ? "没有规则作出决定" : "no rule decided");
  } else {
    std::vector<std::string> ids;
    for (const auto& r : s.rules) ids.push_back(r.rule);
    what = joined(ids, lang);
  }
  if (!s.missing.empty()) {
    std::vector<std::string> facts;
    for (const auto& m : s.missing) facts.push_back(m.fact);
    what += (zh ? "；缺少或无效的事实：" : "; missing or invalid: ") + joined(facts, lang);
  }
  return out + (zh ? "（" + what + "）\n" : " (" + what + ")\n");
}

// The rules that decide on one side only, with their citations: `−` no longer decides, `+` newly
// decides (and where the new rule stands).
std::string rule_diff(const ReplaySide& before, const ReplaySide& after, Lang lang) {
  bool zh = lang == Lang::zh;
  std::string out;
  auto line = [&](const char* mark, const ReplayRule& r, bool at) {
    out += std::string("      ") + mark + " " + r.rule + " [" + effect_label(r.effect, lang) + "]";
    if (!r.cite.empty()) out += "  " + r.cite;
    if (at && !r.file.empty())
      out += (zh ? "  位置 " : "  at ") + r.file + ":" + std::to_string(r.line) + ":" +
             std::to_string(r.column);
    out += "\n";
  };
  for (const auto& r : before.rules)
    if (!decides(after, r)) line("−", r, false);
  for (const auto& r : after.rules)
    if (!decides(before, r)) line("+", r, true);
  return out;
}

}  // namespace

std::string replay_text(const ReplayReport& rep, Lang lang) {
  bool zh = lang == Lang::zh;
  std::string out = zh ? "重放：审计库 " + rep.store + " 中的记录，按 " + rep.policies +
                             "（策略包 " + rep.bundle.substr(0, 12) + "）重新裁决\n"
                       : "replay: the records of " + rep.store + " decided again under " +
                             rep.policies + " (bundle " + rep.bundle.substr(0, 12) + ")\n";
  if (!rep.filter.empty()) out += (zh ? "  筛选：" : "  filter: ") + rep.filter + "\n";
  out += rep.as_of.empty()
             ? (zh ? "  各记录按其原基准日裁决\n" : "  each record as of the date it was decided\n")
             : (zh ? "  各记录一律按基准日 " + rep.as_of + " 裁决（不按原基准日）\n"
                   : "  every record as of " + rep.as_of + " (not the date it was decided)\n");
  std::int64_t changed = static_cast<std::int64_t>(rep.changed.size());
  std::int64_t skipped = static_cast<std::int64_t>(rep.skipped.size());
  out += zh ? "  读取 " + records(rep.read, lang) + "，重放 " + records(rep.replayed(), lang) +
                  "（未变 " + records(rep.unchanged, lang) + "，改变 " + records(changed, lang) +
                  "），不能重放 " + records(skipped, lang) + "\n"
            : "  read " + records(rep.read, lang) + ", replayed " + std::to_string(rep.replayed()) +
                  " (unchanged " + std::to_string(rep.unchanged) + ", changed " +
                  std::to_string(changed) + "), cannot replay " + std::to_string(skipped) + "\n";
  if (rep.changed.empty() && rep.skipped.empty())
    return out + (zh ? "\n没有决定会改变。\n" : "\nno decision would change.\n");

  if (!rep.changed.empty()) {
    out += zh ? "\n改变的决定（" + records(changed, lang) + "）：\n"
              : "\nchanged decisions (" + std::to_string(changed) + "):\n";
    for (const auto& c : rep.changed)
      out += heading(c.record, lang) + "\n" + side_line(c.before, false, lang) +
             side_line(c.after, true, lang) + rule_diff(c.before, c.after, lang);

    out += zh ? "\n按规则：\n" : "\nby rule:\n";
    for (const auto& s : rep.rules) {
      out += "  " + s.rule + " [" + effect_label(s.effect, lang) + "]" +
             (zh ? "（" + s.policy + "）" : " (" + s.policy + ")");
      std::string parts;
      if (!s.newly.empty())
        parts +=
            zh ? "新作出决定 " + records(static_cast<std::int64_t>(s.newly.size()), lang) + "：" +
                     id_list(s.newly, lang)
               : "newly decides " + std::to_string(s.newly.size()) + ": " + id_list(s.newly, lang);
      if (!s.stopped.empty())
        parts +=
            (parts.empty() ? ""
             : zh          ? "；"
                           : "; ") +
            (zh ? "不再作出决定 " + records(static_cast<std::int64_t>(s.stopped.size()), lang) +
                      "：" + id_list(s.stopped, lang)
                : "stops deciding " + std::to_string(s.stopped.size()) + ": " +
                      id_list(s.stopped, lang));
      out += (zh ? "" : "  ") + parts + "\n";
    }

    out += zh ? "\n结论变化：\n" : "\noutcomes:\n";
    for (const auto& o : rep.outcomes)
      out += "  " + outcome_label(o.before, lang) + " → " + outcome_label(o.after, lang) + "  " +
             records(o.count, lang) +
             (o.before == o.after
                  ? (zh ? "（结论相同，决定规则不同）" : " (same outcome, other rules)")
                  : "") +
             "\n";
  }

  if (!rep.skipped.empty()) {
    out += zh ? "\n不能重放（" + records(skipped, lang) + "）：\n"
              : "\ncannot replay (" + std::to_string(skipped) + "):\n";
    for (const auto& s : rep.skipped)
      out += heading(s.record, lang) + (zh ? "（原结论 " : "  (recorded: ") +
             outcome_label(s.outcome, lang) + (zh ? "）\n" : ")\n") + "    " +
             no_replay_label(s.why).in(lang) + (zh ? "：" : ": ") + s.detail.in(lang) + "\n";
  }
  return out;
}

}  // namespace xy::audit
