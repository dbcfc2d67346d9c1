// Located, bilingual messages for spreadsheet failures (where.h).
#include "where.h"

namespace xy::sheets {

Where Where::in_sheet(std::string name, std::string part_name) const {
  Where w = *this;
  w.sheet = std::move(name);
  w.part = std::move(part_name);
  return w;
}

Where Where::in_part(std::string part_name) const {
  Where w = *this;
  w.part = std::move(part_name);
  return w;
}

Where Where::at_cell(std::string ref) const {
  Where w = *this;
  w.cell = std::move(ref);
  return w;
}

Where Where::at_line(std::uint64_t n) const {
  Where w = *this;
  w.line = n;
  return w;
}

Localized Where::says(const Localized& why) const {
  std::string en = replacing_invalid_utf8(file), zh = en;
  if (!sheet.empty()) {
    en += ", sheet " + shown(sheet);
    zh += "，工作表「" + shown(sheet) + "」";
  }
  // The part is named only where no cell is: a cell is what people can find, a part is not.
  if (!part.empty() && cell.empty()) {
    en += (sheet.empty() ? ", part " : " (part ") + shown(part) + (sheet.empty() ? "" : ")");
    zh += (sheet.empty() ? "，部件 " : "（部件 ") + shown(part) + (sheet.empty() ? "" : "）");
  }
  if (line != 0) {
    en += ", line " + std::to_string(line);
    zh += "，第 " + std::to_string(line) + " 行";
  }
  if (!cell.empty()) {
    en += ", cell " + cell;
    zh += "，单元格 " + cell;
  }
  return Localized{en + ": " + why.en, zh + "：" + why.zh};
}

std::string shown(std::string_view text) {
  std::string s = shorten(replacing_invalid_utf8(text), 60);
  std::string out;
  for (char c : s) {
    if (c >= 0 && c < 0x20)
      out += "\xEF\xBF\xBD";  // a control character shows as U+FFFD in a message
    else
      out += c;
  }
  return out;
}

}  // namespace xy::sheets
