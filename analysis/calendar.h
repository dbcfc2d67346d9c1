// Calendar arithmetic as solver formulas, the same as common/date.cpp: day numbers counted from
// 1970-01-01, months added before days with the day clamped to the month's end, whole years of
// age counted the way `周岁` counts them (private to the analysis). Everything is linear integer
// arithmetic: a date that needs its year, month and day gets them as variables, once per date.
#pragma once
#include <z3++.h>

#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

namespace xy::analysis {

class Calendar {
 public:
  // Constraints on the variables it makes go to `out`; when `used` is set, the indexes in `out`
  // of every constraint a formula made since rests on (its own and the shared ones it reuses).
  Calendar(z3::context& c, z3::expr_vector& out) : c_(c), out_(out) {}
  void collect(std::vector<unsigned>* used) { used_ = used; }

  // `date + months + days`, months first (common/date.cpp's shift).
  z3::expr shift(const z3::expr& date, const z3::expr& months, const z3::expr& days);
  // Whole years from `from` to `to`, negative when `to` is earlier (whole_years_between).
  z3::expr whole_years(const z3::expr& from, const z3::expr& to);
  // Gives every helper variable made so far its value in `model`, computed from the dates there
  // (the days its day numbers and durations evaluate to), as common/date.cpp computes them.
  void complete(z3::model& model) const;

  // The day numbers facts may take: 1900-01-01 … 2199-12-31. Dates computed from them must stay
  // in the years the formulas cover, 1600 … 2800.
  static constexpr int kFirstDay = -25567;
  static constexpr int kLastDay = 84005;
  static constexpr int kFirstCovered = -135140;  // 1600-01-01
  static constexpr int kLastCovered = 303516;    // 2800-12-31
  static constexpr int kFirstYear = 1600;
  static constexpr int kLastYear = 2800;

 private:
  struct Civil {
    z3::expr y, m, d, leap, q, r;
  };
  // How each year, month and day was made: of a day number, or `months` after another's.
  struct Made {
    Civil civil;
    std::optional<z3::expr> day, months;
    std::size_t from = 0;
  };
  void add(const z3::expr& constraint, std::vector<unsigned>& into);
  Civil fresh(std::vector<unsigned>& into);  // a year, month and day in range
  Civil civil(const z3::expr& day);          // the one of a day number
  z3::expr day_number(const Civil& v);       // and back
  z3::expr days_in_month(const z3::expr& leap, const z3::expr& m);

  z3::context& c_;
  z3::expr_vector& out_;
  struct Known {
    Civil civil;
    std::vector<unsigned> constraints;
  };
  std::unordered_map<unsigned, Known> of_day_;              // by the day number's expression id
  std::map<std::pair<unsigned, unsigned>, Known> shifted_;  // by (date, months) ids
  std::unordered_map<unsigned, z3::expr> leaps_;            // leap years in [1600, y), by y's id
  std::vector<unsigned>* used_ = nullptr;
  std::vector<Made> made_;  // in the order made (a shifted date after the one it comes from)
};

}  // namespace xy::analysis
