// Checks and column widths for writing workbooks (write_check.h).
#include "write_check.h"

#include <algorithm>
#include <cmath>

#include "cells.h"
#include "number_format.h"
#include "xiangyue/sheets/read.h"

namespace xy::sheets {

namespace {

inline constexpr std::size_t max_text_chars = 32767;

std::size_t chars(const std::string& utf8) {
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string folded(const std::string& s) {
  std::string out = s;
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::optional<Localized> bad_name(const std::string& name) {
  if (name.empty()) return Localized{"a sheet's name is empty", "工作表名称为空"};
  if (!valid_utf8(name))
    return Localized{"the sheet name is not valid UTF-8", "工作表名称不是有效的 UTF-8"};
  if (chars(name) > 31)
    return Localized{"the sheet name is longer than 31 characters", "工作表名称超过 31 个字符"};
  if (name.find_first_of("[]:*?/\\") != std::string::npos)
    return Localized{"a sheet name may not hold any of [ ] : * ? / \\",
                     "工作表名称不能含有 [ ] : * ? / \\ 中的字符"};
  if (std::any_of(name.begin(), name.end(), [](char c) { return c >= 0 && c < 0x20; }))
    return Localized{"a sheet name may not hold control characters", "工作表名称不能含有控制字符"};
  if (name.front() == '\'' || name.back() == '\'')
    return Localized{"a sheet name may not begin or end with an apostrophe (')",
                     "工作表名称不能以撇号（'）开头或结尾"};
  return {};
}

std::optional<Localized> bad_text(const std::string& text) {
  if (!valid_utf8(text)) return Localized{"the text is not valid UTF-8", "文本不是有效的 UTF-8"};
  if (chars(text) > max_text_chars)
    return Localized{"the text is longer than the 32,767 characters a cell holds",
                     "文本超过单元格可容纳的 32,767 个字符"};
  return {};
}

std::optional<Localized> bad_cell(const OutCell& cell) {
  switch (cell.kind) {
    case OutCell::Kind::Empty:
      return {};
    case OutCell::Kind::Text:
      return bad_text(cell.text);
    case OutCell::Kind::Number:
      if (!std::isfinite(cell.number))
        return Localized{"the number is not finite", "数值不是有限数"};
      if (std::fabs(cell.number) > 9.99999999999999e307)
        return Localized{"the number is larger than Excel's largest, 9.99999999999999E+307",
                         "数值超过 Excel 的上限 9.99999999999999E+307"};
      return {};
    case OutCell::Kind::Date:
      if (!date_serial(cell.date))
        return Localized{
            "dates before 1900-01-01 cannot be written as Excel dates (" + cell.date.to_string() +
                ")",
            "1900-01-01 以前的日期不能写成 Excel 日期（" + cell.date.to_string() + "）"};
      return {};
  }
  return {};
}

}  // namespace

std::optional<Localized> first_unwritable(const std::vector<OutSheet>& sheets, const Where& file) {
  if (sheets.empty())
    return file.says(Localized{"a workbook needs at least one sheet", "工作簿至少要有一个工作表"});
  std::vector<std::string> seen;
  for (const auto& sheet : sheets) {
    Where where = file.in_sheet(sheet.name, "");
    if (auto why = bad_name(sheet.name)) return where.says(*why);
    if (std::find(seen.begin(), seen.end(), folded(sheet.name)) != seen.end())
      return where.says(Localized{"two sheets have this name", "有两个工作表同名"});
    seen.push_back(folded(sheet.name));
    if (sheet.rows.size() + 1 > max_rows)
      return where.says(
          Localized{"more than 1,048,576 rows with the header", "连同表头超过 1,048,576 行"});
    for (std::size_t c = 0; c < sheet.header.size(); ++c) {
      if (c >= max_columns)
        return where.says(Localized{"more than 16,384 columns", "超过 16,384 列"});
      if (auto why = bad_text(sheet.header[c]))
        return where.at_cell(column_name(static_cast<std::uint32_t>(c + 1)) + "1").says(*why);
    }
    for (std::size_t r = 0; r < sheet.rows.size(); ++r) {
      const auto& row = sheet.rows[r];
      if (row.size() > max_columns)
        return where.says(Localized{"more than 16,384 columns", "超过 16,384 列"});
      for (std::size_t c = 0; c < row.size(); ++c)
        if (auto why = bad_cell(row[c]))
          return where
              .at_cell(column_name(static_cast<std::uint32_t>(c + 1)) + std::to_string(r + 2))
              .says(*why);
    }
  }
  return {};
}

std::string shown_text(const OutCell& cell) {
  switch (cell.kind) {
    case OutCell::Kind::Empty:
      return {};
    case OutCell::Kind::Text:
      return cell.text;
    case OutCell::Kind::Number:
      return number_text(cell.number);
    case OutCell::Kind::Date:
      return cell.date.to_string();
  }
  return {};
}

std::vector<double> column_widths(const OutSheet& sheet) {
  std::vector<std::size_t> widest(sheet.header.size(), 0);
  auto fit = [&](std::size_t column, const std::string& text) {
    if (widest.size() <= column) widest.resize(column + 1, 0);
    std::size_t start = 0;
    while (start <= text.size()) {  // the widest line of the text
      auto end = std::min(text.find('\n', start), text.size());
      widest[column] = std::max(widest[column], display_width(text.substr(start, end - start)));
      start = end + 1;
    }
  };
  for (std::size_t c = 0; c < sheet.header.size(); ++c) fit(c, sheet.header[c]);
  for (const auto& row : sheet.rows)
    for (std::size_t c = 0; c < row.size(); ++c) fit(c, shown_text(row[c]));
  std::vector<double> widths;
  for (std::size_t w : widest)
    widths.push_back(static_cast<double>(std::clamp<std::size_t>(w + 2, 6, 60)));
  return widths;
}

}  // namespace xy::sheets
