// The symbolic encoding of the policy language (Z3): a request for one action as solver
// variables, and each rule's condition as formulas over them, read from the checked program.
// It mirrors the runtime's three-valued evaluation (runtime/evaluate.cpp) for complete requests:
// every required fact present and well-typed, optional facts present or absent, sets holding at
// most `set_bound` elements. A model turns back into a JSON request that the runtime decides.
#pragma once
#include <z3++.h>

#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "xiangyue/common/date.h"
#include "xiangyue/common/result.h"
#include "xiangyue/compiler/checked.h"

namespace xy::analysis {

struct Options {
  unsigned set_bound = 3;       // elements a set may hold in a symbolic request
  std::optional<Date> as_of;    // the decision date; none: any date in the policies' periods
  unsigned timeout_ms = 10000;  // per solver call; an answer of `unknown` is reported as such
  // Each list item's presence in its list a variable (Encoding::item_present), for asking which
  // items a decision can depend on; otherwise every item is simply there.
  bool item_switches = false;
};

// A condition's three values: `t` holds when it is true, `f` when false; neither: unknown (a
// missing value, a division by zero, months compared with days, an absent bool).
struct Truth {
  z3::expr t, f;
};

// A rule's condition: its three values, and `aux`, the constraints that give the calendar's
// helper variables (a date's year, month and day) their values. Assert `aux` with any question
// about `t` or `f`.
struct Condition {
  z3::expr t, f, aux;
};

// The value of an expression in a symbolic request.
struct Term {
  std::uint32_t type = ir::kNone;
  z3::expr def;   // not unknown
  z3::expr some;  // not absent (`无值`)
  z3::expr v;     // Bool; Real (numbers); Int (text id, day number, enum ordinal, months)
  z3::expr days;  // Duration: its days part
  std::vector<Term> fields;  // Struct
  z3::expr size;             // Set: how many of `elems` it holds
  std::vector<Term> elems;   // Set: `set_bound` elements (or a literal's)
  explicit Term(z3::context& c)
      : def(c.bool_val(true)),
        some(c.bool_val(true)),
        v(c.bool_val(false)),
        days(c.int_val(0)),
        size(c.int_val(0)) {}
};

// One action's symbolic request and the formulas of the rules that can decide it.
class Encoding {
 public:
  // Fails when the action's facts need too many variables at this set bound.
  static Result<std::unique_ptr<Encoding>, Localized> make(const checked::Program& program,
                                                           std::uint32_t action,
                                                           const Options& options);
  // Two sets' encodings of one action over one symbolic request (one context, the same fact
  // variables and text ids), for comparing how each decides it. The action's facts must be
  // declared alike in both (same_facts). Each side's options give its own as-of date.
  static Result<std::pair<std::unique_ptr<Encoding>, std::unique_ptr<Encoding>>, Localized>
  make_pair(const checked::Program& old_program, std::uint32_t old_action,
            const Options& old_options, const checked::Program& new_program,
            std::uint32_t new_action, const Options& new_options);
  // Whether an action's facts are declared alike (names, types, optional, members) in both.
  static bool same_facts(const Bundle& a, std::uint32_t action_a, const Bundle& b,
                         std::uint32_t action_b);
  ~Encoding();
  Encoding(const Encoding&) = delete;
  Encoding& operator=(const Encoding&) = delete;

  z3::context& ctx();
  const checked::Program& program() const;
  std::uint32_t action() const;
  // What every request satisfies: enum ranges, set sizes, texts, dates the calendar covers
  // (1600-2800).
  z3::expr domain() const;
  // The ranges example requests are drawn from: numbers within ±10^9 (so the runtime's 64-bit
  // rationals hold their sums and products), dates and the as-of date in 1900-2199, durations
  // up to 100 years. A claim that no request exists is asked again without them.
  z3::expr bounds() const;
  // What an example request looks like when it can: numbers whole and within 0..10^7, dates and
  // the as-of date in 2000-2099. Asked first; examples that need other values are drawn within
  // bounds() alone.
  z3::expr tidy() const;
  const z3::expr& as_of() const;  // the decision date as a day number
  const Term& facts() const;      // the action's facts (a record)

  // A rule's condition (true when it has none); the rule must be for this action.
  Condition condition(std::uint32_t rule);
  // In force on the as-of date (the rule's and its policy's periods).
  z3::expr in_force(std::uint32_t rule) const;
  // In force and its condition true: what the runtime calls `fired` (with its `aux`).
  z3::expr applies(std::uint32_t rule);
  // Applies and no exception to it applies: it counts in the decision (runtime/decide.cpp).
  z3::expr active(std::uint32_t rule);
  // The parts of a rule's condition joined by its top-level `and`, each with the formula of it
  // being true (with the aux it needs): for naming the parts that conflict.
  std::vector<std::pair<const ast::Expr*, z3::expr>> conjuncts(std::uint32_t rule);

  // Every fact variable and the as-of date equal to their values in `model`: the request it
  // describes, and nothing else.
  z3::expr fix(const z3::model& model) const;
  // The request `model` describes, with every calendar helper variable of every condition
  // encoded so far given its value: any rule's condition evaluates on it without solving.
  z3::model complete(const z3::model& model) const;

  // A solver for one question: equalities solved first, then SMT, with the options' timeout and
  // the given random seed.
  z3::solver solver(unsigned seed = 0);

  // The request a model describes, as the runtime reads it (`policy` names the policy).
  boost::json::object request(const z3::model& model, const std::string& policy) const;

  // With Options::item_switches: the variables that say an item is in its list (list index, item
  // index), made as conditions reading the list are encoded. True in the policies as written.
  const std::map<std::pair<std::uint32_t, std::uint32_t>, z3::expr>& item_switches() const;

  // The text constants of the program, by id (a text value is an id; ids past them are texts
  // no rule names).
  const std::vector<std::string>& texts() const;

 private:
  struct Impl;
  explicit Encoding(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace xy::analysis
