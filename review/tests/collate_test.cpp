// Collation of a roster and departments' returns, on workbooks built in memory: facts per
// candidate, "not returned" against "no record", located problems, orphans and duplicates.
#include <catch2/catch.hpp>

#include "xiangyue/compiler/checked.h"
#include "xiangyue/review/collate.h"

namespace {

namespace json = boost::json;
using xy::sheets::Cell;

const char* kPolicy = R"(
结构 {
  枚举 执行方式 { 刑满释放, 缓刑期满 }
  记录 刑事记录 { 罪名: 文本, 释放日: 日期, 执行方式: 执行方式, 部门: 文本 }
  实体 候选人 {
    姓名: 文本 敏感
    身份证号: 文本 敏感
    出生日期: 日期
    被剥夺政治权利: 布尔
    刑事记录: 集合<刑事记录>
  }
  行为 联审 { 候选人: 候选人, 选举日: 日期, 备注: 文本? }
}
报送 县级联审 针对 联审 {
  来源 部门
  名册 {
    标注 乡镇 "乡镇"
    标注 村 "村"
    列 候选人.姓名 "姓名"
    身份证 候选人.身份证号 "身份证号", "公民身份号码"
    出生 候选人.出生日期 "出生日期"
    列 选举日 "选举日"
    列 备注 "备注"
  }
  部门 县人民法院 "法院" {
    工作表 候选人.刑事记录 "刑事判决" {
      身份证 "身份证号"
      列 罪名 "罪名"
      列 释放日 "释放日"
      列 执行方式 "执行方式"
    }
    工作表 候选人.被剥夺政治权利 "剥夺政治权利" { 身份证 "身份证号" }
  }
  部门 县公安局 "公安" {
    工作表 候选人.刑事记录 {
      身份证 "公民身份号码"
      列 罪名 "罪名"
      列 释放日 "释放日"
      列 执行方式 "执行方式"
    }
  }
}
)";

struct Fixture {
  xy::checked::CheckResult checked = xy::checked::check_sources({{"review.xy", kPolicy}});
  const xy::checked::Returns& returns() {
    REQUIRE(checked.program);
    REQUIRE(checked.program->returns.size() == 1);
    return checked.program->returns[0];
  }
  const xy::Bundle& bundle() { return checked.program->decls; }
};

Cell text(std::uint32_t row, std::uint32_t col, std::string s) {
  Cell c;
  c.kind = Cell::Kind::Text;
  c.text = std::move(s);
  c.row = row;
  c.column = col;
  return c;
}

Cell date(std::uint32_t row, std::uint32_t col, int y, int m, int d) {
  Cell c;
  c.kind = Cell::Kind::Date;
  c.date = *xy::Date::from_ymd(y, m, d);
  c.text = c.date.to_string();
  c.row = row;
  c.column = col;
  return c;
}

// A sheet from rows of texts ("" leaves the cell empty), the first at `first_row`.
xy::sheets::Sheet sheet(std::string name, std::vector<std::vector<std::string>> rows,
                        std::uint32_t first_row = 1) {
  xy::sheets::Sheet s;
  s.name = std::move(name);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    xy::sheets::Row row;
    row.number = first_row + static_cast<std::uint32_t>(r);
    for (std::size_t c = 0; c < rows[r].size(); ++c)
      if (!rows[r][c].empty())
        row.cells.push_back(text(row.number, static_cast<std::uint32_t>(c + 1), rows[r][c]));
    if (!row.cells.empty()) s.rows.push_back(std::move(row));
  }
  return s;
}

xy::sheets::Workbook book(std::string path, std::vector<xy::sheets::Sheet> sheets) {
  return {std::move(path), std::move(sheets)};
}

// Two candidates: 张某 (no record anywhere) and 李某 (a court record, deprived).
const char* kZhang = "110101198003150017";
const char* kLi = "11010519491231002X";

