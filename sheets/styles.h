// A workbook's cell styles, as far as reading values needs them: which ones show dates.
#pragma once
#include <string>
#include <vector>

#include "zip_archive.h"

namespace xy::sheets {

// For each cell style (a cell's `s`, an index into <cellXfs>), whether its number format is a
// date format. Empty when the workbook has no styles part (`part` empty).
Result<std::vector<bool>, Localized> read_date_styles(ZipArchive& zip, const std::string& part,
                                                      const Where& file);

}  // namespace xy::sheets
