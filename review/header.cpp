// Finds the header row of a table by the titles a `returns` declaration gives its columns.
#include "header.h"

#include <algorithm>

namespace xy::review {

namespace {

constexpr std::uint32_t kHeaderRows = 20;  // a title and notes may stand above the header

// Without spaces (ASCII and full-width) and line breaks: "身份证\n号码" is "身份证号码".
std::string squeezed(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 3, "\u3000") == 0) {
      i += 3;
      continue;
    }
    char c = text[i++];
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') out += c;
  }
  return out;
}

bool titled(const sheets::Cell& c, const std::vector<std::string>& titles) {
  if (c.kind != sheets::Cell::Kind::Text) return false;
  std::string s = squeezed(c.text);
  return std::any_of(titles.begin(), titles.end(),
                     [&](const std::string& t) { return squeezed(t) == s; });
}

}  // namespace

std::optional<Header> find_header(const sheets::Workbook& wb,
                                  const std::vector<std::string>& key_titles,
                                  const std::vector<const checked::Column*>& wanted,
                                  const std::vector<std::string>& sheet_titles) {
  for (const auto& sheet : wb.sheets) {
    if (!sheet_titles.empty()) {
      std::string name = squeezed(sheet.name);
      // A sheet's name holds one of its titles: "刑事判决", "刑事判决（2024）", and a CSV file's
      // "县人民法院-刑事判决" (a CSV file is one sheet named after the file).
      if (std::none_of(sheet_titles.begin(), sheet_titles.end(), [&](const std::string& t) {
            return name.find(squeezed(t)) != std::string::npos;
          }))
        continue;
    }
    std::uint32_t seen = 0;
    for (const auto& row : sheet.rows) {
      if (++seen > kHeaderRows) break;
      bool key = std::any_of(row.cells.begin(), row.cells.end(),
                             [&](const sheets::Cell& c) { return titled(c, key_titles); });
      if (!key) continue;
      Header h;
      h.sheet = &sheet;
      h.row = row.number;
      for (const auto* w : wanted) {
        h.columns[w] = 0;
        for (const auto& c : row.cells)
          if (titled(c, w->titles)) {
            h.columns[w] = c.column;
            break;
          }
      }
      return h;
    }
  }
  return std::nullopt;
}

std::string titles_text(const std::vector<std::string>& titles, Lang lang) {
  std::string out;
  for (std::size_t i = 0; i < titles.size(); ++i) {
    if (lang == Lang::zh)
      out += (i ? "或「" : "「") + titles[i] + "」";
    else
      out += (i ? " or \"" : "\"") + titles[i] + "\"";
  }
  return out;
}

}  // namespace xy::review
