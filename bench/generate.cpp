// Generates benchmark policy sets (schema, lists, ~10 rules per action) and matching requests.
#include "generate.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "xiangyue/compiler/compiler.h"

namespace xy::bench {

std::uint64_t Rng::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::size_t PolicySet::bytes() const {
  std::size_t n = 0;
  for (const auto& f : files) n += f.text.size();
  return n;
}

namespace {

constexpr std::size_t kRulesPerAction = 10;
constexpr std::size_t kActionsPerPolicy = 100;
constexpr std::size_t kActionsPerGroup = 10;

// Disjoint vocabularies, so a request's item name is in exactly the lists it was drawn from.
const std::vector<std::string> kDuties = {"办理本村公共事务和公益事业",
                                          "调解民间纠纷",
                                          "协助维护社会治安",
                                          "向人民政府反映村民的意见、要求和提出建议",
                                          "支持和组织村民发展合作经济和其他经济",
                                          "承担本村生产的服务和协调工作",
                                          "管理本村属于村农民集体所有的土地和其他财产",
                                          "引导村民合理利用自然资源，保护和改善生态环境",
                                          "宣传宪法、法律、法规和国家的政策",
                                          "开展社会主义精神文明建设活动",
                                          "支持服务性、公益性、互助性社会组织依法开展活动",
                                          "组织实施村民自治章程、村规民约",
                                          "执行村民会议、村民代表会议的决定、决议",
                                          "召集村民会议",
                                          "召集村民代表会议",
                                          "公布村务",
                                          "建立村务档案"};
const std::vector<std::string> kAssists = {
    "协助做好公共卫生工作",    "协助做好计划生育工作",     "协助做好优抚救济工作",
    "协助做好青少年教育工作",  "协助做好社会救助对象初审", "协助开展人口普查",
    "协助做好征兵工作",        "协助开展退役军人服务保障", "协助开展防汛抗旱和应急避险",
    "协助开展农村人居环境整治"};
const std::vector<std::string> kNegative = {
    "亲属关系",     "居民身份信息", "户口登记项目内容变更申请",
    "养犬",         "无犯罪记录",   "社区戒毒社区康复人员情况",
    "人员失踪",     "婚姻状况",     "出生",
    "健在",         "死亡",         "疾病状况",
    "残疾状况",     "婚育状况",     "居民就业状况",
    "个人档案",     "居民财产",     "遗产继承权",
    "市场主体住所", "证件遗失"};
const std::vector<std::string> kCrimes = {"贪污", "受贿", "挪用公款", "职务侵占", "寻衅滋事"};
const std::vector<std::string> kDutyCites = {
    "《村民委员会组织法》第二条第二款", "《村民委员会组织法》第八条第一款",
    "《村民委员会组织法》第九条第一款", "《城市居民委员会组织法》第三条第（三）项"};
const char* const kNegativeCite =
    "民政部等六部门《关于改进和规范基层群众性自治组织出具证明工作的指导意见》";

// Keywords in one of the two surface languages; rules pick one at random.
struct Keywords {
  const char *rule, *permit, *forbid, *when, *because, *basis, *and_, *or_, *not_, *in, *not_in,
      *exception_to, *any, *colon, *is_some, *ge, *gt, *lt, *age, *as_of, *effective, *to;
};
const Keywords kZh = {"规则", "允许", "禁止",   "当",     "理由", "依据", "且",   "或",
                      "非",   "属于", "不属于", "例外于", "任一", "：",   "有值", "不低于",
                      "超过", "小于", "周岁",   "基准日", "生效", "至"};
const Keywords kEn = {"rule", "permit", "forbid",    "when", "because", "basis",
                      "and",  "or",     "not",       "in",   "not in",  "exception to",
                      "any",  ":",      "is some",   ">=",   ">",       "<",
                      "age",  "as_of",  "effective", "to"};

std::string num(std::int64_t v) {
  return std::to_string(v);
}

std::string two(int v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", v);
  return buf;
}

// A date literal, ISO or Chinese form.
std::string date_lit(Rng& rng, int year, int month, int day) {
  if (rng.chance(50)) return num(year) + "-" + two(month) + "-" + two(day);
  return num(year) + "年" + num(month) + "月" + num(day) + "日";
}

std::vector<std::string> take(const std::vector<std::string>& vocab, std::size_t offset,
                              std::size_t n) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(vocab[(offset + i) % vocab.size()]);
  return out;
}

std::string quoted(const std::string& s) {
  return "\"" + s + "\"";
}

void write_lists(std::string& out, std::size_t g, const ListGroup& group, Rng& rng) {
  std::string G = num(static_cast<std::int64_t>(g));
  out += "清单 履职清单" + G + " 依据 \"《村民委员会组织法》第二条第二款\" {\n";
  for (const auto& item : group.duties) out += "  " + quoted(item) + "\n";
  out += "}\n";
  out +=
      "list 协助清单" + G + " (上限: money) basis \"某县《村级组织工作事项准入办法》第四条\" {\n";
  for (const auto& item : group.assists)
    out += "  " + quoted(item) + " (上限: " + num(rng.between(2, 10)) + "万元)\n";
  out += "}\n";
  out += "清单 负面清单" + G + " (序号: 整数) 依据 \"" + kNegativeCite + "\" {\n";
  for (const auto& item : group.negative) {
    std::size_t ordinal = 1;
    while (kNegative[ordinal - 1] != item) ++ordinal;
    out += "  " + quoted(item) + " (序号: " + num(static_cast<std::int64_t>(ordinal)) + ")";
    if (rng.chance(30)) out += " 依据 \"" + std::string(kNegativeCite) + "\"";
    out += "\n";
  }
  out += "}\n";
}

// One rule of template `t` (0..9) for action `a`. `base` is the id of template 3 (for 4).
std::string rule_text(std::size_t t, const std::string& id, const std::string& base,
                      const std::string& a, std::size_t g, Rng& rng) {
  const Keywords& k = rng.chance(50) ? kZh : kEn;
  std::string G = num(static_cast<std::int64_t>(g));
  std::string sp = " ";
  auto head = [&](const char* effect) {
    return std::string(k.rule) + sp + id + sp + effect + sp + a;
  };
  auto when = [&](const std::string& cond) { return "\n    " + std::string(k.when) + sp + cond; };
  auto because = [&](const std::string& text) {
    return "\n    " + std::string(k.because) + sp + quoted(text);
  };
  auto basis = [&](const std::string& cite) {
    return "\n    " + std::string(k.basis) + sp + quoted(cite);
  };
  std::string r;
  switch (t) {
    case 0:
      r = head(k.permit) +
          when("事项.名称 " + std::string(k.in) + " 履职清单" + G + sp + k.and_ + " 发起.层级 " +
               k.ge + " 乡镇") +
          because("「{事项.名称}」属于依法履职事项，由{发起.名称}交办") +
          basis(kDutyCites[rng.below(kDutyCites.size())]);
      break;
    case 1:
      r = head(k.permit) +
          when("事项.名称 " + std::string(k.in) + " 协助清单" + G + sp + k.and_ + " 事项.经费 " +
               k.gt + " 0 " + k.and_ + " 事项.职权随转") +
          because("协助政府事项「{事项.名称}」，经费{事项.经费}元与职权随事转移") +
          basis("某县《村级组织工作事项准入办法》第四条第一款第（二）项");
      break;
    case 2:
      r = head(k.forbid) + when("事项.名称 " + std::string(k.in) + " 负面清单" + G) +
          because("「{事项.名称}」属于不应出具的证明事项") + basis(kNegativeCite);
      break;
    case 3:
      r = head(k.forbid) +
          when("事项.名称 " + std::string(k.not_in) + " 履职清单" + G + sp + k.and_ +
               " 事项.名称 " + k.not_in + " 协助清单" + G + sp + k.and_ + " 事项.名称 " + k.not_in +
               " 负面清单" + G) +
          because("「{事项.名称}」不在准入清单内") +
          basis("某县《村级组织工作事项准入办法》第五条");
      break;
    case 4:
      r = std::string(k.rule) + sp + id + sp + k.exception_to + sp + base + sp + k.permit + sp + a +
          when("事项.准入批准 " + std::string(k.is_some) + sp + k.and_ + " 事项.准入批准.层级 " +
               k.ge + " 县 " + k.and_ + " 事项.经费 " + k.ge + sp + num(rng.between(1, 5)) +
               "万元") +
          because("新增事项经{事项.准入批准.名称}批准准入，随附经费{事项.经费}元") +
          basis("某县《村级组织工作事项准入办法》第六条第一款");
      break;
    case 5:
      r = head(k.forbid) +
          when("事项.人数 " + std::string(k.gt) + sp + num(rng.between(300, 900)) + sp + k.or_ +
               " 事项.截止 " + k.lt + sp +
               date_lit(rng, static_cast<int>(rng.between(2019, 2021)),
                        static_cast<int>(rng.between(1, 12)),
                        static_cast<int>(rng.between(1, 28)))) +
          because("事项涉及{事项.人数}人、截止于{事项.截止}，超出村级组织承接能力") +
          basis("《村民委员会组织法》第二十四条第一款") + "\n    " + k.effective + " 2021-01-01";
      break;
    case 6:
      r = head(k.forbid) +
          when("发起.层级 " + std::string(k.lt) + " 乡镇 " + k.and_ + sp + k.not_ +
               " 事项.职权随转") +
          because("{发起.名称}（{发起.层级}）不得越级下派事项") +
          basis("《村民委员会组织法》第五条第一款");
      break;
    case 7:
      r = head(k.forbid) +
          when("事项.经费 " + std::string(k.ge) + " 0 " + k.and_ + sp + k.any + " m " + k.in +
               " 成员" + k.colon + " m.罪名 " + k.in + " 限制罪名 " + k.or_ + sp + k.age +
               "(m.出生, " + k.as_of + ") " + k.lt + " 18") +
          because("成员{m.姓名}不符合承办条件") + basis("《村民委员会组织法》第十三条");
      break;
    case 8:
      r = head(k.forbid) +
          when("事项.名称 " + std::string(k.in) + " 协助清单" + G + sp + k.and_ + " 事项.经费 " +
               k.gt + " 协助清单" + G + "[事项.名称].上限") +
          because("协助事项「{事项.名称}」经费{事项.经费}元超过上限") +
          basis("某县《村级组织工作事项准入办法》第七条");
      break;
    default:
      r = head(k.forbid) +
          when("接收 " + std::string(k.in) + " [\"某社区居民委员会\", \"某街道办事处\"] " + k.and_ +
               " 事项.截止 " + k.lt + sp + k.as_of + " + 30日") +
          because("{接收}不承接{事项.截止}前到期的事项") +
          basis("某县《村级组织工作事项准入办法》第八条") + "\n    " + k.effective +
          " 2023-01-01 " + k.to + " 2030-12-31";
      break;
  }
  return "  " + r + "\n";
}

}  // namespace

