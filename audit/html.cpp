// Renders one recorded decision as a self-contained HTML page for reviewers (no script, no fetch).
#include "xiangyue/audit/html.h"

#include <boost/json.hpp>

#include "xiangyue/audit/html_parts.h"
#include "xiangyue/runtime/engine.h"

namespace xy::audit {
namespace json = boost::json;
using html::esc;
using html::tr;

namespace {

const json::value* at(const json::object* o, std::string_view key) {
  return o ? o->if_contains(key) : nullptr;
}
const json::object* obj(const json::value* v) {
  return v ? v->if_object() : nullptr;
}
const json::array* arr(const json::value* v) {
  return v ? v->if_array() : nullptr;
}
// A string or number field as text; empty when absent, null or of another kind.
std::string str(const json::object* o, std::string_view key) {
  const json::value* v = at(o, key);
  if (!v) return {};
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_number()) return json::serialize(*v);
  return {};
}
std::string or_dash(const std::string& s) {
  return s.empty() ? "—" : esc(s);
}
std::string count(Lang lang, std::size_t n, const char* en_one, const char* en_many,
                  const char* zh) {
  return std::to_string(n) + (lang == Lang::zh ? zh : (n == 1 ? en_one : en_many));
}
std::string where(const json::object* loc) {
  std::string file = str(loc, "file"), line = str(loc, "line"), col = str(loc, "column");
  if (file.empty()) return {};
  return esc(file + (line.empty() ? "" : ":" + line) + (col.empty() ? "" : ":" + col));
}

std::string header(const RecordView& r, const json::object* d, Lang lang) {
  std::string outcome = r.outcome.empty() ? str(d, "outcome") : r.outcome;
  std::string word = html::outcome_word(outcome, lang), raw = outcome;
  for (char& c : raw) c = c == '_' ? ' ' : c;
  std::string action = r.action.empty() ? str(d, "action") : r.action;
  std::string policy = r.policy.empty() ? str(d, "policy") : r.policy;
  std::string as_of = r.as_of.empty() ? str(d, "as_of") : r.as_of;
  std::string out = std::string("<header class=\"top tone-") + html::outcome_tone(outcome) +
                    "\"><div class=\"badge\"><div class=\"word\">" + esc(word) + "</div>";
  if (raw != word && !outcome.empty()) out += "<div class=\"raw\">" + esc(outcome) + "</div>";
  out += std::string("</div><div class=\"summary\"><div class=\"kicker\">") +
         tr(lang, "xiangyue · decision record", "乡约 · 决定记录") + "</div><h1>" +
         or_dash(action) + "</h1><dl class=\"meta\"><dt>" + tr(lang, "Policy", "政策") +
         "</dt><dd>" + or_dash(policy);
  if (std::string scope = str(d, "scope"); !scope.empty())
    out += std::string("<span class=\"sep\">·</span><span class=\"muted\">") +
           tr(lang, "scope", "范围") + "</span> " + esc(scope);
  if (std::string version = str(d, "version"); !version.empty())
    out += std::string("<span class=\"sep\">·</span><span class=\"muted\">") +
           tr(lang, "version", "版本") + "</span> " + esc(version);
  out += std::string("</dd><dt>") + tr(lang, "As of", "基准日") + "</dt><dd>" + or_dash(as_of) +
         "</dd><dt>" + tr(lang, "Record", "记录编号") + "</dt><dd>#" + std::to_string(r.seq) +
         "</dd><dt>" + tr(lang, "Recorded at", "记录时间") + "</dt><dd>" + or_dash(r.recorded_at) +
         "</dd></dl>";
  if (d) {
    std::size_t nr = arr(at(d, "reasons")) ? arr(at(d, "reasons"))->size() : 0;
    std::size_t no = arr(at(d, "overridden")) ? arr(at(d, "overridden"))->size() : 0;
    std::size_t nm = arr(at(d, "missing")) ? arr(at(d, "missing"))->size() : 0;
    out += "<div class=\"counts\">" +
           count(lang, nr, " deciding rule", " deciding rules", " 条规则作出决定") + " · " +
           count(lang, no, " rule set aside", " rules set aside", " 条规则被例外排除") + " · " +
           count(lang, nm, " missing or invalid fact", " missing or invalid facts",
                 " 项事实缺失或无效") +
           "</div>";
  }
  out += "</div></header>";
  std::string stated = str(d, "outcome");
  if (d && !r.outcome.empty() && !stated.empty() && stated != r.outcome)
    out += std::string("<div class=\"box error\">") +
           tr(lang, "The recorded outcome differs from the decision JSON's outcome: ",
              "记录的结论与决定 JSON 中的结论不一致：") +
           esc(stated) + "</div>";
  return out;
}

std::string law_html(const json::object* basis, Lang lang) {
  std::string out = std::string("<div><div class=\"label\">") +
                    tr(lang, "Legal basis", "法律依据") + "</div><div class=\"law\">";
  if (!basis)
    return out + "<p class=\"note\">" + tr(lang, "No basis cited.", "本规则未引用依据。") +
           "</p></div></div>";
  std::string cite = str(basis, "cite");
  out += "<div class=\"cite\">" + esc(cite.empty() ? str(basis, "law") : cite) + "</div>";
  std::string text = str(basis, "text");
  if (text.empty()) {
    out += std::string("<p class=\"note\">") +
           tr(lang, "The cited text is not in the record.", "记录中没有所引条文的原文。") + "</p>";
  } else {
    out += "<blockquote>";
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t nl = text.find('\n', start);
      std::string para = text.substr(start, nl == std::string::npos ? nl : nl - start);
      if (!para.empty()) out += "<p>" + esc(para) + "</p>";
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
    out += "</blockquote>";
  }
  if (std::string source = str(basis, "source"); !source.empty())
    out += std::string("<div class=\"src\">") + tr(lang, "Source: ", "出处：") + esc(source) +
           "</div>";
  return out + "</div></div>";
}

std::string reason_card(const json::value& v, const RecordView& r, Lang lang) {
  const json::object* reason = v.if_object();
  const json::object* loc = obj(at(reason, "location"));
  std::string effect = str(reason, "effect");
  std::string out = std::string("<article class=\"card tone-") + html::effect_tone(effect) +
                    "\"><div class=\"card-head\"><span class=\"rule-id mono\">" +
                    or_dash(str(reason, "rule")) + "</span>";
  if (!effect.empty()) out += "<span class=\"pill\">" + esc(effect_label(effect, lang)) + "</span>";
  if (std::string base = str(reason, "exception_to"); !base.empty())
    out += std::string("<span class=\"tag\">") + tr(lang, "exception to ", "例外于 ") + esc(base) +
           "</span>";
  out += "<span class=\"where mono\">" + where(loc) + "</span></div><p class=\"reason\">" +
         or_dash(str(reason, "text")) + "</p><div class=\"cols\"><div><div class=\"label\">" +
         tr(lang, "Policy source", "规则原文") + "</div>";
  std::string file = str(loc, "file"), excerpt;
  const json::value* line = at(loc, "line");
  const json::value* end_line = at(loc, "end_line");
  const SourceFile* src = find_source(r.sources, file);
  if (src && line && line->is_int64() && line->get_int64() > 0)
    excerpt = html::source_excerpt(*src, static_cast<std::size_t>(line->get_int64()),
                                   end_line && end_line->is_int64() && end_line->get_int64() > 0
                                       ? static_cast<std::size_t>(end_line->get_int64())
                                       : 0,
                                   lang);
  if (excerpt.empty())
    excerpt = std::string("<p class=\"note\">") +
              tr(lang, "The policy source of this rule is not in the record.",
                 "记录中没有这条规则的源文件。") +
              "</p>";
  return out + excerpt + "</div>" + law_html(obj(at(reason, "basis")), lang) + "</div></article>";
}

std::string reasons(const RecordView& r, const json::object* d, Lang lang) {
  const json::array* list = arr(at(d, "reasons"));
  std::string out = std::string("<section class=\"reasons\"><h2>") +
                    tr(lang, "Deciding rules", "决定理由") + "<span class=\"n\">" +
                    std::to_string(list ? list->size() : 0) + "</span></h2>";
  if (!list || list->empty()) {
    const json::value* by_default = at(d, "by_default");
    bool dflt = by_default && by_default->is_bool() && by_default->get_bool();
    std::string outcome = r.outcome.empty() ? str(d, "outcome") : r.outcome;
    out += "<div class=\"box info\">";
    if (!dflt)
      out += tr(lang, "No rule decided the outcome; see the missing or invalid facts below.",
                "没有规则作出决定；见下方缺失或无效的事实。");
    else if (lang == Lang::zh)
      out += "没有规则适用，按政策默认结果（" + esc(html::outcome_word(outcome, lang)) + "）裁决。";
    else
      out += "No rule applied: the policy default decided (" +
             esc(html::outcome_word(outcome, lang)) + ").";
    return out + "</div></section>";
  }
  for (const auto& v : *list) out += reason_card(v, r, lang);
  return out + "</section>";
}

std::string overridden(const json::object* d, Lang lang) {
  const json::array* list = arr(at(d, "overridden"));
  if (!list || list->empty()) return {};
  std::string out = std::string("<section class=\"overridden\"><h2>") +
                    tr(lang, "Rules set aside by exceptions", "被例外排除的规则") +
                    "<span class=\"n\">" + std::to_string(list->size()) +
                    "</span></h2><ul class=\"plain\">";
  for (const auto& v : *list) {
    const json::object* o = v.if_object();
    std::string rule = "<b class=\"mono\">" + or_dash(str(o, "rule")) + "</b>";
    std::string by = "<b class=\"mono\">" + or_dash(str(o, "by")) + "</b>";
    out += "<li>" +
           (lang == Lang::zh ? "规则 " + rule + " 被例外规则 " + by + " 排除，不适用"
                             : "Rule " + rule + " was set aside by its exception " + by) +
           " <span class=\"where mono\">" + where(obj(at(o, "location"))) + "</span></li>";
  }
  return out + "</ul></section>";
}

std::string missing(const json::object* d, Lang lang) {
  const json::array* list = arr(at(d, "missing"));
  if (!list || list->empty()) return {};
  std::string out = std::string("<section class=\"missing\"><h2>") +
                    tr(lang, "Missing or invalid facts", "缺失或无效的事实") +
                    "<span class=\"n\">" + std::to_string(list->size()) +
                    "</span></h2><table class=\"wide\"><thead><tr><th>" + tr(lang, "Fact", "事实") +
                    "</th><th>" + tr(lang, "Problem", "问题") + "</th><th>" +
                    tr(lang, "Read by rules", "读取它的规则") + "</th><th>" +
                    tr(lang, "Detail", "说明") + "</th></tr></thead><tbody>";
  for (const auto& v : *list) {
    const json::object* m = v.if_object();
    std::string problem = str(m, "problem"), rules;
    problem = problem_label(problem, lang);
    if (const json::array* rs = arr(at(m, "rules")))
      for (const auto& rule : *rs)
        if (rule.is_string())
          rules += (rules.empty() ? "" : ", ") + esc(std::string_view(rule.get_string()));
    out += "<tr><td class=\"mono\">" + or_dash(str(m, "fact")) + "</td><td>" + or_dash(problem) +
           "</td><td class=\"mono\">" + (rules.empty() ? "—" : rules) + "</td><td>" +
           or_dash(str(m, "detail")) + "</td></tr>";
  }
  return out + "</tbody></table></section>";
}

std::string error_box(const char* title, const std::string& detail, const std::string& raw) {
  std::string out = std::string("<div class=\"box error\"><b>") + title + "</b> " + esc(detail);
  if (!raw.empty()) out += "<pre>" + esc(shorten(raw, 4000)) + "</pre>";
  return out + "</div>";
}

std::string fact_value_html(const FactValue& v, Lang lang, int depth = 0) {
  switch (v.kind) {
    case FactValue::Kind::Present:
    case FactValue::Kind::Masked:  // value_html shows the stored {"masked", "hmac"} masked
      return html::value_html(v.json, lang);
    case FactValue::Kind::Missing:
      return std::string("<span class=\"tag missing\">") + tr(lang, "missing", "缺失") + "</span>";
    case FactValue::Kind::Each:
      break;
  }
  if (v.each.empty())
    return std::string("<span class=\"muted\">") + tr(lang, "(empty set)", "（空集合）") +
           "</span>";
  if (depth > 24) return "…";
  std::string out = "<ul class=\"inline\">";
  for (const auto& e : v.each) out += "<li>" + fact_value_html(e, lang, depth + 1) + "</li>";
  return out + "</ul>";
}

// The facts the rules named by the decision read (facts_read.h), each with its value.
std::string facts_read(const RecordView& r, const json::object* d, Lang lang) {
  std::size_t n = r.facts_read ? r.facts_read->size() : 0;
  std::string out =
      std::string("<section class=\"facts-read\"><h2>") + tr(lang, "Facts read", "读取的事实") +
      "<span class=\"n\">" + std::to_string(n) + "</span></h2><p class=\"note\">" +
      tr(lang,
         "The facts that the conditions and reasons of the rules named above refer to, "
         "taken from the compiled rules (not a trace of the evaluation), with their "
         "values in the request. A path with [] reads each element of a set.",
         "上述各条规则的条件和理由所引用的事实（依据编译后的规则得出，不是求值过程的记录），"
         "及其在请求中的值。路径中的 [] 表示集合中的每一个元素。") +
      "</p>";
  if (!r.facts_read)
    return out + "<div class=\"box info\">" +
           tr(lang,
              "Not listed: this page was made without the policy bundle of the decision. All "
              "facts of the request are shown below.",
              "未列出：生成本页时没有此决定的规则包。请求中的全部事实见下方。") +
           "</div></section>";
  if (r.facts_read->empty()) {
    bool named = false;
    for (const char* key : {"reasons", "overridden", "missing"})
      if (const json::array* a = arr(at(d, key)); a && !a->empty()) named = true;
    return out + "<div class=\"box info\">" +
           (named ? tr(lang, "The rules above read no facts.", "上述规则没有读取任何事实。")
                  : tr(lang, "No rule decided, so no rule's facts are listed.",
                       "没有规则作出决定，因此没有列出规则读取的事实。")) +
           "</div></section>";
  }
  out += std::string("<table class=\"wide\"><thead><tr><th>") + tr(lang, "Fact", "事实") +
         "</th><th>" + tr(lang, "Value in the request", "请求中的值") + "</th><th>" +
         tr(lang, "Read by rules", "读取它的规则") + "</th></tr></thead><tbody>";
  for (const auto& f : *r.facts_read) {
    std::string rules;
    for (const auto& id : f.rules) rules += (rules.empty() ? "" : ", ") + esc(id);
    out += "<tr><td class=\"mono path\">" + or_dash(f.path) + "</td><td class=\"value\">" +
           fact_value_html(f.value, lang) + "</td><td class=\"mono\">" +
           (rules.empty() ? "—" : rules) + "</td></tr>";
  }
  return out + "</tbody></table></section>";
}

// The whole request, collapsed when the facts read are listed above it.
std::string facts(const RecordView& r, bool open, Lang lang) {
  std::string out = std::string("<section class=\"request\"><details") + (open ? " open" : "") +
                    "><summary>" + tr(lang, "All facts of the request", "请求中的全部事实") +
                    "</summary>";
  boost::system::error_code ec;
  json::value request = json::parse(r.request_json, ec);
  if (ec)
    return out +
           error_box(tr(lang, "The request JSON could not be read:", "请求 JSON 无法解析："),
                     ec.message(), r.request_json) +
           "</details></section>";
  const json::value* shown = &request;
  if (const json::value* f = at(request.if_object(), "facts")) shown = f;
  return out + "<div class=\"panel\">" + html::value_html(*shown, lang) +
         "</div></details></section>";
}

std::string chain(const RecordView& r, const json::object* d, Lang lang) {
  std::string bundle = r.bundle.empty() ? str(d, "bundle") : r.bundle;
  return std::string("<section class=\"chain\"><h2>") + tr(lang, "Hash chain", "哈希链") +
         "</h2><dl><dt>" + tr(lang, "hash", "本记录哈希") + "</dt><dd>" + or_dash(r.hash) +
         "</dd><dt>" + tr(lang, "previous hash", "前一记录哈希") + "</dt><dd>" +
         or_dash(r.prev_hash) + "</dd><dt>" + tr(lang, "policy bundle", "规则包") + "</dt><dd>" +
         or_dash(bundle) + "</dd></dl></section>";
}

std::string page(const RecordView& r, Lang lang) {
  boost::system::error_code ec;
  json::value decision = json::parse(r.decision_json, ec);
  const json::object* d = ec ? nullptr : decision.if_object();
  std::string outcome = r.outcome.empty() ? str(d, "outcome") : r.outcome;
  std::string title = std::string(tr(lang, "Decision record #", "决定记录 #")) +
                      std::to_string(r.seq) + " · " + html::outcome_word(outcome, lang);
  std::string out = html::page_start(title, lang) + header(r, d, lang);
  if (!d) {
    out += error_box(tr(lang, "The decision JSON could not be read:", "决定 JSON 无法解析："),
                     ec ? ec.message() : tr(lang, "not a JSON object", "不是 JSON 对象"),
                     r.decision_json);
  } else {
    out += reasons(r, d, lang) + overridden(d, lang) + missing(d, lang) + facts_read(r, d, lang);
  }
  bool listed = d && r.facts_read && !r.facts_read->empty();
  return out + facts(r, !listed, lang) + chain(r, d, lang) + "</main></body></html>\n";
}

}  // namespace

std::string render_html(const RecordView& record, Lang lang) {
  try {
    return page(record, lang);
  } catch (const std::exception& e) {
    return std::string("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>") +
           tr(lang, "Decision record", "决定记录") + "</title></head><body><p>" +
           tr(lang, "The record could not be shown: ", "无法显示该记录：") + esc(e.what()) +
           "</p></body></html>\n";
  }
}

}  // namespace xy::audit
