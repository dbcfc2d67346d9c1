// The language server's answers: hover, definition, completion, document symbols, formatting.
#include "server.h"
#include "xiangyue/runtime/vocabulary.h"
#include "xiangyue/tooling/format.h"

namespace xy::tooling::lsp {
namespace {

using symbols::Kind;

std::string uri_param(const json::object& params) {
  const auto* td = params.if_contains("textDocument");
  if (!td || !td->is_object()) return {};
  const auto* uri = td->get_object().if_contains("uri");
  return uri && uri->is_string() ? std::string(uri->get_string()) : std::string();
}

const json::object& position_param(const json::object& params) {
  static const json::object kOrigin{{"line", 0}, {"character", 0}};
  const auto* p = params.if_contains("position");
  return p && p->is_object() ? p->get_object() : kOrigin;
}

// Words for people, in the client's language.
std::string kind_word(Kind k, bool zh) {
  switch (k) {
    case Kind::Struct:
      return zh ? "记录" : "record";
    case Kind::Enum:
      return zh ? "枚举" : "enum";
    case Kind::Member:
      return zh ? "枚举成员" : "enum member";
    case Kind::Field:
      return zh ? "字段" : "field";
    case Kind::Action:
      return zh ? "行为" : "action";
    case Kind::List:
      return zh ? "清单" : "list";
    case Kind::Item:
      return zh ? "清单条目" : "list item";
    case Kind::Policy:
      return zh ? "政策" : "policy";
    case Kind::Rule:
      return zh ? "规则" : "rule";
  }
  return "";
}

std::string bullet_list(const std::vector<std::string>& items, std::size_t at_most, bool zh) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < at_most; ++i) out += "- " + items[i] + "\n";
  if (items.size() > at_most)
    out += zh ? "- …（共 " + std::to_string(items.size()) + " 项）\n"
              : "- … (" + std::to_string(items.size()) + " in all)\n";
  return out;
}

std::string statute(const symbols::Index& ix, const std::string& citation, bool zh) {
  auto q = symbols::quote(ix, citation);
  if (!q) return {};
  std::string text = "> " + q->first;
  for (std::size_t at = 0; (at = text.find('\n', at)) != std::string::npos; at += 3)
    text.replace(at, 1, "\n> ");
  return text + "\n\n" + (zh ? "出处：" : "source: ") + q->second + "\n";
}

std::string describe(const symbols::Index& ix, const symbols::Symbol& s, bool zh) {
  std::string out = "**" + kind_word(s.kind, zh) + "** `" + s.name + "`";
  switch (s.kind) {
    case Kind::Field:
      out += ": `" + s.type + "`" + (s.sensitive ? (zh ? "（敏感）" : " (sensitive)") : "") +
             (zh ? "，属于 `" + s.owner + "`" : ", of `" + s.owner + "`");
      break;
    case Kind::Member:
      out += zh ? "，属于枚举 `" + s.owner + "`" : ", of the enum `" + s.owner + "`";
      if (const auto* e = ix.find(Kind::Enum, s.owner))
        out += "\n\n" + bullet_list(e->members, 30, zh);
      break;
    case Kind::Struct:
    case Kind::Action:
    case Kind::Enum:
      out += "\n\n" + bullet_list(s.members, 30, zh);
      break;
    case Kind::List:
      out += zh ? "（" + std::to_string(s.members.size()) + " 项）"
                : " (" + std::to_string(s.members.size()) + " items)";
      if (!s.basis.empty()) out += (zh ? "\n\n依据：" : "\n\nbasis: ") + s.basis;
      out += "\n\n" + bullet_list(s.members, 30, zh);
      break;
    case Kind::Item:
      out += zh ? "，属于清单 `" + s.owner + "`" : ", of the list `" + s.owner + "`";
      if (!s.basis.empty()) out += (zh ? "\n\n依据：" : "\n\nbasis: ") + s.basis;
      break;
    case Kind::Rule: {
      const auto* e = effect_by_word(s.effect);
      out += " " + (e ? effect_label(e->wire, zh ? Lang::zh : Lang::en) : s.effect);
      if (!s.action.empty()) out += " `" + s.action + "`";
      if (!s.reason.empty()) out += (zh ? "\n\n理由：" : "\n\nbecause: ") + s.reason;
      if (!s.basis.empty()) {
        out += (zh ? "\n\n依据：" : "\n\nbasis: ") + s.basis + "\n\n";
        out += statute(ix, s.basis, zh);
      }
      break;
    }
    case Kind::Policy:
      break;
  }
  if (!s.doc.empty()) out += "\n\n---\n" + s.doc;
  return out;
}

// An expression's text as written, on one line and at most 60 code points.
std::string excerpt(const std::string& text, const SourceSpan& span) {
  std::string out;
  std::size_t points = 0;
  bool space = false;
  for (std::size_t at = span.begin; at < span.end && at < text.size();) {
    std::size_t len = utf8_length(static_cast<unsigned char>(text[at]));
    if (text[at] == ' ' || text[at] == '\n' || text[at] == '\r' || text[at] == '\t') {
      space = !out.empty();
      ++at;
      continue;
    }
    if (++points > 60) return out + " …";
    if (space) out += ' ';
    space = false;
    out += text.substr(at, len);
    at += len;
  }
  return out;
}

}  // namespace

