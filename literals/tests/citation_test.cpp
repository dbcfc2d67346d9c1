// Tests for parse_citation: Chinese and English forms, issuers, versions, and rejected inputs.
#include <catch2/catch.hpp>

#include "xiangyue/literals/literals.h"

using xy::lit::Citation;
using xy::lit::parse_citation;

namespace {
Citation ok(std::string_view text) {
  auto r = parse_citation(text);
  INFO(text << " -> " << (r ? std::string() : r.error().en));
  REQUIRE(r.ok());
  return *r;
}
xy::lit::LiteralError bad(std::string_view text) {
  auto r = parse_citation(text);
  INFO(text);
  REQUIRE_FALSE(r.ok());
  CHECK_FALSE(r.error().en.empty());
  CHECK_FALSE(r.error().zh.empty());
  return r.error();
}
}  // namespace

TEST_CASE("law, article, paragraph and item", "[citation]") {
  Citation c = ok("《村民委员会组织法》第二十四条第一款第（三）项");
  CHECK(c.issuer.empty());
  CHECK(c.law == "村民委员会组织法");
  CHECK_FALSE(c.version);
  CHECK(c.article == 24);
  CHECK(c.paragraph == 1);
  CHECK(c.item == 3);
  CHECK(c.cite == "《村民委员会组织法》第二十四条第一款第（三）项");
}

TEST_CASE("item forms: full-width, ASCII parentheses and plain", "[citation]") {
  CHECK(ok("《村民委员会组织法》第二十四条第一款第(三)项").item == 3);
  CHECK(ok("《村民委员会组织法》第二十四条第一款第三项").item == 3);
  CHECK(ok("《村民委员会组织法》第二十四条 第一款 第三项").item == 3);
}

TEST_CASE("an item directly after the article", "[citation]") {
  Citation c = ok("某省村两委换届候选人资格审查办法 第四条第一项");
  CHECK(c.law == "某省村两委换届候选人资格审查办法");
  CHECK(c.article == 4);
  CHECK_FALSE(c.paragraph);
  CHECK(c.item == 1);
}

TEST_CASE("English form", "[citation]") {
  Citation c = ok("立法法 art. 81(1)");
  CHECK(c.law == "立法法");
  CHECK(c.article == 81);
  CHECK(c.paragraph == 1);
  CHECK_FALSE(c.item);
  CHECK_FALSE(c.version);

  c = ok("立法法 2023 art. 81(1)(3)");
  CHECK(c.law == "立法法");
  CHECK(c.version == "2023");
  CHECK(c.article == 81);
  CHECK(c.paragraph == 1);
  CHECK(c.item == 3);

  CHECK(ok("《立法法》 art 81").article == 81);
  CHECK(ok("立法法 article 81").article == 81);
}

TEST_CASE("versions", "[citation]") {
  Citation c = ok("《立法法》（2023年修正）第八十一条");
  CHECK(c.law == "立法法");
  CHECK(c.version == "2023年修正");
  CHECK(c.article == 81);

  c = ok("《立法法（2023）》第八十一条");
  CHECK(c.law == "立法法");
  CHECK(c.version == "2023");

  c = ok("《立法法》(2023年修正) 第八十一条");
  CHECK(c.version == "2023年修正");

  // A parenthesis without digits is part of the title.
  c = ok("《村务公开办法（试行）》第三条");
  CHECK(c.law == "村务公开办法（试行）");
  CHECK_FALSE(c.version);
}

TEST_CASE("larger article numbers and Arabic articles", "[citation]") {
  CHECK(ok("《中华人民共和国立法法》第一百零三条").article == 103);
  CHECK(ok("《中华人民共和国立法法》第一百零三条").law == "中华人民共和国立法法");
  CHECK(ok("《民法典》第一千二百六十条").article == 1260);
  CHECK(ok("《立法法》第81条").article == 81);
  CHECK(ok("立法法第十条").law == "立法法");
  CHECK(ok("立法法第十条").article == 10);
}

