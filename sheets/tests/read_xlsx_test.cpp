// Unit tests for read_xlsx: every kind of cell, dates, strings in each form, and where sheets are.
#include <catch2/catch.hpp>

#include "support.h"
#include "xiangyue/sheets/read.h"

using namespace xy::sheets;
using namespace xy::sheets::test;
using Kind = Cell::Kind;

namespace {
xy::Date ymd(int y, int m, int d) {
  return *xy::Date::from_ymd(y, m, d);
}
Workbook read_ok(const std::string& name) {
  auto book = read_xlsx(input(name));
  INFO((book ? "" : book.error().en));
  REQUIRE(book);
  return *book;
}
}  // namespace

TEST_CASE("cells of each kind from an openpyxl workbook", "[xlsx]") {
  Workbook book = read_ok("basic.xlsx");
  REQUIRE(book.sheets.size() == 3);
  CHECK(book.sheets[0].name == "名册");
  CHECK(book.sheets[1].name == "空表");
  CHECK(book.sheets[2].name == "Sheet Three");
  const Sheet& s = book.sheets[0];
  CHECK(at(s, "A1").kind == Kind::Text);
  CHECK(at(s, "A1").text == "姓名");
  CHECK(at(s, "A2").text == "张三");
  CHECK(at(s, "B2").kind == Kind::Number);
  CHECK(at(s, "B2").number == 12);
  CHECK(at(s, "B2").text == "12");
  CHECK(at(s, "C2").text == "0.5");
  CHECK(at(s, "D2").kind == Kind::Bool);
  CHECK(at(s, "D2").boolean);
  CHECK(at(s, "D2").text == "TRUE");
  CHECK(at(s, "E2").kind == Kind::Date);
  CHECK(at(s, "E2").date == ymd(1970, 5, 1));
  CHECK(at(s, "E2").text == "1970-05-01");
  CHECK(at(s, "F2").kind == Kind::Error);
  CHECK(at(s, "F2").text == "#N/A");
  CHECK(at(s, "G2").kind == Kind::Date);  // yyyy"年"m"月"d"日"
  CHECK(at(s, "G2").date == ymd(2024, 1, 1));
  CHECK(at(s, "G2").number == 45292);
  CHECK(at(s, "H2").kind == Kind::Number);  // h:mm shows a time, not a date
  CHECK(at(s, "I2").text == "1e+20");
  CHECK(at(s, "B4").text == "-3");
  CHECK(at(s, "D4").kind == Kind::Bool);
  CHECK_FALSE(at(s, "D4").boolean);
  CHECK(at(s, "E4").date == ymd(2021, 6, 1));  // the time of day is dropped
  CHECK(at(s, "A4").text == "李四（村委会）");
  CHECK(at(s, "A4").ref() == "A4");
}

TEST_CASE("an empty row is a gap in the row numbers, empty cells are left out", "[xlsx]") {
  Workbook book = read_ok("basic.xlsx");
  const Sheet& s = book.sheets[0];
  REQUIRE(s.rows.size() == 3);
  CHECK(s.rows[0].number == 1);
  CHECK(s.rows[1].number == 2);
  CHECK(s.rows[2].number == 4);
  REQUIRE(s.rows[2].cells.size() == 4);  // A4, B4, D4, E4
  CHECK(s.rows[2].cells[2].column == 4);
  CHECK(s.find(4, 3) == nullptr);
  CHECK(s.find(3, 1) == nullptr);
  CHECK(book.sheets[1].rows.empty());
  CHECK(at(book.sheets[2], "B2").text == "only cell");
}

TEST_CASE("the 1904 date system", "[xlsx]") {
  Workbook book = read_ok("1904.xlsx");
  const Sheet& s = book.sheets[0];
  CHECK(at(s, "A1").kind == Kind::Date);
  CHECK(at(s, "A1").date == ymd(2024, 5, 1));
  CHECK(at(s, "A2").date == ymd(1904, 1, 1));  // serial 0
}

TEST_CASE("parts as other programs write them", "[xlsx]") {
  Workbook book = read_ok("handmade.xlsx");
  REQUIRE(book.sheets.size() == 2);
  const Sheet& s = book.sheets[0];  // first in the workbook, kept in xl/data/b.xml
  CHECK(s.name == "第一");
  SECTION("shared strings: plain, rich text runs (phonetic runs left out), escapes") {
    CHECK(at(s, "A1").text == "plain");
    CHECK(at(s, "B1").text == "富 text ");
    CHECK(at(s, "C1").text == "tab\there");
  }
  SECTION("inline strings, formula strings, errors, booleans") {
    CHECK(at(s, "A2").text == "内联");
    CHECK(at(s, "B2").text == "ab");
    CHECK(at(s, "C2").kind == Kind::Text);
    CHECK(at(s, "C2").text == "X");
    CHECK(at(s, "D2").kind == Kind::Error);
    CHECK(at(s, "D2").text == "#DIV/0!");
    CHECK(at(s, "E2").boolean);
  }
  SECTION("a row and cells without references follow the ones before them") {
    CHECK(at(s, "A3").text == "1");
    CHECK(at(s, "B3").kind == Kind::Date);  // [$-804]yyyy/m/d in the 1904 system: serial 0
    CHECK(at(s, "B3").date == ymd(1904, 1, 1));
    CHECK(at(s, "C3").kind == Kind::Number);      // [h]:mm:ss
    CHECK(at(s, "D3").date == ymd(2027, 3, 16));  // built-in 14, 1904 system
    CHECK(s.find(3, 5) == nullptr);               // formatted, no value
    CHECK(s.find(3, 6) == nullptr);               // t="s" without a value
    CHECK(at(s, "G3").text == "7");
  }
  SECTION("a dimension of a million rows costs nothing; the last row is read") {
    REQUIRE(s.rows.size() == 4);
    CHECK(s.rows.back().number == 1048576);
    CHECK(at(s, "B1048576").number == 42);
  }
  SECTION("merged areas") {
    REQUIRE(s.merged.size() == 1);
    CHECK(s.merged[0].first_row == 1);
    CHECK(s.merged[0].last_column == 2);
  }
  SECTION("a sheet whose elements have a namespace prefix") {
    CHECK(book.sheets[1].name == "Prefixed");
    CHECK(at(book.sheets[1], "C2").text == "前缀");
  }
}

TEST_CASE("read_table goes by the extension", "[xlsx]") {
  std::string upper = scratch("名册.XLSX");
  write_file(upper, file_text(input("basic.xlsx")));
  auto book = read_table(upper);
  REQUIRE(book);
  CHECK(book->sheets.size() == 3);
  auto csv = read_table(input("utf8.csv"));
  REQUIRE(csv);
  CHECK(csv->sheets[0].name == "utf8");
  std::string xls = scratch("old.xls");
  write_file(xls, "whatever");
  auto old = read_table(xls);
  REQUIRE_FALSE(old);
  CHECK_THAT(old.error().en, Catch::Contains(".xlsx"));
  auto other = read_table(scratch("notes.txt"));
  REQUIRE_FALSE(other);
  CHECK_THAT(other.error().zh, Catch::Contains("只读取 .xlsx 工作簿和 .csv 文件"));
}

TEST_CASE("column letters", "[xlsx]") {
  CHECK(column_name(1) == "A");
  CHECK(column_name(26) == "Z");
  CHECK(column_name(27) == "AA");
  CHECK(column_name(16384) == "XFD");
  CHECK(column_number("XFD") == 16384);
  CHECK(column_number("xfe") == 0);
  CHECK(column_number("A1") == 0);
}
