// Lowers checked expressions to IR nodes, each with the source range it came from.
#include "lower.h"

#include <stdexcept>

namespace xy::lower {
namespace {

using ast::ExprKind;
using ir::Op;

class Lowering {
 public:
  Lowering(const checked::Program& p, Bundle& b) : p_(p), b_(b) {}

  std::uint32_t expr(const ast::Expr& e) {
    const checked::ExprInfo* i = p_.of(e);
    if (!i) throw std::logic_error("lowering an expression the checker did not accept");
    ir::Range at{e.span.file, e.span.begin, e.span.end};
    ir::Node n;
    n.op = i->op;
    n.flags = i->flags;
    n.slot = i->slot;
    switch (i->op) {
      case Op::Const:
        b_.consts.push_back(*i->value);
        n.a = static_cast<std::uint32_t>(b_.consts.size() - 1);
        return emit(n, at);
      case Op::Var:
        n.path = path_id(i->path);
        return emit(n, at);
      case Op::Field: {
        if (i->from_root) {
          ir::Node root;
          root.op = Op::Root;
          n.a = emit(root, at);
        } else {
          n.a = expr(*e.kids[0]);
        }
        n.b = i->index;
        n.path = path_id(i->path);
        return emit(n, at);
      }
      case Op::ListAttr:  // 清单[键].属性: the key is the index expression's second child
        n.a = expr(*e.kids[0]->kids[1]);
        n.b = i->list;
        n.c = i->index;
        return emit(n, at);
      case Op::InList:
      case Op::InSet: {
        n.a = expr(*e.kids[0]);
        n.b = i->op == Op::InList ? i->list : expr(*e.kids[1]);
        std::uint32_t in = emit(n, at);
        if (!e.negated) return in;
        ir::Node neg;
        neg.op = Op::Not;
        neg.a = in;
        return emit(neg, at);
      }
      case Op::DateAdd:
        if (i->swapped) {  // `期限 + 日期`
          n.a = expr(*e.kids[1]);
          n.b = expr(*e.kids[0]);
          return emit(n, at);
        }
        [[fallthrough]];
      default:
        break;
    }
    switch (e.kind) {
      case ExprKind::And:
      case ExprKind::Or:
        return balanced(e, n.op, at);
      case ExprKind::SetLit: {
        std::vector<std::uint32_t> kids;
        for (const auto& k : e.kids) kids.push_back(expr(*k));
        n.a = static_cast<std::uint32_t>(b_.node_lists.size());
        n.b = static_cast<std::uint32_t>(kids.size());
        b_.node_lists.insert(b_.node_lists.end(), kids.begin(), kids.end());
        return emit(n, at);
      }
      case ExprKind::Any:
      case ExprKind::All:
      case ExprKind::Count:
        n.a = expr(*e.kids[0]);
        n.b = e.kids.size() > 1 && e.kids[1] ? expr(*e.kids[1]) : ir::kNone;
        return emit(n, at);
      default:  // operators of one or two operands, in order; AsOf has none
        if (!e.kids.empty()) n.a = expr(*e.kids[0]);
        if (e.kids.size() > 1) n.b = expr(*e.kids[1]);
        return emit(n, at);
    }
  }

 private:
  // A balanced tree: Kleene and/or are associative, and evaluation depth stays logarithmic.
  std::uint32_t balanced(const ast::Expr& e, Op op, const ir::Range& at) {
    std::vector<std::uint32_t> parts;
    for (const auto& k : e.kids) parts.push_back(expr(*k));
    while (parts.size() > 1) {
      std::vector<std::uint32_t> next;
      for (std::size_t i = 0; i + 1 < parts.size(); i += 2) {
        ir::Node n;
        n.op = op;
        n.a = parts[i];
        n.b = parts[i + 1];
        next.push_back(emit(n, at));
      }
      if (parts.size() % 2) next.push_back(parts.back());
      parts = std::move(next);
    }
    return parts[0];
  }

  std::uint32_t emit(const ir::Node& n, const ir::Range& at) {
    b_.nodes.push_back(n);
    b_.node_ranges.push_back(at);
    return static_cast<std::uint32_t>(b_.nodes.size() - 1);
  }

  std::uint32_t path_id(const std::string& path) {
    auto [it, added] = paths_.emplace(path, static_cast<std::uint32_t>(b_.paths.size()));
    if (added) b_.paths.push_back(path);
    return it->second;
  }

  const checked::Program& p_;
  Bundle& b_;
  std::unordered_map<std::string, std::uint32_t> paths_;
};

}  // namespace

Bundle lower(checked::Program& program) {
  Bundle b = std::move(program.decls);
  program.decls = Bundle{};
  Lowering lowering(program, b);
  for (std::size_t r = 0; r < b.rules.size(); ++r) {
    const checked::RuleBody& body = program.rules[r];
    if (body.when) b.rules[r].cond = lowering.expr(*body.when);
    for (const auto& piece : body.because)
      b.rules[r].because.push_back(
          {piece.text, piece.expr ? lowering.expr(*piece.expr) : ir::kNone, piece.type});
  }
  return b;
}

}  // namespace xy::lower
