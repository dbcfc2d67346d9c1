// Reading an .xlsx file's zip archive with libzip, within a total inflated size (zip_archive.h).
#include "zip_archive.h"

#include <zip.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>

namespace xy::sheets {

namespace {

struct FileClose {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

std::string libzip_says(int code) {
  zip_error_t e;
  zip_error_init_with_code(&e, code);
  std::string s = zip_error_strerror(&e);
  zip_error_fini(&e);
  return s;
}

std::string libzip_says(zip_error_t* e) {
  return zip_error_strerror(e);
}

// What the first bytes say the file is, when it cannot be an .xlsx workbook.
std::optional<Localized> not_a_zip(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return Localized{"this is a folder, not a file", "这是文件夹，不是文件"};
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::string why = std::strerror(errno ? errno : ENOENT);
    return Localized{"cannot open the file: " + why, "无法打开文件：" + why};
  }
  std::array<unsigned char, 8> head{};
  in.read(reinterpret_cast<char*>(head.data()), head.size());
  auto got = static_cast<std::size_t>(in.gcount());
  if (got == 0) return Localized{"the file is empty", "文件是空的"};
  static constexpr std::array<unsigned char, 8> ole2{0xD0, 0xCF, 0x11, 0xE0,
                                                     0xA1, 0xB1, 0x1A, 0xE1};
  if (got == 8 && head == ole2)
    return Localized{
        "this is an Excel 97-2003 (.xls) workbook or a password-protected one; open it in Excel "
        "or WPS and save it as an .xlsx workbook without a password",
        "这是 Excel 97-2003（.xls）工作簿或设有密码的工作簿；请用 Excel 或 WPS "
        "打开，另存为不设密码的 "
        ".xlsx 工作簿"};
  if (got < 4 || head[0] != 'P' || head[1] != 'K')
    return Localized{"not an .xlsx workbook (an .xlsx file is a zip archive; this one is not)",
                     "不是 .xlsx 工作簿（.xlsx 文件是 zip 压缩包，此文件不是）"};
  return {};
}

}  // namespace

void ZipArchive::Discard::operator()(zip* z) const {
  zip_discard(z);
}

Result<ZipArchive, Localized> ZipArchive::open(const Where& file) {
  using R = Result<ZipArchive, Localized>;
  if (auto why = not_a_zip(file.file)) return R::failure(file.says(*why));
  int code = 0;
  zip_t* z = zip_open(file.file.c_str(), ZIP_RDONLY, &code);
  if (!z) {
    std::string detail = libzip_says(code);
    Localized why =
        code == ZIP_ER_NOZIP || code == ZIP_ER_INCONS || code == ZIP_ER_CRC || code == ZIP_ER_EOF
            ? Localized{"the zip archive is damaged or cut short (" + detail + ")",
                        "zip 压缩包已损坏或不完整（" + detail + "）"}
            : Localized{"cannot open the zip archive: " + detail, "无法打开 zip 压缩包：" + detail};
    return R::failure(file.says(why));
  }
  ZipArchive a;
  a.zip_.reset(z);
  return a;
}

bool ZipArchive::contains(const std::string& name) const {
  return zip_name_locate(zip_.get(), name.c_str(), ZIP_FL_NOCASE) >= 0;
}

Result<std::string, Localized> ZipArchive::read(const std::string& name, const Where& where) {
  using R = Result<std::string, Localized>;
  zip_int64_t index = zip_name_locate(zip_.get(), name.c_str(), ZIP_FL_NOCASE);
  if (index < 0)
    return R::failure(where.says(Localized{"the workbook has no part `" + shown(name) + "`",
                                           "工作簿缺少部件 `" + shown(name) + "`"}));
  auto i = static_cast<zip_uint64_t>(index);
  auto too_big = [&] {
    return R::failure(where.says(Localized{
        "the workbook inflates to more than 512 MB (reading `" + shown(name) +
            "`); refused as a possible zip bomb",
        "工作簿解压后超过 512 MB（读取 `" + shown(name) + "` 时）；疑为 zip 炸弹，拒绝读取"}));
  };
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(zip_.get(), i, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) && st.size > budget_)
    return too_big();
  std::unique_ptr<zip_file_t, FileClose> f(zip_fopen_index(zip_.get(), i, 0));
  if (!f) {
    zip_error_t* e = zip_get_error(zip_.get());
    int code = zip_error_code_zip(e);
    std::string detail = libzip_says(e);
    Localized why = code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD
                        ? Localized{"the part `" + shown(name) + "` is encrypted",
                                    "部件 `" + shown(name) + "` 已加密"}
                        : Localized{"cannot open the part `" + shown(name) + "`: " + detail,
                                    "无法打开部件 `" + shown(name) + "`：" + detail};
    return R::failure(where.says(why));
  }
  std::string bytes;
  if (st.valid & ZIP_STAT_SIZE)
    bytes.reserve(static_cast<std::size_t>(std::min<zip_uint64_t>(st.size, 16u << 20)));
  std::array<char, 65536> chunk;
  for (;;) {
    zip_int64_t n = zip_fread(f.get(), chunk.data(), chunk.size());
    if (n < 0) {
      std::string detail = libzip_says(zip_file_get_error(f.get()));
      return R::failure(
          where.says(Localized{"the part `" + shown(name) + "` is damaged (" + detail + ")",
                               "部件 `" + shown(name) + "` 已损坏（" + detail + "）"}));
    }
    if (n == 0) break;
    if (static_cast<std::uint64_t>(n) > budget_) return too_big();
    budget_ -= static_cast<std::uint64_t>(n);
    bytes.append(chunk.data(), static_cast<std::size_t>(n));
  }
  return bytes;
}

}  // namespace xy::sheets
