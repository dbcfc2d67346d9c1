// What a position in a policy names, and what may be written there (symbols.h). Works on the
// tokens alone, so a file being typed (one that does not parse) still gets answers.
#include <functional>

#include "laws.h"
#include "xiangyue/compiler/symbols.h"
#include "xiangyue/literals/literals.h"

namespace xy::symbols {
namespace {

using syntax::Keyword;
using syntax::TokenKind;

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// The file's tokens, comments and end of file left out.
struct Tokens {
  std::string_view text;
  std::vector<syntax::Token> all;

  Tokens(const Index& ix, std::uint32_t file) : text(ix.files[file].text) {
    const auto& tree = ix.trees[file];
    auto source = tree.tokens.empty() ? syntax::lex(text) : tree.tokens;
    for (const auto& t : source)
      if (t.kind != TokenKind::Comment && t.begin != t.end) all.push_back(t);
  }
  std::string_view at(std::size_t i) const {
    return text.substr(all[i].begin, all[i].end - all[i].begin);
  }
  bool name(std::size_t i) const {
    // Declaration keywords double as names (a field called 类型).
    return i < all.size() && (all[i].kind == TokenKind::Name ||
                              (all[i].kind == TokenKind::Keyword && syntax::soft(all[i].keyword)));
  }
  // The token covering (line, column), or the one ending right there.
  // A token covering the column wins over one that ends right before it (`人.记录`: at 记 the
  // name, not the dot).
  std::size_t find(std::uint32_t line, std::uint32_t column, bool ending_here) const {
    std::size_t ending = kNone;
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (all[i].line != line) continue;
      auto len = static_cast<std::uint32_t>(decode_utf8(std::string(at(i))).size());
      if (column >= all[i].column && column < all[i].column + len) return i;
      if (ending_here && column == all[i].column + len) ending = i;
    }
    return ending;
  }
};

class Resolver {
 public:
  Resolver(const Index& ix, const Tokens& t) : ix_(ix), t_(t) {}

  // The names of `a.b.c` ending at token i (walking back over `.`), root first.
  std::vector<std::string> chain(std::size_t i) const {
    std::vector<std::string> out{std::string(t_.at(i))};
    while (i >= 2 && t_.at(i - 1) == "." && t_.name(i - 2)) {
      i -= 2;
      out.insert(out.begin(), std::string(t_.at(i)));
    }
    return out;
  }

  // The action whose facts a rule at token i reads: its own, else its policy's `for`.
  std::string action_at(std::size_t i) const {
    std::size_t rule = rule_at(i);
    if (rule != kNone) {
      std::size_t k = rule + 2;  // past the keyword and the id
      if (k < t_.all.size() && t_.all[k].keyword == Keyword::ExceptionTo) k += 2;
      ++k;  // the effect
      if (t_.name(k) && t_.all[k].line == t_.all[rule].line) return std::string(t_.at(k));
    }
    for (std::size_t k = std::min(i, t_.all.size()); k-- > 0;)
      if (t_.all[k].keyword == Keyword::For && t_.name(k + 1)) return std::string(t_.at(k + 1));
    return {};
  }

  // The declared type a chain of names reaches (for `a.b`: the type of field b), or "".
  std::string type_of(const std::vector<std::string>& names, std::size_t at, int depth = 0) const {
    const Symbol* f = field_of(names, at, depth);
    if (f) return f->type_name;
    if (names.size() == 1) return variable_type(names[0], at, depth);
    return {};
  }

  // The field a chain of names ends at.
  const Symbol* field_of(const std::vector<std::string>& names, std::size_t at,
                         int depth = 0) const {
    if (names.empty() || depth > 8) return nullptr;
    std::string type = variable_type(names[0], at, depth);
    const Symbol* f = nullptr;
    if (type.empty()) {
      f = ix_.find(Kind::Field, names[0], action_at(at));
      if (!f) return nullptr;
      type = f->type_name;
    }
    for (std::size_t k = 1; k < names.size(); ++k) {
      f = ix_.find(Kind::Field, names[k], type);
      if (!f) return nullptr;
      type = f->type_name;
    }
    return f;
  }

  // A quantifier variable's element type: `任一 r 属于 候选人.刑事记录：…` makes r a 刑事记录.
  std::string variable_type(const std::string& var, std::size_t at, int depth) const {
    std::size_t rule = rule_at(at);
    for (std::size_t k = rule == kNone ? 0 : rule; k < at && k < t_.all.size(); ++k) {
      auto kw = t_.all[k].keyword;
      if (kw != Keyword::Any && kw != Keyword::All && kw != Keyword::Count) continue;
      std::size_t v = k + 1 + (kw == Keyword::Count ? 1 : 0);  // count(x in …)
      if (!t_.name(v) || t_.at(v) != var || v + 2 >= t_.all.size()) continue;
      if (t_.all[v + 1].keyword != Keyword::In) continue;
      std::size_t end = v + 2;
      while (end + 2 < t_.all.size() && t_.at(end + 1) == "." && t_.name(end + 2)) end += 2;
      const Symbol* source = field_of(chain(end), v, depth + 1);
      if (source) return source->type_name;
    }
    return {};
  }