PolicySet generate_policies(std::size_t rules, std::uint64_t seed) {
  Rng rng(seed);
  PolicySet set;
  set.rules = rules;
  std::size_t actions = (rules + kRulesPerAction - 1) / kRulesPerAction;
  if (actions == 0) actions = 1;
  std::size_t groups = (actions + kActionsPerGroup - 1) / kActionsPerGroup;
  for (std::size_t g = 0; g < groups; ++g) {
    ListGroup lg;
    lg.duties = take(kDuties, g * 5, 8);
    lg.assists = take(kAssists, g * 3, 6);
    lg.negative = take(kNegative, g * 7, 8);
    set.groups.push_back(std::move(lg));
  }
  for (std::size_t i = 0; i < actions; ++i) {
    GeneratedAction a;
    a.name = "下派事项" + num(static_cast<std::int64_t>(i + 1));
    a.group = i / kActionsPerGroup;
    a.rules = std::min(kRulesPerAction, rules - i * kRulesPerAction);
    set.actions.push_back(std::move(a));
  }

  std::string schema =
      "# 生成的基准政策集：结构与清单（" + num(static_cast<std::int64_t>(rules)) +
      " 条规则，种子 " + std::to_string(seed) +
      "）\n"
      "结构 {\n"
      "  枚举 层级 有序 { 村, 乡镇, 县, 设区的市, 省 }\n"
      "  实体 机关 { 名称: 文本, 层级: 层级 }\n"
      "  记录 事项 { 名称: 文本, 经费: 金额, 人数: 整数, 职权随转: 布尔, 截止: 日期, 准入批准: "
      "机关? }\n"
      "  record 成员 { 姓名: text, 出生: date, 罪名: text? }\n";
  for (const auto& a : set.actions)
    schema += "  行为 " + a.name + " { 发起: 机关, 接收: 文本, 事项: 事项, 成员: 集合<成员> }\n";
  schema += "}\n\n清单 限制罪名 依据 \"《村民委员会组织法》第十三条\" {";
  for (std::size_t i = 0; i < kCrimes.size(); ++i) schema += (i ? "，" : " ") + quoted(kCrimes[i]);
  schema += " }\n\n";
  for (std::size_t g = 0; g < groups; ++g) write_lists(schema, g, set.groups[g], rng);
  set.files.push_back({"bench/schema.xy", std::move(schema)});

  set.policies = (actions + kActionsPerPolicy - 1) / kActionsPerPolicy;
  std::size_t emitted = 0;
  for (std::size_t p = 0; p < set.policies; ++p) {
    std::string P = num(static_cast<std::int64_t>(p + 1));
    bool zh = rng.chance(50);
    std::string text = "# 生成的基准政策 " + P + "\n";
    text += zh ? "政策 工作事项准入" + P +
                     " {\n  类型 检查\n  默认 不予许可\n  范围 \"某县\"\n  版本 \"2024\"\n  生效 "
                     "2022-08-01\n"
               : "policy 工作事项准入" + P +
                     " {\n  kind check\n  default not_permitted\n  scope \"某县\"\n  version "
                     "\"2024\"\n  effective 2022-08-01\n";
    std::size_t last = std::min(actions, (p + 1) * kActionsPerPolicy);
    for (std::size_t ai = p * kActionsPerPolicy; ai < last; ++ai) {
      const GeneratedAction& a = set.actions[ai];
      std::string prefix = "R" + num(static_cast<std::int64_t>(ai + 1)) + "_";
      for (std::size_t t = 0; t < a.rules; ++t) {
        text += rule_text(t, prefix + num(static_cast<std::int64_t>(t)), prefix + "3", a.name,
                          a.group, rng);
        ++emitted;
      }
    }
    text += "}\n";
    set.files.push_back({"bench/policy" + P + ".xy", std::move(text)});
  }
  if (emitted != rules) {
    std::cerr << "generate_policies: emitted " << emitted << " rules, expected " << rules << "\n";
    std::abort();
  }
  return set;
}

