// Statute coverage: citations of articles, paragraphs and items laid over a law text's structure.
#include <unistd.h>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "test_util.h"
#include "xiangyue/compiler/law_coverage.h"

namespace {
namespace fs = std::filesystem;
using xy::laws::Covered;

// A law of four articles: art. 2 has two paragraphs, the first with three items.
const char* kLaw =
    "# 示例法\n\n"
    "第一条 总则。\n\n"
    "第二条 下列事项应当讨论决定：\n"
    "（一）甲；\n（二）乙；\n（三）丙。\n"
    "前款事项另有规定的，依照其规定。\n\n"
    "第三条 第三条的一款。\n\n"
    "第四条 附则。\n";

fs::path law_dir() {
  fs::path dir = fs::temp_directory_path() / ("xy_law_coverage_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "示例法(2020-01-01).md") << kLaw;
  return dir;
}

xy::Bundle compiled(const std::string& rules, const fs::path& laws) {
  xy::CompileSettings s;
  s.laws_dir = laws.string();
  auto r = xy::compile_sources({{"main.xy", xyt::with_rules(rules)}}, s);
  INFO(xyt::dump(r));
  REQUIRE(r.bundle);
  CHECK(r.laws_dir == laws.string());
  return std::move(*r.bundle);
}

}  // namespace

TEST_CASE("coverage: items, paragraphs, whole articles, and what nothing cites", "[laws]") {
  auto dir = law_dir();
  auto a = compiled(
      "  rule R1 permit when item.fee > 0 basis \"《示例法》第二条第一款第（一）项\"\n"
      "  rule R2 permit when item.fee > 1 basis \"《示例法》第二条第一款第（二）项\"\n"
      "  rule R3 permit when item.fee > 2 basis \"《示例法》第三条\"\n",
      dir);
  auto b = compiled(
      "  rule R9 permit when item.fee > 3 basis \"《示例法》第二条第一款第（二）项\"\n", dir);
  auto cov = xy::laws::coverage(dir.string(), {{"setA", &a}, {"setB", &b}});
  REQUIRE(cov.size() == 1);
  const auto& law = cov[0];
  CHECK(law.source == "示例法(2020-01-01)");
  REQUIRE(law.articles.size() == 4);
  CHECK(law.articles[0].covered == Covered::none);
  const auto& art2 = law.articles[1];
  CHECK(art2.covered == Covered::part);  // two of three items of its first paragraph
  REQUIRE(art2.paragraphs.size() == 2);
  CHECK(art2.paragraphs[0].covered == Covered::part);
  CHECK(art2.paragraphs[1].covered == Covered::none);
  REQUIRE(art2.paragraphs[0].items.size() == 3);
  CHECK(art2.paragraphs[0].items[1].by.size() == 2);  // R2 of setA and R9 of setB
  CHECK(law.articles[2].covered == Covered::full);
  CHECK(law.count(Covered::full) == 1);
  CHECK(law.count(Covered::part) == 1);
  CHECK(law.count(Covered::none) == 2);

  auto en = xy::laws::coverage_text(cov, xy::Lang::en);
  INFO(en);
  CHECK(en.find("示例法(2020-01-01): 2 of 4 articles cited (1 in full, 1 in part), 2 not cited") !=
        std::string::npos);
  CHECK(en.find("art. 2 in part: para. 1 items 1, 2 [setA: R1, R2; setB: R9]; not wholly cited: "
                "para. 1, para. 2") != std::string::npos);
  CHECK(en.find("art. 3 in full [setA: R3]") != std::string::npos);
  CHECK(en.find("not cited: arts. 1, 4") != std::string::npos);
  auto zh = xy::laws::coverage_text(cov, xy::Lang::zh);
  INFO(zh);
  CHECK(zh.find("第二条 部分：第一款第（一）、（二）项") != std::string::npos);
  CHECK(zh.find("未引用：第一条、第四条") != std::string::npos);

  auto j = xy::laws::coverage_json(cov);
  const auto& l = j.as_array()[0].as_object();
  CHECK(l.at("articles").as_uint64() == 4);
  CHECK(l.at("not_cited").as_array().size() == 2);
  CHECK(l.at("cited").as_array()[0].as_object().at("covered").as_string() == "part");
  fs::remove_all(dir);
}

TEST_CASE("coverage: every item cited makes the paragraph full; a whole article covers its parts",
          "[laws]") {
  auto dir = law_dir();
  auto a = compiled(
      "  rule R1 permit when item.fee > 0 basis \"《示例法》第二条第一款第（一）项\"\n"
      "  rule R2 permit when item.fee > 1 basis \"《示例法》第二条第一款第（二）项\"\n"
      "  rule R3 permit when item.fee > 2 basis \"《示例法》第二条第一款第（三）项\"\n"
      "  rule R4 permit when item.fee > 3 basis \"《示例法》第二条第二款\"\n"
      "  rule R5 permit when item.fee > 4 basis \"《示例法》第一条\"\n",
      dir);
  auto cov = xy::laws::coverage(dir.string(), {{"s", &a}});
  REQUIRE(cov.size() == 1);
  CHECK(cov[0].articles[1].paragraphs[0].covered == Covered::full);
  CHECK(cov[0].articles[1].covered == Covered::full);
  CHECK(cov[0].articles[0].covered == Covered::full);
  CHECK(cov[0].articles[0].paragraphs[0].covered == Covered::full);
  CHECK(cov[0].count(Covered::none) == 2);
  fs::remove_all(dir);
}
