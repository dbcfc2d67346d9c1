// Turns the ANTLR parse tree into our AST (private to the parse stage).
#pragma once
#include <cstdint>

#include "XiangyueParser.h"
#include "xiangyue/compiler/ast.h"
#include "xiangyue/compiler/syntax.h"

namespace xy::parse {

class AstBuilder {
 public:
  // `tokens`: the file's tokens with byte ranges, indexed like ANTLR's token stream.
  AstBuilder(std::uint32_t file_id, const std::vector<syntax::Token>& tokens)
      : file_(file_id), tokens_(tokens) {}
  void file(xygrammar::XiangyueParser::FileContext* ctx, ast::Program& out);
  ast::ExprPtr expr(xygrammar::XiangyueParser::ExprContext* ctx);
  ast::ExprPtr placeholder(xygrammar::XiangyueParser::PostfixExprContext* ctx) {
    return postfix(ctx);
  }

 private:
  ast::Span span(antlr4::ParserRuleContext* ctx) const;
  ast::Span span(antlr4::Token* tok) const;
  ast::Name name(xygrammar::XiangyueParser::NameContext* ctx) const;
  ast::StringLit string(antlr4::tree::TerminalNode* node) const;
  void schema(xygrammar::XiangyueParser::SchemaBlockContext* ctx, ast::Program& out);
  std::vector<ast::FieldDecl> fields(xygrammar::XiangyueParser::FieldListContext* ctx);
  ast::TypeRef type(xygrammar::XiangyueParser::TypeRefContext* ctx);
  ast::ListDecl list(xygrammar::XiangyueParser::ListDeclContext* ctx);
  ast::ReturnsDecl returns(xygrammar::XiangyueParser::ReturnsDeclContext* ctx);
  ast::ColumnDecl column(xygrammar::XiangyueParser::ColumnItemContext* ctx);
  std::vector<ast::Name> path(xygrammar::XiangyueParser::FactPathContext* ctx) const;
  std::vector<ast::StringLit> titles(xygrammar::XiangyueParser::TitlesContext* ctx) const;
  ast::PolicyDecl policy(xygrammar::XiangyueParser::PolicyDeclContext* ctx, ast::Program& out);
  ast::RuleDecl rule(xygrammar::XiangyueParser::RuleDeclContext* ctx);
  ast::Effective effective(xygrammar::XiangyueParser::EffectiveClauseContext* ctx);
  ast::ExprPtr quantifier(xygrammar::XiangyueParser::QuantifierContext* ctx);
  ast::ExprPtr or_expr(xygrammar::XiangyueParser::OrExprContext* ctx);
  ast::ExprPtr and_expr(xygrammar::XiangyueParser::AndExprContext* ctx);
  ast::ExprPtr not_expr(xygrammar::XiangyueParser::NotExprContext* ctx);
  ast::ExprPtr cmp_expr(xygrammar::XiangyueParser::CmpExprContext* ctx);
  ast::ExprPtr add_expr(xygrammar::XiangyueParser::AddExprContext* ctx);
  ast::ExprPtr mul_expr(xygrammar::XiangyueParser::MulExprContext* ctx);
  ast::ExprPtr unary(xygrammar::XiangyueParser::UnaryExprContext* ctx);
  ast::ExprPtr postfix(xygrammar::XiangyueParser::PostfixExprContext* ctx);
  ast::ExprPtr primary(xygrammar::XiangyueParser::PrimaryContext* ctx);
  ast::ExprPtr make(ast::ExprKind kind, ast::Span at) const;
  ast::Span join(const ast::Span& a, const ast::Span& b) const;  // from a's start to b's end

  std::uint32_t file_;
  const std::vector<syntax::Token>& tokens_;
};

}  // namespace xy::parse
