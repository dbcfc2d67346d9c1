// What the sheets tests share: the generated inputs, a scratch folder, zip surgery on a workbook.
#pragma once
#include <optional>
#include <string>

#include "xiangyue/common/diagnostic.h"
#include "xiangyue/sheets/read.h"

namespace xy::sheets::test {

// A file made by make_inputs.py (made now if the sheets_inputs fixture has not run).
std::string input(const std::string& name);
// A fresh file name in this process's scratch folder (removed at exit).
std::string scratch(const std::string& name);
// A copy of the workbook `from` with the entry `entry` replaced by `content`, or removed (nullopt).
std::string with_entry(const std::string& from, const std::string& entry,
                       const std::optional<std::string>& content, const std::string& name);
std::string file_text(const std::string& path);
void write_file(const std::string& path, const std::string& bytes);
// Runs a command; its exit status.
int run(const std::string& command);

const Sheet& sheet_named(const Workbook& book, const std::string& name);
// The cell, which must exist.
const Cell& at(const Sheet& sheet, const std::string& ref);

}  // namespace xy::sheets::test
