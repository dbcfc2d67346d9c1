// Reads policy test cases from the Markdown tables of a test file (format: docs/testing.md).
#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "xiangyue/runtime/engine.h"
#include "xiangyue/tooling/policy_test.h"

namespace xy::policytest {
namespace {

enum class Col { Case, Request, Set, AsOf, Policy, Outcome, Rules, Overridden, Missing, Note };

const std::map<std::string, Col>& columns() {
  static const std::map<std::string, Col> m = {
      {"用例", Col::Case},       {"case", Col::Case},
      {"请求", Col::Request},    {"request", Col::Request},
      {"修改", Col::Set},        {"set", Col::Set},
      {"基准日", Col::AsOf},     {"as_of", Col::AsOf},
      {"政策", Col::Policy},     {"policy", Col::Policy},
      {"结论", Col::Outcome},    {"outcome", Col::Outcome},
      {"规则", Col::Rules},      {"rules", Col::Rules},
      {"例外", Col::Overridden}, {"overridden", Col::Overridden},
      {"缺失", Col::Missing},    {"missing", Col::Missing},
      {"说明", Col::Note},       {"note", Col::Note}};
  return m;
}

std::string trim(const std::string& s) {
  std::size_t a = 0, b = s.size();
  auto space = [&](std::size_t i) {
    return s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
           (i + 2 < s.size() && s.compare(i, 3, "\u3000") == 0);
  };
  while (a < b && space(a)) a += s.compare(a, 3, "\u3000") == 0 ? 3 : 1;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r')) --b;
  return s.substr(a, b - a);
}

// Splits a table row on unescaped `|`, dropping the empty cells outside the outer pipes.
std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
      cur += '|';
      ++i;
    } else if (line[i] == '|') {
      out.push_back(trim(cur));
      cur.clear();
    } else {
      cur += line[i];
    }
  }
  out.push_back(trim(cur));
  if (!out.empty() && out.front().empty()) out.erase(out.begin());
  if (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

bool is_separator(const std::string& line) {
  std::string t = trim(line);
  if (t.empty() || t[0] != '|') return false;
  for (char c : t)
    if (c != '|' && c != '-' && c != ':' && c != ' ') return false;
  return t.find('-') != std::string::npos;
}

// `A7、A1` → {A7, A1}; `—`, `-` or empty → {}; `*` → not checked.
Expected list(const std::string& cell) {
  if (cell == "*") return std::nullopt;
  std::vector<std::string> out;
  if (cell.empty() || cell == "-" || cell == "—" || cell == "无") return out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(cur);
    cur.clear();
  };
  for (std::size_t i = 0; i < cell.size();) {
    if (cell[i] == ',' || cell[i] == ' ') {
      flush();
      ++i;
    } else if (cell.compare(i, 3, "，") == 0 || cell.compare(i, 3, "、") == 0) {
      flush();
      i += 3;
    } else {
      cur += cell[i++];
    }
  }
  flush();
  return out;
}

// `a = 1; b = "x;y"` → {{a, 1}, {b, "x;y"}}: `;`/`；` separate edits outside quotes and brackets.
std::optional<std::vector<std::pair<std::string, std::string>>> edits(const std::string& cell) {
  std::vector<std::pair<std::string, std::string>> out;
  std::vector<std::string> parts;
  std::string cur;
  int depth = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < cell.size();) {
    char c = cell[i];
    if (quoted) {
      if (c == '\\' && i + 1 < cell.size())
        cur += cell[i++];
      else if (c == '"')
        quoted = false;
      cur += cell[i++];
      continue;
    }
    if (c == '"') quoted = true;
    if (c == '[' || c == '{') ++depth;
    if (c == ']' || c == '}') --depth;
    bool sep = depth == 0 && (c == ';' || cell.compare(i, 3, "；") == 0);
    if (sep) {
      parts.push_back(cur);
      cur.clear();
      i += c == ';' ? 1 : 3;
      continue;
    }
    cur += cell[i++];
  }
  parts.push_back(cur);
  for (const auto& p : parts) {
    std::string t = trim(p);
    if (t.empty()) continue;
    auto eq = t.find('=');
    if (eq == std::string::npos || trim(t.substr(0, eq)).empty()) return std::nullopt;
    out.emplace_back(trim(t.substr(0, eq)), trim(t.substr(eq + 1)));
  }
  return out;
}

std::string folder_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

}  // namespace

std::string canonical_outcome(const std::string& cell) {
  if (const auto* o = outcome_by_word(cell)) return o->wire;
  if (cell == "error" || cell == "请求错误") return "error";
  return {};
}

