// Private to filter.cpp: the filter language's AST, X3 grammar, and parse() with syntax errors.
#pragma once
#include <algorithm>
#include <boost/spirit/home/x3.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "xiangyue/audit/filter.h"

namespace xy::audit::detail {

namespace x3 = boost::spirit::x3;
using Iter = std::string_view::const_iterator;

// A word, operator or value with its byte span in the filter text (quotes included). The text of
// a quoted value is unescaped.
struct Token {
  std::string text;
  std::size_t offset = 0;
  std::size_t length = 0;
};

// `op value` or `in (values…)`.
struct Operation {
  Token op;
  std::vector<Token> values;
};

struct Node {
  enum class Kind { compare, negate, all_of, any_of };
  Kind kind = Kind::compare;
  Token field;             // compare
  Operation operation;     // compare
  std::vector<Node> kids;  // negate: one; all_of, any_of: two or more
};

// Per-parse state: offsets are taken against `base`; `depth` counts open parentheses and `not`s
// against runaway recursion; `parens` holds the offsets of the open `(`, innermost last, and
// `quote` that of the last opening quote, for the errors about them.
struct ParseState {
  Iter base{};
  int depth = 0;
  std::vector<std::size_t> parens;
  std::size_t quote = 0;
};
struct state_tag;
inline constexpr int kMaxDepth = 64;

// Whitespace between tokens: ASCII and the ideographic space U+3000. Words end at whitespace,
// operators, parentheses, commas and quotes (full-width （），“” included).
inline const auto skipper = x3::char_(" \t\r\n\f\v") | x3::lit("\u3000");
inline const auto delimiter = x3::char_(" \t\r\n\f\v()\",=!<>^") | x3::lit("\u3000") | "（" | "）" |
                              "，" | "“" | "”" | "≠" | "≥" | "≤";
inline const auto word_char = x3::char_ - delimiter;
// Keywords are whole words: `非法占地` is a value, `非 结论 = 准许` a negation.
inline const auto kw_and = x3::lexeme[(x3::lit("and") | "AND" | "且") >> !word_char];
inline const auto kw_or = x3::lexeme[(x3::lit("or") | "OR" | "或") >> !word_char];
inline const auto kw_not = x3::lexeme[(x3::lit("not") | "NOT" | "非") >> !word_char];
inline const auto kw_in = x3::lexeme[(x3::lit("in") | "IN") >> !word_char];
inline const auto keyword = kw_and | kw_or | kw_not | kw_in;
inline const auto open_paren = x3::lit('(') | "（";
inline const auto comma = x3::lit(',') | "，";

// Semantic actions. A raw[] range gives a token its span (and text); the rest build the AST.
template <class Ctx, class Range>
void set_span(Ctx& ctx, Token& t, const Range& r) {
  t.offset = std::size_t(r.begin() - x3::get<state_tag>(ctx).base);
  t.length = std::size_t(r.end() - r.begin());
}
inline const auto set_token = [](auto& ctx) {
  x3::_val(ctx).text.assign(x3::_attr(ctx).begin(), x3::_attr(ctx).end());
  set_span(ctx, x3::_val(ctx), x3::_attr(ctx));
};
inline const auto set_quoted_span = [](auto& ctx) { set_span(ctx, x3::_val(ctx), x3::_attr(ctx)); };
inline const auto append_char = [](auto& ctx) { x3::_val(ctx).text += x3::_attr(ctx); };
inline const auto assign = [](auto& ctx) { x3::_val(ctx) = std::move(x3::_attr(ctx)); };
inline const auto push_back = [](auto& ctx) { x3::_val(ctx).push_back(std::move(x3::_attr(ctx))); };
inline const auto set_op = [](auto& ctx) { x3::_val(ctx).op = std::move(x3::_attr(ctx)); };
inline const auto set_values = [](auto& ctx) { x3::_val(ctx).values = std::move(x3::_attr(ctx)); };
inline const auto push_value = [](auto& ctx) {
  x3::_val(ctx).values.push_back(std::move(x3::_attr(ctx)));
};
inline const auto set_field = [](auto& ctx) { x3::_val(ctx).field = std::move(x3::_attr(ctx)); };
inline const auto set_operation = [](auto& ctx) {
  x3::_val(ctx).operation = std::move(x3::_attr(ctx));
};
inline const auto make_not = [](auto& ctx) {
  Node n;
  n.kind = Node::Kind::negate;
  n.kids.push_back(std::move(x3::_attr(ctx)));
  x3::_val(ctx) = std::move(n);
};
// `a and b and c` becomes one all_of node with three kids (any_of likewise).
constexpr auto join(Node::Kind kind) {
  return [kind](auto& ctx) {
    Node& v = x3::_val(ctx);
    if (v.kind != kind) {
      Node n;
      n.kind = kind;
      n.kids.push_back(std::move(v));
      v = std::move(n);
    }
    v.kids.push_back(std::move(x3::_attr(ctx)));
  };
}
// Parentheses and `not` nest; past kMaxDepth the parse stops (no stack overflow on `((((…`).
// `open` and `enter` take the raw[] range of the `(` or `not`.
template <class Ctx>
void enter(Ctx& ctx, Iter at) {
  if (++x3::get<state_tag>(ctx).depth > kMaxDepth)
    throw x3::expectation_failure<Iter>(at, "too-deep");
}
inline const auto enter_not = [](auto& ctx) { enter(ctx, x3::_attr(ctx).begin()); };
inline const auto leave_not = [](auto& ctx) { --x3::get<state_tag>(ctx).depth; };
inline const auto open = [](auto& ctx) {
  ParseState& st = x3::get<state_tag>(ctx);
  st.parens.push_back(std::size_t(x3::_attr(ctx).begin() - st.base));
  enter(ctx, x3::_attr(ctx).begin());
};
inline const auto close = [](auto& ctx) {
  x3::get<state_tag>(ctx).parens.pop_back();
  --x3::get<state_tag>(ctx).depth;
};
inline const auto open_quote = [](auto& ctx) {
  ParseState& st = x3::get<state_tag>(ctx);
  st.quote = std::size_t(x3::_attr(ctx).begin() - st.base);
};

// Rule names double as the error kinds that filter.cpp reports.
const x3::rule<struct word_id, Token> word = "word";
const x3::rule<struct op_id, Token> op_symbol = "operator";
const x3::rule<struct in_id, Token> in_word = "in";
const x3::rule<struct quoted_id, Token> quoted = "string";
const x3::rule<struct value_id, Token> value = "value";
const x3::rule<struct list_id, std::vector<Token>> value_list = "list";
const x3::rule<struct operation_id, Operation> operation = "operator";
const x3::rule<struct comparison_id, Node> comparison = "condition";
const x3::rule<struct group_id, Node> group = "condition";
const x3::rule<struct unary_id, Node> unary = "condition";
const x3::rule<struct conj_id, Node> conj = "condition";
const x3::rule<struct expr_id, Node> expr = "condition";
const x3::rule<struct top_id, Node> top = "filter";
const x3::rule<struct group_close_id> group_close = "group-close";
const x3::rule<struct list_close_id> list_close = "list-close";
const x3::rule<struct string_end_id> string_end = "string-end";
const x3::rule<struct curly_end_id> curly_end = "string-end";
const x3::rule<struct end_id> end = "end";

const auto word_def = !keyword >> x3::raw[x3::lexeme[+word_char]][set_token];
// As in policies, `==`, `≠`, `≥` and `≤` are `=`, `!=`, `>=` and `<=`.
const auto op_symbol_def = x3::raw[x3::lit("!=") | "<=" | ">=" | "^=" | "==" | "=" | "<" | ">" |
                                   "≠" | "≥" | "≤"][set_token];
const auto in_word_def = x3::raw[kw_in][set_token];
// "…" with \" and \\ as escapes (any other backslash is itself), or “…” without escapes.
const auto escape = x3::lit('\\') >> x3::char_("\"\\");
const auto plain_char = ~x3::char_('"');
const auto curly_char = x3::char_ - "”";
// Each expectation names a bare rule, so that which() is the rule's name (the error kind).
const auto quoted_def =
    x3::lexeme[x3::raw[(x3::raw[x3::lit('"')][open_quote] >>
                        *(escape[append_char] | plain_char[append_char]) >>
                        x3::expect[string_end]) |
                       (x3::raw[x3::lit("“")][open_quote] >> *curly_char[append_char] >>
                        x3::expect[curly_end])]][set_quoted_span];
const auto value_def = quoted[assign] | word[assign];
const auto value_list_def =
    x3::raw[open_paren][open] >> x3::expect[value][push_back] >>
    *(comma >> x3::expect[value][push_back]) >> x3::expect[list_close] >> x3::eps[close];
const auto operation_def = (in_word[set_op] >> x3::expect[value_list][set_values]) |
                           (op_symbol[set_op] >> x3::expect[value][push_value]);
const auto comparison_def = word[set_field] >> x3::expect[operation][set_operation];
const auto group_def = x3::raw[open_paren][open] >> x3::expect[expr][assign] >>
                       x3::expect[group_close] >> x3::eps[close];
const auto unary_def =
    (x3::raw[kw_not][enter_not] >> x3::expect[unary][make_not] >> x3::eps[leave_not]) |
    group[assign] | comparison[assign];
const auto conj_def = unary[assign] >> *(kw_and >> x3::expect[unary][join(Node::Kind::all_of)]);
const auto expr_def = conj[assign] >> *(kw_or >> x3::expect[conj][join(Node::Kind::any_of)]);
const auto top_def = x3::expect[expr][assign] >> x3::expect[end];
const auto group_close_def = x3::lit(')') | "）";
const auto list_close_def = x3::lit(')') | "）";
const auto string_end_def = x3::lit('"');
const auto curly_end_def = x3::lit("”");
const auto end_def = x3::eoi;

BOOST_SPIRIT_DEFINE(word, op_symbol, in_word, quoted, value, value_list, operation, comparison,
                    group, unary, conj, expr, top, group_close, list_close, string_end, curly_end,
                    end)

// Thrown by parse() and by the checks in filter.cpp; compile_filter returns it.
struct Failure {
  FilterError error;
};

[[noreturn]] inline void fail(std::size_t offset, std::size_t length, Localized message,
                              std::optional<Localized> help = std::nullopt) {
  throw Failure{
      FilterError{offset, std::max<std::size_t>(length, 1), std::move(message), std::move(help)}};
}
// The filter's text quoted in a message: bytes that are not UTF-8 show as U+FFFD, so that the
// message stays text (it goes into JSON answers and terminals).
inline std::string shown(std::string_view s) {
  return replacing_invalid_utf8(s);
}
inline std::string bt(std::string_view s) {
  return "`" + shown(s) + "`";
}
inline std::string cq(std::string_view s) {
  return "“" + shown(s) + "”";
}

// `且非 …`, `非结论 = …`: a Chinese keyword written against the next word.
inline std::optional<Localized> glued_keyword(std::string_view tok) {
  for (std::string_view kw : {"且", "或", "非"})
    if (tok.size() > kw.size() && tok.starts_with(kw))
      return Localized{bt(kw) + " is a word of its own: put a space after it",
                       cq(kw) + "须单独成词：请在其后加空格"};
  return std::nullopt;
}

// `规则=Y1且结论=不准许`: the value before `at` swallowed a keyword (`Y1且结论` is one word), so
// the filter looks like one condition followed by stray text. The help shows the spaced form.
inline std::optional<Localized> keyword_inside_value(std::string_view text, std::size_t at) {
  std::size_t stop = std::min(at, text.size());
  while (stop > 0 && (text[stop - 1] == ' ' || text[stop - 1] == '\t')) --stop;
  std::size_t start = text.find_last_of(" \t=!<>^(,\"", stop == 0 ? 0 : stop - 1);
  start = start == std::string_view::npos || stop == 0 ? 0 : start + 1;
  std::string_view run = text.substr(start, stop - start);
  for (std::string_view kw : {"且", "或", "非"}) {
    auto pos = run.find(kw);
    if (pos == std::string_view::npos || run.size() == kw.size()) continue;
    std::string spaced = std::string(run.substr(0, pos)) + (pos ? " " : "") + std::string(kw) +
                         " " + std::string(run.substr(pos + kw.size()));
    return Localized{bt(run) + " reads as one value: `" + std::string(kw) +
                         "` joins conditions only as a word of its own, with spaces around it (" +
                         bt(spaced) + ")",
                     cq(run) + "被读成了一个值：“" + std::string(kw) + "”须前后加空格才是连接词（" +
                         cq(spaced) + "）"};
  }
  return std::nullopt;
}

// ---- Syntax errors: X3 expectation failures, by the name of the rule that was expected.

inline std::size_t skip_ws(std::string_view text, std::size_t at) {
  Iter it = text.begin() + std::ptrdiff_t(std::min(at, text.size()));
  x3::parse(it, text.end(), *skipper);
  return std::size_t(it - text.begin());
}

// Length of the token at `at`: a word, a run of operator characters, or one character.
inline std::size_t token_length(std::string_view text, std::size_t at) {
  if (at >= text.size()) return 0;
  Iter start = text.begin() + std::ptrdiff_t(at), it = start;
  if (x3::parse(it, text.end(), x3::lexeme[+word_char] | +x3::char_("=!<>^")))
    return std::size_t(it - start);
  auto c = static_cast<unsigned char>(text[at]);
  return std::min<std::size_t>(c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1, text.size() - at);
}

[[noreturn]] inline void syntax_error(std::string_view text, const ParseState& st, Iter where,
                                      const std::string& which) {
  std::size_t at = skip_ws(text, std::size_t(where - text.begin()));
  std::size_t len = token_length(text, at);
  bool at_end = at >= text.size();
  std::size_t cut = std::min<std::size_t>(len, 60);  // not inside a character
  while (cut > 0 && cut < len && (static_cast<unsigned char>(text[at + cut]) & 0xC0) == 0x80) --cut;
  std::string tok(text.substr(at, cut));
  std::string found_en = at_end ? "the end of the filter" : bt(tok);
  std::string found_zh = at_end ? "筛选条件的末尾" : cq(tok);
  if ((which == "group-close" || which == "list-close") && at_end && !st.parens.empty())
    fail(st.parens.back(), 1,
         {"unbalanced parentheses: this `(` is never closed", "括号不配对：此“(”没有闭合"},
         Localized{"add `)` where the group ends", "在分组结束处补上“)”"});
  if (which == "string-end")
    fail(st.quote, text.size() - st.quote,
         {"unterminated string: the closing quote is missing", "字符串没有结束：缺少右引号"});
  if (which == "end") {
    if (tok == ")" || tok == "）")
      fail(at, len,
           {"unbalanced parentheses: this `)` has no matching `(`",
            "括号不配对：此“)”没有对应的“(”"});
    fail(
        at, len,
        {"unexpected " + found_en + " after a complete condition", "完整的条件之后多出" + found_zh},
        keyword_inside_value(text, at).value_or(glued_keyword(tok).value_or(
            Localized{"join conditions with `and` or `or`", "多个条件用“且”或“或”连接"})));
  }
  if (which == "value") {
    Iter it = text.begin() + std::ptrdiff_t(at);
    bool is_keyword = !at_end && x3::parse(it, text.end(), keyword);
    fail(at, len, {"missing value, found " + found_en, "缺少值，此处是" + found_zh},
         is_keyword
             ? std::optional<Localized>(Localized{"to use " + bt(tok) + " as a value, quote it",
                                                  "要把" + cq(tok) + "当作值，请加引号"})
             : std::nullopt);
  }
  // The rest: "expected …, found …" with a help line.
  struct Expected {
    const char *which, *en, *zh, *help_en, *help_zh;
  };
  static constexpr Expected kExpected[] = {
      {"operator", "expected an operator after the field", "字段之后应为运算符",
       "operators: = != < <= > >= ^= in", "运算符：= != < <= > >= ^= in"},
      {"list", "expected `(` after `in`", "“in”之后应为“(”",
       "write a list as `outcome in (deny, 不能)`", "列表写作 `结论 in (不能, 不宜)`"},
      {"list-close", "expected `,` or `)` in the list", "列表中此处应为“,”或“)”",
       "separate the values with commas", "各值之间用逗号分隔"},
      {"group-close", "expected `)`, `and` or `or`", "此处应为“)”“且”或“或”",
       "join conditions with `and` or `or`", "多个条件用“且”或“或”连接"},
      {"too-deep", "parentheses and `not` nest more than 64 levels deep",
       "括号与“非”嵌套超过 64 层", "simplify the filter", "请简化筛选条件"},
      {"condition", "expected a condition", "此处应为条件",
       "a condition looks like `outcome = deny`", "条件形如 `结论 = 不能`"}};
  const Expected* x = std::end(kExpected) - 1;
  for (const Expected& e : kExpected)
    if (which == e.which) x = &e;
  if (which == "too-deep") fail(at, len, {x->en, x->zh}, Localized{x->help_en, x->help_zh});
  fail(at, len, {x->en + (", found " + found_en), x->zh + ("，却是" + found_zh)},
       Localized{x->help_en, x->help_zh});
}

// The AST of a filter that is not blank; throws Failure on a syntax error.
inline Node parse(std::string_view text) {
  ParseState st;
  st.base = text.begin();
  Node root;
  Iter it = text.begin();
  try {
    x3::phrase_parse(it, text.end(), x3::with<state_tag>(st)[top], skipper, root);
  } catch (const x3::expectation_failure<Iter>& x) {
    syntax_error(text, st, x.where(), x.which());
  }
  return root;
}

}  // namespace xy::audit::detail