TEST_CASE("issuers and whole documents", "[citation]") {
  Citation c = ok("县《村级组织工作事项准入办法》第五条");
  CHECK(c.issuer == "县");
  CHECK(c.law == "村级组织工作事项准入办法");
  CHECK(c.article == 5);

  c = ok("民政部等六部门《关于改进和规范基层群众性自治组织出具证明工作的指导意见》");
  CHECK(c.issuer == "民政部等六部门");
  CHECK(c.law == "关于改进和规范基层群众性自治组织出具证明工作的指导意见");
  CHECK_FALSE(c.article);
  CHECK_FALSE(c.paragraph);
  CHECK_FALSE(c.item);

  CHECK(ok("《立法法》").law == "立法法");
  CHECK(ok("第一书记管理办法").law == "第一书记管理办法");
}

TEST_CASE("surrounding whitespace is trimmed", "[citation]") {
  Citation c = ok("  《立法法》第八十一条 \n");
  CHECK(c.cite == "《立法法》第八十一条");
  CHECK(c.article == 81);
}

TEST_CASE("rejects 款 or 项 without 条", "[citation]") {
  auto e = bad("《立法法》第八十一款");
  CHECK(e.offset == std::string_view("《立法法》第八十一").size());
  CHECK(e.en == "expected `条` after the article number");
  CHECK(e.zh == "条号后应有“条”");
  CHECK(bad("立法法第八十一款").offset == std::string_view("立法法第八十一").size());
  CHECK(bad("《立法法》第三项").en == "expected `条` after the article number");
}

TEST_CASE("rejects unbalanced title brackets", "[citation]") {
  CHECK(bad("《立法法").offset == 0);
  CHECK(bad("《立法法").en == "unbalanced `《`");
  CHECK(bad("立法法》第一条").offset == std::string_view("立法法").size());
  CHECK(bad("《《立法法》").offset == 0);
  CHECK(bad("《立法法》（2023").offset == std::string_view("《立法法》").size());
  CHECK(bad("《立法法》》").en == "unbalanced `》`");
  CHECK(bad("《立法法》（ ）").en == "empty version");
}

TEST_CASE("rejects malformed or zero numerals", "[citation]") {
  CHECK(bad("《立法法》第十十条").offset == std::string_view("《立法法》第十").size());
  CHECK(bad("立法法第十十条").offset == std::string_view("立法法第十").size());
  CHECK(bad("《立法法》第零条").offset == std::string_view("《立法法》第").size());
  CHECK(bad("《立法法》第0条").offset == std::string_view("《立法法》第").size());
  CHECK(bad("《立法法》第条").offset == std::string_view("《立法法》第").size());
  CHECK(bad("立法法 art. 0").offset == std::string_view("立法法 art. ").size());
}

TEST_CASE("rejects empty input and trailing text", "[citation]") {
  CHECK(bad("").offset == 0);
  CHECK(bad("   ").offset == 3);
  CHECK(bad("《》第一条").en == "empty title");
  CHECK(bad("第一条").offset == 0);
  CHECK(bad("《立法法》第一条之一").offset == std::string_view("《立法法》第一条").size());
  CHECK(bad("《立法法》第一条第二款第三款").offset ==
        std::string_view("《立法法》第一条第二款第三").size());
  CHECK(bad("《立法法》第一条第三项第二款").offset ==
        std::string_view("《立法法》第一条第三项").size());
  CHECK(bad("《立法法》abc").offset == std::string_view("《立法法》").size());
  CHECK(bad("《立法法》第一条第（三项").offset ==
        std::string_view("《立法法》第一条第（三").size());
  CHECK(bad("立法法 art. 81(1").offset == std::string_view("立法法 art. 81(1").size());
  CHECK(bad("立法法 art. 81 x").offset == std::string_view("立法法 art. 81 ").size());
  CHECK(bad("《立法法（2023）》（2023）").en == "the version is given twice");
}
