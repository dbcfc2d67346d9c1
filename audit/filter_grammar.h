// Private to filter.cpp: the filter language's AST and its Boost.Spirit X3 grammar.
#pragma once
#include <boost/spirit/home/x3.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xy::audit::detail {

namespace x3 = boost::spirit::x3;
using Iter = std::string_view::const_iterator;

// A word, operator or value with its byte span in the filter text (quotes included). The text of
// a quoted value is unescaped.
struct Token {
  std::string text;
  std::size_t offset = 0;
  std::size_t length = 0;
  bool quoted = false;
};

// `op value`, or `in (values…)` with list set.
struct Operation {
  Token op;
  std::vector<Token> values;
  bool list = false;
};

struct Node {
  enum class Kind { compare, negate, all_of, any_of };
  Kind kind = Kind::compare;
  Token field;           // compare
  Operation operation;   // compare
  std::vector<Node> kids;  // negate: one; all_of, any_of: two or more
};

// Per-parse state: offsets are taken against `base`; `depth` bounds the recursion; the opening
// `(` or quote of the innermost construct left unclosed is remembered for the error.
struct ParseState {
  Iter base;
  int depth = 0;
  std::ptrdiff_t unclosed = -1;
};
struct state_tag;
inline constexpr int kMaxDepth = 64;

// Whitespace between tokens: ASCII and the ideographic space U+3000. Words end at whitespace,
// operators, parentheses, commas and quotes (full-width （），“” included).
inline const auto skipper = x3::char_(" \t\r\n\f\v") | x3::lit("\u3000");
inline const auto delimiter =
    x3::char_(" \t\r\n\f\v()\",=!<>^") | x3::lit("\u3000") | "（" | "）" | "，" | "“" | "”";
inline const auto word_char = x3::char_ - delimiter;
// Keywords are whole words: `非法占地` is a value, `非 结论 = 准许` a negation.
inline const auto kw_and = x3::lexeme[(x3::lit("and") | "AND" | "且") >> !word_char];
inline const auto kw_or = x3::lexeme[(x3::lit("or") | "OR" | "或") >> !word_char];
inline const auto kw_not = x3::lexeme[(x3::lit("not") | "NOT" | "非") >> !word_char];
inline const auto kw_in = x3::lexeme[(x3::lit("in") | "IN") >> !word_char];
inline const auto keyword = kw_and | kw_or | kw_not | kw_in;
inline const auto open_paren = x3::lit('(') | "（";
inline const auto comma = x3::lit(',') | "，";

// Semantic actions.
struct SetToken {  // raw[] range → the rule's Token
  template <class Ctx>
  void operator()(Ctx& ctx) const {
    auto range = x3::_attr(ctx);
    Token& t = x3::_val(ctx);
    t.text.assign(range.begin(), range.end());
    t.offset = std::size_t(range.begin() - x3::get<state_tag>(ctx).base);
    t.length = std::size_t(range.end() - range.begin());
  }
};
struct SetQuotedSpan {  // raw[] range → span of a quoted value whose text was appended already
  template <class Ctx>
  void operator()(Ctx& ctx) const {
    auto range = x3::_attr(ctx);
    Token& t = x3::_val(ctx);
    t.offset = std::size_t(range.begin() - x3::get<state_tag>(ctx).base);
    t.length = std::size_t(range.end() - range.begin());
    t.quoted = true;
  }
};
struct AppendChar {
  template <class Ctx>
  void operator()(Ctx& ctx) const {
    x3::_val(ctx).text += x3::_attr(ctx);
  }
};
struct Assign {
  template <class Ctx>
  void operator()(Ctx& ctx) const {
    x3::_val(ctx) = std::move(x3::_attr(ctx));
  }
};
struct PushBack {
  template <class Ctx>
  void operator()(Ctx& ctx) const {
    x3::_val(ctx).push_back(std::move(x3::_attr(ctx)));
  }
};
template <bool List>
struct SetOp {
  template <class Ctx>
  void operator()(Ctx& ctx) const {
    x3::_val(ctx).op = std::move(x3::_attr(ctx));
    x3::_val(ctx).list = List;
  }
};
struct SetValues {
  template <class Ctx>
  void operator()(Ctx& ctx) const {
    x3::_val(ctx).values = std::move(x3::_attr(ctx));
  }
};
struct PushValue {
  template <class Ctx>
  void operator()(Ctx& ctx) const {
    x3::_val(ctx).values.push_back(std::move(x3::_attr(ctx)));
  }
};
struct SetField {
  template <class Ctx>
  void operator()(Ctx& ctx) const {
    x3::_val(ctx).kind = Node::Kind::compare;
    x3::_val(ctx).field = std::move(x3::_attr(ctx));
  }
};
struct SetOperation {
  template <class Ctx>
  void operator()(Ctx& ctx) const {
    x3::_val(ctx).operation = std::move(x3::_attr(ctx));
  }
};
struct MakeNot {
  template <class Ctx>
  void operator()(Ctx& ctx) const {
    Node n;
    n.kind = Node::Kind::negate;
    n.kids.push_back(std::move(x3::_attr(ctx)));
    x3::_val(ctx) = std::move(n);
  }
};
// `a and b and c` becomes one all_of node with three kids (any_of likewise).
template <Node::Kind K>
struct Join {
  template <class Ctx>
  void operator()(Ctx& ctx) const {
    Node& v = x3::_val(ctx);
    if (v.kind != K) {
      Node n;
      n.kind = K;
      n.kids.push_back(std::move(v));
      v = std::move(n);
    }
    v.kids.push_back(std::move(x3::_attr(ctx)));
  }
};
// Parentheses and `not` nest; past kMaxDepth the parse stops (no stack overflow on `((((…`).
struct Enter {
  template <class Ctx>
  void operator()(Ctx& ctx) const {
    if (++x3::get<state_tag>(ctx).depth > kMaxDepth)
      throw x3::expectation_failure<Iter>(x3::_where(ctx).begin(), "too-deep");
  }
};
struct Leave {
  template <class Ctx>
  void operator()(Ctx& ctx) const {
    --x3::get<state_tag>(ctx).depth;
  }
};

