// Unit tests for broken workbooks: each is a clear error naming the file, the sheet or part, the
// cell where there is one, and why; none crashes or yields a workbook.
#include <catch2/catch.hpp>
#include <filesystem>

#include "support.h"
#include "xiangyue/sheets/read.h"

using namespace xy::sheets;
using namespace xy::sheets::test;

namespace {
xy::Localized fails(const std::string& path) {
  auto book = read_xlsx(path);
  REQUIRE_FALSE(book);
  INFO(book.error().en);
  CHECK(xy::valid_utf8(book.error().en));
  CHECK(xy::valid_utf8(book.error().zh));
  return book.error();
}
// basic.xlsx with its first sheet's XML replaced.
std::string with_sheet(const std::string& xml, const std::string& name) {
  return with_entry(
      input("basic.xlsx"), "xl/worksheets/sheet1.xml",
      "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
      "<sheetData>" +
          xml + "</sheetData></worksheet>",
      name);
}
}  // namespace

TEST_CASE("a truncated file", "[corrupt]") {
  std::string bytes = file_text(input("basic.xlsx"));
  for (std::size_t keep : {bytes.size() / 2, bytes.size() - 10, std::size_t{30}}) {
    std::string path = scratch("cut.xlsx");
    write_file(path, bytes.substr(0, keep));
    auto e = fails(path);
    CHECK_THAT(e.en, Catch::Contains("cut.xlsx: the zip archive is damaged or cut short"));
    CHECK_THAT(e.zh, Catch::Contains("zip 压缩包已损坏或不完整"));
  }
}

TEST_CASE("damaged compressed data", "[corrupt]") {
  std::string bytes = file_text(input("basic.xlsx"));
  // The sheet's compressed bytes: flip some in the middle of its entry.
  auto at = bytes.find("xl/worksheets/sheet1.xml");
  REQUIRE(at != std::string::npos);
  for (std::size_t i = at + 60; i < at + 120; ++i) bytes[i] = static_cast<char>(bytes[i] ^ 0x5A);
  std::string path = scratch("flipped.xlsx");
  write_file(path, bytes);
  auto e = fails(path);
  CHECK_THAT(e.en, Catch::Contains("flipped.xlsx, sheet 名册 (part xl/worksheets/sheet1.xml)") ||
                       Catch::Contains("damaged"));
}

