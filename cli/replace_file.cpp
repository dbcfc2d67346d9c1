// Writes beside the file, then renames over it (replace_file.h).
#include "replace_file.h"

#include <filesystem>
#include <fstream>

namespace xy::cli {

namespace fs = std::filesystem;

bool replace_file(const std::string& path, const std::string& text, std::string* reason) {
  std::string tmp = path + ".xy-tmp";
  std::error_code ec;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      fs::remove(tmp, ec);
      return false;
    }
  }
  fs::rename(tmp, path, ec);
  if (!ec) return true;
  if (reason) *reason = ec.message();
  fs::remove(tmp, ec);
  return false;
}

}  // namespace xy::cli