json::value Server::hover(const json::object& params) {
  std::uint32_t file = 0;
  Set& set = set_of(uri_param(params), &file);
  if (set.files.empty()) return nullptr;
  Lines lines(set.files[file].text);
  auto [line, column] = from_lsp(lines, position_param(params));
  auto target = symbols::at(*set.index, file, line, column);
  bool zh = lang_ == Lang::zh;
  std::string md;
  if (target.symbol) {
    md = describe(*set.index, *target.symbol, zh);
  } else if (!target.citation.empty()) {
    md = "**" + target.citation + "**\n\n" + statute(*set.index, target.citation, zh);
    if (md.ends_with("\n\n"))
      md += zh ? "（没有找到这一条的法规文本）" : "(no law text found for it)";
  } else {
    // Inside a condition or a reason placeholder: the expression's type, as the checker found it.
    const auto& checked = checked_of(set);
    if (!checked.program) return nullptr;
    const ast::Expr* e = checked::expression_at(*checked.program, file, lines.offset(line, column));
    if (!e) return nullptr;
    md = "`" + excerpt(set.files[file].text, e->span) + "`" + (zh ? "：" : ": ") +
         checked.program->type_name(checked.program->of(*e)->type, lang_);
    target.span = e->span;
  }
  return json::object{{"contents", {{"kind", "markdown"}, {"value", md}}},
                      {"range", range(lines, target.span)}};
}

json::value Server::definition(const json::object& params) {
  std::uint32_t file = 0;
  Set& set = set_of(uri_param(params), &file);
  if (set.files.empty()) return nullptr;
  auto [line, column] = from_lsp(Lines(set.files[file].text), position_param(params));
  auto target = symbols::at(*set.index, file, line, column);
  if (!target.symbol || target.symbol->span.file >= set.files.size()) return nullptr;
  const auto& where = set.files[target.symbol->span.file];
  return json::object{{"uri", uri_of(where.path)},
                      {"range", range(Lines(where.text), target.symbol->span)}};
}

json::value Server::completion(const json::object& params) {
  std::uint32_t file = 0;
  Set& set = set_of(uri_param(params), &file);
  json::array items;
  if (set.files.empty()) return items;
  auto [line, column] = from_lsp(Lines(set.files[file].text), position_param(params));
  // LSP CompletionItemKind: Field 5, Module 9, Keyword 14, EnumMember 20.
  for (const auto& c : symbols::complete(*set.index, file, line, column)) {
    int kind = c.keyword ? 14 : c.kind == Kind::List ? 9 : c.kind == Kind::Member ? 20 : 5;
    json::object item{{"label", c.label}, {"kind", kind}};
    if (!c.detail.empty()) item["detail"] = c.detail;
    items.push_back(std::move(item));
  }
  return json::object{{"isIncomplete", false}, {"items", std::move(items)}};
}

json::value Server::symbols(const json::object& params) {
  std::uint32_t file = 0;
  Set& set = set_of(uri_param(params), &file);
  json::array out;
  if (set.files.empty()) return out;
  Lines lines(set.files[file].text);
  const auto& ix = *set.index;
  // LSP SymbolKind: Namespace 3, Field 8, Enum 10, Function 12, Array 18, EnumMember 22,
  // Struct 23, Event 24, String 15.
  auto kind_of = [](Kind k) {
    switch (k) {
      case Kind::Policy:
        return 3;
      case Kind::Field:
        return 8;
      case Kind::Enum:
        return 10;
      case Kind::Rule:
        return 12;
      case Kind::List:
        return 18;
      case Kind::Member:
        return 22;
      case Kind::Struct:
        return 23;
      case Kind::Action:
        return 24;
      case Kind::Item:
        return 15;
    }
    return 13;
  };
  auto node = [&](const symbols::Symbol& s) {
    return json::object{{"name", s.name},
                        {"kind", kind_of(s.kind)},
                        {"range", range(lines, s.extent)},
                        {"selectionRange", range(lines, s.span)},
                        {"children", json::array{}}};
  };
  auto child_kind = [](Kind parent) {
    return parent == Kind::Policy ? Kind::Rule
           : parent == Kind::Enum ? Kind::Member
           : parent == Kind::List ? Kind::Item
                                  : Kind::Field;
  };
  for (const auto& s : ix.symbols) {
    if (s.span.file != file || !s.owner.empty()) continue;
    json::object parent = node(s);
    SourceSpan whole = s.extent;
    for (const auto& c : ix.symbols) {
      if (c.span.file != file || c.owner != s.name || c.kind != child_kind(s.kind)) continue;
      parent["children"].get_array().push_back(node(c));
      if (c.extent.known() && (c.extent.multiline() ? c.extent.end_line : c.extent.line) >
                                  (whole.multiline() ? whole.end_line : whole.line)) {
        whole.end_line = c.extent.multiline() ? c.extent.end_line : c.extent.line;
        whole.end_column =
            c.extent.multiline() ? c.extent.end_column : c.extent.column + c.extent.length;
      }
    }
    parent["range"] = range(lines, whole);  // a parent's range holds its children's
    out.push_back(std::move(parent));
  }
  return out;
}

json::value Server::formatting(const json::object& params) {
  std::uint32_t file = 0;
  Set& set = set_of(uri_param(params), &file);
  json::array edits;
  if (set.files.empty()) return edits;
  const SourceFile& f = set.files[file];
  auto result = format_source(f);
  if (!result.text || *result.text == f.text) return edits;  // errors are in the diagnostics
  std::uint32_t lines = 1;
  for (char c : f.text) lines += c == '\n';
  edits.push_back(
      {{"range",
        {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", lines}, {"character", 0}}}}},
       {"newText", *result.text}});
  return edits;
}

}  // namespace xy::tooling::lsp
