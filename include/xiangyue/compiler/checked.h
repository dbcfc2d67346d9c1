// The checked program: a policy set after name resolution and type checking, before lowering.
// Every declaration is resolved into the bundle's tables (types, records, enums, actions, lists,
// policies, rules without conditions), and every expression the checker accepted carries its type
// and what it resolved to. Lowering (lower.cpp) turns it into the bundle's IR without checking
// anything again; tools (the language server, lint) read it without lowering.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "xiangyue/common/diagnostic.h"
#include "xiangyue/compiler/ast.h"
#include "xiangyue/compiler/compiler.h"
#include "xiangyue/compiler/returns.h"
#include "xiangyue/runtime/bundle.h"

namespace xy::checked {

// One checked expression: its type and the operation it denotes. A list's name (after `in`,
// before `[…]`) has none of its own: the membership or attribute read holds the list.
struct ExprInfo {
  std::uint32_t type = ir::kNone;  // in Program::decls.types
  // The IR operation. A name or a field read is Const (an enum member), Var (a quantifier
  // variable), AsOf, Field (a fact or a record's field) or ListAttr (`清单[键].属性`).
  ir::Op op = ir::Op::Const;
  bool from_root = false;  // Field: a fact of the rule's action (no record before it)
  bool swapped = false;    // DateAdd written as `期限 + 日期`: the date is the right operand
  std::uint8_t flags = 0;  // comparisons: the operands' ir::TypeKind
  std::uint16_t slot = 0;  // Var and quantifiers: the variable's slot
  std::uint32_t index = ir::kNone;  // Field: the field; ListAttr: the attribute
  std::uint32_t list = ir::kNone;   // ListAttr, InList: the list
  std::string path;                 // Var, Field: the fact path read (`申报人.前科[]`)
  std::string sensitive;            // the sensitive fact it reads, if any
  std::optional<ir::Const> value;   // Const: the literal's or enum member's value
};

// A piece of a reason template: literal text, or a placeholder and its checked expression.
struct Piece {
  std::string text;
  const ast::Expr* expr = nullptr;  // null: literal text
  std::uint32_t type = ir::kNone;
};

// What lowering needs of a rule beyond its declaration: its condition and reason.
struct RuleBody {
  const ast::RuleDecl* decl = nullptr;
  const ast::Expr* when = nullptr;  // null: no condition, or it did not check
  std::vector<Piece> because;
};

struct Program {
  Program() = default;
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

  ast::Program ast;
  // The declarations, resolved: everything of the bundle but expression nodes. A rule's `cond`
  // and `because` are filled by lowering, from `rules`.
  Bundle decls;
  std::vector<RuleBody> rules;             // parallel to decls.rules
  std::vector<ExprInfo> info;              // indexed by ast::Expr::info
  std::vector<ast::ExprPtr> placeholders;  // reason placeholders, parsed by the checker
  std::vector<Returns> returns;            // how review spreadsheets map to facts (xy review)

  // The checker's view of an expression; null when it was not checked (an error stopped it).
  const ExprInfo* of(const ast::Expr& e) const {
    return e.info < info.size() ? &info[e.info] : nullptr;
  }
  // A type as the diagnostics name it: `整数`, `集合<刑事记录>`, `日期?`.
  std::string type_name(std::uint32_t type, Lang lang) const;
};

// The innermost checked expression of a rule's condition or reason at byte `offset` of `file`,
// or null.
const ast::Expr* expression_at(const Program& program, std::uint32_t file, std::size_t offset);

// Parses and checks sources already in memory, without lowering: what the language server and
// lint read. `program` is null when a file did not parse; with errors it holds what checked.
struct CheckResult {
  std::unique_ptr<Program> program;
  DiagnosticSink diagnostics;
  std::vector<SourceFile> files;  // for rendering diagnostics
  std::string laws_dir;           // the law texts citations were checked against ("" if none)
};
CheckResult check_sources(std::vector<SourceFile> files, const CompileSettings& settings = {});

}  // namespace xy::checked