xy::sheets::Workbook roster() {
  return book("名册.xlsx",
              {sheet("名册", {{"某县村委会换届候选人名册"},
                              {"乡镇", "村", "姓名", "身份证号", "出生日期", "选举日"},
                              {"东镇", "东村", "张某", kZhang, "1980-03-15", "2024-06-01"},
                              {"东镇", "西村", "李某", kLi, "1949年12月31日", "2024/6/1"}})});
}

xy::sheets::Workbook court(bool li_listed = true) {
  std::vector<std::vector<std::string>> judgements{{"身份证号", "罪名", "释放日", "执行方式"}};
  if (li_listed) judgements.push_back({kLi, "盗窃罪", "2021-03-01", "刑满释放"});
  return book("县人民法院核查结果.xlsx",
              {sheet("刑事判决", judgements), sheet("剥夺政治权利", {{"身份证号"}, {kLi}})});
}

xy::sheets::Workbook police(std::vector<std::vector<std::string>> rows = {}) {
  std::vector<std::vector<std::string>> all{{"公民身份号码", "罪名", "释放日", "执行方式"}};
  for (auto& r : rows) all.push_back(r);
  return book("公安局.csv", {sheet("公安局", all)});
}

const json::object& candidate_of(const xy::review::Collation& c, std::size_t i) {
  return c.candidates.at(i).facts.at("候选人").as_object();
}

}  // namespace

TEST_CASE_METHOD(Fixture, "collate: every department returned gives records, [] and false") {
  std::vector<xy::review::Problem> problems;
  auto returned = xy::review::assign(returns(), {court(), police()}, problems);
  CHECK(problems.empty());
  auto c = xy::review::collate(returns(), bundle(), roster(), returned);
  REQUIRE(c);
  REQUIRE(c->candidates.size() == 2);
  CHECK(c->outstanding.empty());
  CHECK(c->returned == std::vector<std::string>{"县人民法院", "县公安局"});
  const auto& zhang = c->candidates[0];
  CHECK(zhang.problems.empty());
  CHECK(zhang.labels == std::vector<std::string>{"东镇", "东村"});
  CHECK(zhang.row == 3);
  CHECK(candidate_of(*c, 0).at("刑事记录").as_array().empty());
  CHECK(candidate_of(*c, 0).at("被剥夺政治权利").as_bool() == false);
  CHECK(zhang.facts.at("选举日").as_string() == "2024-06-01");
  CHECK_FALSE(zhang.facts.contains("备注"));  // optional, no column: no value
  const auto& li = candidate_of(*c, 1);
  CHECK(c->candidates[1].problems.empty());
  CHECK(li.at("出生日期").as_string() == "1949-12-31");
  CHECK(c->candidates[1].facts.at("选举日").as_string() == "2024-06-01");
  REQUIRE(li.at("刑事记录").as_array().size() == 1);
  const auto& r = li.at("刑事记录").as_array()[0].as_object();
  CHECK(r.at("罪名").as_string() == "盗窃罪");
  CHECK(r.at("释放日").as_string() == "2021-03-01");
  CHECK(r.at("部门").as_string() == "县人民法院");  // `来源 部门`
  CHECK(li.at("被剥夺政治权利").as_bool() == true);
}

TEST_CASE_METHOD(Fixture, "collate: a department not returned leaves its facts without value") {
  std::vector<xy::review::Problem> problems;
  auto returned = xy::review::assign(returns(), {court()}, problems);
  auto c = xy::review::collate(returns(), bundle(), roster(), returned);
  REQUIRE(c);
  CHECK(c->outstanding == std::vector<std::string>{"县公安局"});
  // 刑事记录 comes from the court and the police: while the police are out, it has no value,
  // even for 张某, whom the court lists nowhere; the court's own flag is known.
  CHECK_FALSE(candidate_of(*c, 0).contains("刑事记录"));
  CHECK(candidate_of(*c, 0).at("被剥夺政治权利").as_bool() == false);
  CHECK(c->candidates[0].outstanding == std::vector<std::string>{"县公安局"});
}

