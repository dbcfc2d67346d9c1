// The source model: tokens with comments and byte ranges, the tree, keyword spellings, rule
// extents and node ranges in the bundle, multi-line spans in diagnostics.
#include "xiangyue/compiler/syntax.h"
#include "test_util.h"

using namespace xyt;
using xy::syntax::Keyword;
using xy::syntax::NodeKind;
using xy::syntax::TokenKind;

namespace {

const std::string kCommented =
    "# 文件头注释\n"
    "结构 {\n"
    "  行为 做事 { 人数: 整数 }  // 行尾注释\n"
    "}\n"
    "/* 块注释\n   两行 */\n"
    "政策 P {\n"
    "  类型 检查\n"
    "  默认 不予许可\n"
    "  规则 R1 允许 做事\n"
    "    当 人数 > 3\n"
    "       且 人数 不超过 10   # 条件内的注释\n"
    "    理由 \"人数{人数}\"\n"
    "}\n";

xy::syntax::Tree tree_of(const xy::SourceFile& f) {
  xy::DiagnosticSink sink;
  auto t = xy::syntax::parse_tree(f, 0, sink);
  INFO(xy::render_all(sink, {f}, xy::Lang::en));
  REQUIRE(t.has_value());
  return std::move(*t);
}

}  // namespace

TEST_CASE("every comment is a token, and the tokens with the text between them give the file back",
          "[syntax]") {
  xy::SourceFile f{"a.xy", kCommented};
  auto t = tree_of(f);
  std::vector<std::string> comments;
  std::string rebuilt;
  std::uint32_t at = 0;
  for (std::uint32_t i = 0; i < t.tokens.size(); ++i) {
    const auto& tok = t.tokens[i];
    REQUIRE(tok.begin >= at);
    REQUIRE(tok.end <= f.text.size());
    // Only white space lies between tokens.
    for (auto c : f.text.substr(at, tok.begin - at)) CHECK((c == ' ' || c == '\n'));
    rebuilt += f.text.substr(at, tok.end - at);
    at = tok.end;
    if (tok.kind == TokenKind::Comment) comments.emplace_back(t.token_text(i));
  }
  CHECK(rebuilt == f.text);
  CHECK(comments == std::vector<std::string>{"# 文件头注释", "// 行尾注释", "/* 块注释\n   两行 */",
                                             "# 条件内的注释"});
  // Line table: line 3 starts after the first two lines.
  REQUIRE(t.line_starts.size() >= 3);
  CHECK(f.text.substr(t.line_starts[2], 5) == "  行");
  CHECK(t.keywords_zh());
}

TEST_CASE("byte ranges start after a byte order mark, as the text does", "[syntax]") {
  xy::SourceFile f{"bom.xy", "\xEF\xBB\xBF# 注释\nschema { action A { n: int } }\n"};
  auto t = tree_of(f);
  CHECK(t.token_text(0) == "# 注释");
  CHECK(t.tokens[0].begin == 3);
  CHECK(t.token_text(1) == "schema");
}

TEST_CASE("the tree has one node per construct, in pre-order, over token ranges", "[syntax]") {
  xy::SourceFile f{"a.xy", kCommented};
  auto t = tree_of(f);
  REQUIRE(!t.nodes.empty());
  CHECK(t.nodes[0].kind == NodeKind::File);
  std::size_t rules = 0;
  for (std::uint32_t n = 0; n < t.nodes.size(); ++n) {
    const auto& node = t.nodes[n];
    for (auto k : node.kids) {
      CHECK(k > n);  // pre-order
      CHECK(t.nodes[k].parent == n);
    }
    if (node.kind == NodeKind::RuleDecl) {
      ++rules;
      auto s = t.span(0, node.first, node.last);
      CHECK(s.line == 10);
      CHECK(s.end_line == 13);
      CHECK(f.text.substr(s.begin, s.end - s.begin).starts_with("规则 R1 允许 做事"));
      CHECK(f.text.substr(s.begin, s.end - s.begin).ends_with("理由 \"人数{人数}\""));
    }
  }
  CHECK(rules == 1);
}

