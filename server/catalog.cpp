// Loading the served policies: compile each set, run its tests, route actions; and noticing edits.
#include "catalog.h"

#include <chrono>
#include <filesystem>

#include "xiangyue/common/hash.h"
#include "xiangyue/compiler/compiler.h"
#include "xiangyue/tooling/policy_test.h"

namespace xy::server {
namespace fs = std::filesystem;

Result<std::shared_ptr<const Catalog>, Localized> load_catalog(const std::string& dir,
                                                               const std::string& laws) {
  using R = Result<std::shared_ptr<const Catalog>, Localized>;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return R::failure({"`" + dir + "` is not a directory", "「" + dir + "」不是策略目录"});
  auto sets = policytest::find_sets(dir);
  if (sets.empty())
    return R::failure({"no .xy files under `" + dir + "`", "「" + dir + "」下没有 .xy 文件"});
  auto catalog = std::make_shared<Catalog>();
  Localized errors;
  auto add = [](Localized& to, const std::string& en, const std::string& zh) {
    to.en += en;
    to.zh += zh;
  };
  // Rendered in both languages: a reload answers each caller in the language it asked for.
  auto render = [](Localized& to, const CompileResult& c) {
    to.en += render_all(c.diagnostics, c.files, Lang::en);
    to.zh += render_all(c.diagnostics, c.files, Lang::zh);
  };
  for (const auto& set : sets) {
    CompileSettings settings;
    settings.laws_dir = laws;
    auto compiled = compile_paths({set}, settings);
    if (!compiled.bundle) {
      render(errors, compiled);
      continue;
    }
    if (compiled.diagnostics.kept() > 0) render(catalog->warnings, compiled);
    auto cases = policytest::read_set_tables(set);
    if (!cases) {
      const auto& e = cases.error();
      std::string at = e.file + ":" + std::to_string(e.line) + ": ";
      add(errors, at + "bad test file: " + e.message.en + "\n",
          at + "测试文件错误：" + e.message.zh + "\n");
      continue;
    }
    auto report = policytest::run(*compiled.bundle, set, *cases);
    for (const auto& r : report.results) {
      if (r.passed) continue;
      std::string at = r.test->file + ":" + std::to_string(r.test->line) + ": ";
      Localized line{at + "test failed `" + r.test->name + "`",
                     at + "测试未通过「" + r.test->name + "」"};
      for (const auto& d : r.diffs)
        add(line, "; " + policytest::describe(d, Lang::en),
            "；" + policytest::describe(d, Lang::zh));
      add(errors, line.en + "\n", line.zh + "\n");
    }
    if (report.failed() > 0) continue;
    LoadedSet loaded{set, std::move(*compiled.bundle), report.passed()};
    for (const auto& a : loaded.bundle.actions) {
      auto [it, fresh] = catalog->by_action.emplace(a.name, catalog->sets.size());
      if (fresh) continue;
      const std::string& other = catalog->sets[it->second].dir;
      add(errors, "action `" + a.name + "` is in both " + other + " and " + set + "\n",
          "行为「" + a.name + "」同时见于 " + other + " 和 " + set + "\n");
    }
    catalog->sets.push_back(std::move(loaded));
  }
  if (!errors.en.empty()) return R::failure(errors);
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
