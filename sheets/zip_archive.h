// An .xlsx file's zip archive, read-only, with a cap on how much it may inflate to (zip bombs).
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "where.h"
#include "xiangyue/common/result.h"

struct zip;

namespace xy::sheets {

inline constexpr std::uint64_t max_inflated_bytes = 512ull << 20;

class ZipArchive {
 public:
  // Refuses, with a reason people can act on, an empty file, an old .xls or encrypted workbook
  // (OLE2), anything else that is not a zip, and a damaged zip.
  static Result<ZipArchive, Localized> open(const Where& file);

  // Part names are case-insensitive (Open Packaging Conventions).
  bool contains(const std::string& name) const;
  // The part's bytes; an error when it is missing, damaged, encrypted or would take the archive's
  // reads past max_inflated_bytes in all.
  Result<std::string, Localized> read(const std::string& name, const Where& where);

 private:
  struct Discard {
    void operator()(zip* z) const;
  };
  std::unique_ptr<zip, Discard> zip_;
  std::uint64_t budget_ = max_inflated_bytes;
};

}  // namespace xy::sheets
