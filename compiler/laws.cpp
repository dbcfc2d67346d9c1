// Loads statute texts (Markdown, one article per `第X条` line) and resolves citations to them.
#include "laws.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "xiangyue/literals/literals.h"

namespace xy::laws {
namespace fs = std::filesystem;

namespace {

const std::string kPrc = "中华人民共和国";

std::string strip_prc(const std::string& s) {
  return s.rfind(kPrc, 0) == 0 ? s.substr(kPrc.size()) : s;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ')) s.pop_back();
  std::size_t a = 0;
  while (a < s.size() && s[a] == ' ') ++a;
  return s.substr(a);
}

// `第八十一条 …` → {81, "…"}; also `第十二章`-style headings end an article (returns -1).
std::optional<std::pair<int, std::string>> article_start(const std::string& line) {
  const std::string di = "第";
  if (line.rfind(di, 0) != 0) return std::nullopt;
  for (const char* unit : {"条", "章", "节"}) {
    std::size_t end = line.find(unit, di.size());
    if (end == std::string::npos || end > 40) continue;
    auto n = lit::parse_cn_numeral(line.substr(di.size(), end - di.size()));
    if (!n) continue;
    if (std::string(unit) != "条") return std::pair<int, std::string>{-1, ""};
    std::string rest = line.substr(end + std::string(unit).size());
    // Separated by a space, a full-width space, or nothing.
    if (rest.rfind("\u3000", 0) == 0) rest = rest.substr(3);
    return std::pair<int, std::string>{*n, trim(rest)};
  }
  return std::nullopt;
}

// `（三）…` or `(三)…` → {3, line}.
std::optional<int> item_start(const std::string& line) {
  std::string open, close;
  if (line.rfind("（", 0) == 0)
    open = "（", close = "）";
  else if (line.rfind("(", 0) == 0)
    open = "(", close = ")";
  else
    return std::nullopt;
  std::size_t end = line.find(close, open.size());
  if (end == std::string::npos || end > 30) return std::nullopt;
  auto n = lit::parse_cn_numeral(line.substr(open.size(), end - open.size()));
  if (!n) return std::nullopt;
  return *n;
}

Law parse_law(const fs::path& file) {
  Law law;
  law.file = file.filename().string();
  std::string stem = file.stem().string();
  auto paren = stem.find('(');
  law.title = strip_prc(stem.substr(0, paren));
  if (paren != std::string::npos) {
    std::string suffix = stem.substr(paren + 1, stem.size() - paren - 2);
    if (lit::parse_date(suffix)) law.version = suffix;
  }
  std::ifstream in(file, std::ios::binary);
  Article* current = nullptr;
  for (std::string raw; std::getline(in, raw);) {
    std::string line = trim(raw);
    if (line.empty()) continue;
    if (line[0] == '#' || line[0] == '>' || line.rfind("<!--", 0) == 0) {
      if (line[0] == '#') current = nullptr;
      continue;
    }
    if (auto a = article_start(line)) {
      if (a->first < 0) {
        current = nullptr;
        continue;
      }
      current = &law.articles[a->first];
      current->paragraphs.clear();
      current->paragraphs.push_back({a->second, {}});
      continue;
    }
    if (!current) continue;
    if (auto item = item_start(line)) {
      current->paragraphs.back().items[*item] = line;
    } else {
      current->paragraphs.push_back({line, {}});
    }
  }
  return law;
}

std::string cn(int n) {
  return std::to_string(n);
}

}  // namespace

Library Library::load(const std::string& dir) {
  Library lib;
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec) && it->path().extension() == ".md") files.push_back(it->path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    lib.laws_.push_back(parse_law(f));  // a document without articles can still be cited whole
  }
  return lib;
}

