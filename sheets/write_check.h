// What write_xlsx checks before it writes anything: names, texts, numbers and dates Excel takes.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "where.h"
#include "xiangyue/sheets/write.h"

namespace xy::sheets {

// The first thing in `sheets` an .xlsx workbook cannot hold, located; nullopt when all is well.
std::optional<Localized> first_unwritable(const std::vector<OutSheet>& sheets, const Where& file);

// Columns as wide as their widest text: display width (CJK counts 2) plus 2, at least 6, at
// most 60.
std::vector<double> column_widths(const OutSheet& sheet);

// How a cell is shown as text (numbers shortest, dates yyyy-mm-dd); empty for an empty cell.
std::string shown_text(const OutCell& cell);

}  // namespace xy::sheets
