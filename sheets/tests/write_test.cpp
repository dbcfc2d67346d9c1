// Unit tests for write_xlsx and csv_text: what we write reads back the same (by us and by
// openpyxl), and what Excel cannot hold is refused before anything is written.
#include <catch2/catch.hpp>
#include <filesystem>

#include "support.h"
#include "x_escapes.h"
#include "xiangyue/sheets/read.h"
#include "xiangyue/sheets/write.h"

using namespace xy::sheets;
using namespace xy::sheets::test;
using Kind = Cell::Kind;

namespace {
xy::Date ymd(int y, int m, int d) {
  return *xy::Date::from_ymd(y, m, d);
}
std::vector<OutSheet> sample() {
  OutSheet result{"联审结果", {"姓名", "身份证号", "结论", "分数", "联审日期"}, {}};
  result.rows.push_back({"张三", "110101199001011234", "不能", 87.5, ymd(2021, 6, 1)});
  result.rows.push_back({"李四", "", "能", 100, ymd(1900, 1, 1)});
  result.rows.push_back({});
  result.rows.push_back({"王五\n（兼）", OutCell(), "逗号, \"引号\"", -0.25, ymd(1900, 3, 1)});
  result.rows.push_back({"tab\tcontrol\x01", "_x0041_ stays", std::string("nul\0inside", 10), 1e20,
                         ymd(9999, 12, 31)});
  OutSheet notes{"Notes", {"note"}, {{"only"}}};
  return {result, notes};
}
}  // namespace

TEST_CASE("write_xlsx then read_xlsx gives the same cells", "[write]") {
  std::string path = scratch("联审.xlsx");
  auto written = write_xlsx(path, sample());
  INFO((written ? "" : written.error().en));
  REQUIRE(written);
  auto book = read_xlsx(path);
  INFO((book ? "" : book.error().en));
  REQUIRE(book);
  REQUIRE(book->sheets.size() == 2);
  const Sheet& s = book->sheets[0];
  CHECK(s.name == "联审结果");
  CHECK(at(s, "A1").text == "姓名");
  CHECK(at(s, "E1").text == "联审日期");
  CHECK(at(s, "A2").text == "张三");
  CHECK(at(s, "B2").kind == Kind::Text);
  CHECK(at(s, "B2").text == "110101199001011234");
  CHECK(at(s, "D2").kind == Kind::Number);
  CHECK(at(s, "D2").number == 87.5);
  CHECK(at(s, "E2").kind == Kind::Date);
  CHECK(at(s, "E2").date == ymd(2021, 6, 1));
  CHECK(s.find(3, 2) == nullptr);  // an empty text is an empty cell
  CHECK(at(s, "E3").date == ymd(1900, 1, 1));
  CHECK(s.find(4, 1) == nullptr);  // an empty row
  CHECK(at(s, "A5").text == "王五\n（兼）");
  CHECK(at(s, "C5").text == "逗号, \"引号\"");
  CHECK(at(s, "D5").number == -0.25);
  CHECK(at(s, "E5").date == ymd(1900, 3, 1));
  CHECK(at(s, "A6").text == "tab\tcontrol\x01");
  CHECK(at(s, "B6").text == "_x0041_ stays");
  CHECK(at(s, "C6").text == std::string("nul\0inside", 10));
  CHECK(at(s, "D6").text == "1e+20");
  CHECK(at(s, "E6").date == ymd(9999, 12, 31));
  CHECK(at(book->sheets[1], "A2").text == "only");
  CHECK_FALSE(std::filesystem::exists(path + ".partial"));
}

TEST_CASE("openpyxl reads what we write: values, bold frozen header, filter, widths", "[write]") {
  std::string path = scratch("for-openpyxl.xlsx");
  REQUIRE(write_xlsx(path, sample()));
  CHECK(run("/usr/bin/python3 " XY_SHEETS_SCRIPTS "/check_written.py '" + path + "'") == 0);
}

