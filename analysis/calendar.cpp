// Calendar arithmetic as solver formulas. A year is written 1600 + 4q + r, which gives leap years
// and the leap days before a year without division; month starts come from a table.
#include "calendar.h"

#include "xiangyue/common/date.h"

namespace xy::analysis {

namespace {
// Century years that are not leap years, within the years the formulas cover.
constexpr int kCommonCenturies[] = {1700, 1800, 1900, 2100, 2200, 2300, 2500, 2600, 2700};
// Leap years in [1600, 1970).
constexpr int kLeapsBefore1970 = 90;

z3::expr at_most(const z3::expr& a, const z3::expr& b) {
  return z3::ite(a > b, b, a);
}
}  // namespace

void Calendar::add(const z3::expr& constraint, std::vector<unsigned>& into) {
  into.push_back(out_.size());
  out_.push_back(constraint);
  if (used_) used_->push_back(into.back());
}

Calendar::Civil Calendar::fresh(std::vector<unsigned>& into) {
  auto var = [&](const char* name) {
    return z3::expr(c_, Z3_mk_fresh_const(c_, name, c_.int_sort()));
  };
  z3::expr y = var("year"), q = var("year4"), r = var("yearmod4"), m = var("month"), d = var("day");
  z3::expr common_century = c_.bool_val(false);
  for (int century : kCommonCenturies) common_century = common_century || y == century;
  Civil v{y, m, d, r == 0 && !common_century, q, r};
  add(y >= kFirstYear && y <= kLastYear && y == kFirstYear + 4 * q + r && r >= 0 && r <= 3 &&
          m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(v.leap, m),
      into);
  // Leap years in [1600, y): multiples of 4 there, less the common centuries.
  z3::expr leaps = q + z3::ite(r > 0, c_.int_val(1), c_.int_val(0));
  for (int century : kCommonCenturies)
    leaps = leaps - z3::ite(y > century, c_.int_val(1), c_.int_val(0));
  leaps_.emplace(y.id(), leaps);
  made_.push_back(Made{v, std::nullopt, std::nullopt, 0});
  return v;
}

z3::expr Calendar::days_in_month(const z3::expr& leap, const z3::expr& m) {
  return z3::ite(m == 2, z3::ite(leap, c_.int_val(29), c_.int_val(28)),
                 z3::ite(m == 4 || m == 6 || m == 9 || m == 11, c_.int_val(30), c_.int_val(31)));
}

z3::expr Calendar::day_number(const Civil& v) {
  static constexpr int kBefore[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  z3::expr before_month = c_.int_val(kBefore[11]);
  for (int i = 10; i >= 0; --i)
    before_month = z3::ite(v.m == i + 1, c_.int_val(kBefore[i]), before_month);
  z3::expr leap_day = z3::ite(v.m > 2 && v.leap, c_.int_val(1), c_.int_val(0));
  return 365 * (v.y - 1970) + leaps_.at(v.y.id()) - kLeapsBefore1970 + before_month + leap_day +
         v.d - 1;
}

Calendar::Civil Calendar::civil(const z3::expr& day) {
  if (auto it = of_day_.find(day.id()); it != of_day_.end()) {
    if (used_)
      used_->insert(used_->end(), it->second.constraints.begin(), it->second.constraints.end());
    return it->second.civil;
  }
  std::vector<unsigned> made;
  Civil v = fresh(made);
  made_.back().day = day;
  // A year is 146097/400 days on average, and the leap days before a year stray less than 4 from
  // that: redundant bounds that let the solver find the year from the day at once.
  z3::expr years400 = 146097 * (v.y - 1970);
  add(day_number(v) == day && 400 * day >= years400 - 1600 &&
          400 * day <= years400 + 400 * 366 + 1600,
      made);
  of_day_.emplace(day.id(), Known{v, std::move(made)});
  return v;
}

z3::expr Calendar::shift(const z3::expr& date, const z3::expr& months, const z3::expr& days) {
  if (months.is_numeral() && months.get_numeral_int64() == 0) return date + days;
  // The same shift of the same date is one year, month and day (so that two rules writing
  // `期间起 + 3个月` meet on one value).
  std::pair<unsigned, unsigned> key{date.id(), months.id()};
  if (auto it = shifted_.find(key); it != shifted_.end()) {
    civil(date);  // its constraints count for the formula being made
    if (used_)
      used_->insert(used_->end(), it->second.constraints.begin(), it->second.constraints.end());
    return day_number(it->second.civil) + days;
  }
  Civil from = civil(date);
  // The month `months` on: its year and month are fixed by one linear equation.
  std::vector<unsigned> made;
  std::size_t from_index = 0;
  while (made_[from_index].civil.y.id() != from.y.id()) ++from_index;
  Civil to = fresh(made);
  made_.back().months = months;
  made_.back().from = from_index;
  add(to.y * 12 + to.m == from.y * 12 + from.m + months &&
          to.d == at_most(from.d, days_in_month(to.leap, to.m)),
      made);
  shifted_.emplace(key, Known{to, made});
  return day_number(to) + days;
}

z3::expr Calendar::whole_years(const z3::expr& from, const z3::expr& to) {
  Civil a = civil(from), b = civil(to);
  // Years from p to q (p on or before q): the anniversary in q's year, clamped to the month's
  // end, is after q when q's birthday has not come yet.
  auto years = [&](const Civil& p, const Civil& q) {
    z3::expr day = at_most(p.d, days_in_month(q.leap, p.m));
    z3::expr before = p.m > q.m || (p.m == q.m && day > q.d);
    return q.y - p.y - z3::ite(before, c_.int_val(1), c_.int_val(0));
  };
  return z3::ite(to < from, -years(b, a), years(a, b));
}

void Calendar::complete(z3::model& model) const {
  struct Ymd {
    std::int64_t y, m, d;
  };
  std::vector<Ymd> values;
  auto number = [&](const z3::expr& e) {
    std::int64_t v = 0;
    model.eval(e, true).is_numeral_i64(v);
    return v;
  };
  auto set = [&](const z3::expr& var, std::int64_t v) {
    z3::func_decl decl = var.decl();
    z3::expr value = c_.int_val(v);
    model.add_const_interp(decl, value);
  };
  for (const auto& made : made_) {
    Ymd v{};
    if (made.day) {
      Date date{static_cast<std::int32_t>(number(*made.day))};
      v = {date.year(), date.month(), date.day()};
    } else if (made.months) {
      const Ymd& from = values[made.from];
      std::int64_t total = from.y * 12 + from.m - 1 + number(*made.months);
      std::int64_t y = total >= 0 ? total / 12 : -((-total + 11) / 12);
      std::int64_t m = total - y * 12 + 1;
      std::int64_t last = 31;
      while (last > 28 &&
             !Date::from_ymd(static_cast<int>(y), static_cast<int>(m), static_cast<int>(last)))
        --last;
      v = {y, m, std::min(from.d, last)};
    }
    values.push_back(v);
    std::int64_t q =
        (v.y - kFirstYear) >= 0 ? (v.y - kFirstYear) / 4 : -((kFirstYear - v.y + 3) / 4);
    set(made.civil.y, v.y);
    set(made.civil.m, v.m);
    set(made.civil.d, v.d);
    set(made.civil.q, q);
    set(made.civil.r, v.y - kFirstYear - 4 * q);
  }
}

}  // namespace xy::analysis
