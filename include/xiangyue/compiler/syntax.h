// The source model for tools: every token of a file (comments included) with its byte range, and
// the concrete syntax tree over them, from which the file can be printed back.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "xiangyue/common/diagnostic.h"

namespace xy::syntax {

// Every keyword of the language, whatever its spelling (`rule`, `规则`).
enum class Keyword : std::uint8_t {
  None,
  Schema,
  Enum,
  Ordered,
  Entity,
  Record,
  Action,
  Set,
  Sensitive,
  List,
  Policy,
  Kind,
  Default,
  For,
  Scope,
  Version,
  Returns,
  Roster,
  Department,
  Sheet,
  Id,
  Birth,
  Label,
  Column,
  Source,  // the last of the declaration keywords, which may also be names
  Rule,
  ExceptionTo,
  When,
  Because,
  Basis,
  Effective,
  To,
  Any,
  All,
  Count,
  In,
  NotIn,
  Is,
  Some,
  NoneWord,
  HasValue,
  NoValue,
  And,
  Or,
  Not,
  True,
  False,
  GtWord,
  LtWord,
  GeWord,
  LeWord,
  EqWord,
  NeWord,
};

enum class TokenKind : std::uint8_t {
  Keyword,
  Name,
  String,
  Date,
  Number,  // integers, decimals, numbers with units, Chinese fractions
  Punct,   // operators, brackets, separators
  Comment,
  Error,  // a character the lexer does not know
};

struct Token {
  TokenKind kind = TokenKind::Punct;
  Keyword keyword = Keyword::None;
  bool zh = false;                     // a keyword spelled in Chinese
  std::uint32_t begin = 0, end = 0;    // byte range in the file's text
  std::uint32_t line = 0, column = 0;  // 1-based; column in code points
};

// The grammar's constructs, one per parser rule of grammar/Xiangyue.g4.
enum class NodeKind : std::uint8_t {
  File,
  Item,
  SchemaBlock,
  SchemaItem,
  EnumDecl,
  StructDecl,
  ActionDecl,
  FieldList,
  FieldDecl,
  TypeRef,
  ListDecl,
  ListItem,
  AttrValue,
  ReturnsDecl,
  ReturnsItem,
  SourceItem,
  RosterBlock,
  DepartmentBlock,
  SheetBlock,
  ColumnItem,
  Titles,
  FactPath,
  PolicyDecl,
  PolicyBody,
  PolicyItem,
  RuleDecl,
  RuleClause,
  BasisClause,
  EffectiveClause,
  DateLit,
  Expr,
  Quantifier,
  OrExpr,
  AndExpr,
  NotExpr,
  CmpExpr,
  CmpOp,
  AddExpr,
  AddOp,
  MulExpr,
  MulOp,
  UnaryExpr,
  PostfixExpr,
  PostfixOp,
  Primary,
  Literal,
  Name,
  SoftKeyword,
  Sep,
  Colon,
};

struct Node {
  NodeKind kind = NodeKind::File;
  std::uint32_t parent = 0;  // the root is its own parent
  std::uint32_t first = 0,
                last = 0;  // token indices (comments included), inclusive; empty: last < first
  std::vector<std::uint32_t> kids;  // node indices, in source order
};

// One parsed file. A node's id is its index in `nodes` (pre-order, so the same text always gives
// the same ids); the root is node 0.
struct Tree {
  std::string_view text;                 // the file's text (owned by the caller)
  std::vector<Token> tokens;             // every token, comments included, in source order
  std::vector<std::uint32_t> parent_of;  // per token: the innermost node holding it
  std::vector<Node> nodes;
  std::vector<std::uint32_t> line_starts;  // byte offset of each line's start (line 1 at [0])

  std::string_view token_text(std::uint32_t t) const {
    return text.substr(tokens[t].begin, tokens[t].end - tokens[t].begin);
  }
  // The span of tokens [first, last] (both code tokens), for diagnostics and tools.
  SourceSpan span(std::uint32_t file, std::uint32_t first, std::uint32_t last) const;
  // Whether most keywords of the file are written in Chinese (no keywords: false).
  bool keywords_zh() const;
};

// Whether most keywords among `tokens` are written in Chinese (`is`, `some` and `none` have no
// Chinese form and do not count); `otherwise` when there are none.
bool keywords_zh(const std::vector<Token>& tokens, bool otherwise = false);

// Parses one file into its tree (no semantic checks). Problems become diagnostics, as for
// compiling; nullopt when the file does not parse.
// With `shape_out`, also the file's shape (see shape() below) from the same parse.
std::optional<Tree> parse_tree(const SourceFile& file, std::uint32_t file_id, DiagnosticSink& sink,
                               std::string* shape_out = nullptr);

// Only the lexer: every token of `text` (comments included, EOF last as an empty Punct token);
// a character the lexer does not know is an Error token. Never fails; for tools that work on
// text that may not parse (highlighting, completion).
std::vector<Token> lex(std::string_view text);

// The file's parsed program without source positions, as canonical text (keyword spellings,
// effects, kinds and defaults in either language read alike): two files of the same shape compile
// to the same program. nullopt when the file does not parse.
std::optional<std::string> shape(const SourceFile& file, DiagnosticSink& sink);

// The language's built-in names, which are names to the grammar: the as-of date and the two
// functions. One table for the checker and the formatter.
enum class Builtin : std::uint8_t { None, AsOf, Age, Size };
struct BuiltinSpelling {
  Builtin builtin;
  std::string_view en, zh;
};
const BuiltinSpelling& spelling(Builtin b);
Builtin builtin_of(std::string_view text);  // either spelling; None for any other name

// Declaration keywords (`schema` … `version`, `returns` … `source`) may also be names: a field
// called 类型 or 部门.
constexpr bool soft(Keyword k) {
  return k >= Keyword::Schema && k <= Keyword::Source;
}

// The spellings of a keyword: its main English and Chinese forms (`exception to`, `例外于`).
struct Spelling {
  Keyword keyword;
  std::string_view en, zh;
};
const Spelling& spelling(Keyword k);
// The keyword `text` spells (either language, any synonym), or None.
Keyword keyword_of(std::string_view text);
// The longest Chinese spelling of a keyword (any synonym) that `text` starts with and is longer
// than (`当酒席` → `当`), or with `at_end` ends with (`桌数超过` → `超过`); empty if none. Chinese
// has no spaces, so a keyword typed against a name lexes as part of that name.
std::string_view glued_keyword(std::string_view text, bool at_end = false);

}  // namespace xy::syntax