Result<Quote, Localized> Library::resolve(const ir::Citation& c) const {
  using R = Result<Quote, Localized>;
  std::string law = strip_prc(c.law);
  std::vector<const Law*> found;
  for (const auto& l : laws_)
    if (l.title == law || l.title == strip_prc(c.issuer + c.law)) found.push_back(&l);
  if (found.empty())
    return R::failure(
        {"no text of `" + c.law + "` in the laws folder", "法规文本目录中没有「" + c.law + "」"});
  if (c.version) {
    std::string year;
    for (char ch : *c.version)
      if (ch >= '0' && ch <= '9' && year.size() < 4) year += ch;
    std::vector<const Law*> match;
    for (auto* l : found)
      if (!year.empty() && l->version.rfind(year, 0) == 0) match.push_back(l);
    if (match.empty())
      return R::failure({"`" + c.law + "` has no version `" + *c.version + "` in the laws folder",
                         "法规文本目录中没有「" + c.law + "」的「" + *c.version + "」版本"});
    found = match;
  }
  if (found.size() > 1) {
    std::string versions;
    for (auto* l : found) versions += (versions.empty() ? "" : ", ") + l->version;
    return R::failure({"`" + c.law + "` has several versions (" + versions +
                           "); name one, e.g. `《" + c.law + "》（" +
                           found.back()->version.substr(0, 4) + "年修正）`",
                       "「" + c.law + "」有多个版本（" + versions + "），请指明，例如「《" + c.law +
                           "》（" + found.back()->version.substr(0, 4) + "年修正）」"});
  }
  const Law& l = *found[0];
  Quote q;
  q.source = l.file.substr(0, l.file.size() - 3);
  if (!c.article) {
    q.text = "";
    return q;
  }
  auto a = l.articles.find(*c.article);
  if (a == l.articles.end())
    return R::failure({"`" + l.file + "` has no article " + cn(*c.article),
                       "「" + l.file + "」没有第" + cn(*c.article) + "条"});
  const auto& paras = a->second.paragraphs;
  auto whole = [](const Paragraph& p) {
    std::string t = p.text;
    for (const auto& [n, item] : p.items) t += item;
    return t;
  };
  if (!c.paragraph && !c.item) {
    for (std::size_t i = 0; i < paras.size(); ++i) q.text += (i ? "\n" : "") + whole(paras[i]);
    return q;
  }
  // 第X条第（三）项 without a paragraph refers to the first paragraph's items.
  int p = c.paragraph.value_or(1);
  if (p < 1 || static_cast<std::size_t>(p) > paras.size())
    return R::failure({"article " + cn(*c.article) + " of `" + l.file + "` has " +
                           cn(static_cast<int>(paras.size())) + " paragraph(s), not " + cn(p),
                       "「" + l.file + "」第" + cn(*c.article) + "条只有 " +
                           cn(static_cast<int>(paras.size())) + " 款，没有第" + cn(p) + "款"});
  const Paragraph& para = paras[static_cast<std::size_t>(p - 1)];
  if (!c.item) {
    q.text = whole(para);
    return q;
  }
  auto it = para.items.find(*c.item);
  if (it == para.items.end())
    return R::failure({"article " + cn(*c.article) + " paragraph " + cn(p) + " of `" + l.file +
                           "` has no item " + cn(*c.item),
                       "「" + l.file + "」第" + cn(*c.article) + "条第" + cn(p) + "款没有第" +
                           cn(*c.item) + "项"});
  q.text = it->second;
  return q;
}

std::string find_dir(const std::vector<std::string>& paths, std::vector<std::string>* looked) {
  for (const auto& p : paths) {
    std::error_code ec;
    fs::path at = fs::absolute(p, ec);
    if (!fs::is_directory(at, ec)) at = at.parent_path();
    for (int up = 0; up < 3 && !at.empty(); ++up, at = at.parent_path()) {
      fs::path dir = at / "laws";
      if (fs::is_directory(dir, ec)) return dir.string();
      // Shown as the user would type them: relative to where xy runs.
      std::string shown = fs::proximate(dir, ec).string();
      if (ec || shown.empty()) shown = dir.string();
      if (looked && std::find(looked->begin(), looked->end(), shown) == looked->end())
        looked->push_back(shown);
      if (at == at.parent_path()) break;
    }
  }
  return {};
}

}  // namespace xy::laws