TEST_CASE_METHOD(Fixture, "collate: bad cells are located and make only their fact unknown") {
  std::vector<xy::review::Problem> problems;
  auto returned = xy::review::assign(
      returns(), {court(), police({{kZhang, "寻衅滋事罪", "2022-13-01", "刑满释放"}})}, problems);
  auto c = xy::review::collate(returns(), bundle(), roster(), returned);
  REQUIRE(c);
  const auto& zhang = c->candidates[0];
  REQUIRE(zhang.problems.size() == 1);
  CHECK(zhang.problems[0].at.text() == "公安局.csv, sheet 公安局, cell C2");
  CHECK_THAT(zhang.problems[0].why.en, Catch::Contains("not a date"));
  CHECK_FALSE(candidate_of(*c, 0).contains("刑事记录"));
  CHECK(candidate_of(*c, 0).at("被剥夺政治权利").as_bool() == false);
}

TEST_CASE_METHOD(Fixture, "collate: orphans, duplicates, bad IDs and a birth date that differs") {
  auto r = roster();
  r.sheets[0].rows.push_back({5,
                              {text(5, 1, "东镇"), text(5, 3, "王某"), text(5, 4, kZhang),
                               date(5, 5, 1980, 3, 15), text(5, 6, "2024-06-01")}});
  r.sheets[0].rows.push_back({6,
                              {text(6, 3, "赵某"), text(6, 4, "110101198003150011"),
                               text(6, 5, "1980-03-15"), text(6, 6, "2024-06-01")}});
  r.sheets[0].rows.push_back({7,
                              {text(7, 3, "钱某"), text(7, 4, "220101199001011232"),
                               text(7, 5, "1990-01-02"), text(7, 6, "2024-06-01")}});
  std::vector<xy::review::Problem> problems;
  auto returned = xy::review::assign(
      returns(), {court(), police({{"330102198505054567", "盗窃罪", "2020-01-01", "刑满释放"}})},
      problems);
  auto c = xy::review::collate(returns(), bundle(), r, returned);
  REQUIRE(c);
  REQUIRE(c->candidates.size() == 5);
  CHECK_THAT(c->candidates[0].problems.at(0).why.en, Catch::Contains("rows of the roster (3, 5)"));
  CHECK_THAT(c->candidates[2].problems.at(0).why.en, Catch::Contains("rows of the roster (3, 5)"));
  CHECK_THAT(c->candidates[3].problems.at(0).why.en, Catch::Contains("check digit"));
  CHECK(c->candidates[3].problems.at(0).at.text() == "名册.xlsx, sheet 名册, cell D6");
  CHECK_THAT(c->candidates[4].problems.at(0).why.en, Catch::Contains("differs"));
  // No record can be told to be a duplicate's or a bad ID's: their returned facts have no value.
  for (std::size_t i : {0, 2, 3}) {
    CHECK_FALSE(c->candidates[i].matched);
    CHECK_FALSE(candidate_of(*c, i).contains("刑事记录"));
    CHECK_FALSE(candidate_of(*c, i).contains("被剥夺政治权利"));
  }
  CHECK(c->candidates[4].matched);  // a birth date that differs is named, the ID still matches
  CHECK(candidate_of(*c, 4).contains("刑事记录"));
  REQUIRE(c->orphans.size() == 1);
  CHECK(c->orphans[0].department == "县公安局");
  CHECK(c->orphans[0].id == "330102198505054567");
  CHECK(c->orphans[0].at.text() == "公安局.csv, sheet 公安局, cell A2");
}

