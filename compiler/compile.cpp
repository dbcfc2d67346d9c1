// The compiler driver: collects policy files, parses each, checks the whole set (the checked
// program), lowers it and builds the bundle.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "checker.h"
#include "laws.h"
#include "lower.h"
#include "parse/parse.h"
#include "xiangyue/compiler/checked.h"
#include "xiangyue/compiler/compiler.h"

namespace xy {
namespace fs = std::filesystem;

checked::CheckResult checked::check_sources(std::vector<SourceFile> files,
                                            const CompileSettings& settings) {
  CheckResult result;
  result.files = std::move(files);
  // A path travels into diagnostics, decisions (JSON) and the bundle, which hold UTF-8 only: a
  // file name that is not shows its stray bytes as U+FFFD there (the file was read already).
  for (auto& f : result.files) f.path = replacing_invalid_utf8(f.path);
  auto program = std::make_unique<Program>();
  bool parsed = true;
  for (std::uint32_t i = 0; i < result.files.size(); ++i)
    parsed = parse::parse_file(result.files[i], i, program->ast, result.diagnostics) && parsed;
  if (!parsed) return result;  // semantic errors on a broken tree would only add noise
  laws::Library library;
  if (!settings.laws_dir.empty()) library = laws::Library::load(settings.laws_dir);
  check::Checker checker(*program, result.diagnostics, library.empty() ? nullptr : &library);
  checker.run();
  if (checker.citations_unchecked()) {
    // Nobody may believe a citation was verified when it was not.
    std::string looked;
    for (const auto& l : settings.laws_looked) looked += (looked.empty() ? "" : ", ") + l;
    if (!settings.laws_dir.empty()) looked = settings.laws_dir;
    Localized msg{"citations are checked for form only: no law texts found (looked in " +
                      (looked.empty() ? std::string("no folder") : looked) + ")",
                  "引用只检查了格式：没有找到法规文本（查找了 " +
                      (looked.empty() ? std::string("（无）") : looked) + "）"};
    // About the set, not one citation: no location.
    auto& d = settings.require_laws ? result.diagnostics.error("E0306", {}, std::move(msg))
                                    : result.diagnostics.warning("W0306", {}, std::move(msg));
    d.help = Localized{
        "put the statute texts (*.md) in a `laws/` folder beside the policies, "
        "or name it with --laws DIR",
        "把法规文本（*.md）放在策略旁的「laws/」目录中，或用 --laws 目录 指定"};
  }
  if (!library.empty()) result.laws_dir = settings.laws_dir;
  result.program = std::move(program);
  return result;
}

CompileResult compile_sources(std::vector<SourceFile> files, const CompileSettings& settings) {
  checked::CheckResult checked = checked::check_sources(std::move(files), settings);
  CompileResult result;
  result.diagnostics = std::move(checked.diagnostics);
  result.files = std::move(checked.files);
  result.laws_dir = std::move(checked.laws_dir);
  if (!checked.program || result.diagnostics.has_errors()) return result;
  result.returns = checked.program->returns;
  Bundle bundle = lower::lower(*checked.program);
  bundle.sources = result.files;
  bundle.finalize();
  result.bundle = std::move(bundle);
  return result;
}

std::vector<SourceFile> read_policy_files(const std::vector<std::string>& paths,
                                          DiagnosticSink& sink) {
  auto cannot = [&](const std::string& path, const std::string& why_en, const std::string& why_zh) {
    sink.error("E0501", SourceSpan{},
               {"cannot read `" + path + "`: " + why_en, "无法读取「" + path + "」：" + why_zh});
  };
  std::vector<SourceFile> files;
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
  return files;
}

std::string find_laws_dir(const std::vector<std::string>& paths) {
  return laws::find_dir(paths);
}

CompileResult compile_paths(const std::vector<std::string>& paths, const CompileSettings& given) {
  CompileSettings settings = given;
  if (settings.laws_dir.empty()) settings.laws_dir = laws::find_dir(paths, &settings.laws_looked);
  CompileResult failed;
  std::vector<SourceFile> files = read_policy_files(paths, failed.diagnostics);
  if (failed.diagnostics.has_errors()) {
    failed.files = std::move(files);
    return failed;
  }
  return compile_sources(std::move(files), settings);
}

}  // namespace xy
