// Reading which cell styles show dates from styles.xml (styles.h).
#include "styles.h"

#include <charconv>
#include <map>

#include "number_format.h"
#include "xml.h"

namespace xy::sheets {

namespace {

std::optional<int> format_id(const pugi::xml_node& node) {
  pugi::xml_attribute a = node.attribute("numFmtId");
  if (!a) return 0;  // General
  std::string_view v = a.value();
  int id = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), id);
  if (ec != std::errc() || end != v.data() + v.size() || id < 0) return {};
  return id;
}

}  // namespace

Result<std::vector<bool>, Localized> read_date_styles(ZipArchive& zip, const std::string& part,
                                                      const Where& file) {
  using R = Result<std::vector<bool>, Localized>;
  std::vector<bool> dates;
  if (part.empty()) return dates;
  Where where = file.in_part(part);
  auto doc = read_xml(zip, part, where);
  if (!doc) return R::failure(doc.error());
  pugi::xml_node top = (*doc)->document_element();
  auto bad_id = [&](const pugi::xml_node& node) {
    return R::failure(where.says(Localized{
        "a number format id `" + shown(node.attribute("numFmtId").value()) + "` is not a number",
        "数字格式编号 `" + shown(node.attribute("numFmtId").value()) + "` 不是数字"}));
  };
  std::map<int, std::string> codes;
  for (pugi::xml_node f : child(top, "numFmts").children()) {
    if (f.type() != pugi::node_element || local_name(f) != "numFmt") continue;
    auto id = format_id(f);
    if (!id) return bad_id(f);
    codes[*id] = f.attribute("formatCode").value();
  }
  for (pugi::xml_node xf : child(top, "cellXfs").children()) {
    if (xf.type() != pugi::node_element || local_name(xf) != "xf") continue;
    auto id = format_id(xf);
    if (!id) return bad_id(xf);
    auto code = codes.find(*id);
    dates.push_back(is_date_format(*id, code == codes.end() ? "" : code->second));
  }
  return dates;
}

}  // namespace xy::sheets
