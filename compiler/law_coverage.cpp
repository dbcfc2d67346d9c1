// Statute coverage: the resolved citations of compiled sets laid over the law texts' structure.
#include "xiangyue/compiler/law_coverage.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "laws.h"
#include "xiangyue/literals/literals.h"

namespace xy::laws {
namespace json = boost::json;

namespace {

void add(std::vector<CitedBy>& to, CitedBy who) {
  if (std::find(to.begin(), to.end(), who) == to.end()) to.push_back(std::move(who));
}

LawCoverage skeleton(const Law& law) {
  LawCoverage c;
  c.source = law.file.substr(0, law.file.size() - 3);
  c.title = law.title;
  c.version = law.version;
  for (const auto& [n, article] : law.articles) {
    ArticleCoverage a;
    a.article = n;
    for (std::size_t p = 0; p < article.paragraphs.size(); ++p) {
      ParagraphCoverage pc;
      pc.paragraph = static_cast<int>(p + 1);
      for (const auto& [i, text] : article.paragraphs[p].items) pc.items.push_back({i, {}, {}});
      a.paragraphs.push_back(std::move(pc));
    }
    c.articles.push_back(std::move(a));
  }
  return c;
}

void mark(LawCoverage& law, const ir::Citation& c, CitedBy who) {
  if (!c.article) return add(law.whole, std::move(who));
  auto a = std::find_if(law.articles.begin(), law.articles.end(),
                        [&](const ArticleCoverage& x) { return x.article == *c.article; });
  if (a == law.articles.end()) return;
  if (!c.paragraph && !c.item) return add(a->by, std::move(who));
  // 第X条第（三）项 without a paragraph is an item of the first paragraph (as in resolve).
  auto p = static_cast<std::size_t>(c.paragraph.value_or(1));
  if (p < 1 || p > a->paragraphs.size()) return;
  auto& para = a->paragraphs[p - 1];
  if (!c.item) return add(para.by, std::move(who));
  for (auto& item : para.items)
    if (item.item == *c.item) add(item.by, std::move(who));
}

Covered of_parts(std::size_t full, std::size_t any, std::size_t total) {
  if (total > 0 && full == total) return Covered::full;
  return any > 0 ? Covered::part : Covered::none;
}

void settle(LawCoverage& law) {
  bool whole = !law.whole.empty();
  for (auto& a : law.articles) {
    std::size_t pfull = 0, pany = 0;
    for (auto& p : a.paragraphs) {
      bool above = whole || !a.by.empty() || !p.by.empty();
      std::size_t ifull = 0;
      for (auto& i : p.items) {
        i.covered = above || !i.by.empty() ? Covered::full : Covered::none;
        ifull += i.covered == Covered::full;
      }
      p.covered = above ? Covered::full : of_parts(ifull, ifull, p.items.size());
      pfull += p.covered == Covered::full;
      pany += p.covered != Covered::none;
    }
    a.covered = whole || !a.by.empty() ? Covered::full : of_parts(pfull, pany, a.paragraphs.size());
  }
}

// `set: R1, R2; set2: R3`, grouped by set in order of appearance; the entries of one list are
// counted, not named (`证明事项负面清单（20 项）`).
std::string citers(const std::vector<CitedBy>& by, Lang lang) {
  bool zh = lang == Lang::zh;
  // Per set, in order of appearance: rule ids, and list names with their entry count.
  struct Name {
    std::string text;
    bool list;
  };
  std::vector<std::pair<std::string, std::vector<Name>>> groups;
  std::map<std::pair<std::string, std::string>, std::size_t> entries;  // (set, list) → count
  for (const auto& b : by) {
    auto g = std::find_if(groups.begin(), groups.end(), [&](auto& x) { return x.first == b.set; });
    if (g == groups.end()) g = groups.insert(groups.end(), {b.set, {}});
    if (b.list.empty())
      g->second.push_back({b.what, false});
    else if (entries[{b.set, b.list}]++ == 0)
      g->second.push_back({b.list, true});
  }
  std::string out;
  for (const auto& [set, names] : groups) {
    std::string shown;
    for (const auto& [text, list] : names) {
      std::size_t n = list ? entries[{set, text}] : 0;
      shown += (shown.empty() ? ""
                : zh          ? "、"
                              : ", ") +
               text +
               (!list ? ""
                : zh  ? "（" + std::to_string(n) + " 项）"
                      : " (" + std::to_string(n) + (n == 1 ? " entry)" : " entries)"));
    }
    out += (out.empty() ? "" : "; ") + set + ": " + shown;
  }
  return out;
}

std::string article_name(int n, Lang lang) {
  return lang == Lang::zh ? "第" + lit::format_cn_numeral(n) + "条" : "art. " + std::to_string(n);
}
std::string paragraph_name(int n, Lang lang) {
  return lang == Lang::zh ? "第" + lit::format_cn_numeral(n) + "款" : "para. " + std::to_string(n);
}
std::string item_name(int n, Lang lang) {
  return lang == Lang::zh ? "（" + lit::format_cn_numeral(n) + "）" : std::to_string(n);
}

// Articles as ranges: 第一条至第十条、第十二条 / arts. 1–10, 12.
std::string ranges(const std::vector<int>& ns, Lang lang) {
  bool zh = lang == Lang::zh;
  std::string out;
  for (std::size_t i = 0; i < ns.size();) {
    std::size_t j = i;
    while (j + 1 < ns.size() && ns[j + 1] == ns[j] + 1) ++j;
    if (j == i + 1) j = i;  // two in a row are named each: 第三条、第四条
    if (!out.empty()) out += zh ? "、" : ", ";
    if (zh) {
      out += article_name(ns[i], lang);
      if (j > i) out += "至" + article_name(ns[j], lang);
    } else {
      out += std::to_string(ns[i]);
      if (j > i) out += "–" + std::to_string(ns[j]);
    }
    i = j + 1;
  }
  return zh ? out : (ns.size() == 1 ? "art. " : "arts. ") + out;
}

std::string paragraph_line(const ParagraphCoverage& p, Lang lang) {
  bool zh = lang == Lang::zh;
  std::string out = paragraph_name(p.paragraph, lang);
  std::vector<const ItemCoverage*> cited;
  std::vector<CitedBy> by = p.by;
  if (p.by.empty()) {
    for (const auto& i : p.items)
      if (!i.by.empty()) {
        cited.push_back(&i);
        for (const auto& b : i.by) add(by, b);
      }
  }
  if (!cited.empty()) {
    out += zh ? "第" : " items ";
    for (std::size_t k = 0; k < cited.size(); ++k)
      out += (k && !zh ? ", " : (k ? "、" : "")) + item_name(cited[k]->item, lang);
    out += zh ? "项" : "";
    if (p.covered == Covered::full) out += zh ? "（全部各项）" : " (every item)";
  }
  return out + " [" + citers(by, lang) + "]";
}

std::string covered_word(Covered c, Lang lang) {
  bool zh = lang == Lang::zh;
  switch (c) {
    case Covered::full:
      return zh ? "全部" : "in full";
    case Covered::part:
      return zh ? "部分" : "in part";
    case Covered::none:
      break;
  }
  return zh ? "未引用" : "not cited";
}

}  // namespace

std::size_t LawCoverage::count(Covered c) const {
  return static_cast<std::size_t>(std::count_if(
      articles.begin(), articles.end(), [&](const ArticleCoverage& a) { return a.covered == c; }));
}

std::vector<LawCoverage> coverage(const std::string& laws_dir,
                                  const std::vector<std::pair<std::string, const Bundle*>>& sets) {
  Library library = Library::load(laws_dir);
  std::vector<LawCoverage> out;
  std::map<std::string, std::size_t> by_source;
  for (const auto& law : library.laws()) {
    by_source[law.file.substr(0, law.file.size() - 3)] = out.size();
    out.push_back(skeleton(law));
  }
  auto cite = [&](std::uint32_t index, const Bundle& b, CitedBy who) {
    if (index == ir::kNone || index >= b.citations.size()) return;
    const auto& c = b.citations[index];
    auto it = by_source.find(c.source);  // unresolved citations have no source
    if (it != by_source.end()) mark(out[it->second], c, std::move(who));
  };
  for (const auto& [set, bundle] : sets) {
    for (const auto& rule : bundle->rules) cite(rule.citation, *bundle, {set, rule.id, {}});
    for (const auto& list : bundle->lists) {
      cite(list.citation, *bundle, {set, list.name, {}});
      for (const auto& item : list.items)
        cite(item.citation, *bundle, {set, list.name + "·" + item.key, list.name});
    }
  }
  for (auto& law : out) settle(law);
  return out;
}

std::string coverage_text(const std::vector<LawCoverage>& laws, Lang lang) {
  bool zh = lang == Lang::zh;
  std::string out;
  for (const auto& law : laws) {
    std::size_t full = law.count(Covered::full), part = law.count(Covered::part);
    std::size_t total = law.articles.size();
    if (total == 0) {
      out += law.source + (zh ? "：无条文；" : ": no articles; ");
      out += law.whole.empty()
                 ? (zh ? "未引用\n" : "not cited\n")
                 : (zh ? "整体引用 [" : "cited as a whole [") + citers(law.whole, lang) + "]\n";
      continue;
    }
    if (zh)
      out += law.source + "：共 " + std::to_string(total) + " 条，引用 " +
             std::to_string(full + part) + " 条（全部 " + std::to_string(full) + "，部分 " +
             std::to_string(part) + "），未引用 " + std::to_string(total - full - part) + " 条\n";
    else
      out += law.source + ": " + std::to_string(full + part) + " of " + std::to_string(total) +
             " articles cited (" + std::to_string(full) + " in full, " + std::to_string(part) +
             " in part), " + std::to_string(total - full - part) + " not cited\n";
    if (!law.whole.empty())
      out += (zh ? "  整体引用 [" : "  cited as a whole [") + citers(law.whole, lang) + "]\n";
    std::vector<int> none;
    for (const auto& a : law.articles) {
      if (a.covered == Covered::none) {
        none.push_back(a.article);
        continue;
      }
      out += "  " + article_name(a.article, lang) + " " + covered_word(a.covered, lang);
      if (!a.by.empty() || !law.whole.empty()) {
        out += a.by.empty() ? "\n" : " [" + citers(a.by, lang) + "]\n";
        continue;
      }
      std::string cited, rest;
      for (const auto& p : a.paragraphs) {
        if (p.covered != Covered::none)
          cited += (cited.empty() ? "" : zh ? "；" : "; ") + paragraph_line(p, lang);
        if (p.covered != Covered::full && a.paragraphs.size() > 1)
          rest += (rest.empty() ? "" : zh ? "、" : ", ") + paragraph_name(p.paragraph, lang);
      }
      out += (zh ? "：" : ": ") + cited;
      if (!rest.empty()) out += (zh ? "；未全部引用：" : "; not wholly cited: ") + rest;
      out += "\n";
    }
    if (!none.empty()) out += (zh ? "  未引用：" : "  not cited: ") + ranges(none, lang) + "\n";
  }
  return out;
}

namespace {

json::array citers_json(const std::vector<CitedBy>& by) {
  json::array out;
  for (const auto& b : by) out.push_back(json::object{{"set", b.set}, {"cited_by", b.what}});
  return out;
}

const char* covered_key(Covered c) {
  return c == Covered::full ? "full" : c == Covered::part ? "part" : "none";
}

}  // namespace

json::value coverage_json(const std::vector<LawCoverage>& laws) {
  json::array out;
  for (const auto& law : laws) {
    json::array cited, none;
    for (const auto& a : law.articles) {
      if (a.covered == Covered::none) {
        none.push_back(a.article);
        continue;
      }
      json::array paragraphs;
      for (const auto& p : a.paragraphs) {
        json::array items;
        for (const auto& i : p.items)
          items.push_back(json::object{
              {"item", i.item}, {"covered", covered_key(i.covered)}, {"by", citers_json(i.by)}});
        paragraphs.push_back(json::object{{"paragraph", p.paragraph},
                                          {"covered", covered_key(p.covered)},
                                          {"by", citers_json(p.by)},
                                          {"items", std::move(items)}});
      }
      cited.push_back(json::object{{"article", a.article},
                                   {"covered", covered_key(a.covered)},
                                   {"by", citers_json(a.by)},
                                   {"paragraphs", std::move(paragraphs)}});
    }
    out.push_back(
        json::object{{"source", law.source},
                     {"title", law.title},
                     {"version", law.version.empty() ? json::value() : json::value(law.version)},
                     {"articles", law.articles.size()},
                     {"full", law.count(Covered::full)},
                     {"part", law.count(Covered::part)},
                     {"whole", citers_json(law.whole)},
                     {"cited", std::move(cited)},
                     {"not_cited", std::move(none)}});
  }
  return out;
}

}  // namespace xy::laws