  std::size_t rule_at(std::size_t i) const {
    for (std::size_t k = std::min(i, t_.all.size()); k-- > 0;) {
      if (t_.all[k].keyword == Keyword::Rule) return k;
      if (t_.all[k].keyword == Keyword::Policy) return kNone;
    }
    return kNone;
  }

 private:
  const Index& ix_;
  const Tokens& t_;
};

}  // namespace

Target at(const Index& ix, std::uint32_t file, std::uint32_t line, std::uint32_t column) {
  Target out;
  if (file >= ix.files.size()) return out;
  Tokens t(ix, file);
  std::size_t i = t.find(line, column, true);
  if (i == kNone) return out;
  out.span = SourceSpan{file, t.all[i].line, t.all[i].column, 1};
  out.span.begin = t.all[i].begin;
  out.span.end = t.all[i].end;
  // A declaration: the symbol declared right there.
  for (const auto& s : ix.symbols)
    if (s.span.file == file && s.span.line == t.all[i].line && s.span.column == t.all[i].column) {
      out.symbol = &s;
      return out;
    }
  if (t.all[i].kind == TokenKind::String) {
    if (i > 0 && t.all[i - 1].keyword == Keyword::Basis) {
      auto raw = t.at(i);
      out.citation = std::string(raw.starts_with("\"") ? raw.substr(1, raw.size() - 2)
                                                       : raw.substr(3, raw.size() - 6));
    }
    return out;
  }
  if (!t.name(i)) return out;
  std::string word(t.at(i));
  Resolver r(ix, t);
  // After `例外于`: a rule; after `针对` or a rule's effect: an action; in a type: a type.
  if (i > 0 && t.all[i - 1].keyword == Keyword::ExceptionTo) {
    out.symbol = ix.find(Kind::Rule, word);
    return out;
  }
  if (const auto* f = r.field_of(r.chain(i), i)) {
    out.symbol = f;
    return out;
  }
  // A quantifier variable: the record it ranges over.
  if (auto type = r.variable_type(word, i, 0); !type.empty()) {
    out.symbol = ix.find_type(type);
    return out;
  }
  for (Kind k : {Kind::List, Kind::Action, Kind::Struct, Kind::Enum, Kind::Member, Kind::Rule})
    if ((out.symbol = ix.find(k, word))) return out;
  return out;
}

std::vector<Completion> complete(const Index& ix, std::uint32_t file, std::uint32_t line,
                                 std::uint32_t column) {
  std::vector<Completion> out;
  if (file >= ix.files.size()) return out;
  Tokens t(ix, file);
  Resolver r(ix, t);
  std::size_t i = t.find(line, column, true);
  // The position is just after a `.`, or inside a name after one: fields of what precedes it.
  std::size_t dot = kNone;
  if (i != kNone && t.at(i) == ".") dot = i;
  if (i != kNone && i > 0 && t.name(i) && t.at(i - 1) == ".") dot = i - 1;
  if (dot != kNone && dot > 0 && t.name(dot - 1)) {
    std::string type = r.type_of(r.chain(dot - 1), dot);
    if (const auto* s = ix.find_type(type))
      for (const auto& m : s->members) {
        const Symbol* f = ix.find(Kind::Field, m, s->name);
        out.push_back({m, f ? f->type : std::string(), Kind::Field, false});
      }
    return out;
  }
  std::size_t here = i == kNone ? t.all.size() : i;
  if (const auto* a = ix.find(Kind::Action, r.action_at(here)))
    for (const auto& m : a->members) {
      const Symbol* f = ix.find(Kind::Field, m, a->name);
      out.push_back({m, f ? f->type : std::string(), Kind::Field, false});
    }
  for (const auto& s : ix.symbols) {
    if (s.kind == Kind::List) out.push_back({s.name, "", Kind::List, false});
    if (s.kind == Kind::Member) out.push_back({s.name, s.owner, Kind::Member, false});
  }
  // Keywords in the language the file is written in (from its tokens: it may not parse).
  bool zh = syntax::keywords_zh(t.all, ix.keywords_zh);
  for (int k = 1; k <= static_cast<int>(Keyword::NeWord); ++k) {
    const auto& sp = syntax::spelling(static_cast<Keyword>(k));
    std::string_view word = zh ? sp.zh : sp.en;
    if (zh && !word.empty() && (static_cast<unsigned char>(word[0]) & 0x80) == 0) continue;
    out.push_back({std::string(word), "", Kind::Field, true});
  }
  return out;
}

std::optional<std::pair<std::string, std::string>> quote(const Index& ix,
                                                         const std::string& citation) {
  if (ix.laws_dir.empty()) return std::nullopt;
  auto parsed = lit::parse_citation(citation);
  if (!parsed) return std::nullopt;
  static thread_local std::string loaded_dir;
  static thread_local laws::Library library;
  if (loaded_dir != ix.laws_dir) {
    library = laws::Library::load(ix.laws_dir);
    loaded_dir = ix.laws_dir;
  }
  const auto& c = *parsed;
  ir::Citation cit{c.issuer, c.law, c.version, c.article, c.paragraph, c.item, c.cite, {}, {}};
  auto q = library.resolve(cit);
  if (!q) return std::nullopt;
  return std::make_pair(q->text, q->source);
}

}  // namespace xy::symbols
