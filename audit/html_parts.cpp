// Escaping, labels, policy source excerpts and the facts' nested lists for the HTML view.
#include <algorithm>

#include <boost/json.hpp>

#include "xiangyue/audit/html_parts.h"
#include "xiangyue/runtime/engine.h"

namespace xy::audit::html {
namespace json = boost::json;

namespace {

void append_utf8(std::string& out, char32_t c) {
  out += encode_utf8(std::u32string(1, c));
}

// True when `line` starts with `word` followed by white space or nothing.

bool is_scalar(const json::value& v) {
  return !v.is_object() && !v.is_array();
}

// A masked sensitive fact as stored: {"masked": "41**…**12", "hmac": "…"}.
bool is_masked(const json::object& o) {
  return o.size() == 2 && o.contains("masked") && o.contains("hmac") && o.at("masked").is_string();
}

std::string scalar_html(const json::value& v, Lang lang) {
  if (v.is_string()) return esc(std::string_view(v.get_string()));
  if (v.is_bool()) return v.get_bool() ? tr(lang, "yes", "是") : tr(lang, "no", "否");
  if (v.is_null())
    return std::string("<span class=\"muted\">") + tr(lang, "none", "无值") + "</span>";
  return esc(json::serialize(v));
}

}  // namespace

std::string esc(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char32_t c : decode_utf8(std::string(text))) {
    switch (c) {
      case U'&':
        out += "&amp;";
        break;
      case U'<':
        out += "&lt;";
        break;
      case U'>':
        out += "&gt;";
        break;
      case U'"':
        out += "&quot;";
        break;
      case U'\'':
        out += "&#39;";
        break;
      case U'/':
        out += "&#47;";
        break;
      case U'\r':
        break;
      default:
        bool control = (c < 0x20 && c != U'\n' && c != U'\t') || (c >= 0x7F && c < 0xA0) ||
                       (c >= 0xD800 && c < 0xE000) || c > 0x10FFFF;
        if (c < 0x80 && !control)
          out += static_cast<char>(c);
        else
          append_utf8(out, control ? U'\uFFFD' : c);
    }
  }
  return out;
}

std::string outcome_word(const std::string& o, Lang lang) {
  return o.empty() ? tr(lang, "unknown", "未知") : outcome_label(o, lang);
}

const char* outcome_tone(const std::string& o) {
  if (o == "permit" || o == "通过") return "ok";
  if (o == "deny" || o == "不能") return "bad";
  if (o == "indeterminate" || o == "不宜") return "warn";
  return "none";
}

const char* effect_tone(const std::string& e) {
  if (e == "permit" || e == "pass") return "ok";
  if (e == "forbid" || e == "reject") return "bad";
  if (e == "refer") return "warn";
  return "none";
}

std::string source_excerpt(const SourceFile& src, std::size_t line, std::size_t end_line,
                           Lang lang) {
  auto extent = rule_extent(src, line, end_line);
  if (!extent) return {};
  const auto& lines = extent->lines;
  std::size_t from = extent->context_from, first = extent->first, last = extent->last;
  bool cut = extent->cut;

  std::string out = "<div class=\"code\">";
  for (std::size_t i = from; i <= last; ++i) {
    out += i >= first ? "<div class=\"ln hl\">" : "<div class=\"ln ctx\">";
    out += "<span class=\"no\">" + std::to_string(i + 1) + "</span><span class=\"tx\">";
    out += esc(lines[i]) + "</span></div>";
  }
  if (cut)
    out += std::string("<div class=\"ln ctx\"><span class=\"no\"></span><span class=\"tx\">… ") +
           tr(lang, "(rule continues)", "（规则未完）") + "</span></div>";
  return out + "</div>";
}

std::string value_html(const json::value& v, Lang lang, int depth) {
  if (depth > 24) return "…";
  if (is_scalar(v)) return scalar_html(v, lang);
  if (v.is_object()) {
    const json::object& o = v.get_object();
    if (o.empty()) return "<span class=\"muted\">{}</span>";
    if (is_masked(o))
      return "<span class=\"masked\">" + esc(std::string_view(o.at("masked").get_string())) +
             "</span> <span class=\"tag\">" + tr(lang, "masked", "已遮蔽") + "</span>";
    std::string out = "<dl class=\"facts\">";
    for (const auto& kv : o)
      out +=
          "<dt>" + esc(kv.key()) + "</dt><dd>" + value_html(kv.value(), lang, depth + 1) + "</dd>";
    return out + "</dl>";
  }
  const json::array& a = v.get_array();
  if (a.empty())
    return std::string("<span class=\"muted\">") + tr(lang, "(none)", "（无）") + "</span>";
  bool scalars = true, flat_records = true;
  std::vector<std::string> columns;
  for (const auto& item : a) {
    scalars = scalars && is_scalar(item);
    if (!item.is_object() || item.get_object().empty()) {
      flat_records = false;
      continue;
    }
    for (const auto& kv : item.get_object()) {
      if (!is_scalar(kv.value()) && !(kv.value().is_object() && is_masked(kv.value().get_object())))
        flat_records = false;
      if (std::find(columns.begin(), columns.end(), kv.key()) == columns.end())
        columns.emplace_back(kv.key());
    }
  }
  std::string out;
  if (scalars) {
    out = "<ul class=\"inline\">";
    for (const auto& item : a) out += "<li>" + scalar_html(item, lang) + "</li>";
    return out + "</ul>";
  }
  if (flat_records) {
    out = "<table class=\"records\"><thead><tr>";
    for (const auto& c : columns) out += "<th>" + esc(c) + "</th>";
    out += "</tr></thead><tbody>";
    for (const auto& item : a) {
      out += "<tr>";
      for (const auto& c : columns) {
        const json::value* cell = item.get_object().if_contains(c);
        out += "<td>" + (cell ? value_html(*cell, lang, depth + 1) : std::string()) + "</td>";
      }
      out += "</tr>";
    }
    return out + "</tbody></table>";
  }
  out = "<ol class=\"items\">";
  for (const auto& item : a) out += "<li>" + value_html(item, lang, depth + 1) + "</li>";
  return out + "</ol>";
}

}  // namespace xy::audit::html
