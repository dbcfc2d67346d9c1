// csv_text: a sheet as CSV that Excel opens right (UTF-8 with a BOM, CRLF, RFC 4180 quoting).
#include "write_check.h"
#include "xiangyue/sheets/write.h"

namespace xy::sheets {

namespace {

void append_field(std::string& out, const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

std::string csv_text(const OutSheet& sheet) {
  std::string out = "\xEF\xBB\xBF";
  for (std::size_t c = 0; c < sheet.header.size(); ++c) {
    if (c > 0) out += ',';
    append_field(out, sheet.header[c]);
  }
  out += "\r\n";
  for (const auto& row : sheet.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c > 0) out += ',';
      append_field(out, shown_text(row[c]));
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace xy::sheets
