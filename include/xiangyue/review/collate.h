// The joint review's collation (xy review): the roster and the departments' returns, read as
// workbooks, turned into one request per candidate by a checked `returns` declaration. A
// department that has not returned leaves the facts it gives without a value (the rules reading
// them are unknown), never "no record"; a cell that cannot be read is named with its file,
// sheet, cell and why, and leaves the fact it belongs to without a value for that candidate.
#pragma once
#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "xiangyue/compiler/returns.h"
#include "xiangyue/runtime/bundle.h"
#include "xiangyue/sheets/read.h"

namespace xy::review {

// Where something was read: a file, a sheet, a cell (row and column 0 when the whole sheet or
// file is meant).
struct Place {
  std::string file, sheet;
  std::uint32_t row = 0, column = 0;
  // "名册.xlsx, sheet 名册, cell C7" / "名册.xlsx，工作表「名册」，单元格 C7" ("…, row 7")
  std::string text(Lang lang = Lang::en) const;
};

struct Problem {
  Place at;
  Localized why;
};

struct Candidate {
  std::uint32_t row = 0;            // the roster row
  std::vector<std::string> labels;  // by Returns::labels
  std::string id;                   // the ID number as read (may be invalid: see problems)
  // Whether the departments' records can be matched to it: its ID number is sound (valid, on one
  // row only). When not, the facts the returns give are left without a value.
  bool matched = true;
  boost::json::object facts;             // the request's facts
  std::vector<Problem> problems;         // what could not be read for this candidate
  std::vector<std::string> outstanding;  // departments not returned whose facts it lacks
};

// A returned row whose ID number is on no roster row (often a typo in either).
struct Orphan {
  std::string department, id;
  Place at;
};

struct Collation {
  std::vector<Candidate> candidates;  // in roster order
  std::vector<Orphan> orphans;
  std::vector<std::string> returned, outstanding;  // department names, as declared
  std::vector<Problem> problems;  // files and sheets: a file no department claims, a sheet
                                  // missing, a row whose ID number is invalid
};

// The returns of one department: the workbooks whose file names name it.
struct Return {
  std::string department;
  std::vector<sheets::Workbook> workbooks;
};

// Assigns each returned workbook to the department its file name names (the department's name
// or an alias). A file naming none, or two, is a problem and is not read.
std::vector<Return> assign(const checked::Returns& returns, std::vector<sheets::Workbook> workbooks,
                           std::vector<Problem>& problems);

// Collates the roster (its first sheet holding the id column's title) and the returns. Fails
// only when the roster cannot be used at all (no sheet with the id column's title, a required
// column missing); everything else is a problem of a candidate or of the collation.
Result<Collation, Localized> collate(const checked::Returns& returns, const Bundle& bundle,
                                     const sheets::Workbook& roster,
                                     const std::vector<Return>& returned);

// The citizen ID number's check (GB 11643-1999): 18 characters, 17 digits and a check digit
// (0-9 or X) by ISO 7064 MOD 11-2, a valid birth date in characters 7-14. Nothing when it
// passes; the birth date is then in `birth`.
std::optional<Localized> id_problem(std::string_view id, Date* birth = nullptr);

}  // namespace xy::review
