// Reading the shared strings part (shared_strings.h).
#include "shared_strings.h"

#include "xml.h"

namespace xy::sheets {

Result<std::vector<std::string>, Localized> read_shared_strings(ZipArchive& zip,
                                                                const std::string& part,
                                                                const Where& file) {
  using R = Result<std::vector<std::string>, Localized>;
  std::vector<std::string> strings;
  if (part.empty()) return strings;
  Where where = file.in_part(part);
  auto doc = read_xml(zip, part, where);
  if (!doc) return R::failure(doc.error());
  pugi::xml_node top = (*doc)->document_element();
  if (local_name(top) != "sst")
    return R::failure(where.says(Localized{"the shared strings part has no <sst> element",
                                           "共享字符串部件缺少 <sst> 元素"}));
  for (pugi::xml_node si : top.children())
    if (si.type() == pugi::node_element && local_name(si) == "si")
      strings.push_back(string_item_text(si));
  return strings;
}

}  // namespace xy::sheets
