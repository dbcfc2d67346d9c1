// Turns ANTLR's token stream and parse tree into the source model (syntax::Tree): our own tokens
// with byte ranges, comments included, and the concrete syntax tree over them.
#include "build_tree.h"

#include "XiangyueLexer.h"

namespace xy::parse {
namespace {

using L = xygrammar::XiangyueLexer;
using P = xygrammar::XiangyueParser;

static_assert(static_cast<int>(syntax::Keyword::NeWord) == L::NE_WORD - L::SCHEMA + 1,
              "syntax::Keyword follows the lexer's keyword rules in order");
static_assert(static_cast<int>(syntax::NodeKind::Colon) == P::RuleColon,
              "syntax::NodeKind follows the parser rules in order");

syntax::TokenKind kind_of(std::size_t type) {
  if (type >= L::SCHEMA && type <= L::NE_WORD) return syntax::TokenKind::Keyword;
  switch (type) {
    case L::IDENT:
      return syntax::TokenKind::Name;
    case L::STRING:
      return syntax::TokenKind::String;
    case L::DATE:
      return syntax::TokenKind::Date;
    case L::UNIT_NUMBER:
    case L::CN_FRACTION:
    case L::DECIMAL:
    case L::INT:
      return syntax::TokenKind::Number;
    case L::LINE_COMMENT:
    case L::BLOCK_COMMENT:
      return syntax::TokenKind::Comment;
    case L::ERROR_CHAR:
      return syntax::TokenKind::Error;
    default:
      return syntax::TokenKind::Punct;
  }
}

}  // namespace

std::vector<syntax::Token> tokens_of(antlr4::CommonTokenStream& stream, std::string_view text) {
  std::vector<syntax::Token> out;
  const auto& all = stream.getTokens();
  out.reserve(all.size());
  // ANTLR counts code points; walk the text once, turning code point indices into byte offsets.
  std::size_t cp = 0;
  std::uint32_t byte = 0;
  // ANTLRInputStream drops a leading byte order mark: its indices start after it.
  if (text.starts_with("\xEF\xBB\xBF")) byte = 3;
  auto advance_to = [&](std::size_t target) {
    while (cp < target && byte < text.size()) {
      byte += static_cast<std::uint32_t>(utf8_length(static_cast<unsigned char>(text[byte])));
      ++cp;
    }
    if (byte > text.size()) byte = static_cast<std::uint32_t>(text.size());
    return byte;
  };
  for (auto* t : all) {
    syntax::Token tok;
    auto type = t->getType();
    if (type == antlr4::Token::EOF) {
      tok.kind = syntax::TokenKind::Punct;
      tok.begin = tok.end = advance_to(cp + text.size());
    } else {
      tok.kind = kind_of(type);
      tok.begin = advance_to(t->getStartIndex());
      tok.end = advance_to(t->getStopIndex() + 1);
    }
    if (tok.kind == syntax::TokenKind::Keyword) {
      tok.keyword = static_cast<syntax::Keyword>(type - L::SCHEMA + 1);
      tok.zh = tok.begin < text.size() && static_cast<unsigned char>(text[tok.begin]) >= 0x80;
    }
    tok.line = static_cast<std::uint32_t>(t->getLine());
    tok.column = static_cast<std::uint32_t>(t->getCharPositionInLine()) + 1;
    out.push_back(tok);
  }
  return out;
}

void build_tree(antlr4::ParserRuleContext* root, syntax::Tree& tree) {
  tree.nodes.clear();
  tree.parent_of.assign(tree.tokens.size(), 0);
  // Iterative pre-order walk: (context, parent node index).
  std::vector<std::pair<antlr4::tree::ParseTree*, std::uint32_t>> todo{{root, 0}};
  while (!todo.empty()) {
    auto [pt, parent] = todo.back();
    todo.pop_back();
    if (auto* term = dynamic_cast<antlr4::tree::TerminalNode*>(pt)) {
      auto i = term->getSymbol()->getTokenIndex();
      if (i < tree.parent_of.size()) tree.parent_of[i] = parent;
      continue;
    }
    auto* ctx = dynamic_cast<antlr4::ParserRuleContext*>(pt);
    if (!ctx) continue;
    auto id = static_cast<std::uint32_t>(tree.nodes.size());
    syntax::Node node;
    node.kind = static_cast<syntax::NodeKind>(ctx->getRuleIndex());
    node.parent = tree.nodes.empty() ? 0 : parent;
    node.first = ctx->getStart() ? static_cast<std::uint32_t>(ctx->getStart()->getTokenIndex()) : 0;
    node.last = ctx->getStop() ? static_cast<std::uint32_t>(ctx->getStop()->getTokenIndex()) : 0;
    if (!ctx->getStop() || node.last < node.first) node.last = node.first++;  // empty: last < first
    if (!tree.nodes.empty()) tree.nodes[parent].kids.push_back(id);
    tree.nodes.push_back(std::move(node));
    for (auto it = ctx->children.rbegin(); it != ctx->children.rend(); ++it)
      todo.emplace_back(*it, id);
  }
  // Hidden tokens (comments) belong to the innermost node around them: the node of the code
  // token before them, or the root.
  for (std::size_t i = 0; i < tree.tokens.size(); ++i)
    if (tree.tokens[i].kind == syntax::TokenKind::Comment)
      tree.parent_of[i] = i > 0 ? tree.parent_of[i - 1] : 0;
}

}  // namespace xy::parse