TEST_CASE("write_xlsx refuses what Excel cannot hold, and writes nothing", "[write]") {
  std::string path = scratch("refused.xlsx");
  auto refused = [&](std::vector<OutSheet> sheets) {
    auto r = write_xlsx(path, sheets);
    REQUIRE_FALSE(r);
    CHECK_FALSE(std::filesystem::exists(path));
    return r.error();
  };
  CHECK_THAT(refused({}).en, Catch::Contains("at least one sheet"));
  CHECK_THAT(refused({{"a/b", {}, {}}}).en,
             Catch::Contains("sheet a/b: a sheet name may not hold"));
  CHECK_THAT(
      refused({{"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二", {}, {}}}).zh,
      Catch::Contains("工作表名称超过 31 个字符"));
  CHECK_THAT(refused({{std::string("a\0b", 3), {}, {}}}).en, Catch::Contains("control characters"));
  CHECK_THAT(refused({{"Same", {}, {}}, {"same", {}, {}}}).en,
             Catch::Contains("two sheets have this name"));
  CHECK_THAT(refused({{"s", {"a"}, {{"x", std::string(40000, 'y')}}}}).en,
             Catch::Contains("refused.xlsx, sheet s, cell B2: the text is longer than"));
  CHECK_THAT(refused({{"s", {"a", "\xC3"}, {}}}).en,
             Catch::Contains("cell B1: the text is not valid UTF-8"));
  CHECK_THAT(refused({{"s", {"a"}, {{1.0, std::numeric_limits<double>::infinity()}}}}).en,
             Catch::Contains("cell B2: the number is not finite"));
  CHECK_THAT(refused({{"s", {"a"}, {{1e308}}}}).en,
             Catch::Contains("cell A2: the number is larger"));
  CHECK_THAT(refused({{"s", {"a"}, {{}, {ymd(1899, 12, 31)}}}}).zh,
             Catch::Contains("单元格 A3：1900-01-01 以前的日期"));
}

TEST_CASE("texts that look like Excel's _xHHHH_ escapes survive the round trip", "[write]") {
  std::vector<std::string> texts = {"_x0041_",
                                    "_x005F_",
                                    "_x0000\x18",
                                    "a_x00",
                                    "__x0041__",
                                    "\r\n",
                                    std::string("\0", 1),
                                    "_x\x01",
                                    "_xD83D__xDE00_",
                                    "\x7f_x0020_x0020_",
                                    "_X0041_"};
  for (const auto& t : texts) CHECK(unescape_x(escape_x(t)) == t);
  CHECK(escape_x("a\x01"
                 "b") == "a_x0001_b");
  CHECK(escape_x("_x0041_") == "_x005F_x0041_");
  CHECK(escape_x("_x0000\x18") == "_x005F_x0000_x0018_");
  CHECK(unescape_x("_xD83D__xDE00_") == "\xF0\x9F\x98\x80");  // a surrogate pair: 😀
  OutSheet sheet{"s", {"t"}, {}};
  for (const auto& t : texts) sheet.rows.push_back({t});
  std::string path = scratch("escapes.xlsx");
  REQUIRE(write_xlsx(path, {sheet}));
  auto book = read_xlsx(path);
  REQUIRE(book);
  for (std::size_t i = 0; i < texts.size(); ++i)
    CHECK(at(book->sheets[0], "A" + std::to_string(i + 2)).text == texts[i]);
}

TEST_CASE("numbers are written to 16 significant digits", "[write]") {
  std::string path = scratch("digits.xlsx");
  REQUIRE(write_xlsx(path, {{"s", {"n"}, {{0.1 + 0.2}, {1.0 / 3}, {5e-324}, {-0.0}}}}));
  auto book = read_xlsx(path);
  REQUIRE(book);
  const Sheet& s = book->sheets[0];
  CHECK(at(s, "A2").text == "0.3");
  CHECK(at(s, "A3").number == 1.0 / 3);
  CHECK(at(s, "A4").number == 5e-324);
  CHECK(at(s, "A5").text == "0");
}

TEST_CASE("write_xlsx replaces a file, and says when it cannot write", "[write]") {
  std::string path = scratch("again.xlsx");
  write_file(path, "old");
  REQUIRE(write_xlsx(path, {{"s", {"a"}, {{1}}}}));
  auto book = read_xlsx(path);
  REQUIRE(book);
  CHECK(at(book->sheets[0], "A2").number == 1);
  auto r = write_xlsx(scratch("no-such-folder/x.xlsx"), {{"s", {"a"}, {}}});
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error().en, Catch::Contains("x.xlsx: cannot create the file"));
}

TEST_CASE("csv_text: BOM, CRLF, quoting, and read_csv reads it back", "[write]") {
  std::vector<OutSheet> sheets = sample();
  std::string text = csv_text(sheets[0]);
  CHECK(text.starts_with("\xEF\xBB\xBF姓名,身份证号,结论,分数,联审日期\r\n"));
  CHECK_THAT(text, Catch::Contains("\r\n张三,110101199001011234,不能,87.5,2021-06-01\r\n"));
  CHECK_THAT(text,
             Catch::Contains("\r\n\"王五\n（兼）\",,\"逗号, \"\"引号\"\"\",-0.25,1900-03-01\r\n"));
  std::string path = scratch("联审.csv");
  write_file(path, text);
  auto book = read_csv(path);
  REQUIRE(book);
  const Sheet& s = book->sheets[0];
  CHECK(s.name == "联审");
  CHECK(at(s, "C5").text == "逗号, \"引号\"");
  CHECK(at(s, "A5").text == "王五\n（兼）");
  CHECK(at(s, "E2").text == "2021-06-01");
  CHECK(s.find(4, 1) == nullptr);
}
