// The policy-language AST: what the parser produces, with a source span on every node. The
// checker annotates each expression (checked.h); tools read both without lowering.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "xiangyue/common/diagnostic.h"

namespace xy::ast {

using Span = SourceSpan;

struct Name {
  std::string text;
  Span span;
};

struct TypeRef {
  bool is_set = false;
  Name name;                      // when !is_set
  std::unique_ptr<TypeRef> elem;  // when is_set
  bool optional = false;
  Span span;
};

struct FieldDecl {
  Name name;
  TypeRef type;
  bool sensitive = false;
};

struct EnumDecl {
  Name name;
  bool ordered = false;
  std::vector<Name> members;
};

struct StructDecl {
  Name name;
  bool entity = false;
  std::vector<FieldDecl> fields;
};

struct ActionDecl {
  Name name;
  std::vector<FieldDecl> fields;
};

struct StringLit {
  std::string value;  // unescaped, without quotes
  Span span;          // the whole literal, quotes included
};

enum class ExprKind {
  Literal,
  Name,
  Field,
  Index,
  Call,
  Count,
  Any,
  All,
  SetLit,
  Neg,
  Not,
  And,
  Or,
  Compare,
  Member,
  IsNone,
  IsSome,
  Arith,
};

enum class LitKind { Int, Decimal, String, Date, UnitNumber, CnFraction, True, False };

enum class CmpOp { Eq, Ne, Lt, Le, Gt, Ge };
enum class ArithOp { Add, Sub, Mul, Div };

struct Expr {
  ExprKind kind{};
  Span span;
  LitKind lit{};         // Literal
  std::string text;      // literal text, name, field name, function name, quantifier variable
  Span name_span;        // the field/variable/function name alone
  CmpOp cmp{};           // Compare
  ArithOp arith{};       // Arith
  bool negated = false;  // Member (not in)
  std::vector<std::unique_ptr<Expr>> kids;
  // Its entry in the checked program's table (checked.h), set by the checker; none before.
  std::uint32_t info = static_cast<std::uint32_t>(-1);

  Expr() = default;
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;
  // Iterative, so a very long chain (`a + b + …`) cannot exhaust the stack when it is freed.
  ~Expr() {
    std::vector<std::unique_ptr<Expr>> stack;
    for (auto& k : kids) stack.push_back(std::move(k));
    while (!stack.empty()) {
      std::unique_ptr<Expr> e = std::move(stack.back());
      stack.pop_back();
      if (e)
        for (auto& k : e->kids) stack.push_back(std::move(k));
    }
  }
};
using ExprPtr = std::unique_ptr<Expr>;

struct ListItem {
  StringLit key;
  std::vector<std::pair<Name, ExprPtr>> attrs;
  std::optional<StringLit> basis;
};

struct ListDecl {
  Name name;
  std::vector<FieldDecl> attrs;
  std::optional<StringLit> basis;
  std::vector<ListItem> items;
};

struct Effective {
  std::string from;
  Span from_span;
  std::optional<std::string> until;
  Span until_span;
  Span span;
};

struct RuleDecl {
  Name id;
  std::optional<Name> base;  // exception to
  Name effect;
  std::optional<Name> action;
  ExprPtr when;
  std::optional<StringLit> because;
  std::optional<StringLit> basis;
  std::optional<Effective> effective;
  Span span;    // the `rule` keyword
  Span extent;  // the whole rule, from its keyword to the end of its last clause
  std::vector<std::pair<Span, std::string>> repeated;  // clauses given twice: span, keyword
};

struct PolicyDecl {
  Name name;
  std::vector<Name> kinds;
  std::vector<Name> defaults;
  std::vector<Name> fors;
  std::vector<StringLit> scopes;
  std::vector<StringLit> versions;
  std::vector<Effective> effectives;
  std::vector<RuleDecl> rules;
};

// Everything parsed from one policy set (all its files).
// `returns` (报送): how the spreadsheets of a review map to an action's facts (xy review).
enum class ColumnRole : std::uint8_t { Id, Birth, Label, Column };
struct ColumnDecl {
  ColumnRole role = ColumnRole::Column;
  Span span;                      // the whole item
  std::vector<Name> path;         // the fact (a label's name); empty for a sheet's id column
  std::vector<StringLit> titles;  // the column's titles, any of which may head it
};
struct SheetDecl {
  Span span;
  std::vector<Name> path;         // the fact: a set of records, or a flag (listed or not)
  std::vector<StringLit> titles;  // the sheet's names
  std::vector<ColumnDecl> columns;
};
struct DepartmentDecl {
  Name name;
  std::vector<StringLit> titles;  // other names its files may carry
  std::optional<Name> per;        // `for 乡镇`: one return per value of this roster label
  std::vector<SheetDecl> sheets;
};
struct ReturnsDecl {
  Span span;
  Name name, action;
  std::vector<Span> rosters;  // where each `roster` block starts (one is expected)
  std::vector<ColumnDecl> roster;
  std::vector<DepartmentDecl> departments;
  std::vector<Name> sources;  // `source 部门`: the record field that names the department
};

struct Program {
  std::vector<EnumDecl> enums;
  std::vector<StructDecl> structs;
  std::vector<ActionDecl> actions;
  std::vector<ListDecl> lists;
  std::vector<PolicyDecl> policies;  // one entry per block; blocks with one name merge later
  std::vector<ReturnsDecl> returns;
};

}  // namespace xy::ast
