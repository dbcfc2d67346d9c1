// The encoding's state (private to the analysis): the solver context, the symbolic request, the
// text constants, and the quantifier variables bound while encoding a condition.
#pragma once
#include <map>
#include <memory>
#include <unordered_map>

#include "calendar.h"
#include "xiangyue/analysis/encoding.h"

namespace xy::analysis {

struct Encoding::Impl {
  // `other`: a second program whose texts get ids too (a diff); `share`: an encoding of it
  // whose context, request and texts this one uses (the same request decided by both).
  Impl(const checked::Program& program, std::uint32_t action, const Options& options,
       const checked::Program* other = nullptr, const Impl* share = nullptr);

  const checked::Program& p;
  const Bundle& d;  // p.decls: types, records, enums, lists, rules, policies
  std::uint32_t action;
  Options options;
  std::shared_ptr<z3::context> owned;
  z3::context& ctx;
  z3::expr_vector constraints;  // the domain: what every request keeps
  z3::expr_vector bounds;       // the ranges examples are drawn from (Encoding::bounds)
  z3::expr_vector tidy;         // what examples look like when they can (Encoding::tidy)
  z3::expr_vector aux;          // the calendar's (Condition::aux)
  Calendar calendar;
  std::vector<z3::expr> vars;  // every fact variable, and the as-of date
  z3::expr as_of;
  Term facts;
  std::vector<std::string> texts;
  std::unordered_map<std::string, int> text_id;
  std::vector<z3::expr> text_vars;  // every text fact, ranged over once all are known
  std::size_t leaves = 0;
  std::vector<std::optional<Term>> slots;  // quantifier variables, by slot
  std::unordered_map<std::uint32_t, Condition> conditions;
  std::map<std::pair<std::uint32_t, std::uint32_t>, z3::expr> switches;  // Options::item_switches

  // facts (encoding.cpp)
  int text(const std::string& s);  // the id of a text constant
  Term declare(std::uint32_t type, bool may_be_absent, const std::string& name);
  Term constant(const ir::Const& c, std::uint32_t type);
  boost::json::value value(const z3::model& m, const Term& t, std::uint32_t type) const;
  std::string text_of(std::int64_t id) const;

  // expressions (encode_expr.cpp)
  Term expr(const ast::Expr& e);
  Truth truth(const Term& t);
  Term boolean(const Truth& t);
  Truth compare(ir::Op op, const Term& l, const Term& r, ir::TypeKind kind);
  Term quantify(const ast::Expr& e, const checked::ExprInfo& info);
  Term arith(const ast::Expr& e, const checked::ExprInfo& info);
  Term list_attr(const ast::Expr& e, const checked::ExprInfo& info);
  Truth member(const ast::Expr& e, const checked::ExprInfo& info);
  // `key` names item `item` of list `list` and that item is in the list.
  z3::expr is_item(const z3::expr& key, std::uint32_t list, std::uint32_t item);

  const ir::Type& T(std::uint32_t type) const { return d.types[type]; }
};

}  // namespace xy::analysis