// Rules that remember where they opened when their closing `)` or quote is missing.
template <const char* Close>
struct RemembersOpening {
  template <class It, class Ctx>
  x3::error_handler_result on_error(It first, It last, const x3::expectation_failure<It>& x,
                                    const Ctx& ctx) const {
    ParseState& st = x3::get<state_tag>(ctx);
    if (x.which() == Close && st.unclosed < 0) {
      x3::parse(first, last, *skipper);
      st.unclosed = first - st.base;
    }
    return x3::error_handler_result::rethrow;
  }
};
inline constexpr char kGroupClose[] = "group-close";
inline constexpr char kListClose[] = "list-close";
inline constexpr char kStringEnd[] = "string-end";
struct group_id : RemembersOpening<kGroupClose> {};
struct list_id : RemembersOpening<kListClose> {};
struct quoted_id : RemembersOpening<kStringEnd> {};

// Rule names double as the error kinds that filter.cpp reports.
const x3::rule<struct word_id, Token> word = "word";
const x3::rule<struct op_id, Token> op_symbol = "operator";
const x3::rule<struct in_id, Token> in_word = "in";
const x3::rule<quoted_id, Token> quoted = "string";
const x3::rule<struct value_id, Token> value = "value";
const x3::rule<list_id, std::vector<Token>> value_list = "list";
const x3::rule<struct operation_id, Operation> operation = "operator";
const x3::rule<struct comparison_id, Node> comparison = "condition";
const x3::rule<group_id, Node> group = "condition";
const x3::rule<struct unary_id, Node> unary = "condition";
const x3::rule<struct conj_id, Node> conj = "condition";
const x3::rule<struct expr_id, Node> expr = "condition";
const x3::rule<struct top_id, Node> top = "filter";
const x3::rule<struct group_close_id> group_close = kGroupClose;
const x3::rule<struct list_close_id> list_close = kListClose;
const x3::rule<struct string_end_id> string_end = kStringEnd;
const x3::rule<struct curly_end_id> curly_end = kStringEnd;
const x3::rule<struct end_id> end = "end";

const auto word_def = !keyword >> x3::raw[x3::lexeme[+word_char]][SetToken{}];
const auto op_symbol_def =
    x3::raw[x3::lit("!=") | "<=" | ">=" | "^=" | "=" | "<" | ">"][SetToken{}];
const auto in_word_def = x3::raw[kw_in][SetToken{}];
// "…" with \" and \\ as escapes (any other backslash is itself), or “…” without escapes.
const auto escape = x3::lit('\\') >> x3::char_("\"\\");
const auto plain_char = ~x3::char_('"');
const auto curly_char = x3::char_ - "”";
// Each expectation names a bare rule, so that which() is the rule's name (the error kind).
const auto quoted_def =
    x3::lexeme[x3::raw[(x3::lit('"') >> *(escape[AppendChar{}] | plain_char[AppendChar{}]) >>
                        x3::expect[string_end]) |
                       (x3::lit("“") >> *curly_char[AppendChar{}] >> x3::expect[curly_end])]]
              [SetQuotedSpan{}];
const auto value_def = quoted[Assign{}] | word[Assign{}];
const auto value_list_def = open_paren >> x3::expect[value][PushBack{}] >>
                            *(comma >> x3::expect[value][PushBack{}]) >> x3::expect[list_close];
const auto operation_def = (in_word[SetOp<true>{}] >> x3::expect[value_list][SetValues{}]) |
                           (op_symbol[SetOp<false>{}] >> x3::expect[value][PushValue{}]);
const auto comparison_def = word[SetField{}] >> x3::expect[operation][SetOperation{}];
const auto group_def = open_paren >> x3::eps[Enter{}] >> x3::expect[expr][Assign{}] >>
                       x3::expect[group_close] >> x3::eps[Leave{}];
const auto unary_def =
    (kw_not >> x3::eps[Enter{}] >> x3::expect[unary][MakeNot{}] >> x3::eps[Leave{}]) |
    group[Assign{}] | comparison[Assign{}];
const auto conj_def =
    unary[Assign{}] >> *(kw_and >> x3::expect[unary][Join<Node::Kind::all_of>{}]);
const auto expr_def = conj[Assign{}] >> *(kw_or >> x3::expect[conj][Join<Node::Kind::any_of>{}]);
const auto top_def = x3::expect[expr][Assign{}] >> x3::expect[end];
const auto group_close_def = x3::lit(')') | "）";
const auto list_close_def = x3::lit(')') | "）";
const auto string_end_def = x3::lit('"');
const auto curly_end_def = x3::lit("”");
const auto end_def = x3::eoi;

BOOST_SPIRIT_DEFINE(word, op_symbol, in_word, quoted, value, value_list, operation, comparison,
                    group, unary, conj, expr, top, group_close, list_close, string_end, curly_end,
                    end)

}  // namespace xy::audit::detail
