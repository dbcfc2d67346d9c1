// A file's parsed program without spans, as canonical text: the formatter's soundness check (the
// formatted file must have the same shape as the original, so it compiles to the same program).
#include <string>

#include "parse/parse.h"
#include "xiangyue/compiler/ast.h"
#include "xiangyue/runtime/vocabulary.h"

namespace xy::syntax {
namespace {

// Effects, kinds and defaults are words of the language: the same in either spelling.
std::string word(const std::string& text) {
  if (const auto* e = effect_by_word(text)) return std::string("effect:") + e->wire;
  if (const auto* k = kind_by_word(text)) return std::string("kind:") + k->en;
  if (const auto* o = outcome_by_word(text)) return std::string("outcome:") + o->wire;
  return text;
}

// Iterative, so a long `a + b + …` chain cannot exhaust the stack.
void expr(std::string& out, const ast::Expr* root) {
  std::vector<const ast::Expr*> todo{root};
  while (!todo.empty()) {
    const ast::Expr* e = todo.back();
    todo.pop_back();
    if (!e) {
      out += ")";
      continue;
    }
    out += "(" + std::to_string(static_cast<int>(e->kind)) + " " +
           std::to_string(static_cast<int>(e->lit)) + " " +
           std::to_string(static_cast<int>(e->cmp)) + " " +
           std::to_string(static_cast<int>(e->arith)) + (e->negated ? " !" : " ");
    bool boolean = e->kind == ast::ExprKind::Literal &&
                   (e->lit == ast::LitKind::True || e->lit == ast::LitKind::False);
    // `true` and `真` are one literal; 基准日 and as_of, 周岁 and age one built-in name.
    bool builtin = (e->kind == ast::ExprKind::Name || e->kind == ast::ExprKind::Call) &&
                   builtin_of(e->text) != Builtin::None;
    if (builtin)
      out += "builtin:" + std::to_string(static_cast<int>(builtin_of(e->text)));
    else if (!boolean)
      out += e->text;
    todo.push_back(nullptr);
    for (auto it = e->kids.rbegin(); it != e->kids.rend(); ++it) {
      if (*it)
        todo.push_back(it->get());
      else
        out += "(null)";
    }
  }
}

void type(std::string& out, const ast::TypeRef& t) {
  if (t.is_set) {
    out += "set<";
    if (t.elem) type(out, *t.elem);
    out += ">";
  } else {
    out += t.name.text;
  }
  if (t.optional) out += "?";
}

void fields(std::string& out, const std::vector<ast::FieldDecl>& fs) {
  for (const auto& f : fs) {
    out += " " + f.name.text + ":";
    type(out, f.type);
    if (f.sensitive) out += " sensitive";
  }
  out += "\n";
}

void effective(std::string& out, const ast::Effective& e) {
  out += " effective " + e.from + (e.until ? " to " + *e.until : std::string()) + "\n";
}

}  // namespace

std::optional<std::string> shape(const SourceFile& file, DiagnosticSink& sink) {
  ast::Program p;
  if (!parse::parse_file(file, 0, p, sink)) return std::nullopt;
  return shape_of(p);
}

std::string shape_of(const ast::Program& p) {
  std::string out;
  for (const auto& e : p.enums) {
    out += "enum " + e.name.text + (e.ordered ? " ordered" : "");
    for (const auto& m : e.members) out += " " + m.text;
    out += "\n";
  }
  for (const auto& s : p.structs) {
    out += std::string(s.entity ? "entity " : "record ") + s.name.text;
    fields(out, s.fields);
  }
  for (const auto& a : p.actions) {
    out += "action " + a.name.text;
    fields(out, a.fields);
  }
  for (const auto& l : p.lists) {
    out += "list " + l.name.text + (l.basis ? " basis " + l.basis->value : std::string());
    fields(out, l.attrs);
    for (const auto& it : l.items) {
      out += "  item " + it.key.value + (it.basis ? " basis " + it.basis->value : std::string());
      for (const auto& [n, v] : it.attrs) {
        out += " " + n.text + "=";
        expr(out, v.get());
      }
      out += "\n";
    }
  }
  for (const auto& pol : p.policies) {
    out += "policy " + pol.name.text + "\n";
    for (const auto& k : pol.kinds) out += " kind " + word(k.text) + "\n";
    for (const auto& d : pol.defaults) out += " default " + word(d.text) + "\n";
    for (const auto& f : pol.fors) out += " for " + f.text + "\n";
    for (const auto& s : pol.scopes) out += " scope " + s.value + "\n";
    for (const auto& v : pol.versions) out += " version " + v.value + "\n";
    for (const auto& e : pol.effectives) effective(out, e);
    for (const auto& r : pol.rules) {
      out += " rule " + r.id.text + (r.base ? " exception to " + r.base->text : std::string()) +
             " " + word(r.effect.text) + (r.action ? " " + r.action->text : std::string()) + "\n";
      if (r.when) {
        out += "  when ";
        expr(out, r.when.get());
        out += "\n";
      }
      if (r.because) out += "  because " + r.because->value + "\n";
      if (r.basis) out += "  basis " + r.basis->value + "\n";
      if (r.effective) effective(out, *r.effective);
      out += "  repeated " + std::to_string(r.repeated.size()) + "\n";
    }
  }
  for (const auto& r : p.returns) {
    out += "returns " + r.name.text + " for " + r.action.text + "\n";
    for (const auto& s : r.sources) out += " source " + s.text + "\n";
    auto column = [&](const ast::ColumnDecl& c, const char* indent) {
      out += indent + std::to_string(static_cast<int>(c.role));
      for (const auto& n : c.path) out += " ." + n.text;
      for (const auto& t : c.titles) out += " \"" + t.value + "\"";
      out += "\n";
    };
    for (std::size_t i = 0; i < r.rosters.size(); ++i) out += " roster\n";
    for (const auto& c : r.roster) column(c, "  ");
    for (const auto& d : r.departments) {
      out += " department " + d.name.text;
      for (const auto& t : d.titles) out += " \"" + t.value + "\"";
      if (d.per) out += " for " + d.per->text;
      out += "\n";
      for (const auto& s : d.sheets) {
        out += "  sheet";
        for (const auto& n : s.path) out += " ." + n.text;
        for (const auto& t : s.titles) out += " \"" + t.value + "\"";
        out += "\n";
        for (const auto& c : s.columns) column(c, "   ");
      }
    }
  }
  return out;
}

}  // namespace xy::syntax
