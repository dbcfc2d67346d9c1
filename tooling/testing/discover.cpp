// Finding policy sets and their test tables on disk (shared by `xy test` and `xy serve`).
#include <algorithm>
#include <filesystem>

#include "xiangyue/tooling/policy_test.h"

namespace xy::policytest {
namespace fs = std::filesystem;

namespace {

bool has_xy(const fs::path& dir, bool recursive) {
  std::error_code ec;
  if (recursive) {
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      if (it->is_regular_file(ec) && it->path().extension() == ".xy") return true;
  } else {
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      if (it->is_regular_file(ec) && it->path().extension() == ".xy") return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> find_sets(const std::string& path) {
  if (has_xy(path, false)) return {path};
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_directory(ec) && has_xy(it->path(), true)) out.push_back(it->path().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> test_files(const std::string& set) {
  std::vector<std::string> out;
  std::error_code ec;
  fs::path dir = fs::path(set) / "tests";
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec) && it->path().extension() == ".md")
      out.push_back(it->path().string());
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::vector<Case>, TableError> read_set_tables(const std::string& set) {
  std::vector<Case> cases;
  for (const auto& file : test_files(set)) {
    auto read = read_tables(file);
    if (!read) return Result<std::vector<Case>, TableError>::failure(read.error());
    for (auto& c : *read) cases.push_back(std::move(c));
  }
  return cases;
}

}  // namespace xy::policytest
