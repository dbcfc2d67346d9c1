// A workbook's shared strings (xl/sharedStrings.xml), which text cells refer to by index.
#pragma once
#include <string>
#include <vector>

#include "zip_archive.h"

namespace xy::sheets {

// Each <si>'s text (rich-text runs joined); empty when `part` is empty (the workbook has none).
Result<std::vector<std::string>, Localized> read_shared_strings(ZipArchive& zip,
                                                                const std::string& part,
                                                                const Where& file);

}  // namespace xy::sheets
