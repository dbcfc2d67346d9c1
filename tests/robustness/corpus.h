// The seed corpus: the shipped policy sets and requests, plus an embedded policy set.
#pragma once
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "xiangyue/common/diagnostic.h"

namespace robust {

namespace fs = std::filesystem;

// A policy set: its files (paths relative to the corpus root) and example requests.
struct PolicySet {
  std::string name;
  std::vector<xy::SourceFile> files;
  std::vector<std::string> requests;
};

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every directory directly under `root` holding *.xy files is one set (files sorted by path);
// `*.json` files anywhere under it are its requests.
inline std::vector<PolicySet> load_sets(const fs::path& root) {
  std::vector<PolicySet> sets;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return sets;
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(root, ec))
    if (e.is_directory()) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  for (const auto& dir : dirs) {
    PolicySet set;
    set.name = dir.filename().string();
    std::vector<fs::path> xy, json;
    for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
      if (!e.is_regular_file()) continue;
      if (e.path().extension() == ".xy") xy.push_back(e.path());
      if (e.path().extension() == ".json") json.push_back(e.path());
    }
    std::sort(xy.begin(), xy.end());
    std::sort(json.begin(), json.end());
    for (const auto& p : xy) set.files.push_back({fs::relative(p, root).string(), slurp(p)});
    for (const auto& p : json) set.requests.push_back(slurp(p));
    if (!set.files.empty()) sets.push_back(std::move(set));
  }
  return sets;
}

// A review policy with quantifiers, Chinese keywords, lists with attributes and citations.
inline PolicySet embedded_set() {
  PolicySet set;
  set.name = "embedded";
  set.files.push_back({"embedded/main.xy", R"XY(# 候选人资格审查（示例）
结构 {
  枚举 层级 有序 { 村, 乡镇, 县 }
  记录 记录项 { 罪名: 文本, 释放日: 日期?, 来源: 文本 }
  记录 候选人 { 姓名: 文本 敏感, 出生: 日期, 前科: 集合<记录项>, 外出: 期限?, 承诺: 布尔? }
  行为 资格审查 { 候选人: 候选人, 选举日: 日期, 到会: 整数, 应到: 整数 }
}
清单 严重罪名 (等级: 整数) 依据 "《村民委员会组织法》第十三条" {
  "聚众斗殴" (等级: 2), "寻衅滋事" (等级: 1) 依据 "立法法 2023 art. 81(1)"
}
政策 资格审查 {
  类型 审查
  默认 通过
  针对 资格审查
  范围 "某省"
  版本 "2021"
  生效 2021年1月1日 至 2030-12-31
  规则 N1 不能 当 周岁(候选人.出生, 选举日) 小于 18 理由 "{候选人.姓名|遮蔽}未满十八周岁"
  规则 N3 不能 当 任一 r 属于 候选人.前科：r.罪名 属于 严重罪名 且 r.释放日 + 5年 > 基准日
    理由 "{r.罪名}，{r.释放日}刑满释放（{r.来源}）"
    依据 "某省村两委换届候选人资格审查办法 第四条第一项"
  规则 B6 不宜 当 候选人.外出 有值 且 候选人.外出 >= 6个月
  规则 B6x 例外于 B6 通过 当 候选人.承诺 = 真 理由 "已书面承诺"
  规则 Q 不宜 当 非 (到会 * 2 > 应到) 或 计数(r 属于 候选人.前科) 不少于 3
}
)XY"});
  set.requests = {
      R"XY({"action":"资格审查","as_of":"2024-05-01","facts":{"候选人":{"姓名":"张某","出生":"1990-01-01",
         "前科":[{"罪名":"盗窃","来源":"县公安局"},{"罪名":"聚众斗殴","释放日":"2020-07-15","来源":"县公安局"}]},
         "选举日":"2024-05-10","到会":101,"应到":200}})XY",
      R"XY({"action":"资格审查","as_of":"2024-05-01","facts":{"候选人":{"姓名":"周某","出生":"2006-05-10",
         "前科":[],"外出":"6个月","承诺":true},"选举日":"2024-05-09","到会":"100","应到":200}})XY",
      R"XY({"action":"资格审查","facts":{"候选人":{"姓名":"吴某","出生":"1980-01-01","前科":[]}}})XY",
  };
  return set;
}

// Snippets for policy text: keywords, operators, brackets, literals.
inline const std::vector<std::string> kPolicyPool = {" rule ",
                                                     " 规则 ",
                                                     " when ",
                                                     " 当 ",
                                                     " exception to ",
                                                     " 例外于 ",
                                                     " and ",
                                                     " 且 ",
                                                     " or ",
                                                     " not ",
                                                     " 非 ",
                                                     " in ",
                                                     " 属于 ",
                                                     " 不属于 ",
                                                     " any x in ",
                                                     " 任一 x 属于 ",
                                                     " count(",
                                                     " is none",
                                                     " 有值",
                                                     " permit ",
                                                     " forbid ",
                                                     " 不能 ",
                                                     "{",
                                                     "}",
                                                     "(",
                                                     ")",
                                                     "[",
                                                     "]",
                                                     "\"",
                                                     "“",
                                                     ".",
                                                     ":",
                                                     ",",
                                                     " = ",
                                                     " >= ",
                                                     " 超过 ",
                                                     " + ",
                                                     " * ",
                                                     " / ",
                                                     "2024-02-30",
                                                     "2024年13月1日",
                                                     "5年",
                                                     "2.5日",
                                                     "三分之二",
                                                     "零分之二",
                                                     "2万元",
                                                     "99999999999999999999",
                                                     " because \"{",
                                                     "}\"",
                                                     " basis \"《",
                                                     " effective 2024-01-01 to 2023-01-01 ",
                                                     " schema { ",
                                                     " policy P { kind check ",
                                                     " list L { \"a\" ",
                                                     " enum E ordered { a, a } ",
                                                     " as_of ",
                                                     " age(",
                                                     " size(",
                                                     "#",
                                                     "/*",
                                                     "*/",
                                                     "//"};

// Snippets for JSON requests.
inline const std::vector<std::string> kRequestPool = {"{",
                                                      "}",
                                                      "[",
                                                      "]",
                                                      "\"",
                                                      ":",
                                                      ",",
                                                      "null",
                                                      "true",
                                                      "false",
                                                      "0",
                                                      "-1",
                                                      "1e999",
                                                      "1.5",
                                                      "\"2/3\"",
                                                      "\"2万元\"",
                                                      "\"2024-02-30\"",
                                                      "\"\\u0000\"",
                                                      "\"\\ud800\"",
                                                      "\"facts\"",
                                                      "\"action\"",
                                                      "\"as_of\"",
                                                      "\"policy\"",
                                                      "9223372036854775808",
                                                      "\"a\":{\"b\":",
                                                      "\\"};

}  // namespace robust
