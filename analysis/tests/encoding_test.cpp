// The encoding against the runtime: for every rule, the solver is asked for requests where the
// rule's condition is true, false and unknown; each request it finds is decided by the runtime,
// and every rule's status there must be what the formulas say of that request.
#include <catch2/catch.hpp>
#include <filesystem>

#include "../calendar.h"
#include "xiangyue/analysis/encoding.h"
#include "xiangyue/runtime/engine.h"

namespace fs = std::filesystem;
using xy::analysis::Encoding;

namespace {

struct Tally {
  int sat = 0, unsat = 0, unknown = 0, mismatches = 0;
  std::vector<std::string> failures;  // the first few, for the report
};

enum class Want { True, False, Unknown };

// Asks for requests per rule and status, decides each and compares every rule of its policy.
void differential(const std::vector<xy::SourceFile>& files, Tally& tally, unsigned seeds = 2,
                  unsigned set_bound = 2) {
  auto checked = xy::checked::check_sources(files);
  auto compiled = xy::compile_sources(files);
  REQUIRE(checked.program);
  REQUIRE(compiled.bundle);
  const auto& program = *checked.program;
  const xy::Bundle& bundle = *compiled.bundle;
  xy::Evaluator evaluator(bundle);
  for (std::uint32_t a = 0; a < program.decls.actions.size(); ++a) {
    for (std::uint32_t pol = 0; pol < program.decls.policies.size(); ++pol) {
      std::vector<std::uint32_t> rules;
      for (std::uint32_t r = 0; r < program.decls.rules.size(); ++r)
        if (program.decls.rules[r].action == a && program.decls.rules[r].policy == pol)
          rules.push_back(r);
      if (rules.empty()) continue;
      auto made = Encoding::make(program, a, {set_bound, std::nullopt, 20000});
      REQUIRE(made);
      Encoding& enc = **made;
      z3::context& c = enc.ctx();
      const auto& policy = program.decls.policies[pol];
      z3::expr base = enc.domain() && enc.bounds();
      if (policy.from != xy::ir::kNoDate) base = base && enc.as_of() >= policy.from;
      if (policy.until != xy::ir::kNoDate) base = base && enc.as_of() <= policy.until;
      z3::expr every_aux = c.bool_val(true);
      for (auto r : rules) every_aux = every_aux && enc.condition(r).aux;
      for (auto r : rules) {
        for (Want want : {Want::True, Want::False, Want::Unknown}) {
          auto cond = enc.condition(r);
          z3::expr target = want == Want::True    ? cond.t
                            : want == Want::False ? cond.f
                                                  : !cond.t && !cond.f;
          for (unsigned seed = 1; seed <= seeds; ++seed) {
            z3::solver s = enc.solver(seed);
            s.add(base && enc.in_force(r) && cond.aux && target);
            auto verdict = s.check();
            if (verdict == z3::unsat) {
              ++tally.unsat;
              break;  // no other seed finds one either
            }
            if (verdict == z3::unknown) {
              ++tally.unknown;
              continue;
            }
            ++tally.sat;
            // The request found, and every rule's value on it.
            z3::model m = enc.complete(s.get_model());
            CHECK(m.eval(every_aux, true).is_true());

            std::string json = boost::json::serialize(enc.request(m, policy.name));
            auto parsed = xy::parse_fitting_request(bundle, json, std::nullopt, xy::Date::today());
            if (!parsed) {
              ++tally.mismatches;
              if (tally.failures.size() < 5)
                tally.failures.push_back("request refused: " + json + " — " +
                                         parsed.error().message.en);
              continue;
            }
            xy::Decision decision = evaluator.decide(*parsed);
            for (auto q : rules) {
              auto qc = enc.condition(q);
              bool in_force = m.eval(enc.in_force(q), true).is_true();
              bool t = in_force && m.eval(qc.t, true).is_true();
              bool u = in_force && !t && !m.eval(qc.f, true).is_true();
              bool fired = std::count(decision.fired.begin(), decision.fired.end(), q) > 0;
              bool unknown = std::count(decision.unknown.begin(), decision.unknown.end(), q) > 0;
              if (t != fired || u != unknown) {
                ++tally.mismatches;
                if (tally.failures.size() < 5)
                  tally.failures.push_back("rule " + program.decls.rules[q].id + ": solver " +
                                           (t   ? "true"
                                            : u ? "unknown"
                                                : "false") +
                                           ", runtime " +
                                           (fired     ? "true"
                                            : unknown ? "unknown"
                                                      : "false") +
                                           " on " + json);
              }
            }
          }
        }
      }
    }
  }
}

std::vector<xy::SourceFile> read_set(const fs::path& dir) {
  xy::DiagnosticSink sink;
  return xy::read_policy_files({dir.string()}, sink);
}

const std::string kSchema = R"(
schema {
  enum Level ordered { village, town, county }
  record Conviction { crime: text, released: date?, serious: bool? }
  entity Person { name: text, born: date, level: Level, spouse: Person2? }
  record Person2 { name: text, born: date? }
  action Review {
    who: Person, records: set<Conviction>, votes: int, present: int, fee: money?,
    due: date, term: duration, tags: set<text>, kind: text, ok: bool?
  }
}
list Crimes (years: int, grave: bool) {
  "theft" (years: 3, grave: false),
  "fraud" (years: 5),
  "murder" (years: 20, grave: true)
}
)";

xy::SourceFile policy(const std::string& rules) {
  return {"main.xy",
          kSchema + "policy P {\n  kind review\n  default pass\n  for Review\n" + rules + "}\n"};
}

