// The ANTLR door: lexes and parses one file with our error listener, depth cap and no throws.
#include <antlr4-runtime.h>

#include "XiangyueLexer.h"
#include "XiangyueParser.h"
#include "build_ast.h"
#include "build_tree.h"
#include "first_aid.h"
#include "parse.h"
#include "wide_lexer.h"
#include "xiangyue/runtime/vocabulary.h"

namespace xy::parse {
namespace {

constexpr std::size_t kMaxNesting = 100;
constexpr std::size_t kMaxSyntaxErrors = 10;
constexpr std::size_t kMaxFileBytes = 16 * 1024 * 1024;

struct TooManyErrors {};

using Lexer = xygrammar::XiangyueLexer;

// The lexer's keyword token types, SCHEMA to NE_WORD, follow syntax::Keyword (build_tree.cpp).
std::optional<syntax::Keyword> keyword_of_type(std::size_t type) {
  if (type < Lexer::SCHEMA || type > Lexer::NE_WORD) return std::nullopt;
  return static_cast<syntax::Keyword>(type - Lexer::SCHEMA + 1);
}

// Readable name of a token type, in both languages; keywords as the file spells them.
Localized token_name(const antlr4::dfa::Vocabulary& vocab, std::size_t type, const FirstAid& aid) {
  if (type == antlr4::Token::EOF) return {"end of file", "文件结尾"};
  if (auto k = keyword_of_type(type)) return aid.keyword(*k);
  std::string lit = vocab.getLiteralName(type);
  if (!lit.empty()) {
    std::string s = lit.substr(1, lit.size() - 2);
    return {"`" + s + "`", "「" + s + "」"};
  }
  std::string sym = vocab.getSymbolicName(type);
  if (sym == "IDENT") return {"a name", "名称"};
  if (sym == "STRING") return {"a string", "字符串"};
  if (sym == "DATE") return {"a date", "日期"};
  if (sym == "INT" || sym == "DECIMAL") return {"a number", "数字"};
  std::string lower;
  for (char c : sym) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return {"`" + lower + "`", "「" + lower + "」"};
}

// "expected …" over the tokens the parser would have taken, or nothing when they are too many to
// help. Where a name may stand, the declaration words that may also be names go without saying.
std::optional<Localized> expected_help(antlr4::Parser& parser, const FirstAid& aid) {
  auto expected = parser.getExpectedTokens();
  std::vector<std::size_t> types;
  bool name = expected.contains(static_cast<ssize_t>(Lexer::IDENT));
  for (auto t : expected.toList()) {
    auto k = keyword_of_type(static_cast<std::size_t>(t));
    bool soft = k && syntax::soft(*k) && *k != syntax::Keyword::For;
    if (!(name && soft)) types.push_back(static_cast<std::size_t>(t));
  }
  if (types.empty() || types.size() > 8) return std::nullopt;
  // After a rule's id the name it wants is the rule's effect: say so, with the effect words.
  auto* rule = dynamic_cast<xygrammar::XiangyueParser::RuleDeclContext*>(parser.getContext());
  bool effect = name && rule && rule->id && !rule->effect;
  Localized list;
  for (auto t : types) {
    auto n = token_name(parser.getVocabulary(), t, aid);
    if (effect && t == Lexer::IDENT) continue;
    list.en += (list.en.empty() ? "" : ", ") + n.en;
    list.zh += (list.zh.empty() ? "" : "、") + n.zh;
  }
  if (effect) {
    bool zh = aid.keywords_zh();
    Localized words;
    for (const auto& e : all_effects()) {
      std::string w = zh ? e.zh : e.wire;
      words.en += (words.en.empty() ? "`" : "`, `") + w;
      words.zh += "「" + w + "」";
    }
    std::string en = "the rule's effect (" + words.en + "`)";
    std::string zh_text = "规则的效果（" + words.zh + "）";
    list.en = list.en.empty() ? en : list.en + " or " + en;
    list.zh = list.zh.empty() ? zh_text : list.zh + "或" + zh_text;
  }
  return Localized{"expected " + list.en, "此处应为：" + list.zh};
}

class Listener : public antlr4::BaseErrorListener {
 public:
  Listener(std::uint32_t file, DiagnosticSink& sink, FirstAid& aid)
      : file_(file), sink_(sink), aid_(aid) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t line,
                   size_t col, const std::string& /*msg*/, std::exception_ptr /*e*/) override {
    if (count_++ >= kMaxSyntaxErrors) throw TooManyErrors{};
    SourceSpan at{file_, static_cast<std::uint32_t>(line), static_cast<std::uint32_t>(col) + 1, 1};
    if (!offending) {
      sink_.error("E0001", at, {"unexpected character", "无法识别的字符"});
      return;
    }
    auto a = offending->getStartIndex(), b = offending->getStopIndex();
    if (b >= a && b != static_cast<size_t>(-1)) at.length = static_cast<std::uint32_t>(b - a + 1);
    std::string text = offending->getType() == antlr4::Token::EOF ? "" : offending->getText();
    Localized message =
        text.empty() ? Localized{"unexpected end of file", "文件意外结束"}
                     : Localized{"unexpected `" + text + "`", "此处不应出现「" + text + "」"};
    std::optional<Localized> help;
    if (auto* parser = dynamic_cast<antlr4::Parser*>(recognizer))
      help = expected_help(*parser, aid_);
    // The parser may report twice at one token as it recovers; once is enough, with help if
    // either had it. `last_` stays valid: nothing else adds diagnostics while a file parses.
    auto index = offending->getTokenIndex();
    if (last_ && index == last_index_) {
      if (!last_->help) last_->help = help;
      return;
    }
    if (last_ &&
        aid_.cascade(static_cast<std::uint32_t>(last_index_), static_cast<std::uint32_t>(index)))
      return;
    Aid aid = aid_.at(static_cast<std::uint32_t>(index));
    if (aid.repeat) return;
    auto& d = sink_.error("E0001", aid.span.value_or(at), aid.message.value_or(message));
    d.help = aid.help ? aid.help : help;
    last_ = &d;
    last_index_ = index;
  }

