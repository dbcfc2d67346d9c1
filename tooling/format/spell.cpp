// The formatter's words: each token's output text, with keywords (and the effect, kind and default
// words) rewritten into the requested language; names, strings and comments as written.
#include "plan.h"
#include "xiangyue/runtime/vocabulary.h"

namespace xy::tooling {
namespace {

using syntax::Keyword;
using syntax::NodeKind;
using syntax::TokenKind;

bool is_zh(std::string_view text) {
  return !text.empty() && (static_cast<unsigned char>(text[0]) & 0x80) != 0;
}

// The next code token after `i` (comments skipped), or tokens.size().
std::uint32_t next_code(const syntax::Tree& t, std::uint32_t i) {
  for (++i; i < t.tokens.size(); ++i)
    if (t.tokens[i].kind != TokenKind::Comment) return i;
  return static_cast<std::uint32_t>(t.tokens.size());
}

// The Name child nodes of a node, in order (their single token each: names are one token).
std::vector<std::uint32_t> name_tokens(const syntax::Tree& t, std::uint32_t node) {
  std::vector<std::uint32_t> out;
  for (auto k : t.nodes[node].kids)
    if (t.nodes[k].kind == NodeKind::Name) out.push_back(t.nodes[k].first);
  return out;
}

// The words of the language that are names to the grammar: a rule's effect, a policy's kind and
// default. Returns (token, role) pairs: 'e' effect, 'k' kind, 'd' default.
std::vector<std::pair<std::uint32_t, char>> language_words(const syntax::Tree& t) {
  std::vector<std::pair<std::uint32_t, char>> out;
  for (std::uint32_t n = 0; n < t.nodes.size(); ++n) {
    const auto& node = t.nodes[n];
    if (node.kind == NodeKind::RuleDecl) {
      auto names = name_tokens(t, n);
      bool exception = false;
      for (auto i = node.first; i <= node.last && i < t.tokens.size(); ++i)
        exception = exception || t.tokens[i].keyword == Keyword::ExceptionTo;
      std::size_t effect = exception ? 2 : 1;
      if (names.size() > effect) out.emplace_back(names[effect], 'e');
    } else if (node.kind == NodeKind::PolicyItem && node.first < t.tokens.size()) {
      auto kw = t.tokens[node.first].keyword;
      auto names = name_tokens(t, n);
      if (names.empty()) continue;
      if (kw == Keyword::Kind) out.emplace_back(names[0], 'k');
      if (kw == Keyword::Default) out.emplace_back(names[0], 'd');
    }
  }
  return out;
}

}  // namespace

void spell(const syntax::Tree& t, KeywordLanguage keywords, Plan& plan) {
  std::size_t n = t.tokens.size();
  plan.text.assign(n, {});
  plan.skip.assign(n, false);
  bool to_zh = keywords == KeywordLanguage::zh, to_en = keywords == KeywordLanguage::en;
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto& tok = t.tokens[i];
    std::string_view text = t.token_text(i);
    bool keyword = tok.kind == TokenKind::Keyword &&
                   t.nodes[t.parent_of[i]].kind != NodeKind::SoftKeyword;  // not a name
    if (!keyword) {
      plan.text[i] = std::string(text);
      continue;
    }
    // An English keyword has one spelling (multi-word ones with one space: `exception to`); a
    // Chinese one keeps its synonym unless it is being translated.
    plan.text[i] =
        tok.zh && !to_en ? std::string(text) : std::string(syntax::spelling(tok.keyword).en);
    if (!to_zh || tok.zh) continue;
    // English to Chinese: `is some`, `is not none`, `is none` and `not in` are one word each.
    auto a = next_code(t, i);
    auto b = a < n ? next_code(t, a) : a;
    auto kw = [&](std::uint32_t j) { return j < n ? t.tokens[j].keyword : Keyword::None; };
    if (tok.keyword == Keyword::Is && kw(a) == Keyword::Some) {
      plan.text[i] = "有值";
      plan.skip[a] = true;
    } else if (tok.keyword == Keyword::Is && kw(a) == Keyword::Not && kw(b) == Keyword::NoneWord) {
      plan.text[i] = "有值";
      plan.skip[a] = plan.skip[b] = true;
    } else if (tok.keyword == Keyword::Is && kw(a) == Keyword::NoneWord) {
      plan.text[i] = "无值";
      plan.skip[a] = true;
    } else if (tok.keyword == Keyword::Not && kw(a) == Keyword::In) {
      plan.text[i] = "不属于";
      plan.skip[a] = true;
    } else if (!plan.skip[i]) {
      plan.text[i] = std::string(syntax::spelling(tok.keyword).zh);
    }
  }
  if (keywords == KeywordLanguage::keep) return;
  // The built-in names in expressions: 基准日 / as_of, and the functions 周岁 / age, 数量 / size.
  for (std::uint32_t i = 0; i < n; ++i) {
    if (t.tokens[i].kind != TokenKind::Name) continue;
    auto name = t.parent_of[i];
    if (t.nodes[name].kind != NodeKind::Name ||
        t.nodes[t.nodes[name].parent].kind != NodeKind::Primary)
      continue;
    auto b = syntax::builtin_of(t.token_text(i));
    if (b == syntax::Builtin::None || is_zh(t.token_text(i)) == to_zh) continue;
    auto next = next_code(t, i);
    bool call = next < n && t.token_text(next) == "(";
    if ((b == syntax::Builtin::AsOf) != call)
      plan.text[i] = std::string(to_zh ? syntax::spelling(b).zh : syntax::spelling(b).en);
  }
  for (auto [i, role] : language_words(t)) {
    std::string_view text = t.token_text(i);
    if (is_zh(text) == to_zh) continue;  // already in the requested language
    if (role == 'e')
      if (const auto* e = effect_by_word(text)) plan.text[i] = to_zh ? e->zh : e->wire;
    if (role == 'k')
      if (const auto* k = kind_by_word(text)) plan.text[i] = to_zh ? k->zh : k->en;
    if (role == 'd')
      if (const auto* o = outcome_by_word(text)) plan.text[i] = to_zh ? o->zh : o->source_en;
  }
}

}  // namespace xy::tooling
