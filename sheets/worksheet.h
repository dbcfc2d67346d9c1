// Reading one worksheet part into a sparse Sheet: cell values, their kinds and positions.
#pragma once
#include <string>
#include <vector>

#include "package.h"
#include "xiangyue/sheets/read.h"

namespace xy::sheets {

// What the cells of every sheet refer to.
struct WorkbookContext {
  std::vector<std::string> strings;  // shared strings
  std::vector<bool> date_styles;     // per cell style: shows a date
  bool has_styles = false;
  bool date1904 = false;
};

Result<Sheet, Localized> read_worksheet(ZipArchive& zip, const SheetPart& sheet,
                                        const WorkbookContext& context, const Where& file);

}  // namespace xy::sheets
