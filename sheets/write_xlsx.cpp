// write_xlsx through libxlsxwriter: checked first, written beside the target, then renamed over it.
#include <unistd.h>
#include <xlsxwriter.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "number_format.h"
#include "write_check.h"
#include "x_escapes.h"

namespace xy::sheets {

namespace {

using R = Result<bool, Localized>;

struct WorkbookFree {
  void operator()(lxw_workbook* wb) const { lxw_workbook_free(wb); }
};
using WorkbookPtr = std::unique_ptr<lxw_workbook, WorkbookFree>;

Localized library_says(const Where& where, lxw_error e) {
  std::string detail = lxw_strerror(e);
  return where.says(
      Localized{"cannot write the workbook (" + detail + ")", "无法写出工作簿（" + detail + "）"});
}

// Writes every sheet into `wb`; the workbook is not closed here.
std::optional<Localized> fill(lxw_workbook* wb, const std::vector<OutSheet>& sheets,
                              const Where& file) {
  lxw_format* bold = workbook_add_format(wb);
  lxw_format* day = workbook_add_format(wb);
  if (!bold || !day) return library_says(file, LXW_ERROR_MEMORY_MALLOC_FAILED);
  format_set_bold(bold);
  format_set_num_format(day, "yyyy-mm-dd");
  for (const auto& sheet : sheets) {
    Where where = file.in_sheet(sheet.name, "");
    lxw_worksheet* ws = workbook_add_worksheet(wb, sheet.name.c_str());
    if (!ws) return library_says(where, LXW_ERROR_PARAMETER_VALIDATION);
    std::size_t columns = sheet.header.size();
    for (std::size_t c = 0; c < sheet.header.size(); ++c) {
      if (sheet.header[c].empty()) continue;
      lxw_error e = worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c),
                                           escape_x(sheet.header[c]).c_str(), bold);
      if (e != LXW_NO_ERROR) return library_says(where, e);
    }
    for (std::size_t r = 0; r < sheet.rows.size(); ++r) {
      columns = std::max(columns, sheet.rows[r].size());
      for (std::size_t c = 0; c < sheet.rows[r].size(); ++c) {
        const OutCell& cell = sheet.rows[r][c];
        auto row = static_cast<lxw_row_t>(r + 1);
        auto col = static_cast<lxw_col_t>(c);
        lxw_error e = LXW_NO_ERROR;
        switch (cell.kind) {
          case OutCell::Kind::Empty:
            break;
          case OutCell::Kind::Text:
            if (!cell.text.empty())
              e = worksheet_write_string(ws, row, col, escape_x(cell.text).c_str(), nullptr);
            break;
          case OutCell::Kind::Number:
            e = worksheet_write_number(ws, row, col, cell.number, nullptr);
            break;
          case OutCell::Kind::Date:
            e = worksheet_write_number(ws, row, col, *date_serial(cell.date), day);
            break;
        }
        if (e != LXW_NO_ERROR) return library_says(where, e);
      }
    }
    std::vector<double> widths = column_widths(sheet);
    for (std::size_t c = 0; c < widths.size(); ++c)
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), widths[c],
                           nullptr);
    worksheet_freeze_panes(ws, 1, 0);
    if (columns > 0)
      worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(sheet.rows.size()),
                           static_cast<lxw_col_t>(columns - 1));
  }
  return {};
}

}  // namespace

Result<bool, Localized> write_xlsx(const std::string& path, const std::vector<OutSheet>& sheets) {
  Where file{path};
  if (auto why = first_unwritable(sheets, file)) return R::failure(*why);
  // A name beside the target, so the rename that puts it in place stays on one file system;
  // created here (with the usual permissions, unlike mkstemp's 0600) so that a folder we cannot
  // write to is reported before anything is done.
  static std::atomic<int> made{0};
  std::string temp = path + ".partial-" + std::to_string(::getpid()) + "-" + std::to_string(++made);
  std::FILE* probe = std::fopen(temp.c_str(), "wb");
  if (!probe) {
    std::string why = std::strerror(errno);
    return R::failure(
        file.says(Localized{"cannot create the file: " + why, "无法创建文件：" + why}));
  }
  std::fclose(probe);
  auto fail = [&](Localized why) {
    std::remove(temp.c_str());
    return R::failure(std::move(why));
  };
  WorkbookPtr wb(workbook_new(temp.c_str()));
  if (!wb) return fail(library_says(file, LXW_ERROR_MEMORY_MALLOC_FAILED));
  if (auto why = fill(wb.get(), sheets, file)) return fail(*why);
  lxw_error closed = workbook_close(wb.release());  // frees the workbook whatever it returns
  if (closed != LXW_NO_ERROR) return fail(library_says(file, closed));
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::string why = std::strerror(errno);
    return fail(file.says(
        Localized{"cannot put the workbook in place: " + why, "无法将工作簿放到目标位置：" + why}));
  }
  return true;
}

}  // namespace xy::sheets
