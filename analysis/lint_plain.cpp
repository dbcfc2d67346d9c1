// The lint checks that need no solver: facts and lists no rule reads, and texts compared in
// conditions that are close to, but not, an item of a list.
#include <set>

#include "lint_context.h"

namespace xy::analysis {

void unread_facts(LintContext& cx) {
  const auto& d = cx.p.decls;
  std::set<std::pair<std::uint32_t, std::uint32_t>> read;  // (record, field)
  each_expr(cx.p, [&](std::uint32_t r, const ast::Expr& e, const checked::ExprInfo& info) {
    if (info.op != ir::Op::Field) return;
    std::uint32_t record = ir::kNone;
    if (info.from_root) {
      record = d.actions[d.rules[r].action].facts;
    } else if (const auto* base = cx.p.of(*e.kids[0])) {
      record = d.types[base->type].ref;
    }
    read.emplace(record, info.index);
  });
  // The records a request of an action with rules can hold.
  std::set<std::uint32_t> reachable;
  std::vector<std::uint32_t> todo;
  for (const auto& rule : d.rules) todo.push_back(d.actions[rule.action].facts);
  while (!todo.empty()) {
    std::uint32_t s = todo.back();
    todo.pop_back();
    if (!reachable.insert(s).second) continue;
    for (const auto& f : d.structs[s].fields) {
      const ir::Type* t = &d.types[f.type];
      if (t->kind == ir::TypeKind::Set) t = &d.types[t->ref];
      if (t->kind == ir::TypeKind::Struct) todo.push_back(t->ref);
    }
  }
  // Declarations by name, for their places.
  auto fields_of = [&](const std::string& name) -> const std::vector<ast::FieldDecl>* {
    for (const auto& s : cx.p.ast.structs)
      if (s.name.text == name) return &s.fields;
    for (const auto& a : cx.p.ast.actions)
      if (a.name.text == name) return &a.fields;
    return nullptr;
  };
  for (std::uint32_t s : reachable) {
    const auto* decls = fields_of(d.structs[s].name);
    if (!decls) continue;
    for (std::uint32_t i = 0; i < d.structs[s].fields.size() && i < decls->size(); ++i) {
      if (read.count({s, i})) continue;
      const std::string& owner = d.structs[s].name;
      const std::string& field = d.structs[s].fields[i].name;
      cx.add(Severity::warning, "W0707", (*decls)[i].name.span,
             {"no rule reads `" + field + "` of `" + owner + "`",
              "没有规则读取「" + owner + "」的「" + field + "」"})
          .diagnostic.help =
          Localized{"remove it from the schema, or acknowledge why requests carry it",
                    "从结构中删去它，或注明请求为何携带它"};
    }
  }
}

void unread_lists(LintContext& cx) {
  std::set<std::uint32_t> read;
  each_expr(cx.p, [&](std::uint32_t, const ast::Expr&, const checked::ExprInfo& info) {
    if (info.op == ir::Op::InList || info.op == ir::Op::ListAttr) read.insert(info.list);
  });
  const auto& d = cx.p.decls;
  for (std::uint32_t l = 0; l < d.lists.size(); ++l) {
    if (read.count(l)) continue;
    for (const auto& decl : cx.p.ast.lists)
      if (decl.name.text == d.lists[l].name) {
        cx.add(Severity::warning, "W0708", decl.name.span,
               {"no rule reads the list `" + d.lists[l].name + "`: no request reaches its items",
                "没有规则读取清单「" + d.lists[l].name + "」：任何请求都碰不到它的条目"})
            .diagnostic.help =
            Localized{"remove it, or acknowledge why it is kept", "删去它，或注明为何保留"};
        break;
      }
  }
}

void near_miss_texts(LintContext& cx) {
  const auto& d = cx.p.decls;
  std::set<std::string> keys;
  for (const auto& l : d.lists)
    for (const auto& item : l.items) keys.insert(item.key);
  auto close = [](const std::u32string& a, const std::u32string& b) {
    if (a.size() < 2 || b.size() < 2 || a == b) return false;
    return a.find(b) != std::u32string::npos || b.find(a) != std::u32string::npos;
  };
  std::set<std::uint32_t> seen;  // a literal once, even if read by several rules
  each_expr(cx.p, [&](std::uint32_t, const ast::Expr& e, const checked::ExprInfo& info) {
    if (info.op != ir::Op::Const || !info.value || info.value->kind != ValueKind::Text) return;
    const std::string& text = info.value->text;
    if (keys.count(text) || !seen.insert(e.span.begin).second) return;
    std::u32string t = decode_utf8(text);
    for (const auto& l : d.lists)
      for (const auto& item : l.items) {
        if (!close(t, decode_utf8(item.key))) continue;
        cx.add(Severity::warning, "W0709", e.span,
               {"`" + text + "` is no item of any list, but close to `" + item.key +
                    "` of the list `" + l.name + "`",
                "「" + text + "」不是任何清单的条目，但与清单「" + l.name + "」的「" + item.key +
                    "」相近"})
            .diagnostic.help =
            Localized{"did you mean `" + item.key + "`?", "是否应为「" + item.key + "」？"};
        return;
      }
  });
}

}  // namespace xy::analysis
