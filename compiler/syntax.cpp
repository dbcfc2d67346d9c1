// The source model's helpers: keyword spellings in both languages, spans over tokens.
#include <algorithm>

#include "xiangyue/compiler/syntax.h"

namespace xy::syntax {
namespace {

using K = Keyword;

// Each keyword's main spelling in English and in Chinese, as grammar/Xiangyue.g4 lexes them (a
// test checks that every spelling here lexes as its keyword). `xy fmt --keywords` writes these.
constexpr Spelling kSpellings[] = {
    {K::None, "", ""},
    {K::Schema, "schema", "结构"},
    {K::Enum, "enum", "枚举"},
    {K::Ordered, "ordered", "有序"},
    {K::Entity, "entity", "实体"},
    {K::Record, "record", "记录"},
    {K::Action, "action", "行为"},
    {K::Set, "set", "集合"},
    {K::Sensitive, "sensitive", "敏感"},
    {K::List, "list", "清单"},
    {K::Policy, "policy", "政策"},
    {K::Kind, "kind", "类型"},
    {K::Default, "default", "默认"},
    {K::For, "for", "针对"},
    {K::Scope, "scope", "范围"},
    {K::Version, "version", "版本"},
    {K::Returns, "returns", "报送"},
    {K::Roster, "roster", "名册"},
    {K::Department, "department", "部门"},
    {K::Sheet, "sheet", "工作表"},
    {K::Id, "id", "身份证"},
    {K::Birth, "birth", "出生"},
    {K::Label, "label", "标注"},
    {K::Column, "column", "列"},
    {K::Source, "source", "来源"},
    {K::Rule, "rule", "规则"},
    {K::ExceptionTo, "exception to", "例外于"},
    {K::When, "when", "当"},
    {K::Because, "because", "理由"},
    {K::Basis, "basis", "依据"},
    {K::Effective, "effective", "生效"},
    {K::To, "to", "至"},
    {K::Any, "any", "任一"},
    {K::All, "all", "所有"},
    {K::Count, "count", "计数"},
    {K::In, "in", "属于"},
    {K::NotIn, "not in", "不属于"},
    {K::Is, "is", "is"},
    {K::Some, "some", "some"},
    {K::NoneWord, "none", "none"},
    {K::HasValue, "is some", "有值"},
    {K::NoValue, "is none", "无值"},
    {K::And, "and", "且"},
    {K::Or, "or", "或"},
    {K::Not, "not", "非"},
    {K::True, "true", "真"},
    {K::False, "false", "假"},
    {K::GtWord, "more than", "超过"},
    {K::LtWord, "less than", "不满"},
    {K::GeWord, "at least", "不少于"},
    {K::LeWord, "at most", "不超过"},
    {K::EqWord, "equals", "等于"},
    {K::NeWord, "not equal to", "不等于"},
};
static_assert(std::size(kSpellings) == static_cast<std::size_t>(K::NeWord) + 1);

// Synonyms the lexer also takes, beside the main spellings.
constexpr std::pair<std::string_view, Keyword> kSynonyms[] = {
    {"如果", K::When},     {"每个", K::All},      {"并且", K::And},      {"或者", K::Or},
    {"大于", K::GtWord},   {"小于", K::LtWord},   {"不低于", K::GeWord}, {"不小于", K::GeWord},
    {"不高于", K::LeWord}, {"不大于", K::LeWord},
};

constexpr BuiltinSpelling kBuiltins[] = {{Builtin::None, "", ""},
                                         {Builtin::AsOf, "as_of", "基准日"},
                                         {Builtin::Age, "age", "周岁"},
                                         {Builtin::Size, "size", "数量"}};

}  // namespace

const BuiltinSpelling& spelling(Builtin b) {
  auto i = static_cast<std::size_t>(b);
  return kBuiltins[i < std::size(kBuiltins) ? i : 0];
}

Builtin builtin_of(std::string_view text) {
  for (const auto& b : kBuiltins)
    if (b.builtin != Builtin::None && (text == b.en || text == b.zh)) return b.builtin;
  return Builtin::None;
}

const Spelling& spelling(Keyword k) {
  auto i = static_cast<std::size_t>(k);
  return kSpellings[i < std::size(kSpellings) ? i : 0];
}

Keyword keyword_of(std::string_view text) {
  // Multi-word English keywords may be spaced more widely (`exception  to`).
  std::string squeezed;
  for (char c : text) {
    if (c == '\t') c = ' ';
    if (c == ' ' && (squeezed.empty() || squeezed.back() == ' ')) continue;
    squeezed += c;
  }
  if (!squeezed.empty() && squeezed.back() == ' ') squeezed.pop_back();
  for (const auto& s : kSpellings)
    if (s.keyword != K::None && (squeezed == s.en || squeezed == s.zh)) return s.keyword;
  for (const auto& [word, k] : kSynonyms)
    if (squeezed == word) return k;
  return K::None;
}

std::string_view glued_keyword(std::string_view text, bool at_end) {
  std::string_view best;
  auto consider = [&](std::string_view word) {
    // Only Chinese spellings: English keywords are always spaced from names.
    if (word.empty() || static_cast<unsigned char>(word[0]) < 0x80) return;
    if (word.size() >= text.size() || word.size() <= best.size()) return;
    if (at_end ? text.substr(text.size() - word.size()) == word
               : text.substr(0, word.size()) == word)
      best = word;
  };
  for (const auto& s : kSpellings) consider(s.zh);
  for (const auto& [word, k] : kSynonyms) consider(word);
  return best;
}

SourceSpan Tree::span(std::uint32_t file, std::uint32_t first, std::uint32_t last) const {
  SourceSpan s;
  if (first >= tokens.size()) return s;
  last =
      std::min<std::uint32_t>(std::max(first, last), static_cast<std::uint32_t>(tokens.size() - 1));
  const Token& a = tokens[first];
  const Token& b = tokens[last];
  s.file = file;
  s.line = a.line;
  s.column = a.column;
  s.begin = a.begin;
  s.end = b.end;
  // The end's line and column: count the code points of the last token on its last line.
  std::string_view tail = text.substr(b.begin, b.end - b.begin);
  std::uint32_t end_line = b.line, end_col = b.column;
  for (std::size_t i = 0; i < tail.size(); ++i) {
    auto c = static_cast<unsigned char>(tail[i]);
    if (c == '\n') {
      ++end_line;
      end_col = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++end_col;
    }
  }
  s.end_line = end_line;
  s.end_column = end_col;
  s.length = end_line == s.line && end_col > s.column ? end_col - s.column : 1;
  return s;
}

bool keywords_zh(const std::vector<Token>& tokens, bool otherwise) {
  std::size_t zh = 0, en = 0;
  for (const auto& t : tokens) {
    if (t.kind != TokenKind::Keyword) continue;
    // `is`, `some` and `none` have no Chinese form: they say nothing about the author's language.
    if (t.keyword == K::Is || t.keyword == K::Some || t.keyword == K::NoneWord) continue;
    (t.zh ? zh : en) += 1;
  }
  return zh + en == 0 ? otherwise : zh > en;
}

bool Tree::keywords_zh() const {
  return syntax::keywords_zh(tokens);
}

}  // namespace xy::syntax
