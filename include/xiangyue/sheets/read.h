// Reading spreadsheets: .xlsx workbooks and .csv files (UTF-8 or GB18030) as sparse sheets of
// cells.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "xiangyue/common/date.h"
#include "xiangyue/common/diagnostic.h"
#include "xiangyue/common/result.h"

namespace xy::sheets {

// One non-empty cell as read. Every kind fills `text`, so a caller wanting text can always take it.
struct Cell {
  enum class Kind { Text, Number, Bool, Date, Error };
  Kind kind = Kind::Text;
  // Text: the string (UTF-8). Number: the shortest decimal that reads back as `number` ("12",
  // "0.5", "1e+20"). Bool: "TRUE"/"FALSE". Date: ISO "2024-05-01". Error: the code ("#N/A").
  std::string text;
  double number = 0;  // Number; Date: the serial number as stored
  bool boolean = false;
  // Date: a numeric cell whose number format shows a date (built-in formats 14-17 and 22, the
  // Chinese built-ins 27-31, 36, 50-54, 57-58, custom formats with y or d, or m without h or s;
  // time-only formats stay Number), in the workbook's 1900 (Lotus leap-year bug kept) or 1904
  // system, time of day dropped. A serial with no such date (below day 1, the 1900-02-29 that
  // never was, past 9999-12-31) stays Number. A `t="d"` (ISO 8601) cell is a Date too.
  xy::Date date;
  std::uint32_t row = 0, column = 0;  // 1-based
  std::string ref() const;            // "C7"
};

// A row that holds at least one non-empty cell; its cells in column order, empty ones left out.
struct Row {
  std::uint32_t number = 0;  // 1-based
  std::vector<Cell> cells;
};

// A rectangle of cells, 1-based and inclusive ("B2:D3" is 2, 2, 3, 4).
struct Range {
  std::uint32_t first_row = 0, first_column = 0, last_row = 0, last_column = 0;
};

// Rows in order; empty rows are absent (a gap in `number`), so a huge claimed dimension costs
// nothing. Merged areas are listed; their value is in the top-left cell only.
struct Sheet {
  std::string name;
  std::vector<Row> rows;
  std::vector<Range> merged;
  const Cell* find(std::uint32_t row, std::uint32_t column) const;  // nullptr if empty
};

struct Workbook {
  std::string path;
  std::vector<Sheet> sheets;  // worksheets in the workbook's order (chart sheets left out)
};

// Every failure is a value: a message in both languages that names the file and, where known, the
// sheet, the part and the cell ("名册.xlsx, sheet 名册, cell C7: …") and says why. A workbook
// whose parts would inflate past 512 MB in all is refused (a zip bomb).
//
// Cells are Text, Number, Bool, Date or Error; a formula without a saved result, a shared string
// that does not exist or a broken part is an error, never a silently empty cell.
Result<Workbook, Localized> read_xlsx(const std::string& path);

// One sheet named after the file's stem. UTF-8 (with or without BOM) when the bytes are UTF-8,
// else GB18030 (what Excel and WPS save as "CSV" on Chinese Windows), else an error naming the
// line. RFC 4180: comma-separated, fields in double quotes may hold commas, "" and line breaks;
// CRLF, LF or CR end a record. Row n is the n-th record. Every cell is Text, as written (no type
// guessing, "2024-05-01" stays Text); empty fields are left out. At most 512 MB.
Result<Workbook, Localized> read_csv(const std::string& path);

// read_xlsx or read_csv by the extension (.xlsx, .csv, any case); another extension is an error.
Result<Workbook, Localized> read_table(const std::string& path);

// "A", "Z", "AA", … for a 1-based column number; and back (0 when `letters` is not a column).
std::string column_name(std::uint32_t column);
std::uint32_t column_number(std::string_view letters);

}  // namespace xy::sheets
