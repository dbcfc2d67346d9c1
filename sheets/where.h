// Where in a spreadsheet a failure is (file, sheet, part, cell, line) and the messages that say so.
#pragma once
#include <cstdint>
#include <string>

#include "xiangyue/common/diagnostic.h"

namespace xy::sheets {

struct Where {
  explicit Where(std::string path) : file(std::move(path)) {}

  std::string file;        // the path as given (shown as UTF-8)
  std::string sheet;       // the sheet's name, if any
  std::string part;        // the zip entry, if any ("xl/worksheets/sheet1.xml")
  std::string cell;        // "C7", if any
  std::uint64_t line = 0;  // a CSV line or an XML line, if any

  Where in_sheet(std::string name, std::string part_name) const;
  Where in_part(std::string part_name) const;
  Where at_cell(std::string ref) const;
  Where at_line(std::uint64_t n) const;
  // "名册.xlsx, sheet 名册, cell C7: why" and "名册.xlsx，工作表「名册」，单元格 C7：why".
  Localized says(const Localized& why) const;
};

// Text for a message: cut past 60 characters, stray bytes and control characters as U+FFFD.
std::string shown(std::string_view text);

inline Localized both(std::string text) {
  return Localized{text, text};
}

}  // namespace xy::sheets
