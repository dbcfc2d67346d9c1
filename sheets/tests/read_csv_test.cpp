// Unit tests for read_csv: encodings (UTF-8, with BOM, GB18030), RFC 4180 quoting, and errors.
#include <catch2/catch.hpp>

#include "support.h"
#include "xiangyue/sheets/read.h"

using namespace xy::sheets;
using namespace xy::sheets::test;

namespace {
Sheet read_ok(const std::string& name) {
  auto book = read_csv(input(name));
  INFO((book ? "" : book.error().en));
  REQUIRE(book);
  REQUIRE(book->sheets.size() == 1);
  return book->sheets[0];
}
void roster_checks(const Sheet& s) {
  CHECK(at(s, "A1").text == "姓名");
  CHECK(at(s, "A2").text == "张三");
  CHECK(at(s, "B2").text == "110101199001011234");  // no type guessing: IDs keep every digit
  CHECK(at(s, "B2").kind == Cell::Kind::Text);
  CHECK(at(s, "C2").text == "1990-01-01");  // dates stay text
  CHECK(at(s, "C3").text == "1985/3/2");
  CHECK(at(s, "D3").text == "村委会, 主任");
  CHECK(s.find(2, 4) == nullptr);  // an empty field
  CHECK(s.find(3, 2) == nullptr);
}
}  // namespace

TEST_CASE("UTF-8 CSV with LF, named after the file", "[csv]") {
  Sheet s = read_ok("utf8.csv");
  CHECK(s.name == "utf8");
  roster_checks(s);
  CHECK(s.rows.size() == 3);
}

TEST_CASE("UTF-8 CSV with a BOM and CRLF", "[csv]") {
  Sheet s = read_ok("utf8_bom.csv");
  roster_checks(s);
  CHECK(at(s, "A1").text == "姓名");  // the BOM is not part of the first field
}

TEST_CASE("GB18030 CSV as Excel saves it on Chinese Windows", "[csv]") {
  Sheet s = read_ok("gb18030.csv");
  roster_checks(s);
  CHECK(at(s, "D4").text == "𠀀字");  // a four-byte GB18030 sequence
}

TEST_CASE("quoted commas, quotes and line breaks; empty lines are gaps", "[csv]") {
  Sheet s = read_ok("quoted.csv");
  CHECK(at(s, "B1").text == "b,c");
  CHECK(at(s, "C1").text == "say \"hi\"");
  CHECK(at(s, "A2").text == "two\r\nlines");
  CHECK(s.find(2, 2) == nullptr);
  CHECK(at(s, "C2").text == "x");
  REQUIRE(s.rows.size() == 3);
  CHECK(s.rows[2].number == 4);  // record 3 is an empty line
  CHECK(at(s, "A4").text == "last");
  CHECK(s.find(4, 2) == nullptr);  // ""
  CHECK(at(s, "C4").text == "end");
  CHECK(s.rows[2].cells.size() == 2);
}

TEST_CASE("an empty CSV file is a sheet without rows", "[csv]") {
  Sheet s = read_ok("empty.csv");
  CHECK(s.rows.empty());
}

TEST_CASE("CSV errors name the file and the line", "[csv]") {
  auto fails = [](const std::string& name) {
    auto book = read_csv(input(name));
    REQUIRE_FALSE(book);
    return book.error();
  };
  SECTION("a quoted field never closed: the line where it opens") {
    auto e = fails("unclosed.csv");
    CHECK_THAT(e.en, Catch::Contains("unclosed.csv, line 2, cell B2: a quoted field"));
    CHECK_THAT(e.zh, Catch::Contains("unclosed.csv，第 2 行，单元格 B2：带引号的字段"));
  }
  SECTION("text after a closing quote") {
    auto e = fails("after_quote.csv");
    CHECK_THAT(e.en, Catch::Contains("line 2, cell B2: text follows the closing quote"));
  }
  SECTION("neither UTF-8 nor GB18030") {
    auto e = fails("neither.csv");
    CHECK_THAT(e.en, Catch::Contains("neither.csv, line 3: the text is neither UTF-8 nor GB18030"));
    CHECK_THAT(e.zh, Catch::Contains("第 3 行"));
  }
  SECTION("a UTF-8 BOM, then GB18030") {
    auto e = fails("bom_then_gbk.csv");
    CHECK_THAT(e.en, Catch::Contains("line 2: the file begins as UTF-8"));
  }
  SECTION("UTF-16") {
    CHECK_THAT(fails("utf16.csv").en, Catch::Contains("UTF-16"));
  }
  SECTION("a file that is not there") {
    auto book = read_csv(scratch("missing.csv"));
    REQUIRE_FALSE(book);
    CHECK_THAT(book.error().en, Catch::Contains("missing.csv: cannot open the file"));
  }
}
