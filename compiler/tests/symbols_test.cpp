// The symbol index: declarations with their comments, what a position names (fields through
// paths and quantifier variables, types, members, rules), completions, on text that may not parse.
#include "xiangyue/compiler/symbols.h"
#include "test_util.h"

using xy::symbols::Kind;

namespace {

const std::string kSchema =
    "结构 {\n"
    "  # 候选人本人。\n"
    "  实体 候选人 {\n"
    "    姓名: 文本 敏感\n"
    "    记录: 集合<刑事记录>  # 法院报送\n"
    "  }\n"
    "  记录 刑事记录 { 释放日: 日期, 罪名: 文本 }\n"
    "  枚举 层级 有序 { 乡镇, 县 }\n"
    "  行为 联审 { 人: 候选人, 级别: 层级 }\n"
    "}\n";
const std::string kRules =
    "政策 P {\n"
    "  类型 审查\n"
    "  默认 通过\n"
    "  针对 联审\n"
    "  规则 R1 不能\n"
    "    当 任一 r 属于 人.记录：r.释放日 + 3年 > 基准日\n"
    "    理由 \"{r.罪名}\"\n"
    "  规则 R2 例外于 R1 通过\n"
    "    当 级别 = 县\n"
    "}\n";

std::unique_ptr<xy::symbols::Index> index_of(const std::string& rules) {
  return xy::symbols::build({{"schema.xy", kSchema}, {"rules.xy", rules}}, "");
}

// The 1-based line and column of `needle` (+ offset code points) in `text`.
std::pair<std::uint32_t, std::uint32_t> where(const std::string& text, const std::string& needle,
                                              std::size_t offset = 0) {
  auto at = text.find(needle);
  REQUIRE(at != std::string::npos);
  auto line_start = text.rfind('\n', at);
  line_start = line_start == std::string::npos ? 0 : line_start + 1;
  auto line = static_cast<std::uint32_t>(std::count(text.begin(), text.begin() + at, '\n') + 1);
  auto col = xy::decode_utf8(text.substr(line_start, at - line_start)).size() + offset + 1;
  return {line, static_cast<std::uint32_t>(col)};
}

const xy::symbols::Symbol* at(const xy::symbols::Index& ix, const std::string& needle,
                              std::size_t offset = 0) {
  auto [line, col] = where(ix.files[1].text, needle, offset);
  return xy::symbols::at(ix, 1, line, col).symbol;
}

}  // namespace

TEST_CASE("declarations are indexed with their comments and types", "[symbols]") {
  auto ix = index_of(kRules);
  const auto* s = ix->find(Kind::Struct, "候选人");
  REQUIRE(s);
  CHECK(s->doc == "候选人本人。\n");
  CHECK(s->members == std::vector<std::string>{"姓名", "记录"});
  const auto* f = ix->find(Kind::Field, "记录", "候选人");
  REQUIRE(f);
  CHECK(f->type == "集合<刑事记录>");
  CHECK(f->type_name == "刑事记录");
  CHECK(f->is_set);
  CHECK(f->doc == "法院报送\n");
  CHECK(ix->find(Kind::Field, "姓名", "候选人")->sensitive);
  const auto* r = ix->find(Kind::Rule, "R1");
  REQUIRE(r);
  CHECK(r->action == "联审");
  CHECK(r->effect == "不能");
  CHECK(r->extent.end_line == 7);
}

TEST_CASE("a position names a field through a path, a quantifier variable, a member, a rule",
          "[symbols]") {
  auto ix = index_of(kRules);
  const auto* s = at(*ix, "人.记录", 2);
  REQUIRE(s);
  CHECK((s->kind == Kind::Field && s->name == "记录" && s->owner == "候选人"));
  s = at(*ix, "r.释放日", 2);  // r ranges over 人.记录: a 刑事记录
  REQUIRE(s);
  CHECK((s->kind == Kind::Field && s->name == "释放日" && s->owner == "刑事记录"));
  s = at(*ix, "r.释放日", 0);  // the variable itself: the record it ranges over
  REQUIRE(s);
  CHECK((s->kind == Kind::Struct && s->name == "刑事记录"));
  s = at(*ix, "级别 = 县", 5);
  REQUIRE(s);
  CHECK((s->kind == Kind::Member && s->owner == "层级"));
  s = at(*ix, "例外于 R1", 4);
  REQUIRE(s);
  CHECK((s->kind == Kind::Rule && s->name == "R1" && s->span.line == 5));
  s = at(*ix, "针对 联审", 3);
  REQUIRE(s);
  CHECK(s->kind == Kind::Action);
}

TEST_CASE("completion: fields after a dot, facts and Chinese keywords elsewhere, while typing",
          "[symbols]") {
  // The condition is cut off as it is being typed: the file does not parse.
  std::string typing = kRules.substr(0, kRules.find("r.释放日") + 2);
  auto ix = index_of(typing);
  auto [line, col] = where(typing, "r.", 2);
  std::vector<std::string> labels;
  for (const auto& c : xy::symbols::complete(*ix, 1, line, col)) labels.push_back(c.label);
  CHECK(labels == std::vector<std::string>{"释放日", "罪名"});
  auto [l2, c2] = where(typing, "任一", 0);
  labels.clear();
  for (const auto& c : xy::symbols::complete(*ix, 1, l2, c2)) labels.push_back(c.label);
  auto has = [&](const char* w) {
    return std::find(labels.begin(), labels.end(), w) != labels.end();
  };
  CHECK(has("人"));
  CHECK(has("级别"));
  CHECK(has("县"));
  CHECK(has("属于"));
  CHECK_FALSE(has("when"));
}
