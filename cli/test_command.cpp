// `xy test`: runs the test tables beside each policy set and reports failures and rule coverage.
#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "xiangyue/compiler/compiler.h"
#include "xiangyue/compiler/law_coverage.h"
#include "xiangyue/tooling/policy_test.h"

namespace xy::cli {
namespace fs = std::filesystem;

namespace {

std::string where(const Bundle& b, const ir::Rule& r) {
  std::string f = r.loc.file < b.sources.size() ? b.sources[r.loc.file].path : "?";
  return f + ":" + std::to_string(r.loc.line) + ":" + std::to_string(r.loc.column);
}

}  // namespace

int run_test(const TestOptions& o) {
  bool zh = o.lang == Lang::zh;
  std::size_t passed = 0, failed = 0, uncovered = 0, uncited = 0;
  int code = kDecided;
  boost::json::array sets_json;
  std::vector<std::pair<std::string, Bundle>> compiled_sets;  // for --law-coverage
  std::string laws_dir = o.laws;
  for (const auto& path : o.paths) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
      std::cerr << (zh ? "用法错误：「" + path + "」不是策略集目录\n"
                       : "usage: `" + path + "` is not a policy-set directory\n");
      return kBadInput;
    }
    auto sets = policytest::find_sets(path);
    if (sets.empty()) {
      std::cerr << (zh ? "用法错误：「" + path + "」下没有 .xy 文件\n"
                       : "usage: no .xy files under `" + path + "`\n");
      return kBadInput;
    }
    for (const auto& set : sets) {
      CompileSettings settings;
      settings.laws_dir = o.laws;
      settings.require_laws = o.require_basis;
      auto compiled = compile_paths({set}, settings);
      if (compiled.diagnostics.kept() > 0)
        std::cerr << render_all(compiled.diagnostics, compiled.files, o.lang);
      if (!compiled.bundle) {
        code = kPolicyErrors;
        continue;
      }
      auto cases = policytest::read_set_tables(set);
      if (!cases) {
        const auto& e = cases.error();
        std::cerr << e.file << ":" << e.line << ": " << (zh ? "测试文件错误：" : "bad test file: ")
                  << e.message.in(o.lang) << "\n";
        return kBadInput;
      }
      auto report = policytest::run(*compiled.bundle, set, *cases);
      passed += report.passed();
      failed += report.failed();
      uncovered += report.uncovered.size();
      boost::json::object sj;
      sj["set"] = set;
      boost::json::array failures;
      for (const auto& r : report.results) {
        if (r.passed) continue;
        boost::json::object fj;
        fj["case"] = r.test->name;
        fj["file"] = r.test->file;
        fj["line"] = r.test->line;
        boost::json::array diffs;
        if (o.format == "text")
          std::cout << "FAIL " << r.test->file << ":" << r.test->line << " " << r.test->name
                    << "\n";
        for (const auto& d : r.diffs) {
          if (o.format == "text") std::cout << "     " << policytest::describe(d, o.lang) << "\n";
          diffs.push_back(boost::json::object{{"column", d.column.en},
                                              {"expected", d.expected.in(o.lang)},
                                              {"actual", d.actual.in(o.lang)}});
        }
        if (o.format == "text" && !r.test->note.empty())
          std::cout << "     " << (zh ? "说明：" : "note: ") << r.test->note << "\n";
        fj["diffs"] = std::move(diffs);
        failures.push_back(std::move(fj));
      }
      boost::json::array unc;
      for (auto i : report.uncovered)
        unc.push_back(
            boost::json::object{{"rule", compiled.bundle->rules[i].id},
                                {"at", where(*compiled.bundle, compiled.bundle->rules[i])}});
      if (o.format == "text") {
        std::cout << set << ": " << report.passed() << (zh ? " 通过，" : " passed, ")
                  << report.failed() << (zh ? " 未通过" : " failed") << "; "
                  << (zh ? "规则覆盖 " : "rules covered ")
                  << compiled.bundle->rules.size() - report.uncovered.size() << "/"
                  << compiled.bundle->rules.size() << "\n";
        for (auto i : report.uncovered)
          std::cout << "     " << (zh ? "未被任何用例触发：" : "never exercised: ")
                    << compiled.bundle->rules[i].id << " ("
                    << where(*compiled.bundle, compiled.bundle->rules[i]) << ")\n";
      }
      boost::json::array unbased;
      for (const auto& rule : compiled.bundle->rules) {
        if (rule.citation != ir::kNone) continue;
        unbased.push_back(
            boost::json::object{{"rule", rule.id}, {"at", where(*compiled.bundle, rule)}});
        if (o.format == "text")
          std::cout << "     " << (zh ? "没有依据：" : "no basis: ") << rule.id << " ("
                    << where(*compiled.bundle, rule) << ")\n";
      }
      uncited += unbased.size();
      sj["uncited"] = std::move(unbased);
      sj["passed"] = report.passed();
      sj["failed"] = report.failed();
      sj["failures"] = std::move(failures);
      sj["uncovered"] = std::move(unc);
      sets_json.push_back(std::move(sj));
      if (laws_dir.empty()) laws_dir = compiled.laws_dir;
      if (o.law_coverage) compiled_sets.emplace_back(set, std::move(*compiled.bundle));
    }
  }
  boost::json::value coverage_json;
  std::string coverage_text;
  if (o.law_coverage) {
    if (laws_dir.empty()) {
      std::cerr << (zh ? "用法错误：没有找到法规文本，无法报告条文覆盖；请用 --laws 目录 指定\n"
                       : "usage: no law texts found to report coverage of; name them with "
                         "--laws DIR\n");
      return kBadInput;
    }
    std::vector<std::pair<std::string, const Bundle*>> sets;
    for (const auto& [name, bundle] : compiled_sets) sets.emplace_back(name, &bundle);
    auto cov = laws::coverage(laws_dir, sets);
    coverage_json = boost::json::object{{"laws_dir", laws_dir}, {"laws", laws::coverage_json(cov)}};
    coverage_text = (zh ? "\n法规条文覆盖（" : "\nlaw coverage (") + laws_dir +
                    (zh ? "）\n" : ")\n") + laws::coverage_text(cov, o.lang);
  }
  if (o.format == "json") {
    boost::json::object all{{"sets", sets_json}, {"passed", passed}, {"failed", failed}};
    if (o.law_coverage) all["law_coverage"] = std::move(coverage_json);
    std::cout << boost::json::serialize(all) << "\n";
  } else {
    std::cout << (zh ? "合计 " : "") << passed << (zh ? " 通过，" : " passed, ") << failed
              << (zh ? " 未通过\n" : " failed\n") << coverage_text;
  }
  if (failed > 0 || (o.require_coverage && uncovered > 0) || (o.require_basis && uncited > 0))
    return code == kDecided ? kPolicyErrors : code;
  return code;
}

}  // namespace xy::cli