void require_agreement(const Tally& t, int min_sat) {
  INFO("sat " << t.sat << ", unsat " << t.unsat << ", unknown " << t.unknown);
  for (const auto& f : t.failures) INFO(f);
  CHECK(t.failures.empty());
  CHECK(t.mismatches == 0);
  CHECK(t.unknown == 0);
  CHECK(t.sat >= min_sat);
}

}  // namespace

TEST_CASE("comparisons, arithmetic and division by zero agree with the runtime") {
  Tally t;
  differential({policy("  rule A reject when votes * 2 > present\n"
                       "  rule B refer when votes / present >= 2 / 3\n"
                       "  rule C reject when fee > 1000 or fee is none\n"
                       "  rule D refer when -votes + 3 < present - 1 and kind != \"x\"\n"
                       "  rule E reject when ok\n"
                       "  rule F refer when not ok and who.level >= town\n")},
               t);
  require_agreement(t, 12);
}

TEST_CASE("dates, durations and ages agree with the runtime (month ends, leap days)") {
  Tally t;
  differential({policy("  rule A reject when due + 1 months > 2024-02-29\n"
                       "  rule B refer when age(who.born, due) >= 18\n"
                       "  rule C reject when due - 1 years <= as_of\n"
                       "  rule D refer when term > 6 months\n"
                       "  rule E reject when term < 30 days\n"
                       "  rule F refer when age(who.spouse.born, as_of) < 30\n"
                       "  rule G reject when who.born + term = due\n")},
               t);
  require_agreement(t, 14);
}

TEST_CASE("quantifiers, sets, lists and optional records agree with the runtime") {
  Tally t;
  differential(
      {policy("  rule A reject when any r in records: r.crime in Crimes and r.released + 3 years > "
              "as_of\n"
              "  rule B refer when all r in records: r.serious\n"
              "  rule C reject when count(r in records: Crimes[r.crime].grave) >= 2\n"
              "  rule D refer when size(tags) = 2 and \"a\" in tags and kind not in [\"x\", "
              "\"y\"]\n"
              "  rule E reject when any r in records: Crimes[r.crime].years > 4\n"
              "  rule F refer when who.spouse is some and who.spouse.name = who.name\n"
              "  rule G reject when who.level in [town, county] and kind in Crimes\n")},
      t);
  require_agreement(t, 14);
}

TEST_CASE("exceptions and effective periods: in force as the runtime counts it") {
  Tally t;
  differential({policy("  rule A reject when votes > 3 effective 2024-01-01 to 2024-12-31\n"
                       "  rule B exception to A pass when kind = \"k\"\n")},
               t);
  require_agreement(t, 4);
}

TEST_CASE("every shipped policy set: the solver's requests decide as it says") {
  Tally t;
  for (const auto& entry : fs::directory_iterator(fs::path(XY_SOURCE_DIR) / "policies")) {
    if (!entry.is_directory() || entry.path().filename() == "laws") continue;
    differential(read_set(entry.path()), t, 1);
  }
  WARN("shipped library: " << t.sat << " requests decided, " << t.unsat << " targets unreachable");
  require_agreement(t, 100);
}

TEST_CASE("every conformance case that compiles: the solver's requests decide as it says") {
  Tally t;
  int cases = 0;
  for (const auto& entry :
       fs::directory_iterator(fs::path(XY_SOURCE_DIR) / "tests/conformance/cases")) {
    fs::path dir = entry.path() / "policy";
    if (!fs::is_directory(dir)) continue;
    auto files = read_set(dir);
    if (files.empty() || !xy::compile_sources(files).bundle) continue;
    ++cases;
    differential(files, t, 1);
  }
  WARN(cases << " conformance cases: " << t.sat << " requests decided, " << t.unsat
             << " targets unreachable");
  require_agreement(t, 100);
}

TEST_CASE("calendar formulas equal the runtime's date arithmetic") {
  z3::context c;
  int checked = 0;
  for (auto [y, m, d] : {std::tuple{2020, 1, 31},
                         {2020, 2, 29},
                         {2019, 12, 31},
                         {2021, 3, 31},
                         {2000, 2, 29},
                         {1900, 3, 1},
                         {2100, 2, 28},
                         {2024, 8, 31}}) {
    auto date = *xy::Date::from_ymd(y, m, d);
    for (int months : {-25, -12, -1, 0, 1, 11, 12, 13, 48}) {
      z3::expr_vector aux(c);
      xy::analysis::Calendar calendar(c, aux);
      z3::expr out = calendar.shift(c.int_val(date.days), c.int_val(months), c.int_val(3));
      z3::solver s = (z3::tactic(c, "solve-eqs") & z3::tactic(c, "smt")).mk_solver();
      s.add(z3::mk_and(aux));
      REQUIRE(s.check() == z3::sat);
      auto want = xy::add(date, xy::Duration{months, 3});
      REQUIRE(want);
      CHECK(s.get_model().eval(out, true).get_numeral_int64() == want->days);
      for (int later : {0, 1, 365, 366, 1460, 1461, 6574, 6575}) {
        xy::Date to{date.days + later - 3};
        z3::expr_vector aux2(c);
        xy::analysis::Calendar calendar2(c, aux2);
        z3::expr years = calendar2.whole_years(c.int_val(date.days), c.int_val(to.days));
        z3::solver s2 = (z3::tactic(c, "solve-eqs") & z3::tactic(c, "smt")).mk_solver();
        s2.add(z3::mk_and(aux2));
        REQUIRE(s2.check() == z3::sat);
        INFO(date.to_string() << " to " << to.to_string());
        CHECK(s2.get_model().eval(years, true).get_numeral_int64() ==
              xy::whole_years_between(date, to));
        ++checked;
      }
    }
  }
  CHECK(checked == 8 * 9 * 8);
}
