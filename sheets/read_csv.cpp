// read_csv: a CSV file's bytes, its encoding (UTF-8 or GB18030) and its records (RFC 4180).
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "cells.h"
#include "text_encoding.h"
#include "where.h"
#include "xiangyue/sheets/read.h"
#include "zip_archive.h"

namespace xy::sheets {

namespace {

using R = Result<Workbook, Localized>;

Result<std::string, Localized> file_bytes(const Where& file) {
  using B = Result<std::string, Localized>;
  std::error_code ec;
  if (std::filesystem::is_directory(file.file, ec))
    return B::failure(file.says(Localized{"this is a folder, not a file", "这是文件夹，不是文件"}));
  errno = 0;
  std::ifstream in(file.file, std::ios::binary);
  if (!in) {
    std::string why = std::strerror(errno ? errno : ENOENT);
    return B::failure(file.says(Localized{"cannot open the file: " + why, "无法打开文件：" + why}));
  }
  std::string bytes;
  std::array<char, 65536> chunk;
  while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0) {
    bytes.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > max_inflated_bytes)
      return B::failure(file.says(Localized{"the file is larger than 512 MB", "文件超过 512 MB"}));
  }
  if (in.bad()) {
    std::string why = std::strerror(errno ? errno : EIO);
    return B::failure(file.says(Localized{"cannot read the file: " + why, "无法读取文件：" + why}));
  }
  return bytes;
}

std::uint64_t line_at(std::string_view bytes, std::size_t offset) {
  offset = std::min(offset, bytes.size());
  return 1 + static_cast<std::uint64_t>(std::count(bytes.begin(), bytes.begin() + offset, '\n'));
}

std::string hex_byte(unsigned char b) {
  const char* digits = "0123456789ABCDEF";
  return std::string("0x") + digits[b >> 4] + digits[b & 15];
}

// The file's text as UTF-8: as it is when it is UTF-8, else from GB18030.
Result<std::string, Localized> decoded(std::string bytes, const Where& file) {
  using T = Result<std::string, Localized>;
  std::string_view view = bytes;
  if (view.starts_with("\xFF\xFE") || view.starts_with("\xFE\xFF"))
    return T::failure(file.says(Localized{
        "the file is UTF-16 text (Excel's \"Unicode Text\"); save it as \"CSV UTF-8\" or as an "
        ".xlsx workbook",
        "文件是 UTF-16 文本（Excel 的“Unicode 文本”）；请另存为“CSV UTF-8”或 .xlsx 工作簿"}));
  bool bom = view.starts_with("\xEF\xBB\xBF");
  if (bom) view.remove_prefix(3);
  std::size_t bad = first_invalid_utf8(view);
  if (bad == std::string_view::npos) return std::string(view);
  if (bom) {
    std::string b = hex_byte(static_cast<unsigned char>(view[bad]));
    return T::failure(
        file.at_line(line_at(bytes, bad + 3))
            .says(Localized{"the file begins as UTF-8 but this line is not UTF-8 "
                            "(byte " +
                                b + ")",
                            "文件以 UTF-8 标记开头，但这一行不是 UTF-8（字节 " + b + "）"}));
  }
  auto gb = gb18030_to_utf8(view);
  if (!gb) {
    std::size_t at = std::min(gb.error(), view.size() - 1);
    std::string b = hex_byte(static_cast<unsigned char>(view[at]));
    return T::failure(file.at_line(line_at(view, at))
                          .says(Localized{"the text is neither UTF-8 nor GB18030 (byte " + b +
                                              "); save the file as \"CSV UTF-8\"",
                                          "文本既不是 UTF-8 也不是 GB18030（字节 " + b +
                                              "）；请将文件另存为“CSV UTF-8”"}));
  }
  return std::move(*gb);
}

// RFC 4180 records; row n is the n-th record, empty fields left out.
R parse(std::string_view text, Sheet sheet, Workbook book, const Where& file) {
  std::uint32_t record = 1, column = 1;
  std::uint64_t line = 1;
  std::vector<Cell> cells;
  auto finish_record = [&] {
    if (!cells.empty()) sheet.rows.push_back(Row{record, std::move(cells)});
    cells.clear();
    ++record;
    column = 1;
  };
  auto at = [&](std::uint64_t l) {
    return file.at_line(l).at_cell(column_name(column) + std::to_string(record));
  };
  std::size_t i = 0;
  while (i < text.size()) {
    std::string field;
    if (text[i] == '"') {
      std::uint64_t opened = line;
      for (++i;; ++i) {
        if (i >= text.size())
          return R::failure(at(opened).says(Localized{
              "a quoted field begins on this line and is never closed (a closing \" is missing)",
              "带引号的字段从这一行开始，却没有结束（缺少结尾的 \"）"}));
        char c = text[i];
        if (c == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            ++i;
            continue;
          }
          ++i;
          break;
        }
        if (c == '\n' || (c == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) ++line;
        field += c;
      }
      if (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n')
        return R::failure(at(line).says(Localized{
            "text follows the closing quote of a field (a quote inside a quoted field is written "
            "twice: \"\")",
            "字段的结尾引号后还有文字（带引号的字段中的引号应写成两个：\"\"）"}));
    } else {
      std::size_t end = text.find_first_of(",\r\n", i);
      if (end == std::string_view::npos) end = text.size();
      field.assign(text.substr(i, end - i));
      i = end;
    }
    if (!field.empty()) {
      Cell cell;
      cell.kind = Cell::Kind::Text;
      cell.text = std::move(field);
      cell.row = record;
      cell.column = column;
      cells.push_back(std::move(cell));
    }
    if (i >= text.size()) break;
    if (text[i] == ',') {
      ++i;
      ++column;
      continue;
    }
    i += text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n' ? 2 : 1;
    ++line;
    finish_record();
  }
  if (!cells.empty()) finish_record();
  book.sheets.push_back(std::move(sheet));
  return book;
}

}  // namespace

Result<Workbook, Localized> read_csv(const std::string& path) {
  Where file{path};
  auto bytes = file_bytes(file);
  if (!bytes) return R::failure(bytes.error());
  auto text = decoded(std::move(*bytes), file);
  if (!text) return R::failure(text.error());
  Workbook book;
  book.path = path;
  Sheet sheet;
  sheet.name = replacing_invalid_utf8(std::filesystem::path(path).stem().string());
  return parse(*text, std::move(sheet), std::move(book), file);
}

}  // namespace xy::sheets