TEST_CASE_METHOD(Fixture, "collate: files are assigned by their names; the roster needs its id") {
  std::vector<xy::review::Problem> problems;
  auto stray = book("民政局.xlsx", {});
  auto both = book("法院和公安.xlsx", {});
  auto returned = xy::review::assign(returns(), {stray, both, court()}, problems);
  REQUIRE(problems.size() == 2);
  CHECK_THAT(problems[0].why.en, Catch::Contains("names no department"));
  CHECK_THAT(problems[1].why.en, Catch::Contains("two departments"));
  auto no_id = book("名册.xlsx", {sheet("名册", {{"姓名", "出生日期"}, {"张某", "1980-03-15"}})});
  auto c = xy::review::collate(returns(), bundle(), no_id, returned);
  REQUIRE_FALSE(c);
  CHECK_THAT(c.error().en, Catch::Contains("\"身份证号\" or \"公民身份号码\""));
  auto no_day =
      book("名册.xlsx", {sheet("名册", {{"身份证号", "出生日期"}, {kZhang, "1980-03-15"}})});
  auto d = xy::review::collate(returns(), bundle(), no_day, returned);
  REQUIRE_FALSE(d);
  CHECK_THAT(d.error().zh, Catch::Contains("选举日"));
}

TEST_CASE_METHOD(Fixture, "collate: a return without a declared sheet leaves that fact unknown") {
  std::vector<xy::review::Problem> problems;
  auto partial =
      book("县人民法院.xlsx", {sheet("刑事判决", {{"身份证号", "罪名", "释放日", "执行方式"}})});
  auto returned = xy::review::assign(returns(), {partial, police()}, problems);
  auto c = xy::review::collate(returns(), bundle(), roster(), returned);
  REQUIRE(c);
  CHECK(candidate_of(*c, 0).at("刑事记录").as_array().empty());
  CHECK_FALSE(candidate_of(*c, 0).contains("被剥夺政治权利"));
  REQUIRE(c->problems.size() == 1);
  CHECK_THAT(c->problems[0].why.en, Catch::Contains("剥夺政治权利"));
}

TEST_CASE("collate: a department `for` a label covers, per file, the candidates of one value") {
  std::string policy = kPolicy;
  // The police return one file per township.
  policy.replace(policy.find("部门 县公安局 \"公安\" {"),
                 std::string("部门 县公安局 \"公安\" {").size(),
                 "部门 县公安局 \"公安\" 针对 乡镇 {");
  auto checked = xy::checked::check_sources({{"review.xy", policy}});
  REQUIRE(checked.program);
  REQUIRE(checked.program->returns.size() == 1);
  const auto& returns = checked.program->returns[0];
  auto r = roster();
  r.sheets[0].rows.push_back(
      {5,
       {text(5, 1, "南镇"), text(5, 3, "钱某"), text(5, 4, "220101199001011232"),
        text(5, 5, "1990-01-01"), text(5, 6, "2024-06-01")}});
  auto east = police();
  east.path = "东镇派出所（公安）.csv";
  std::vector<xy::review::Problem> problems;
  auto returned = xy::review::assign(returns, {court(), east}, problems);
  auto c = xy::review::collate(returns, checked.program->decls, r, returned);
  REQUIRE(c);
  CHECK(c->outstanding == std::vector<std::string>{"县公安局（南镇）"});
  CHECK(candidate_of(*c, 0).at("刑事记录").as_array().empty());  // 东镇: both returned
  CHECK_FALSE(candidate_of(*c, 2).contains("刑事记录"));         // 南镇: the police are out
  CHECK(c->candidates[2].outstanding == std::vector<std::string>{"县公安局（南镇）"});
  auto stray = police();
  stray.path = "西镇公安.csv";
  auto again = xy::review::assign(returns, {court(), east, stray}, problems);
  auto d = xy::review::collate(returns, checked.program->decls, r, again);
  REQUIRE(d);
  REQUIRE(d->problems.size() == 1);
  CHECK_THAT(d->problems[0].why.en, Catch::Contains("names no 乡镇 of the roster"));
}
