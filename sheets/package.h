// The parts of an .xlsx workbook and how they are found: the workbook part through _rels/.rels,
// its sheets, shared strings and styles through the workbook's relationships.
#pragma once
#include <string>
#include <vector>

#include "zip_archive.h"

namespace xy::sheets {

struct SheetPart {
  std::string name;  // as the workbook names it
  std::string part;  // the zip entry, "xl/worksheets/sheet1.xml"
};

struct Package {
  std::vector<SheetPart> sheets;  // worksheets in the workbook's order
  bool date1904 = false;
  std::string shared_strings;  // part name, empty if the workbook has none
  std::string styles;          // part name, empty if the workbook has none
};

Result<Package, Localized> read_package(ZipArchive& zip, const Where& file);

// A relationship's target resolved against the folder of the part that holds it
// ("xl/workbook.xml" + "worksheets/sheet1.xml" → "xl/worksheets/sheet1.xml"; "/xl/x.xml" →
// "xl/x.xml").
std::string resolve_target(const std::string& source_part, const std::string& target);

}  // namespace xy::sheets
