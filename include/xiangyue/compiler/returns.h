// A checked `returns` declaration (报送): how the spreadsheets of a review map to one action's
// facts. The roster gives one request per row; each department's return gives, per sheet, the
// records of a set fact (or a flag fact: listed or not) keyed by the roster's id column. What the
// review reads from the workbooks and what it may conclude when a department has not returned.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "xiangyue/common/diagnostic.h"

namespace xy::checked {

// A fact of the action, as the field indices from the action's facts record down to it.
struct FactPath {
  std::vector<std::uint32_t> fields;
  std::string text;  // `候选人.身份证号`
  std::uint32_t type = 0;
};

struct Column {
  std::vector<std::string> titles;  // any of them may head the column
  SourceSpan span;
};

struct RosterColumn : Column {
  FactPath fact;
  bool optional = false;  // the fact may be absent: an empty cell is no value
};

struct Label : Column {
  std::string name;  // 乡镇, 村: kept for the reports, not a fact
};

struct SheetColumn : Column {
  std::uint32_t field = 0;  // in the record
  std::string name;
  std::uint32_t type = 0;
  bool optional = false;
};

struct Sheet {
  FactPath fact;                    // a set of records, or a flag
  bool flag = false;                // a bool fact: true when the candidate is listed
  std::uint32_t record = 0;         // the records' struct (not a flag)
  std::vector<std::string> titles;  // the sheet's names; none: the file's only sheet
  Column id;                        // the column holding the roster's id
  std::vector<SheetColumn> columns;
  std::uint32_t source_field = UINT32_MAX;  // the record field that names the department
  SourceSpan span;
};

struct Department {
  std::string name;
  std::vector<std::string> titles;  // other names its files may carry
  // `for 乡镇`: the label (index into Returns::labels) whose every value has its own return,
  // named in the file's name; UINT32_MAX: one return covers every candidate.
  std::uint32_t per_label = UINT32_MAX;
  std::vector<Sheet> sheets;
  SourceSpan span;
};

struct Returns {
  std::string name;
  std::uint32_t action = 0;
  RosterColumn id;         // the key: a citizen ID number (GB 11643)
  bool has_birth = false;  // the birth date the ID must agree with
  RosterColumn birth;
  std::vector<Label> labels;          // in the order declared: the reports group by them
  std::vector<RosterColumn> columns;  // the other facts the roster gives
  std::vector<Department> departments;
  SourceSpan span;
};

}  // namespace xy::checked