TEST_CASE("not a zip at all, an empty file, an old .xls", "[corrupt]") {
  std::string text = scratch("text.xlsx");
  write_file(text, "姓名,年龄\n");
  CHECK_THAT(fails(text).en, Catch::Contains("not an .xlsx workbook"));
  std::string empty = scratch("empty.xlsx");
  write_file(empty, "");
  CHECK_THAT(fails(empty).en, Catch::Contains("the file is empty"));
  std::string ole = scratch("old.xlsx");
  write_file(ole, std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0'));
  CHECK_THAT(fails(ole).zh, Catch::Contains("Excel 97-2003"));
  CHECK_THAT(fails(scratch("absent.xlsx")).en, Catch::Contains("cannot open the file"));
  std::string folder = scratch("folder.xlsx");
  std::filesystem::create_directory(folder);
  CHECK_THAT(fails(folder).en, Catch::Contains("folder.xlsx: this is a folder, not a file"));
  auto csv = read_csv(folder);
  REQUIRE_FALSE(csv);
  CHECK_THAT(csv.error().zh, Catch::Contains("这是文件夹"));
}

TEST_CASE("a missing sheet part", "[corrupt]") {
  auto path =
      with_entry(input("basic.xlsx"), "xl/worksheets/sheet2.xml", std::nullopt, "gone.xlsx");
  auto e = fails(path);
  CHECK_THAT(e.en, Catch::Contains("gone.xlsx, sheet 空表 (part xl/worksheets/sheet2.xml): the "
                                   "workbook has no part `xl/worksheets/sheet2.xml`"));
  CHECK_THAT(e.zh, Catch::Contains("工作表「空表」"));
}

TEST_CASE("no workbook part", "[corrupt]") {
  auto path = with_entry(input("basic.xlsx"), "xl/workbook.xml", std::nullopt, "nobook.xlsx");
  CHECK_THAT(fails(path).en, Catch::Contains("not an Excel workbook"));
}

TEST_CASE("a sheet refers to a relationship that is not there", "[corrupt]") {
  auto path = with_entry(input("basic.xlsx"), "xl/_rels/workbook.xml.rels",
                         "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                         "relationships\"/>",
                         "norels.xlsx");
  CHECK_THAT(fails(path).en, Catch::Contains("sheet 名册 (part xl/workbook.xml): the workbook "
                                             "refers to relationship `rId1`"));
}

TEST_CASE("broken shared strings", "[corrupt]") {
  std::string book = input("handmade.xlsx");
  SECTION("an index past the end") {
    auto path = with_entry(book, "xl/strings.xml",
                           "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/"
                           "main\"><si><t>only</t></si></sst>",
                           "short.xlsx");
    auto e = fails(path);
    CHECK_THAT(e.en, Catch::Contains("short.xlsx, sheet 第一, cell B1: shared string 1 does not "
                                     "exist (the workbook has 1)"));
    CHECK_THAT(e.zh, Catch::Contains("short.xlsx，工作表「第一」，单元格 B1：共享字符串 1 不存在"));
  }
  SECTION("malformed XML") {
    auto path = with_entry(book, "xl/strings.xml", "<sst>\n<si><t>open</si>", "badxml.xlsx");
    auto e = fails(path);
    CHECK_THAT(e.en, Catch::Contains("badxml.xlsx, part xl/strings.xml, line 2: the XML is "
                                     "malformed"));
  }
  SECTION("not a shared strings part") {
    auto path = with_entry(book, "xl/strings.xml", "<html/>", "html.xlsx");
    CHECK_THAT(fails(path).en, Catch::Contains("no <sst> element"));
  }
}

TEST_CASE("unreadable cells name the cell", "[corrupt]") {
  auto check = [](const std::string& row, const std::string& expected) {
    auto e = fails(with_sheet(row, "cell.xlsx"));
    CHECK_THAT(e.en, Catch::Contains(expected));
  };
  check("<row r=\"7\"><c r=\"C7\"><v>12abc</v></c></row>",
        "cell.xlsx, sheet 名册, cell C7: the number `12abc` is not a number");
  check("<row r=\"7\"><c r=\"C7\" t=\"s\"><v>x</v></c></row>", "cell C7: the shared string index");
  check("<row r=\"7\"><c r=\"C7\" t=\"s\"><v>0</v></c></row>",
        "cell C7: shared string 0 does not "
        "exist (the workbook has 0)");
  check("<row r=\"7\"><c r=\"C7\" t=\"b\"><v>yes</v></c></row>", "cell C7: the logical value");
  check("<row r=\"7\"><c r=\"C7\" t=\"zz\"><v>1</v></c></row>", "cell C7: the cell type `zz`");
  check("<row r=\"7\"><c r=\"C7\" t=\"d\"><v>May 1</v></c></row>", "cell C7: the date `May 1`");
  check("<row r=\"7\"><c r=\"C7\" s=\"99\"><v>1</v></c></row>", "cell C7: the cell style `99`");
  check("<row r=\"7\"><c r=\"C7\"><f>A1+1</f></c></row>",
        "cell C7: the cell holds a formula with no saved result");
  check("<row r=\"7\"><c r=\"C7\"><v>1</v></c><c r=\"C7\"><v>2</v></c></row>",
        "cell C7: the cell is given twice");
  check("<row r=\"7\"><c r=\"C8\"><v>1</v></c></row>", "cell C8: the cell is listed in row 7");
  check("<row r=\"7\"><c r=\"XFE7\"><v>1</v></c></row>", "the cell reference `XFE7` is not valid");
  check("<row r=\"1048577\"><c><v>1</v></c></row>", "the row number `1048577` is not valid");
  check("<row r=\"7\"><c r=\"C7\" t=\"inlineStr\"><is><t>\xFF</t></is></c></row>",
        "cell C7: the text is not valid UTF-8");
}

TEST_CASE("a formula openpyxl saved without its result", "[corrupt]") {
  auto e = fails(input("formula.xlsx"));
  CHECK_THAT(e.en, Catch::Contains("sheet Sheet, cell A2: the cell holds a formula"));
  CHECK_THAT(e.zh, Catch::Contains("单元格 A2：单元格是公式"));
}

TEST_CASE("a zip bomb is refused", "[corrupt]") {
  auto e = fails(input("bomb.xlsx"));
  CHECK_THAT(e.en, Catch::Contains("more than 512 MB"));
  CHECK_THAT(e.zh, Catch::Contains("zip 炸弹"));
}
