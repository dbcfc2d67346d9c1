// The checked program's own helpers: naming a type the way diagnostics and tools show it, and
// finding the expression at a position.
#include "xiangyue/compiler/checked.h"

namespace xy::checked {

using ir::TypeKind;

std::string Program::type_name(std::uint32_t type, Lang lang) const {
  if (type == ir::kNone) return "?";
  const auto& t = decls.types[type];
  std::string s;
  bool zh = lang == Lang::zh;
  switch (t.kind) {
    case TypeKind::Bool:
      s = zh ? "布尔" : "bool";
      break;
    case TypeKind::Number:
      s = t.integer ? (zh ? "整数" : "int") : (zh ? "数值" : "number");
      break;
    case TypeKind::Text:
      s = zh ? "文本" : "text";
      break;
    case TypeKind::Date:
      s = zh ? "日期" : "date";
      break;
    case TypeKind::Duration:
      s = zh ? "期限" : "duration";
      break;
    case TypeKind::Enum:
      s = decls.enums[t.ref].name;
      break;
    case TypeKind::Struct:
      s = decls.structs[t.ref].name;
      break;
    case TypeKind::Set:
      s = (zh ? "集合<" : "set<") + type_name(t.ref, lang) + ">";
      break;
  }
  return t.optional ? s + "?" : s;
}

const ast::Expr* expression_at(const Program& program, std::uint32_t file, std::size_t offset) {
  auto inside = [&](const ast::Expr* e) {
    return e && e->span.file == file && e->span.begin <= offset && offset < e->span.end;
  };
  std::vector<const ast::Expr*> roots;
  for (const auto& body : program.rules) {
    if (body.decl && inside(body.decl->when.get())) roots.push_back(body.decl->when.get());
    for (const auto& piece : body.because)
      if (inside(piece.expr)) roots.push_back(piece.expr);
  }
  const ast::Expr* found = nullptr;
  // Down through the one child that holds the offset; the deepest checked one wins.
  for (const ast::Expr* e = roots.empty() ? nullptr : roots.front(); e;) {
    if (program.of(*e)) found = e;
    const ast::Expr* next = nullptr;
    for (const auto& k : e->kids)
      if (inside(k.get())) next = k.get();
    e = next;
  }
  return found;
}

}  // namespace xy::checked
