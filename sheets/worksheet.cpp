// Reading a worksheet part (worksheet.h): rows and cells by their references or, without them, by
// their order; each cell's value by its type (t) and, for numbers, its style's number format (s).
#include "worksheet.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

#include "cells.h"
#include "number_format.h"
#include "x_escapes.h"
#include "xml.h"

namespace xy::sheets {

namespace {

using CellResult = Result<std::optional<Cell>, Localized>;

std::string_view trimmed(std::string_view s) {
  auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

std::optional<double> parse_number(std::string_view text) {
  text = trimmed(text);
  double n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (end != text.data() + text.size() || text.empty()) return {};
  if (ec == std::errc::result_out_of_range) {  // too small is 0; too large is no number
    auto exponent = text.find_first_of("eE");
    if (exponent == std::string_view::npos || text.substr(exponent + 1, 1) != "-") return {};
    return text.front() == '-' ? -0.0 : 0.0;
  }
  if (ec != std::errc() || !std::isfinite(n)) return {};
  return n;
}

std::optional<std::uint32_t> parse_count(std::string_view text) {
  text = trimmed(text);
  std::uint32_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size()) return {};
  return n;
}

CellResult fail(const Where& where, std::string en, std::string zh) {
  return CellResult::failure(where.says(Localized{std::move(en), std::move(zh)}));
}

CellResult text_cell(Cell cell, std::string text, Cell::Kind kind, const Where& where) {
  if (text.empty()) return std::optional<Cell>();
  if (!valid_utf8(text)) return fail(where, "the text is not valid UTF-8", "文本不是有效的 UTF-8");
  cell.kind = kind;
  cell.text = std::move(text);
  return std::optional<Cell>(std::move(cell));
}

// The value of one <c>; nullopt when it holds none (an empty, merely formatted cell).
CellResult cell_value(const pugi::xml_node& c, Cell cell, const WorkbookContext& context,
                      const Where& where) {
  std::string_view type = c.attribute("t") ? c.attribute("t").value() : "n";
  pugi::xml_node v = child(c, "v");
  if (type == "inlineStr") {
    pugi::xml_node is = child(c, "is");
    std::string text = is ? string_item_text(is) : unescape_x(v.text().get());
    return text_cell(std::move(cell), std::move(text), Cell::Kind::Text, where);
  }
  // A formula without a value, or with an empty one that is not an empty text result.
  if (!v || (trimmed(v.text().get()).empty() && type != "str")) {
    if (child(c, "f"))
      return fail(
          where,
          "the cell holds a formula with no saved result (the program that wrote the "
          "file does not compute formulas); open the file in Excel or WPS and save it",
          "单元格是公式，但文件中没有保存计算结果（写出该文件的程序不计算公式）；请用 Excel 或 "
          "WPS 打开后保存");
    return std::optional<Cell>();
  }
  std::string_view value = v.text().get();
  if (type == "s") {
    auto index = parse_count(value);
    if (!index)
      return fail(where, "the shared string index `" + shown(value) + "` is not a number",
                  "共享字符串序号 `" + shown(value) + "` 不是数字");
    if (*index >= context.strings.size())
      return fail(where,
                  "shared string " + std::to_string(*index) + " does not exist (the workbook has " +
                      std::to_string(context.strings.size()) + ")",
                  "共享字符串 " + std::to_string(*index) + " 不存在（工作簿共有 " +
                      std::to_string(context.strings.size()) + " 个）");
    return text_cell(std::move(cell), context.strings[*index], Cell::Kind::Text, where);
  }
  if (type == "str") return text_cell(std::move(cell), unescape_x(value), Cell::Kind::Text, where);
  if (type == "e") return text_cell(std::move(cell), std::string(value), Cell::Kind::Error, where);
  if (type == "b") {
    std::string_view b = trimmed(value);
    if (b != "0" && b != "1" && b != "true" && b != "false")
      return fail(where, "the logical value `" + shown(value) + "` is neither 0 nor 1",
                  "逻辑值 `" + shown(value) + "` 既不是 0 也不是 1");
    cell.kind = Cell::Kind::Bool;
    cell.boolean = b == "1" || b == "true";
    cell.text = cell.boolean ? "TRUE" : "FALSE";
    return std::optional<Cell>(std::move(cell));
  }
  if (type == "d") {
    if (trimmed(value).empty()) return std::optional<Cell>();
    auto date = parse_iso_date(trimmed(value));
    if (!date)
      return fail(where, "the date `" + shown(value) + "` is not an ISO 8601 date",
                  "日期 `" + shown(value) + "` 不是 ISO 8601 日期");
    cell.kind = Cell::Kind::Date;
    cell.date = *date;
    cell.number = date_serial(*date).value_or(0);
    cell.text = date->to_string();
    return std::optional<Cell>(std::move(cell));
  }
  if (type != "n")
    return fail(where, "the cell type `" + shown(type) + "` is unknown",
                "单元格类型 `" + shown(type) + "` 无法识别");
  if (trimmed(value).empty()) return std::optional<Cell>();
  auto number = parse_number(value);
  if (!number)
    return fail(where, "the number `" + shown(value) + "` is not a number",
                "数值 `" + shown(value) + "` 不是数字");
  cell.kind = Cell::Kind::Number;
  cell.number = *number;
  cell.text = number_text(*number);
  bool date_style = false;
  if (context.has_styles) {
    auto style = c.attribute("s") ? parse_count(c.attribute("s").value()) : 0u;
    if (!style || (*style >= context.date_styles.size() && *style != 0))
      return fail(where, "the cell style `" + shown(c.attribute("s").value()) + "` does not exist",
                  "单元格样式 `" + shown(c.attribute("s").value()) + "` 不存在");
    date_style = *style < context.date_styles.size() && context.date_styles[*style];
  }
  if (date_style) {
    if (auto date = serial_date(*number, context.date1904)) {
      cell.kind = Cell::Kind::Date;
      cell.date = *date;
      cell.text = date->to_string();
    }
  }
  return std::optional<Cell>(std::move(cell));
}

Result<std::vector<Range>, Localized> merged_ranges(const pugi::xml_node& top, const Where& where) {
  using R = Result<std::vector<Range>, Localized>;
  std::vector<Range> out;
  for (pugi::xml_node m : child(top, "mergeCells").children()) {
    if (m.type() != pugi::node_element || local_name(m) != "mergeCell") continue;
    std::string_view ref = m.attribute("ref").value();
    auto colon = ref.find(':');
    auto a = parse_ref(ref.substr(0, colon));
    auto b = colon == std::string_view::npos ? a : parse_ref(ref.substr(colon + 1));
    if (!a || !b)
      return R::failure(where.says(Localized{"the merged area `" + shown(ref) + "` is not valid",
                                             "合并区域 `" + shown(ref) + "` 无效"}));
    out.push_back(Range{std::min(a->row, b->row), std::min(a->column, b->column),
                        std::max(a->row, b->row), std::max(a->column, b->column)});
  }
  return out;
}

}  // namespace

Result<Sheet, Localized> read_worksheet(ZipArchive& zip, const SheetPart& part,
                                        const WorkbookContext& context, const Where& file) {
  using R = Result<Sheet, Localized>;
  Where where = file.in_sheet(part.name, part.part);
  auto doc = read_xml(zip, part.part, where);
  if (!doc) return R::failure(doc.error());
  pugi::xml_node top = (*doc)->document_element();

  std::vector<Cell> cells;
  std::uint32_t row = 0;
  for (pugi::xml_node r : child(top, "sheetData").children()) {
    if (r.type() != pugi::node_element || local_name(r) != "row") continue;
    if (pugi::xml_attribute a = r.attribute("r")) {
      auto n = parse_count(a.value());
      if (!n || *n == 0 || *n > max_rows)
        return R::failure(
            where.says(Localized{"the row number `" + shown(a.value()) + "` is not valid",
                                 "行号 `" + shown(a.value()) + "` 无效"}));
      row = *n;
    } else if (++row > max_rows) {
      return R::failure(where.says(
          Localized{"the sheet has more than 1,048,576 rows", "工作表超过 1,048,576 行"}));
    }
    std::uint32_t column = 0;
    for (pugi::xml_node c : r.children()) {
      if (c.type() != pugi::node_element || local_name(c) != "c") continue;
      Cell cell;
      cell.row = row;
      if (pugi::xml_attribute a = c.attribute("r")) {
        auto ref = parse_ref(a.value());
        if (!ref)
          return R::failure(where.says(Localized{
              "the cell reference `" + shown(a.value()) + "` is not valid (row " +
                  std::to_string(row) + ")",
              "单元格引用 `" + shown(a.value()) + "` 无效（第 " + std::to_string(row) + " 行）"}));
        if (ref->row != row)
          return R::failure(
              where.at_cell(std::string(a.value()))
                  .says(Localized{"the cell is listed in row " + std::to_string(row),
                                  "该单元格却列在第 " + std::to_string(row) + " 行"}));
        column = ref->column;
      } else if (++column > max_columns) {
        return R::failure(
            where.says(Localized{"row " + std::to_string(row) + " has more than 16,384 columns",
                                 "第 " + std::to_string(row) + " 行超过 16,384 列"}));
      }
      cell.column = column;
      auto value = cell_value(c, cell, context, where.at_cell(cell.ref()));
      if (!value) return R::failure(value.error());
      if (*value) cells.push_back(std::move(**value));
    }
  }
  std::stable_sort(cells.begin(), cells.end(), [](const Cell& a, const Cell& b) {
    return a.row != b.row ? a.row < b.row : a.column < b.column;
  });
  Sheet sheet;
  sheet.name = part.name;
  for (auto& cell : cells) {
    if (sheet.rows.empty() || sheet.rows.back().number != cell.row)
      sheet.rows.push_back(Row{cell.row, {}});
    auto& row_cells = sheet.rows.back().cells;
    if (!row_cells.empty() && row_cells.back().column == cell.column)
      return R::failure(where.at_cell(cell.ref())
                            .says(Localized{"the cell is given twice", "该单元格出现了两次"}));
    row_cells.push_back(std::move(cell));
  }
  auto merged = merged_ranges(top, where);
  if (!merged) return R::failure(merged.error());
  sheet.merged = std::move(*merged);
  return sheet;
}

}  // namespace xy::sheets
