// read_xlsx: a workbook's package, shared strings, styles and worksheets; read_table by extension.
#include <algorithm>
#include <filesystem>

#include "package.h"
#include "shared_strings.h"
#include "styles.h"
#include "worksheet.h"
#include "xiangyue/sheets/read.h"

namespace xy::sheets {

Result<Workbook, Localized> read_xlsx(const std::string& path) {
  using R = Result<Workbook, Localized>;
  Where file{path};
  auto zip = ZipArchive::open(file);
  if (!zip) return R::failure(zip.error());
  auto package = read_package(*zip, file);
  if (!package) return R::failure(package.error());
  WorkbookContext context;
  context.date1904 = package->date1904;
  context.has_styles = !package->styles.empty();
  auto strings = read_shared_strings(*zip, package->shared_strings, file);
  if (!strings) return R::failure(strings.error());
  context.strings = std::move(*strings);
  auto styles = read_date_styles(*zip, package->styles, file);
  if (!styles) return R::failure(styles.error());
  context.date_styles = std::move(*styles);

  Workbook book;
  book.path = path;
  for (const auto& part : package->sheets) {
    auto sheet = read_worksheet(*zip, part, context, file);
    if (!sheet) return R::failure(sheet.error());
    book.sheets.push_back(std::move(*sheet));
  }
  return book;
}

Result<Workbook, Localized> read_table(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  if (ext == ".xlsx") return read_xlsx(path);
  if (ext == ".csv") return read_csv(path);
  Where file{path};
  if (ext == ".xls" || ext == ".et")
    return Result<Workbook, Localized>::failure(file.says(Localized{
        "old-format workbooks (" + ext +
            ") are not read; open it in Excel or WPS and save it "
            "as an .xlsx workbook",
        "不读取旧格式工作簿（" + ext + "）；请用 Excel 或 WPS 打开，另存为 .xlsx 工作簿"}));
  return Result<Workbook, Localized>::failure(file.says(Localized{
      "only .xlsx workbooks and .csv files are read", "只读取 .xlsx 工作簿和 .csv 文件"}));
}

}  // namespace xy::sheets
