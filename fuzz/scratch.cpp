// The fuzz process's temporary folder (scratch.h).
#include "scratch.h"

#include <cstdlib>
#include <filesystem>

#include "check.h"

namespace xy::fuzz {

namespace {
std::string& made() {
  static std::string dir;
  return dir;
}
}  // namespace

std::string scratch_dir() {
  if (!made().empty()) return made();
  namespace fs = std::filesystem;
  std::string pattern = (fs::temp_directory_path() / "xy-fuzz-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) fail("cannot make a temporary folder", pattern);
  made() = pattern;
  std::atexit([] {
    std::error_code ec;
    fs::remove_all(made(), ec);
  });
  return made();
}

}  // namespace xy::fuzz
