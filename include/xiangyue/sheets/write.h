// Writing spreadsheets: sheets of a header row and data rows, as .xlsx or as CSV text.
#pragma once
#include <concepts>
#include <string>
#include <vector>

#include "xiangyue/common/date.h"
#include "xiangyue/common/diagnostic.h"
#include "xiangyue/common/result.h"

namespace xy::sheets {

// One cell to write: empty, text, a number or a date (shown yyyy-mm-dd).
struct OutCell {
  enum class Kind { Empty, Text, Number, Date };
  Kind kind = Kind::Empty;
  std::string text;
  double number = 0;
  xy::Date date;

  OutCell() = default;
  OutCell(std::string s) : kind(Kind::Text), text(std::move(s)) {}
  OutCell(const char* s) : kind(Kind::Text), text(s) {}
  OutCell(std::integral auto n) : kind(Kind::Number), number(static_cast<double>(n)) {}
  OutCell(double n) : kind(Kind::Number), number(n) {}
  OutCell(xy::Date d) : kind(Kind::Date), date(d) {}
};

// A sheet: the header is row 1, then one row per entry of `rows` (a row may be shorter or longer
// than the header).
struct OutSheet {
  std::string name;
  std::vector<std::string> header;
  std::vector<std::vector<OutCell>> rows;
};

// Writes the sheets in order: header bold, frozen and with an autofilter, columns as wide as their
// widest text (a CJK character counts double; at most 60), dates shown yyyy-mm-dd, numbers to 16
// significant digits (libxlsxwriter's; Excel shows 15). The file is written beside `path` and
// renamed over it, so a failure leaves no half-written workbook. Errors (a sheet name Excel
// refuses, a text longer than 32,767 characters or not UTF-8, a number not finite or past Excel's
// 9.99999999999999E+307, a date before 1900-01-01, more rows or columns than Excel has) name the
// sheet and cell; nothing is written then. The value is always true.
Result<bool, Localized> write_xlsx(const std::string& path, const std::vector<OutSheet>& sheets);

// The sheet as CSV for Excel: UTF-8 with a BOM, CRLF line ends, a field quoted when it holds a
// comma, a quote or a line break; numbers as their shortest decimal, dates yyyy-mm-dd.
std::string csv_text(const OutSheet& sheet);

}  // namespace xy::sheets