TEST_CASE("keyword spellings: both languages, each lexes as its own keyword", "[syntax]") {
  using xy::syntax::spelling;
  for (int k = 1; k <= static_cast<int>(Keyword::NeWord); ++k) {
    auto kw = static_cast<Keyword>(k);
    for (std::string_view word : {spelling(kw).en, spelling(kw).zh}) {
      INFO(word);
      CHECK(xy::syntax::keyword_of(word) == kw);
      // The lexer reads the spelling as that keyword; three English spellings are two keywords.
      auto toks = xy::syntax::lex(word);
      std::vector<Keyword> got;
      for (std::size_t i = 0; i + 1 < toks.size(); ++i) got.push_back(toks[i].keyword);
      std::vector<Keyword> want{kw};
      if (word == "is some") want = {Keyword::Is, Keyword::Some};
      if (word == "is none") want = {Keyword::Is, Keyword::NoneWord};
      if (word == "not in") want = {Keyword::Not, Keyword::In};
      CHECK(got == want);
      bool zh = (static_cast<unsigned char>(word[0]) & 0x80) != 0;
      for (std::size_t i = 0; i + 1 < toks.size(); ++i) CHECK(toks[i].zh == zh);
    }
  }
  CHECK(xy::syntax::keyword_of("exception   to") == Keyword::ExceptionTo);
  CHECK(xy::syntax::keyword_of("如果") == Keyword::When);
  CHECK(xy::syntax::keyword_of("当事项") == Keyword::None);
}

TEST_CASE("the English comparison words mean what the Chinese ones mean", "[syntax]") {
  auto decide_same = [](const std::string& en, const std::string& zh) {
    auto a = compile(with_rules("  rule R permit when n " + en + " 3\n"));
    auto b = compile(with_rules("  rule R permit when n " + zh + " 3\n"));
    INFO(en << " / " << zh << "\n" << dump(a) << dump(b));
    REQUIRE(a.bundle);
    REQUIRE(b.bundle);
    const auto& na = a.bundle->nodes[a.bundle->rules[0].cond];
    const auto& nb = b.bundle->nodes[b.bundle->rules[0].cond];
    CHECK(na.op == nb.op);
  };
  decide_same("more than", "超过");
  decide_same("less  than", "不满");
  decide_same("at least", "不少于");
  decide_same("at most", "不超过");
  decide_same("equals", "等于");
  decide_same("not equal to", "不等于");
}

TEST_CASE("a rule keeps its whole extent, and every IR node the text it came from", "[syntax]") {
  auto r =
      compile(with_rules("  rule R permit\n"
                         "    when n > 3\n"
                         "      and item.fee <= 10\n"
                         "    because \"many\"\n"));
  INFO(dump(r));
  REQUIRE(r.bundle);
  const auto& b = *r.bundle;
  const auto& loc = b.rules[0].loc;
  CHECK(loc.line == 13);
  CHECK(loc.column == 3);
  CHECK(loc.end_line == 16);
  CHECK(loc.end_column == 19);
  const std::string& text = b.sources[0].text;
  CHECK(text.substr(loc.begin, loc.end - loc.begin).starts_with("rule R permit"));
  CHECK(text.substr(loc.begin, loc.end - loc.begin).ends_with("because \"many\""));
  REQUIRE(b.node_ranges.size() == b.nodes.size());
  const auto& cond = b.node_ranges[b.rules[0].cond];
  CHECK(text.substr(cond.begin, cond.end - cond.begin) == "n > 3\n      and item.fee <= 10");
  bool saw_fee = false;
  for (std::size_t i = 0; i < b.nodes.size(); ++i)
    if (b.nodes[i].op == xy::ir::Op::Field && b.paths[b.nodes[i].path] == "item.fee")
      saw_fee = text.substr(b.node_ranges[i].begin,
                            b.node_ranges[i].end - b.node_ranges[i].begin) == "item.fee";
  CHECK(saw_fee);
  // The ranges travel through the bundle file.
  auto back = xy::Bundle::deserialize(b.serialize());
  REQUIRE(back.ok());
  CHECK(back.value().node_ranges.size() == b.node_ranges.size());
  CHECK(back.value().rules[0].loc.end_line == 16);
}

TEST_CASE("a span over several lines is marked on each of them", "[syntax][render]") {
  auto r =
      compile(with_rules("  rule R permit\n"
                         "    when n + 3\n"
                         "      + 4\n"));
  auto ds = diags(r);
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].span.multiline());
  CHECK(xy::render(ds[0], r.files, xy::Lang::en) ==
        "main.xy:14:10: error[E0201]: a `when` condition must be a condition (bool), found int\n"
        "   |\n"
        "14 |     when n + 3\n"
        "   |          ^^^^^\n"
        "15 |       + 4\n"
        "   |       ^^^\n");
}

TEST_CASE("lex never fails: unknown characters are error tokens", "[syntax]") {
  auto toks = xy::syntax::lex("当 x ＞ 3 # 注释");
  REQUIRE(toks.size() == 6);
  CHECK(toks[0].keyword == Keyword::When);
  CHECK(toks[2].kind == TokenKind::Error);
  CHECK(toks[4].kind == TokenKind::Comment);
  CHECK(toks[5].begin == toks[5].end);  // EOF
  CHECK(xy::syntax::lex("").size() == 1);
}
