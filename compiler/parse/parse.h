// The one door to ANTLR: policy text in, AST and diagnostics out. No ANTLR type leaks past it.
#pragma once
#include <cstdint>

#include "xiangyue/common/diagnostic.h"
#include "xiangyue/compiler/ast.h"
#include "xiangyue/compiler/syntax.h"

namespace xy::parse {

// Parses one source file into `into` (appending its declarations). Never throws; every problem
// becomes a located diagnostic (E0001 syntax, E0002 too deeply nested). Returns false on errors.
// With `tree`, also fills in the file's source model (tokens with comments, the concrete syntax
// tree, the line table).
bool parse_file(const SourceFile& file, std::uint32_t file_id, ast::Program& into,
                DiagnosticSink& sink, syntax::Tree* tree = nullptr);

}  // namespace xy::parse

namespace xy::syntax {
// The canonical text of a parsed program without positions (shape.cpp).
std::string shape_of(const ast::Program& program);
}  // namespace xy::syntax

namespace xy::parse {

// Parses a reason-template placeholder such as `事项.名称` or `r.罪名` into an expression.
ast::ExprPtr parse_placeholder(const std::string& text, SourceSpan at, DiagnosticSink& sink);

}  // namespace xy::parse
