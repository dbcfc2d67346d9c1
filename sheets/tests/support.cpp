// The sheets tests' shared helpers (support.h).
#include "support.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <zip.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cells.h"

namespace xy::sheets::test {

namespace fs = std::filesystem;

std::string input(const std::string& name) {
  static const bool made = [] {
    if (fs::exists(fs::path(XY_SHEETS_INPUTS) / "done")) return true;
    return run("/usr/bin/python3 " XY_SHEETS_SCRIPTS "/make_inputs.py " XY_SHEETS_INPUTS) == 0;
  }();
  REQUIRE(made);
  return (fs::path(XY_SHEETS_INPUTS) / name).string();
}

std::string scratch(const std::string& name) {
  static const std::string dir = [] {
    std::string pattern = (fs::temp_directory_path() / "xy-sheets-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    static std::string made = pattern;
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(made, ec);
    });
    return pattern;
  }();
  return (fs::path(dir) / name).string();
}

std::string with_entry(const std::string& from, const std::string& entry,
                       const std::optional<std::string>& content, const std::string& name) {
  std::string to = scratch(name);
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  int error = 0;
  zip_t* z = zip_open(to.c_str(), 0, &error);
  REQUIRE(z != nullptr);
  zip_int64_t index = zip_name_locate(z, entry.c_str(), 0);
  if (!content) {
    REQUIRE(index >= 0);
    REQUIRE(zip_delete(z, static_cast<zip_uint64_t>(index)) == 0);
  } else {
    // The source keeps a copy of the bytes; libzip frees it when the archive is written.
    void* copy = std::malloc(content->size() + 1);
    REQUIRE(copy != nullptr);
    std::memcpy(copy, content->data(), content->size());
    zip_source_t* src = zip_source_buffer(z, copy, content->size(), 1);
    REQUIRE(src != nullptr);
    if (zip_file_add(z, entry.c_str(), src, ZIP_FL_OVERWRITE) < 0) {
      zip_source_free(src);
      FAIL("cannot replace " << entry);
    }
  }
  REQUIRE(zip_close(z) == 0);
  return to;
}

std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  REQUIRE(out.good());
}

int run(const std::string& command) {
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const Sheet& sheet_named(const Workbook& book, const std::string& name) {
  for (const auto& s : book.sheets)
    if (s.name == name) return s;
  FAIL("no sheet " << name);
  static const Sheet none;
  return none;
}

const Cell& at(const Sheet& sheet, const std::string& ref) {
  auto r = parse_ref(ref);
  REQUIRE(r);
  const Cell* c = sheet.find(r->row, r->column);
  INFO("cell " << ref << " of sheet " << sheet.name);
  REQUIRE(c != nullptr);
  return *c;
}

}  // namespace xy::sheets::test