std::vector<std::string> generate_requests(const PolicySet& set, const RequestOptions& o) {
  Rng rng(o.seed);
  std::vector<std::string> out;
  out.reserve(o.count);
  for (std::size_t i = 0; i < o.count; ++i) {
    const GeneratedAction& a = set.actions[rng.below(set.actions.size())];
    const ListGroup& g = set.groups[a.group];
    std::uint64_t kind = rng.below(100);
    std::string name, funds = num(rng.between(0, 5000)), approval = "null";
    bool transfer = rng.chance(50);
    if (kind < 35) {  // a statutory duty: permit by template 0
      name = g.duties[rng.below(g.duties.size())];
    } else if (kind < 55) {  // a certificate on the negative list: deny by template 2
      name = g.negative[rng.below(g.negative.size())];
    } else if (kind < 80) {  // assisting with funding (below every 上限): permit by template 1
      name = g.assists[rng.below(g.assists.size())];
      funds = num(rng.between(1000, 19999));
      transfer = kind < 75;  // without transfer no rule applies: the default decides
    } else if (kind < 90) {  // unlisted: deny by template 3
      name = "编制第" + num(rng.between(1, 99)) + "号工作台账";
    } else {  // unlisted but approved at county level: template 4 sets template 3 aside
      name = "开展第" + num(rng.between(1, 99)) + "批专项调查";
      funds = "\"6万\"";
      approval = "{\"名称\":\"某县人民政府\",\"层级\":\"县\"}";
    }
    std::string members;
    for (std::size_t m = 0; m < o.members; ++m) {
      members += m ? "," : "";
      members += "{\"姓名\":\"成员" + num(static_cast<std::int64_t>(m + 1)) + "\",\"出生\":\"" +
                 num(rng.between(1950, 1990)) + "-" + two(static_cast<int>(rng.between(1, 12))) +
                 "-" + two(static_cast<int>(rng.between(1, 28))) + "\",\"罪名\":null}";
    }
    std::string r = "{\"action\":\"" + a.name + "\",\"as_of\":\"" + o.as_of +
                    "\",\"facts\":{\"发起\":{\"名称\":\"某镇人民政府\",\"层级\":\"" +
                    (rng.chance(70) ? "乡镇" : "县") +
                    "\"},\"接收\":\"某村民委员会\",\"事项\":{\"名称\":\"" + name +
                    "\",\"经费\":" + funds + ",\"人数\":" + num(rng.between(1, 50)) +
                    ",\"职权随转\":" + (transfer ? "true" : "false") + ",\"截止\":\"" +
                    num(rng.between(2025, 2026)) + "-" + two(static_cast<int>(rng.between(1, 12))) +
                    "-" + two(static_cast<int>(rng.between(1, 28))) +
                    "\",\"准入批准\":" + approval + "},\"成员\":[" + members + "]}}";
    out.push_back(std::move(r));
  }
  return out;
}

Bundle compile_or_die(const PolicySet& set) {
  CompileResult result = compile_sources(set.files);
  if (!result.bundle) {
    std::cerr << "generated policy set (" << set.rules << " rules) does not compile:\n"
              << render_all(result.diagnostics, result.files, Lang::en);
    std::abort();
  }
  return std::move(*result.bundle);
}

}  // namespace xy::bench
