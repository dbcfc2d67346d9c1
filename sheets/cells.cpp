// Cell references, column letters, numbers as text, and finding a cell in a sheet (cells.h,
// read.h).
#include "cells.h"

#include <algorithm>
#include <charconv>

#include "xiangyue/sheets/read.h"

namespace xy::sheets {

std::string column_name(std::uint32_t column) {
  std::string letters;
  for (std::uint64_t n = column; n > 0; n = (n - 1) / 26)
    letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
  return letters;
}

std::uint32_t column_number(std::string_view letters) {
  if (letters.empty() || letters.size() > 3) return 0;
  std::uint32_t n = 0;
  for (char c : letters) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') return 0;
    n = n * 26 + static_cast<std::uint32_t>(c - 'A' + 1);
  }
  return n <= max_columns ? n : 0;
}

std::optional<CellRef> parse_ref(std::string_view ref) {
  std::size_t i = 0;
  if (i < ref.size() && ref[i] == '$') ++i;
  std::size_t letters_start = i;
  while (i < ref.size() && ((ref[i] >= 'A' && ref[i] <= 'Z') || (ref[i] >= 'a' && ref[i] <= 'z')))
    ++i;
  CellRef out;
  out.column = column_number(ref.substr(letters_start, i - letters_start));
  if (i < ref.size() && ref[i] == '$') ++i;
  if (out.column == 0 || i == ref.size() || ref.size() - i > 7 || ref[i] == '0') return {};
  for (; i < ref.size(); ++i) {
    if (ref[i] < '0' || ref[i] > '9') return {};
    out.row = out.row * 10 + static_cast<std::uint32_t>(ref[i] - '0');
  }
  if (out.row == 0 || out.row > max_rows) return {};
  return out;
}

std::string number_text(double n) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  if (ec != std::errc()) return "0";
  std::string s(buf, end);
  return s == "-0" ? "0" : s;
}

std::string Cell::ref() const {
  return column_name(column) + std::to_string(row);
}

const Cell* Sheet::find(std::uint32_t row, std::uint32_t column) const {
  auto r = std::lower_bound(rows.begin(), rows.end(), row,
                            [](const Row& x, std::uint32_t n) { return x.number < n; });
  if (r == rows.end() || r->number != row) return nullptr;
  auto c = std::lower_bound(r->cells.begin(), r->cells.end(), column,
                            [](const Cell& x, std::uint32_t n) { return x.column < n; });
  return c != r->cells.end() && c->column == column ? &*c : nullptr;
}

}  // namespace xy::sheets
