// The compiler driver: collects policy files, parses each, checks the whole set, builds the bundle.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "checker.h"
#include "laws.h"
#include "parse/parse.h"
#include "xiangyue/compiler/compiler.h"

namespace xy {
namespace fs = std::filesystem;

CompileResult compile_sources(std::vector<SourceFile> files, const CompileSettings& settings) {
  CompileResult result;
  result.files = std::move(files);
  ast::Program program;
  bool parsed = true;
  for (std::uint32_t i = 0; i < result.files.size(); ++i)
    parsed = parse::parse_file(result.files[i], i, program, result.diagnostics) && parsed;
  if (!parsed) return result;  // semantic errors on a broken tree would only add noise
  Bundle bundle;
  laws::Library library;
  if (!settings.laws_dir.empty()) library = laws::Library::load(settings.laws_dir);
  check::Checker checker(bundle, result.diagnostics, library.empty() ? nullptr : &library);
  checker.run(program);
  if (result.diagnostics.has_errors()) return result;
  bundle.sources = result.files;
  bundle.finalize();
  result.bundle = std::move(bundle);
  return result;
}

CompileResult compile_paths(const std::vector<std::string>& paths, const CompileSettings& given) {
  CompileSettings settings = given;
  if (settings.laws_dir.empty()) settings.laws_dir = laws::find_dir(paths);
  std::vector<SourceFile> files;
  CompileResult failed;
  auto cannot = [&](const std::string& path, const std::string& why_en, const std::string& why_zh) {
    failed.diagnostics.error(
        "E0501", SourceSpan{},
        {"cannot read `" + path + "`: " + why_en, "无法读取「" + path + "」：" + why_zh});
  };
  for (const auto& path : paths) {
    std::error_code ec;
    std::vector<std::string> found;
    if (fs::is_directory(path, ec)) {
      for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file(ec) && it->path().extension() == ".xy")
          found.push_back(it->path().string());
      std::sort(found.begin(), found.end());
      if (found.empty()) cannot(path, "the directory holds no .xy file", "目录中没有 .xy 文件");
    } else if (fs::is_regular_file(path, ec)) {
      found.push_back(path);
    } else {
      cannot(path, "no such file or directory", "文件或目录不存在");
    }
    for (const auto& f : found) {
      std::ifstream in(f, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      if (!in.good() && !in.eof()) {
        cannot(f, "read error", "读取出错");
        continue;
      }
      files.push_back(SourceFile{f, text.str()});
    }
  }
  if (failed.diagnostics.has_errors()) {
    failed.files = std::move(files);
    return failed;
  }
  return compile_sources(std::move(files), settings);
}

}  // namespace xy