  std::size_t count() const { return count_; }

 private:
  std::uint32_t file_;
  DiagnosticSink& sink_;
  FirstAid& aid_;
  std::size_t count_ = 0;
  Diagnostic* last_ = nullptr;
  std::size_t last_index_ = 0;
};

// Finds the first byte that is not valid UTF-8, as a 1-based line and column.
std::optional<SourceSpan> invalid_utf8(const std::string& text, std::uint32_t file) {
  std::uint32_t line = 1, col = 1;
  for (std::size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    bool bad = extra < 0 || c == 0xC0 || c == 0xC1 || c > 0xF4;
    for (int k = 1; !bad && k <= extra; ++k)
      bad = i + k >= text.size() || (static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80;
    if (!bad && extra >= 2) {
      // Overlong forms, UTF-16 surrogates and code points past U+10FFFF (RFC 3629).
      unsigned char n = static_cast<unsigned char>(text[i + 1]);
      bad = (c == 0xE0 && n < 0xA0) || (c == 0xED && n >= 0xA0) || (c == 0xF0 && n < 0x90) ||
            (c == 0xF4 && n >= 0x90);
    }
    if (bad) return SourceSpan{file, line, col, 1};
    if (c == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
    i += static_cast<std::size_t>(extra) + 1;
  }
  return std::nullopt;
}

// Bracket nesting is checked on tokens before parsing so deep input cannot exhaust the stack.
bool nesting_ok(antlr4::CommonTokenStream& tokens, std::uint32_t file, DiagnosticSink& sink) {
  std::size_t depth = 0;
  std::size_t keywords = 0;
  for (auto* tok : tokens.getTokens()) {
    std::string t = tok->getText();
    if (t == "(" || t == "[" || t == "{") ++depth;
    if ((t == ")" || t == "]" || t == "}") && depth > 0) --depth;
    auto type = tok->getType();
    if (type == xygrammar::XiangyueLexer::NOT || type == xygrammar::XiangyueLexer::ANY ||
        type == xygrammar::XiangyueLexer::ALL || t == "-")
      ++keywords;
    else if (type != xygrammar::XiangyueLexer::IDENT && t != "." && t != ":" && t != "：")
      keywords = 0;
    if (depth > kMaxNesting || keywords > kMaxNesting) {
      sink.error("E0002",
                 SourceSpan{file, static_cast<std::uint32_t>(tok->getLine()),
                            static_cast<std::uint32_t>(tok->getCharPositionInLine()) + 1, 1},
                 {"expression nested more than " + std::to_string(kMaxNesting) + " levels deep",
                  "表达式嵌套超过 " + std::to_string(kMaxNesting) + " 层"});
      return false;
    }
  }
  return true;
}

}  // namespace

bool parse_file(const SourceFile& file, std::uint32_t file_id, ast::Program& into,
                DiagnosticSink& sink, syntax::Tree* tree) {
  if (file.text.size() > kMaxFileBytes) {
    sink.error("E0002", SourceSpan{file_id, 1, 1, 1},
               {"file is larger than 16 MiB", "文件超过 16 MiB"});
    return false;
  }
  if (auto bad = invalid_utf8(file.text, file_id)) {
    sink.error("E0001", *bad, {"file is not valid UTF-8 here", "此处不是有效的 UTF-8 编码"});
    return false;
  }
  std::size_t before = sink.error_count();
  try {
    antlr4::ANTLRInputStream input(file.text);
    xygrammar::XiangyueLexer lexer(&input);
    WideLexerSimulator::install(lexer);
    lexer.removeErrorListeners();
    antlr4::CommonTokenStream tokens(&lexer);
    tokens.fill();
    if (!nesting_ok(tokens, file_id, sink)) return false;
    xygrammar::XiangyueParser parser(&tokens);
    parser.removeErrorListeners();
    // Two stages: the fast SLL prediction with bail-out first; only a file it rejects is parsed
    // again with full LL prediction and our listener, which reports the errors.
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
        antlr4::atn::PredictionMode::SLL);
    parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
    xygrammar::XiangyueParser::FileContext* parsed = nullptr;
    try {
      parsed = parser.file();
    } catch (const antlr4::ParseCancellationException&) {
      parsed = nullptr;
    }
    // The source model's tokens serve the error help now and the tree builders later.
    syntax::Tree model;
    model.text = file.text;
    model.tokens = tokens_of(tokens, file.text);
    FirstAid aid(model, file_id);
    Listener listener(file_id, sink, aid);
    if (!parsed) {
      tokens.seek(0);
      parser.reset();
      parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
      parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
          antlr4::atn::PredictionMode::LL);
      parser.addErrorListener(&listener);
      parsed = parser.file();
    }
    if (listener.count() > 0 || sink.error_count() > before) return false;
    AstBuilder(file_id, model.tokens).file(parsed, into);
    if (tree) {
      tree->text = file.text;
      tree->tokens = std::move(model.tokens);
      build_tree(parsed, *tree);
      tree->line_starts = {0};
      for (std::size_t i = 0; i < file.text.size(); ++i)
        if (file.text[i] == '\n') tree->line_starts.push_back(static_cast<std::uint32_t>(i + 1));
    }
    return true;
  } catch (const TooManyErrors&) {
    return false;
  } catch (const std::exception& e) {
    sink.error(
        "E0001", SourceSpan{file_id, 1, 1, 1},
        {std::string("the parser failed: ") + e.what(), std::string("解析失败：") + e.what()});
    return false;
  } catch (...) {
    sink.error("E0001", SourceSpan{file_id, 1, 1, 1}, {"the parser failed", "解析失败"});
    return false;
  }
}

