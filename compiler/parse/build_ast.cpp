// Walks the ANTLR parse tree and builds the AST, with a span on every node.
#include "build_ast.h"

namespace xy::parse {

using P = xygrammar::XiangyueParser;
using ast::ExprKind;
using ast::ExprPtr;

ast::Span AstBuilder::span(antlr4::Token* tok) const {
  ast::Span s;
  s.file = file_;
  if (!tok) return s;
  s.line = static_cast<std::uint32_t>(tok->getLine());
  s.column = static_cast<std::uint32_t>(tok->getCharPositionInLine()) + 1;
  auto a = tok->getStartIndex(), b = tok->getStopIndex();
  s.length = b >= a ? static_cast<std::uint32_t>(b - a + 1) : 1;
  s.end_line = s.line;
  s.end_column = s.column + s.length;
  auto i = tok->getTokenIndex();
  if (i < tokens_.size()) {
    s.begin = tokens_[i].begin;
    s.end = tokens_[i].end;
  }
  return s;
}

ast::Span AstBuilder::join(const ast::Span& a, const ast::Span& b) const {
  ast::Span s = a;
  s.end_line = b.end_line;
  s.end_column = b.end_column;
  s.end = b.end;
  if (b.end_line == a.line && b.end_column > a.column) s.length = b.end_column - a.column;
  return s;
}

ast::Span AstBuilder::span(antlr4::ParserRuleContext* ctx) const {
  ast::Span s = span(ctx->getStart());
  antlr4::Token* stop = ctx->getStop();
  if (stop && stop->getStopIndex() >= ctx->getStart()->getStartIndex() &&
      stop->getTokenIndex() != ctx->getStart()->getTokenIndex())
    s = join(s, span(stop));
  return s;
}

ast::Name AstBuilder::name(P::NameContext* ctx) const {
  if (!ctx) return {};
  return {ctx->getText(), span(ctx)};
}

namespace {
std::string unquote(const std::string& raw) {
  // "…" with backslash escapes, “…” and 「…」 without.
  if (raw.size() >= 2 && raw.front() == '"') {
    std::string out;
    for (std::size_t i = 1; i + 1 < raw.size(); ++i) {
      char c = raw[i];
      if (c == '\\' && i + 2 < raw.size()) {
        char n = raw[++i];
        out += n == 'n' ? '\n' : n == 't' ? '\t' : n;
      } else {
        out += c;
      }
    }
    return out;
  }
  // The multi-byte quotes are 3 bytes each in UTF-8.
  if (raw.size() >= 6) return raw.substr(3, raw.size() - 6);
  return raw;
}
}  // namespace

ast::StringLit AstBuilder::string(antlr4::tree::TerminalNode* node) const {
  if (!node) return {};
  return {unquote(node->getText()), span(node->getSymbol())};
}

void AstBuilder::file(P::FileContext* ctx, ast::Program& out) {
  for (auto* it : ctx->item()) {
    if (it->schemaBlock()) schema(it->schemaBlock(), out);
    if (it->listDecl()) out.lists.push_back(list(it->listDecl()));
    if (it->returnsDecl()) out.returns.push_back(returns(it->returnsDecl()));
    if (it->policyDecl()) {
      auto p = policy(it->policyDecl(), out);
      out.policies.push_back(std::move(p));
    }
  }
}

void AstBuilder::schema(P::SchemaBlockContext* ctx, ast::Program& out) {
  for (auto* si : ctx->schemaItem()) {
    if (auto* e = si->enumDecl()) {
      ast::EnumDecl d;
      auto names = e->name();
      d.name = name(names.empty() ? nullptr : names[0]);
      d.ordered = e->ORDERED() != nullptr;
      for (std::size_t i = 1; i < names.size(); ++i) d.members.push_back(name(names[i]));
      out.enums.push_back(std::move(d));
    } else if (auto* s = si->structDecl()) {
      ast::StructDecl d;
      d.name = name(s->name());
      d.entity = s->ENTITY() != nullptr;
      d.fields = fields(s->fieldList());
      out.structs.push_back(std::move(d));
    } else if (auto* a = si->actionDecl()) {
      ast::ActionDecl d;
      d.name = name(a->name());
      d.fields = fields(a->fieldList());
      out.actions.push_back(std::move(d));
    }
  }
}

std::vector<ast::FieldDecl> AstBuilder::fields(P::FieldListContext* ctx) {
  std::vector<ast::FieldDecl> out;
  if (!ctx) return out;
  for (auto* f : ctx->fieldDecl()) {
    ast::FieldDecl d;
    d.name = name(f->name());
    if (f->typeRef()) d.type = type(f->typeRef());
    d.sensitive = f->SENSITIVE() != nullptr;
    out.push_back(std::move(d));
  }
  return out;
}

ast::TypeRef AstBuilder::type(P::TypeRefContext* ctx) {
  ast::TypeRef t;
  t.span = span(ctx);
  t.optional = ctx->optional != nullptr;
  if (ctx->SET()) {
    t.is_set = true;
    if (ctx->typeRef()) t.elem = std::make_unique<ast::TypeRef>(type(ctx->typeRef()));
  } else {
    t.name = name(ctx->name());
  }
  return t;
}

ast::ListDecl AstBuilder::list(P::ListDeclContext* ctx) {
  ast::ListDecl d;
  d.name = name(ctx->name());
  d.attrs = fields(ctx->fieldList());
  if (ctx->basisClause()) d.basis = string(ctx->basisClause()->STRING());
  for (auto* li : ctx->listItem()) {
    ast::ListItem item;
    item.key = string(li->STRING());
    for (auto* av : li->attrValue()) item.attrs.emplace_back(name(av->name()), expr(av->expr()));
    if (li->basisClause()) item.basis = string(li->basisClause()->STRING());
    d.items.push_back(std::move(item));
  }
  return d;
}

std::vector<ast::Name> AstBuilder::path(P::FactPathContext* ctx) const {
  std::vector<ast::Name> out;
  if (ctx)
    for (auto* n : ctx->name()) out.push_back(name(n));
  return out;
}

std::vector<ast::StringLit> AstBuilder::titles(P::TitlesContext* ctx) const {
  std::vector<ast::StringLit> out;
  if (ctx)
    for (auto* s : ctx->STRING()) out.push_back(string(s));
  return out;
}

ast::ColumnDecl AstBuilder::column(P::ColumnItemContext* ctx) {
  ast::ColumnDecl c;
  c.span = span(ctx);
  if (ctx->role) {
    switch (ctx->role->getType()) {
      case P::ID:
        c.role = ast::ColumnRole::Id;
        break;
      case P::BIRTH:
        c.role = ast::ColumnRole::Birth;
        break;
      case P::LABEL:
        c.role = ast::ColumnRole::Label;
        break;
      default:
        c.role = ast::ColumnRole::Column;
    }
  }
  c.path = path(ctx->factPath());
  c.titles = titles(ctx->titles());
  return c;
}

ast::ReturnsDecl AstBuilder::returns(P::ReturnsDeclContext* ctx) {
  ast::ReturnsDecl r;
  r.span = span(ctx->getStart());
  auto names = ctx->name();
  r.name = name(names.empty() ? nullptr : names[0]);
  r.action = name(ctx->action);
  for (auto* item : ctx->returnsItem()) {
    if (auto* s = item->sourceItem()) r.sources.push_back(name(s->name()));
    if (auto* ro = item->rosterBlock()) {
      r.rosters.push_back(span(ro->getStart()));
      for (auto* c : ro->columnItem()) r.roster.push_back(column(c));
    }
    if (auto* d = item->departmentBlock()) {
      ast::DepartmentDecl dep;
      dep.name = name(d->name().empty() ? nullptr : d->name()[0]);
      if (d->per) dep.per = name(d->per);
      dep.titles = titles(d->titles());
      for (auto* sh : d->sheetBlock()) {
        ast::SheetDecl sheet;
        sheet.span = span(sh->getStart());
        sheet.path = path(sh->factPath());
        sheet.titles = titles(sh->titles());
        for (auto* c : sh->columnItem()) sheet.columns.push_back(column(c));
        dep.sheets.push_back(std::move(sheet));
      }
      r.departments.push_back(std::move(dep));
    }
  }
  return r;
}

ast::Effective AstBuilder::effective(P::EffectiveClauseContext* ctx) {
  ast::Effective e;
  e.span = span(ctx);
  auto dates = ctx->dateLit();
  if (!dates.empty()) {
    e.from = dates[0]->getText();
    e.from_span = span(dates[0]);
  }
  if (dates.size() > 1) {
    e.until = dates[1]->getText();
    e.until_span = span(dates[1]);
  }
  return e;
}

ast::PolicyDecl AstBuilder::policy(P::PolicyDeclContext* ctx, ast::Program& out) {
  ast::PolicyDecl p;
  p.name = name(ctx->name());
  for (auto* item : ctx->policyItem()) {
    if (auto* k = dynamic_cast<P::KindItemContext*>(item)) {
      p.kinds.push_back(name(k->name()));
    } else if (auto* d = dynamic_cast<P::DefaultItemContext*>(item)) {
      p.defaults.push_back(name(d->name()));
    } else if (auto* f = dynamic_cast<P::ForItemContext*>(item)) {
      p.fors.push_back(name(f->name()));
    } else if (auto* s = dynamic_cast<P::ScopeItemContext*>(item)) {
      p.scopes.push_back(string(s->STRING()));
    } else if (auto* v = dynamic_cast<P::VersionItemContext*>(item)) {
      p.versions.push_back(string(v->STRING()));
    } else if (auto* e = dynamic_cast<P::EffectiveItemContext*>(item)) {
      p.effectives.push_back(effective(e->effectiveClause()));
    } else if (auto* sc = dynamic_cast<P::SchemaItemInPolicyContext*>(item)) {
      schema(sc->schemaBlock(), out);
    } else if (auto* l = dynamic_cast<P::ListItemInPolicyContext*>(item)) {
      out.lists.push_back(list(l->listDecl()));
    }
  }
  for (auto* body : ctx->policyBody()) {
    if (body->ruleDecl()) p.rules.push_back(rule(body->ruleDecl()));
    if (body->schemaBlock()) schema(body->schemaBlock(), out);
    if (body->listDecl()) out.lists.push_back(list(body->listDecl()));
  }
  return p;
}

ast::RuleDecl AstBuilder::rule(P::RuleDeclContext* ctx) {
  ast::RuleDecl r;
  r.span = span(ctx->getStart());
  r.extent = span(ctx);
  r.id = name(ctx->id);
  if (ctx->base) r.base = name(ctx->base);
  r.effect = name(ctx->effect);
  if (ctx->target) r.action = name(ctx->target);
  for (auto* c : ctx->ruleClause()) {
    auto once = [&](bool given) {
      if (given) r.repeated.emplace_back(span(c->getStart()), c->getStart()->getText());
      return !given;
    };
    if (auto* w = dynamic_cast<P::WhenClauseContext*>(c)) {
      if (once(r.when != nullptr)) r.when = expr(w->expr());
    } else if (auto* b = dynamic_cast<P::BecauseClauseContext*>(c)) {
      if (once(r.because.has_value())) r.because = string(b->STRING());
    } else if (auto* bs = dynamic_cast<P::BasisRuleClauseContext*>(c)) {
      if (once(r.basis.has_value())) r.basis = string(bs->basisClause()->STRING());
    } else if (auto* e = dynamic_cast<P::EffectiveRuleClauseContext*>(c)) {
      if (once(r.effective.has_value())) r.effective = effective(e->effectiveClause());
    }
  }
  return r;
}

}  // namespace xy::parse
