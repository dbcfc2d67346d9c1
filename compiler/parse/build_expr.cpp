// Builds AST expressions from the ANTLR parse tree (the expression half of AstBuilder).
#include "build_ast.h"

namespace xy::parse {

using P = xygrammar::XiangyueParser;
using ast::ExprKind;
using ast::ExprPtr;

ExprPtr AstBuilder::make(ExprKind kind, ast::Span at) const {
  auto e = std::make_unique<ast::Expr>();
  e->kind = kind;
  e->span = at;
  return e;
}

ExprPtr AstBuilder::expr(P::ExprContext* ctx) {
  if (!ctx) return nullptr;
  return or_expr(ctx->orExpr());
}

ExprPtr AstBuilder::quantifier(P::QuantifierContext* ctx) {
  auto e = make(ctx->ANY() ? ExprKind::Any : ExprKind::All, span(ctx));
  e->text = ctx->var ? ctx->var->getText() : "";
  e->name_span = ctx->var ? span(ctx->var) : e->span;
  e->kids.push_back(postfix(ctx->source));
  e->kids.push_back(expr(ctx->body));
  return e;
}

ExprPtr AstBuilder::or_expr(P::OrExprContext* ctx) {
  if (!ctx) return nullptr;
  auto parts = ctx->andExpr();
  if (parts.size() == 1) return and_expr(parts[0]);
  auto e = make(ExprKind::Or, span(ctx));
  for (auto* p : parts) e->kids.push_back(and_expr(p));
  return e;
}

ExprPtr AstBuilder::and_expr(P::AndExprContext* ctx) {
  if (!ctx) return nullptr;
  auto parts = ctx->notExpr();
  if (parts.size() == 1) return not_expr(parts[0]);
  auto e = make(ExprKind::And, span(ctx));
  for (auto* p : parts) e->kids.push_back(not_expr(p));
  return e;
}

ExprPtr AstBuilder::not_expr(P::NotExprContext* ctx) {
  if (!ctx) return nullptr;
  if (ctx->NOT()) {
    auto e = make(ExprKind::Not, span(ctx));
    e->kids.push_back(not_expr(ctx->notExpr()));
    return e;
  }
  if (ctx->quantifier()) return quantifier(ctx->quantifier());
  return cmp_expr(ctx->cmpExpr());
}

namespace {
ast::CmpOp cmp_op(P::CmpOpContext* op) {
  if (op->GT_WORD()) return ast::CmpOp::Gt;
  if (op->LT_WORD()) return ast::CmpOp::Lt;
  if (op->GE_WORD()) return ast::CmpOp::Ge;
  if (op->LE_WORD()) return ast::CmpOp::Le;
  if (op->EQ_WORD()) return ast::CmpOp::Eq;
  if (op->NE_WORD()) return ast::CmpOp::Ne;
  std::string t = op->getText();
  if (t == "=" || t == "==") return ast::CmpOp::Eq;
  if (t == "!=" || t == "≠") return ast::CmpOp::Ne;
  if (t == "<") return ast::CmpOp::Lt;
  if (t == "<=" || t == "≤") return ast::CmpOp::Le;
  if (t == ">") return ast::CmpOp::Gt;
  return ast::CmpOp::Ge;
}
}  // namespace

ExprPtr AstBuilder::cmp_expr(P::CmpExprContext* ctx) {
  if (!ctx) return nullptr;
  if (auto* c = dynamic_cast<P::CompareContext*>(ctx)) {
    auto sides = c->addExpr();
    if (sides.size() == 1 || !c->cmpOp()) return add_expr(sides[0]);
    auto e = make(ExprKind::Compare, span(ctx));
    e->cmp = cmp_op(c->cmpOp());
    e->name_span = span(c->cmpOp());
    e->kids.push_back(add_expr(sides[0]));
    e->kids.push_back(add_expr(sides[1]));
    return e;
  }
  if (auto* m = dynamic_cast<P::MemberContext*>(ctx)) {
    auto e = make(ExprKind::Member, span(ctx));
    e->negated = m->NOT() != nullptr;
    for (auto* s : m->addExpr()) e->kids.push_back(add_expr(s));
    return e;
  }
  if (auto* m = dynamic_cast<P::NotMemberContext*>(ctx)) {
    auto e = make(ExprKind::Member, span(ctx));
    e->negated = true;
    for (auto* s : m->addExpr()) e->kids.push_back(add_expr(s));
    return e;
  }
  if (auto* n = dynamic_cast<P::IsNoneContext*>(ctx)) {
    auto e = make(n->NOT() ? ExprKind::IsSome : ExprKind::IsNone, span(ctx));
    e->kids.push_back(add_expr(n->addExpr()));
    return e;
  }
  if (auto* s = dynamic_cast<P::IsSomeContext*>(ctx)) {
    auto e = make(ExprKind::IsSome, span(ctx));
    e->kids.push_back(add_expr(s->addExpr()));
    return e;
  }
  if (auto* h = dynamic_cast<P::HasValueContext*>(ctx)) {
    auto e = make(ExprKind::IsSome, span(ctx));
    e->kids.push_back(add_expr(h->addExpr()));
    return e;
  }
  if (auto* h = dynamic_cast<P::NoValueContext*>(ctx)) {
    auto e = make(ExprKind::IsNone, span(ctx));
    e->kids.push_back(add_expr(h->addExpr()));
    return e;
  }
  return nullptr;
}

ExprPtr AstBuilder::add_expr(P::AddExprContext* ctx) {
  if (!ctx) return nullptr;
  auto terms = ctx->mulExpr();
  auto ops = ctx->addOp();
  ExprPtr acc = mul_expr(terms[0]);
  for (std::size_t i = 1; i < terms.size() && i - 1 < ops.size(); ++i) {
    auto e = make(ExprKind::Arith, span(ctx));
    e->arith = ops[i - 1]->getText() == "+" ? ast::ArithOp::Add : ast::ArithOp::Sub;
    e->name_span = span(ops[i - 1]);
    e->kids.push_back(std::move(acc));
    e->kids.push_back(mul_expr(terms[i]));
    acc = std::move(e);
  }
  return acc;
}

ExprPtr AstBuilder::mul_expr(P::MulExprContext* ctx) {
  if (!ctx) return nullptr;
  auto terms = ctx->unaryExpr();
  auto ops = ctx->mulOp();
  ExprPtr acc = unary(terms[0]);
  for (std::size_t i = 1; i < terms.size() && i - 1 < ops.size(); ++i) {
    auto e = make(ExprKind::Arith, span(ctx));
    std::string t = ops[i - 1]->getText();
    e->arith = (t == "*" || t == "×") ? ast::ArithOp::Mul : ast::ArithOp::Div;
    e->name_span = span(ops[i - 1]);
    e->kids.push_back(std::move(acc));
    e->kids.push_back(unary(terms[i]));
    acc = std::move(e);
  }
  return acc;
}

ExprPtr AstBuilder::unary(P::UnaryExprContext* ctx) {
  if (!ctx) return nullptr;
  if (ctx->unaryExpr()) {
    auto e = make(ExprKind::Neg, span(ctx));
    e->kids.push_back(unary(ctx->unaryExpr()));
    return e;
  }
  return postfix(ctx->postfixExpr());
}

ExprPtr AstBuilder::postfix(P::PostfixExprContext* ctx) {
  if (!ctx) return nullptr;
  ExprPtr acc = primary(ctx->primary());
  for (auto* op : ctx->postfixOp()) {
    if (auto* f = dynamic_cast<P::FieldAccessContext*>(op)) {
      auto e = make(ExprKind::Field, acc ? join(acc->span, span(op)) : span(op));
      e->text = f->name() ? f->name()->getText() : "";
      e->name_span = f->name() ? span(f->name()) : span(op);
      e->kids.push_back(std::move(acc));
      acc = std::move(e);
    } else if (auto* ix = dynamic_cast<P::IndexAccessContext*>(op)) {
      auto e = make(ExprKind::Index, acc ? join(acc->span, span(op)) : span(op));
      e->name_span = span(op);
      e->kids.push_back(std::move(acc));
      e->kids.push_back(expr(ix->expr()));
      acc = std::move(e);
    }
  }
  return acc;
}

ExprPtr AstBuilder::primary(P::PrimaryContext* ctx) {
  if (!ctx) return nullptr;
  if (auto* l = dynamic_cast<P::LiteralExprContext*>(ctx)) {
    auto* lit = l->literal();
    auto e = make(ExprKind::Literal, span(ctx));
    e->text = lit->getText();
    if (lit->INT())
      e->lit = ast::LitKind::Int;
    else if (lit->DECIMAL())
      e->lit = ast::LitKind::Decimal;
    else if (lit->DATE())
      e->lit = ast::LitKind::Date;
    else if (lit->UNIT_NUMBER())
      e->lit = ast::LitKind::UnitNumber;
    else if (lit->CN_FRACTION())
      e->lit = ast::LitKind::CnFraction;
    else if (lit->TRUE())
      e->lit = ast::LitKind::True;
    else if (lit->FALSE())
      e->lit = ast::LitKind::False;
    else {
      e->lit = ast::LitKind::String;
      e->text = string(lit->STRING()).value;
    }
    return e;
  }
  if (auto* c = dynamic_cast<P::CountExprContext*>(ctx)) {
    auto e = make(ExprKind::Count, span(ctx));
    e->text = c->var ? c->var->getText() : "";
    e->name_span = c->var ? span(c->var) : e->span;
    e->kids.push_back(postfix(c->source));
    if (c->body) e->kids.push_back(expr(c->body));
    return e;
  }
  if (auto* c = dynamic_cast<P::CallExprContext*>(ctx)) {
    auto e = make(ExprKind::Call, span(ctx));
    e->text = c->name()->getText();
    e->name_span = span(c->name());
    for (auto* a : c->expr()) e->kids.push_back(expr(a));
    return e;
  }
  if (auto* n = dynamic_cast<P::NameExprContext*>(ctx)) {
    auto e = make(ExprKind::Name, span(ctx));
    e->text = n->name()->getText();
    e->name_span = e->span;
    return e;
  }
  if (auto* p = dynamic_cast<P::ParenExprContext*>(ctx)) return expr(p->expr());
  if (auto* s = dynamic_cast<P::SetExprContext*>(ctx)) {
    auto e = make(ExprKind::SetLit, span(ctx));
    for (auto* a : s->expr()) e->kids.push_back(expr(a));
    return e;
  }
  return nullptr;
}

}  // namespace xy::parse
