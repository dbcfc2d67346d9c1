// The symbol index of a policy set: every declaration with its place, type and comments, from the
// parsed files (symbols.h).
#include "xiangyue/compiler/symbols.h"

#include <algorithm>

#include "parse/parse.h"
#include "xiangyue/compiler/ast.h"

namespace xy::symbols {
namespace {

std::string type_text(const ast::TypeRef& t, bool zh) {
  std::string s = t.is_set ? std::string(zh ? "集合<" : "set<") +
                                 (t.elem ? type_text(*t.elem, zh) : std::string("?")) + ">"
                           : t.name.text;
  return t.optional ? s + "?" : s;
}

// The comment lines right above `line` (no blank line between) and the comment after code on it.
std::string doc_at(const syntax::Tree& t, std::uint32_t line) {
  std::vector<std::string> above;
  std::string trailing;
  std::uint32_t want = line == 0 ? 0 : line - 1;
  // The first token on `line` or after it (tokens are in source order); walk back from there.
  std::size_t i = static_cast<std::size_t>(
      std::lower_bound(t.tokens.begin(), t.tokens.end(), line,
                       [](const syntax::Token& tok, std::uint32_t l) { return tok.line < l; }) -
      t.tokens.begin());
  for (std::size_t k = i; k-- > 0;) {
    const auto& tok = t.tokens[k];
    if (tok.kind != syntax::TokenKind::Comment || tok.line != want) break;
    bool own_line = k == 0 || t.tokens[k - 1].line < tok.line;
    if (!own_line) break;
    above.emplace_back(t.token_text(static_cast<std::uint32_t>(k)));
    --want;
  }
  for (std::size_t k = i; k < t.tokens.size() && t.tokens[k].line == line; ++k)
    if (t.tokens[k].kind == syntax::TokenKind::Comment && k > i)
      trailing = std::string(t.token_text(static_cast<std::uint32_t>(k)));
  std::string out;
  auto strip = [](std::string s) {
    for (std::string_view mark : {"#", "//"})
      if (s.starts_with(mark)) s = s.substr(mark.size());
    while (!s.empty() && s.front() == ' ') s.erase(0, 1);
    return s;
  };
  for (auto it = above.rbegin(); it != above.rend(); ++it) out += strip(*it) + "\n";
  if (!trailing.empty()) out += strip(trailing) + "\n";
  return out;
}

class Builder {
 public:
  explicit Builder(Index& ix) : ix_(ix) {}

  void add(const ast::Program& p) {
    for (const auto& s : p.structs) fields(s.name, s.fields, Kind::Struct);
    for (const auto& a : p.actions) fields(a.name, a.fields, Kind::Action);
    for (const auto& e : p.enums) {
      std::vector<std::string> members;
      for (const auto& m : e.members) {
        members.push_back(m.text);
        push(Kind::Member, m, e.name.text);
      }
      push(Kind::Enum, e.name, "").members = std::move(members);
    }
    for (const auto& l : p.lists) {
      std::vector<std::string> keys;
      for (const auto& it : l.items) {
        keys.push_back(it.key.value);
        Symbol& item = push(Kind::Item, ast::Name{it.key.value, it.key.span}, l.name.text);
        if (it.basis) item.basis = it.basis->value;
      }
      Symbol& sym = push(Kind::List, l.name, "");
      sym.members = std::move(keys);
      if (l.basis) sym.basis = l.basis->value;
    }
    for (const auto& pol : p.policies) {
      push(Kind::Policy, pol.name, "");
      std::string action = pol.fors.empty() ? "" : pol.fors[0].text;
      for (const auto& r : pol.rules) {
        Symbol& sym = push(Kind::Rule, r.id, pol.name.text);
        sym.extent = r.extent;
        sym.doc = doc_for(r.span);
        sym.effect = r.effect.text;
        sym.action = r.action ? r.action->text : action;
        if (r.because) sym.reason = r.because->value;
        if (r.basis) sym.basis = r.basis->value;
      }
    }
  }

 private:
  std::string doc_for(const SourceSpan& s) const {
    return s.file < ix_.trees.size() ? doc_at(ix_.trees[s.file], s.line) : std::string();
  }

  // The new symbol, valid until the next push.
  Symbol& push(Kind kind, const ast::Name& name, const std::string& owner) {
    Symbol s;
    s.kind = kind;
    s.name = name.text;
    s.owner = owner;
    s.span = s.extent = name.span;
    s.doc = doc_for(name.span);
    ix_.symbols.push_back(std::move(s));
    return ix_.symbols.back();
  }

  void fields(const ast::Name& owner, const std::vector<ast::FieldDecl>& fs, Kind kind) {
    std::vector<std::string> names;
    for (const auto& f : fs) {
      Symbol& sym = push(Kind::Field, f.name, owner.text);
      sym.type = type_text(f.type, ix_.keywords_zh);
      const ast::TypeRef* base = &f.type;
      if (base->is_set && base->elem) {
        sym.is_set = true;
        base = base->elem.get();
      }
      sym.type_name = base->name.text;
      sym.sensitive = f.sensitive;
      names.push_back(f.name.text);
    }
    Symbol& sym = push(kind, owner, "");
    sym.members = std::move(names);
  }

  Index& ix_;
};

}  // namespace

const Symbol* Index::find(Kind kind, std::string_view name, std::string_view owner) const {
  for (const auto& s : symbols)
    if (s.kind == kind && s.name == name && (owner.empty() || s.owner == owner)) return &s;
  return nullptr;
}

const Symbol* Index::find_type(std::string_view name) const {
  for (Kind k : {Kind::Struct, Kind::Action, Kind::Enum})
    if (const auto* s = find(k, name)) return s;
  return nullptr;
}

std::unique_ptr<Index> build(std::vector<SourceFile> files, std::string laws_dir) {
  auto owned = std::make_unique<Index>();
  Index& ix = *owned;
  ix.files = std::move(files);
  ix.laws_dir = std::move(laws_dir);
  ix.trees.resize(ix.files.size());
  std::vector<ast::Program> programs(ix.files.size());
  std::size_t zh = 0;
  for (std::uint32_t i = 0; i < ix.files.size(); ++i) {
    DiagnosticSink ignored;  // the compiler reports them; the index takes what parses
    if (!parse::parse_file(ix.files[i], i, programs[i], ignored, &ix.trees[i]))
      ix.trees[i] = syntax::Tree{};
    zh += ix.trees[i].keywords_zh();
  }
  ix.keywords_zh = zh * 2 > ix.files.size();
  Builder b(ix);
  for (const auto& p : programs) b.add(p);
  return owned;
}

}  // namespace xy::symbols
