// Loading the served policies: compile each set, run its tests, route actions; and noticing edits.
#include "catalog.h"

#include <chrono>
#include <filesystem>

#include "xiangyue/common/hash.h"
#include "xiangyue/compiler/compiler.h"
#include "xiangyue/runtime/policy_test.h"

namespace xy::server {
namespace fs = std::filesystem;

Result<std::shared_ptr<const Catalog>> load_catalog(const std::string& dir, const std::string& laws,
                                                    Lang lang) {
  using R = Result<std::shared_ptr<const Catalog>>;
  bool zh = lang == Lang::zh;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return R::failure(zh ? "「" + dir + "」不是策略目录" : "`" + dir + "` is not a directory");
  auto sets = policytest::find_sets(dir);
  if (sets.empty())
    return R::failure(zh ? "「" + dir + "」下没有 .xy 文件" : "no .xy files under `" + dir + "`");
  auto catalog = std::make_shared<Catalog>();
  std::string errors;
  for (const auto& set : sets) {
    auto compiled = compile_paths({set}, CompileSettings{laws});
    if (!compiled.bundle) {
      errors += render_all(compiled.diagnostics, compiled.files, lang);
      continue;
    }
    auto cases = policytest::read_set_tables(set);
    if (!cases) {
      const auto& e = cases.error();
      errors += e.file + ":" + std::to_string(e.line) + ": " +
                (zh ? "测试文件错误：" : "bad test file: ") + e.message.in(lang) + "\n";
      continue;
    }
    auto report = policytest::run(*compiled.bundle, set, *cases);
    for (const auto& r : report.results) {
      if (r.passed) continue;
      errors += r.test->file + ":" + std::to_string(r.test->line) + ": " +
                (zh ? "测试未通过「" : "test failed `") + r.test->name + (zh ? "」" : "`");
      for (const auto& [column, values] : r.diffs)
        errors += "; " + column + (zh ? "：预期 " : ": expected ") + values.first +
                  (zh ? "，实际 " : ", got ") + values.second;
      errors += "\n";
    }
    if (report.failed() > 0) continue;
    LoadedSet loaded{set, std::move(*compiled.bundle), report.passed()};
    for (const auto& a : loaded.bundle.actions) {
      auto [it, fresh] = catalog->by_action.emplace(a.name, catalog->sets.size());
      if (!fresh)
        errors += (zh ? "行为「" + a.name + "」同时见于 " : "action `" + a.name + "` is in both ") +
                  catalog->sets[it->second].dir + (zh ? " 和 " : " and ") + set + "\n";
    }
    catalog->sets.push_back(std::move(loaded));
  }
  if (!errors.empty()) return R::failure(errors);
  catalog->loaded_at = utc_timestamp(false);
  return std::shared_ptr<const Catalog>(std::move(catalog));
}

std::optional<std::string> fingerprint(const std::string& dir) {
  std::string all;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    bool file = it->is_regular_file(ec);
    if (ec) break;
    if (!file) continue;
    auto size = it->file_size(ec);
    if (ec) break;
    auto time = it->last_write_time(ec).time_since_epoch().count();
    if (ec) break;
    all += it->path().string() + "\n" + std::to_string(size) + "\n" + std::to_string(time) + "\n";
  }
  if (ec) return std::nullopt;
  return sha256_hex(all);
}

}  // namespace xy::server
