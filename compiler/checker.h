// Name resolution and type checking of the AST into the checked program (private); lowering to
// the IR is apart (lower.h).
#pragma once
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "laws.h"
#include "xiangyue/compiler/ast.h"
#include "xiangyue/compiler/checked.h"
#include "xiangyue/compiler/syntax.h"
#include "xiangyue/runtime/bundle.h"

namespace xy::check {

// The result of checking an expression: its entry in the checked program and its type (kNone
// when it failed).
struct Typed {
  std::uint32_t info = ir::kNone;
  std::uint32_t type = ir::kNone;
  bool ok() const { return type != ir::kNone; }
};

// Quantifier variables in scope while checking one rule.
struct Var {
  std::string name;
  std::uint16_t slot = 0;
  std::uint32_t type = 0;
  std::string path;
  std::string sensitive;  // the sensitive fact whose elements it ranges over, if any
};

// Quantifier variables per rule; the evaluator keeps this many slots.
constexpr std::uint16_t kMaxSlots = 64;
// Deepest expression the checker accepts (recursion depth of checking, lowering, evaluation).
constexpr std::size_t kMaxDepth = 200;

class Checker {
 public:
  // Checks `out.ast` into `out`.
  Checker(checked::Program& out, DiagnosticSink& sink, const laws::Library* laws = nullptr)
      : p_(out), b_(out.decls), sink_(sink), laws_(laws) {}
  void run();
  // Whether some citation could be checked for form only (no law texts).
  bool citations_unchecked() const { return citations_unchecked_; }

 private:
  // schema (check_schema.cpp)
  void declare_types(ast::Program& p);
  void resolve_fields(ast::Program& p);
  std::uint32_t resolve_type(const ast::TypeRef& t);
  std::vector<ir::Field> resolve_field_list(const std::vector<ast::FieldDecl>& fields,
                                            const std::string& owner);
  void check_lists(ast::Program& p);
  std::uint32_t citation(const ast::StringLit& s);
  std::optional<std::int32_t> date_of(const std::string& text, SourceSpan at);

  // expressions (check_expr.cpp, check_ops.cpp); `hint` is the type the context expects (an
  // enum member's name resolves against it)
  Typed check(ast::Expr& e, std::uint32_t hint = ir::kNone);
  Typed check_literal(ast::Expr& e);
  Typed check_name(ast::Expr& e, std::uint32_t hint);
  Typed check_field(ast::Expr& e);
  Typed check_compare(ast::Expr& e);
  Typed check_member(ast::Expr& e);
  Typed check_arith(ast::Expr& e);
  Typed check_quantifier(ast::Expr& e);
  Typed check_call(ast::Expr& e);
  Typed check_logic(ast::Expr& e);
  bool unresolved_name(const ast::Expr& e) const;
  static checked::ExprInfo op(ir::Op o, std::uint32_t type);
  Typed constant(ast::Expr& e, ir::Const c, std::uint32_t type);
  Typed note(ast::Expr& e, checked::ExprInfo info);  // records e as checked
  const std::string& path_of(const Typed& t) const;
  std::string type_name(std::uint32_t type, Lang lang) const { return p_.type_name(type, lang); }

  // returns (check_returns.cpp): spreadsheets of a review mapped to an action's facts
  void check_returns(ast::Program& p);
  bool roster(const ast::ReturnsDecl& r, checked::Returns& out);
  bool departments(const ast::ReturnsDecl& r, checked::Returns& out);
  std::optional<checked::Sheet> sheet(const ast::SheetDecl& s, std::uint32_t action,
                                      const ast::Name* source);
  bool coverage(const ast::ReturnsDecl& r, const checked::Returns& out);
  std::optional<checked::FactPath> fact_path(std::uint32_t action,
                                             const std::vector<ast::Name>& path);
  bool scalar_column(std::uint32_t type, const ast::Span& at, const std::string& what);

  // policies and rules (check_policy.cpp)
  void check_policies(ast::Program& p);
  void check_rule(ast::RuleDecl& r, std::uint32_t policy, std::uint32_t default_action,
                  bool kind_known);
  std::vector<checked::Piece> reason_template(const ast::StringLit& s);
  void link_exceptions(const std::vector<std::pair<std::uint32_t, const ast::RuleDecl*>>& rules);

 public:
  // Type helpers shared by the lowering files.
  std::uint32_t intern(ir::Type t);
  std::uint32_t builtin(ir::TypeKind k, bool integer = false);
  std::uint32_t with_optional(std::uint32_t type, bool optional);
  bool same(std::uint32_t a, std::uint32_t b) const;  // equal ignoring optional
  const ir::Type& T(std::uint32_t type) const { return b_.types[type]; }

 private:
  checked::Program& p_;
  Bundle& b_;  // p_.decls
  DiagnosticSink& sink_;
  const laws::Library* laws_;  // null: citations are checked for form only
  std::unordered_map<std::string, std::uint32_t> enum_by_name_, struct_by_name_;
  std::unordered_map<std::string, std::uint32_t> list_by_name_;
  std::vector<ast::Span> struct_spans_, enum_spans_;
  std::vector<Var> scope_;      // quantifier variables visible now
  std::vector<Var> rule_vars_;  // every quantifier variable of the current rule (for templates)
  std::uint16_t next_slot_ = 0;
  std::size_t depth_ = 0;             // checking recursion depth
  bool depth_reported_ = false;       // E0002 once per rule
  std::uint32_t action_ = ir::kNone;  // the action of the rule being checked
  bool citations_unchecked_ = false;
  std::string read_sensitive_;  // the last sensitive fact checking read (for reason templates)
};

}  // namespace xy::check
