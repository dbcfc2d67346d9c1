// Fuzz target: the spreadsheet readers. The input, saved as a file, is read as an .xlsx workbook
// and as a CSV file: each read gives a workbook or an error in valid UTF-8, never a crash or a
// hang. A workbook read has its rows and cells in order, within Excel's limits, with UTF-8 text;
// and what was read, written again (as .xlsx, and as CSV for a CSV file), reads back the same.
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "check.h"
#include "scratch.h"
#include "xiangyue/sheets/read.h"
#include "xiangyue/sheets/write.h"

namespace {

using namespace xy;
using namespace xy::sheets;

void require_error(const Localized& e, std::string_view what) {
  fuzz::require_utf8(e.en, what);
  fuzz::require_utf8(e.zh, what);
}

void require_well_formed(const Workbook& book) {
  for (const Sheet& sheet : book.sheets) {
    fuzz::require_utf8(sheet.name, "a sheet name");
    std::uint32_t last_row = 0;
    for (const Row& row : sheet.rows) {
      fuzz::require(row.number > last_row && !row.cells.empty(), "rows out of order or empty");
      last_row = row.number;
      std::uint32_t last_column = 0;
      for (const Cell& cell : row.cells) {
        fuzz::require(cell.row == row.number && cell.column > last_column,
                      "cells out of order or in the wrong row", cell.ref());
        last_column = cell.column;
        fuzz::require(!cell.text.empty(), "an empty cell is listed", cell.ref());
        fuzz::require_utf8(cell.text, "a cell's text");
        if (cell.kind == Cell::Kind::Date)
          fuzz::require(cell.text == cell.date.to_string(), "a date's text is not its date");
      }
    }
  }
}

// The sheet with every row moved down one (row 1 is the header written), cells as written; empty
// when it is too big to write in a fuzz run.
std::optional<OutSheet> as_written(const Sheet& sheet) {
  OutSheet out{sheet.name, {}, {}};
  std::size_t cells = 0;
  for (const Row& row : sheet.rows) {
    cells += row.number + row.cells.back().column;
    if (cells > 200000) return {};
    out.rows.resize(row.number);
    auto& to = out.rows[row.number - 1];
    to.resize(row.cells.back().column);
    for (const Cell& c : row.cells)
      to[c.column - 1] = c.kind == Cell::Kind::Number ? OutCell(c.number)
                         : c.kind == Cell::Kind::Date ? OutCell(c.date)
                                                      : OutCell(c.text);
  }
  return out;
}

// A number as libxlsxwriter writes it: 16 significant digits.
double sixteen_digits(double n) {
  char text[40];
  std::snprintf(text, sizeof text, "%.16G", n);
  return std::strtod(text, nullptr);
}

void require_same(const Sheet& before, const Sheet& after, bool typed) {
  std::size_t n = 0;
  for (const Row& row : before.rows)
    for (const Cell& c : row.cells) {
      const Cell* again = after.find(c.row + 1, c.column);
      fuzz::require(again != nullptr, "a cell written is not read back", c.ref());
      ++n;
      if (!typed || c.kind == Cell::Kind::Text || c.kind == Cell::Kind::Bool ||
          c.kind == Cell::Kind::Error)
        fuzz::require(again->kind == Cell::Kind::Text && again->text == c.text,
                      "a text written reads back different", c.text);
      else if (c.kind == Cell::Kind::Number)
        fuzz::require(
            again->kind == Cell::Kind::Number && again->number == sixteen_digits(c.number),
            "a number written reads back different", c.text);
      else
        fuzz::require(again->kind == Cell::Kind::Date && again->date == c.date,
                      "a date written reads back different", c.text);
    }
  std::size_t m = 0;
  for (const Row& row : after.rows) m += row.cells.size();
  fuzz::require(m == n, "more cells read back than written");
}

void round_trip(const Workbook& book, bool csv) {
  for (const Sheet& sheet : book.sheets) {
    auto out = as_written(sheet);
    if (!out) continue;
    std::string path = fuzz::scratch_dir() + "/written.xlsx";
    if (write_xlsx(path, {*out})) {  // refused (a name or a date Excel cannot take): fine
      auto again = read_xlsx(path);
      if (!again) fuzz::fail("a workbook we wrote does not read: " + again.error().en);
      require_same(sheet, again->sheets.at(0), true);
    }
    if (!csv) continue;
    std::string text_path = fuzz::scratch_dir() + "/written.csv";
    std::ofstream(text_path, std::ios::binary) << csv_text(*out);
    auto again = read_csv(text_path);
    if (!again) fuzz::fail("a CSV file we wrote does not read: " + again.error().en);
    require_same(sheet, again->sheets.at(0), false);
  }
}

void read_as(const std::uint8_t* data, std::size_t size, const std::string& name, bool csv) {
  std::string path = fuzz::scratch_dir() + "/" + name;
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  auto book = csv ? read_csv(path) : read_xlsx(path);
  if (!book) return require_error(book.error(), csv ? "a CSV error" : "a workbook error");
  require_well_formed(*book);
  round_trip(*book, csv);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  read_as(data, size, "input.xlsx", false);
  read_as(data, size, "input.csv", true);
  return 0;
}