Result<std::vector<Case>, TableError> read_tables(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Result<std::vector<Case>, TableError>::failure(
        {path, 0, {"cannot read the test file", "无法读取测试文件"}});
  std::ostringstream text;
  text << in.rdbuf();
  return parse_tables(path, text.str());
}

Result<std::vector<Case>, TableError> parse_tables(const std::string& path, std::string_view text) {
  using R = Result<std::vector<Case>, TableError>;
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = std::min(text.find('\n', at), text.size());
    lines.emplace_back(text.substr(at, end - at));
    at = end + 1;
  }
  std::vector<Case> out;
  auto fail = [&](std::size_t line, std::string en, std::string zh) {
    return R::failure({path, static_cast<std::uint32_t>(line + 1), {std::move(en), std::move(zh)}});
  };
  // Like policy files, test files are UTF-8 (one saved as GBK would otherwise half work, and its
  // cells would be quoted back as bytes that are not text).
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (!valid_utf8(lines[i]))
      return fail(i, "this line is not valid UTF-8: save the test file as UTF-8",
                  "此行不是有效的 UTF-8 编码：请以 UTF-8 保存测试文件");
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    if (trim(lines[i]).rfind('|', 0) != 0 || !is_separator(lines[i + 1])) continue;
    auto header = cells(lines[i]);
    std::vector<std::optional<Col>> cols;
    bool is_test = false;
    for (const auto& h : header) {
      auto it = columns().find(h);
      cols.push_back(it == columns().end() ? std::nullopt : std::optional<Col>(it->second));
      is_test = is_test || (it != columns().end() && it->second == Col::Case);
    }
    std::size_t row = i + 2;
    if (!is_test) {
      while (row < lines.size() && trim(lines[row]).rfind('|', 0) == 0) ++row;
      i = row - 1;
      continue;
    }
    bool has_request = false, has_outcome = false;
    for (std::size_t c = 0; c < cols.size(); ++c) {
      if (!cols[c])
        return fail(i, "unknown column `" + header[c] + "` (see docs/testing.md)",
                    "未知的列「" + header[c] + "」（见 docs/testing.md）");
      has_request = has_request || *cols[c] == Col::Request;
      has_outcome = has_outcome || *cols[c] == Col::Outcome;
    }
    if (!has_request || !has_outcome)
      return fail(i, "a test table needs the columns `请求`/`request` and `结论`/`outcome`",
                  "测试表格必须有「请求」和「结论」两列");
    for (; row < lines.size() && trim(lines[row]).rfind('|', 0) == 0; ++row) {
      auto row_cells = cells(lines[row]);
      if (row_cells.size() != cols.size())
        return fail(row,
                    "this row has " + std::to_string(row_cells.size()) + " cells, the header " +
                        std::to_string(cols.size()),
                    "此行有 " + std::to_string(row_cells.size()) + " 个单元格，表头有 " +
                        std::to_string(cols.size()) + " 个");
      Case k;
      k.file = path;
      k.line = static_cast<std::uint32_t>(row + 1);
      for (std::size_t c = 0; c < cols.size(); ++c) {
        const std::string& v = row_cells[c];
        switch (*cols[c]) {
          case Col::Case:
            k.name = v;
            break;
          case Col::Request:
            k.request = v.empty() ? v : folder_of(path) + v;
            break;
          case Col::Set: {
            auto e = edits(v);
            if (!e)
              return fail(row, "a change must read `path = value`: `" + v + "`",
                          "修改应写作「路径 = 值」：「" + v + "」");
            k.edits = *e;
            break;
          }
          case Col::AsOf:
            k.as_of = v;
            break;
          case Col::Policy:
            k.policy = v;
            break;
          case Col::Outcome: {
            k.outcome = canonical_outcome(v);
            if (k.outcome.empty())
              return fail(row, "unknown outcome `" + v + "`", "未知结论「" + v + "」");
            break;
          }
          case Col::Rules:
            k.rules = list(v);
            break;
          case Col::Overridden:
            k.overridden = list(v);
            break;
          case Col::Missing:
            k.missing = list(v);
            break;
          case Col::Note:
            k.note = v;
            break;
        }
      }
      if (k.name.empty()) return fail(row, "the case has no name", "用例没有名称");
      if (k.request.empty())
        return fail(row, "the case names no request file", "用例没有指明请求文件");
      for (const auto& other : out)
        if (other.name == k.name && other.file == k.file)
          return fail(row, "the case name `" + k.name + "` is used twice",
                      "用例名称「" + k.name + "」重复");
      out.push_back(std::move(k));
    }
    i = row - 1;
  }
  return out;
}

}  // namespace xy::policytest
