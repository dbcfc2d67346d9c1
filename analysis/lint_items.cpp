// W0708 for single items: an item of a list that rules read, on which no rule's applying can
// depend. Each item's presence is a variable (Options::item_switches); an item is reached when,
// for some rule reading its list and some request, the rule applies with the item in the list
// and not without it, or the other way round.
#include <map>
#include <set>

#include "lint_context.h"

namespace xy::analysis {

namespace {

using Item = std::pair<std::uint32_t, std::uint32_t>;  // list, item

class ItemReach {
 public:
  ItemReach(LintContext& cx, Encoding& enc) : cx_(cx), enc_(enc), solver_(enc.ctx()) {
    z3::params params(enc.ctx());
    params.set("timeout", cx.options.timeout_ms);
    solver_.set(params);
    solver_.add(enc.domain());
  }

  // Marks in `reached` the items of `lists` that rule `r`'s applying can depend on.
  void rule(std::uint32_t r, const std::set<std::uint32_t>& lists, std::set<Item>& reached) {
    z3::context& c = enc_.ctx();
    z3::expr applies = enc_.applies(r);
    z3::expr_vector from(c), as_written(c);
    std::vector<Item> items;
    for (const auto& [item, var] : enc_.item_switches()) {
      from.push_back(var);
      as_written.push_back(c.bool_val(true));
      items.push_back(item);
    }
    z3::expr with = applies.substitute(from, as_written);
    for (std::size_t k = 0; k < items.size(); ++k) {
      if (!lists.count(items[k].first) || reached.count(items[k])) continue;
      z3::expr_vector without(c);
      for (std::size_t j = 0; j < items.size(); ++j) without.push_back(c.bool_val(j != k));
      z3::expr differs = with != applies.substitute(from, without);
      if (ask(differs) != z3::unsat) reached.insert(items[k]);
    }
  }

 private:
  // As the other checks ask: within the bounds examples are drawn from, then, before claiming
  // that no request exists, without them. `unknown` counts as reached (nothing is claimed).
  z3::check_result ask(const z3::expr& q) {
    ++cx_.report.questions;
    z3::check_result r = z3::unknown;
    for (bool bounded : {true, false}) {
      solver_.push();
      solver_.add(bounded ? enc_.bounds() && q : q);
      r = solver_.check();
      if (r == z3::unknown)
        cx_.report.undecided.push_back(
            {"whether a list item is reached (" + solver_.reason_unknown() + ")",
             "清单条目是否可达（" + solver_.reason_unknown() + "）"});
      solver_.pop();
      if (r != z3::unsat) break;
    }
    return r;
  }

  LintContext& cx_;
  Encoding& enc_;
  z3::solver solver_;
};

}  // namespace

void unreached_items(LintContext& cx) {
  const auto& d = cx.p.decls;
  // The lists each rule's condition reads; lists a reason quotes are left alone (a reason's text
  // can depend on any item).
  std::map<std::uint32_t, std::set<std::uint32_t>> lists_of;
  std::set<std::uint32_t> quoted;
  each_expr(
      cx.p,
      [&](std::uint32_t r, const ast::Expr&, const checked::ExprInfo& info) {
        if (info.op == ir::Op::InList || info.op == ir::Op::ListAttr) lists_of[r].insert(info.list);
      },
      Parts::Conditions);
  each_expr(
      cx.p,
      [&](std::uint32_t, const ast::Expr&, const checked::ExprInfo& info) {
        if (info.op == ir::Op::InList || info.op == ir::Op::ListAttr) quoted.insert(info.list);
      },
      Parts::Reasons);
  std::set<std::uint32_t> asked;  // lists some rule's condition reads
  for (auto& [r, lists] : lists_of) {
    std::erase_if(lists, [&](std::uint32_t l) { return quoted.count(l) > 0; });
    asked.insert(lists.begin(), lists.end());
  }
  if (asked.empty()) return;

  std::set<Item> reached;
  Options options = cx.options;
  options.item_switches = true;
  for (std::uint32_t a = 0; a < d.actions.size(); ++a) {
    std::vector<std::uint32_t> rules;
    for (const auto& [r, lists] : lists_of)
      if (d.rules[r].action == a && !lists.empty()) rules.push_back(r);
    if (rules.empty()) continue;
    auto made = Encoding::make(cx.p, a, options);
    if (!made) {
      cx.report.undecided.push_back(made.error());
      for (auto r : rules)
        for (auto l : lists_of[r])
          for (std::uint32_t i = 0; i < d.lists[l].items.size(); ++i) reached.insert({l, i});
      continue;
    }
    ItemReach reach(cx, **made);
    for (auto r : rules) reach.rule(r, lists_of[r], reached);
  }

  for (auto l : asked) {
    const ast::ListDecl* decl = nullptr;
    for (const auto& ld : cx.p.ast.lists)
      if (ld.name.text == d.lists[l].name) decl = &ld;
    if (!decl || decl->items.size() != d.lists[l].items.size()) continue;
    for (std::uint32_t i = 0; i < decl->items.size(); ++i) {
      if (reached.count({l, i})) continue;
      const std::string& key = d.lists[l].items[i].key;
      Finding& f = cx.add(Severity::warning, "W0708", decl->items[i].key.span,
                          {"no request reaches the item `" + key + "` of the list `" +
                               d.lists[l].name + "`: no rule's applying depends on it",
                           "任何请求都碰不到清单「" + d.lists[l].name + "」的条目「" + key +
                               "」：没有规则是否适用取决于它"});
      f.diagnostic.help = Localized{
          "the rules that read the list exclude it by their other conditions; remove it, or "
          "acknowledge why it is kept",
          "读取该清单的规则以其他条件排除了它；删去它，或注明为何保留"};
      std::size_t notes = 0;
      for (const auto& [r, lists] : lists_of)
        if (lists.count(l) && notes++ < 3)
          f.diagnostic.notes.push_back(
              {cx.span(r), {"a rule that reads the list", "读取该清单的规则"}});
    }
  }
}

}  // namespace xy::analysis