ast::ExprPtr parse_placeholder(const std::string& text, SourceSpan at, DiagnosticSink& sink) {
  try {
    antlr4::ANTLRInputStream input(text);
    xygrammar::XiangyueLexer lexer(&input);
    WideLexerSimulator::install(lexer);
    lexer.removeErrorListeners();
    antlr4::CommonTokenStream tokens(&lexer);
    tokens.fill();
    if (tokens.getTokens().size() > 64) return nullptr;
    xygrammar::XiangyueParser parser(&tokens);
    parser.removeErrorListeners();
    parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
    auto* tree = parser.postfixExpr();
    if (tokens.LA(1) != antlr4::Token::EOF) return nullptr;
    static const std::vector<syntax::Token> kNoTokens;  // spans are replaced below
    auto built = AstBuilder(at.file, kNoTokens).placeholder(tree);
    // Every node of a placeholder points at the placeholder inside the reason template.
    std::vector<ast::Expr*> todo{built.get()};
    while (!todo.empty()) {
      ast::Expr* e = todo.back();
      todo.pop_back();
      if (!e) continue;
      e->span = e->name_span = at;
      for (auto& k : e->kids) todo.push_back(k.get());
    }
    return built;
  } catch (...) {
    sink.error("E0304", at,
               {"cannot read the placeholder `" + text + "`", "无法解析占位符「" + text + "」"});
    return nullptr;
  }
}

}  // namespace xy::parse

namespace xy::syntax {

std::vector<Token> lex(std::string_view text) {
  try {
    antlr4::ANTLRInputStream input{std::string(text)};
    xygrammar::XiangyueLexer lexer(&input);
    parse::WideLexerSimulator::install(lexer);
    lexer.removeErrorListeners();
    antlr4::CommonTokenStream tokens(&lexer);
    tokens.fill();
    return parse::tokens_of(tokens, text);
  } catch (...) {
    return {};
  }
}

std::optional<Tree> parse_tree(const SourceFile& file, std::uint32_t file_id, DiagnosticSink& sink,
                               std::string* shape_out) {
  Tree tree;
  ast::Program program;
  if (!parse::parse_file(file, file_id, program, sink, &tree)) return std::nullopt;
  if (shape_out) *shape_out = shape_of(program);
  return tree;
}

}  // namespace xy::syntax
