// Finding a workbook's parts through its relationships (package.h).
#include "package.h"

#include <map>

#include "xml.h"

namespace xy::sheets {

namespace {

struct Relationship {
  std::string type;    // the URI's last segment: "worksheet", "styles", "officeDocument", …
  std::string target;  // resolved to a part name
  bool external = false;
};

std::string last_segment(const std::string& uri) {
  auto slash = uri.rfind('/');
  return slash == std::string::npos ? uri : uri.substr(slash + 1);
}

// The relationships of `source` ("" for the package), by id; none when it has no .rels part.
Result<std::map<std::string, Relationship>, Localized> relationships(ZipArchive& zip,
                                                                     const std::string& source,
                                                                     const Where& file) {
  using R = Result<std::map<std::string, Relationship>, Localized>;
  auto slash = source.rfind('/');
  std::string folder = slash == std::string::npos ? "" : source.substr(0, slash + 1);
  std::string file_name = slash == std::string::npos ? source : source.substr(slash + 1);
  std::string rels = folder + "_rels/" + file_name + ".rels";
  std::map<std::string, Relationship> out;
  if (!zip.contains(rels)) return out;
  Where where = file.in_part(rels);
  auto doc = read_xml(zip, rels, where);
  if (!doc) return R::failure(doc.error());
  for (pugi::xml_node r : (*doc)->document_element().children()) {
    if (r.type() != pugi::node_element || local_name(r) != "Relationship") continue;
    Relationship rel;
    rel.type = last_segment(r.attribute("Type").value());
    rel.external = std::string_view(r.attribute("TargetMode").value()) == "External";
    rel.target = rel.external ? r.attribute("Target").value()
                              : resolve_target(source, r.attribute("Target").value());
    out.emplace(r.attribute("Id").value(), std::move(rel));
  }
  return out;
}

// The target of the first internal relationship of that type, else `fallback` if the zip has it.
std::string part_of_type(const std::map<std::string, Relationship>& rels, std::string_view type,
                         const ZipArchive& zip, const std::string& fallback) {
  for (const auto& [id, rel] : rels)
    if (!rel.external && rel.type == type) return rel.target;
  return zip.contains(fallback) ? fallback : std::string();
}

bool truthy(const pugi::xml_attribute& a) {
  std::string_view v = a.value();
  return v == "1" || v == "true";
}

}  // namespace

std::string resolve_target(const std::string& source_part, const std::string& target) {
  std::string path = target;
  for (char& c : path)
    if (c == '\\') c = '/';
  if (path.starts_with('/')) {
    path.erase(0, 1);
  } else {
    auto slash = source_part.rfind('/');
    path = (slash == std::string::npos ? "" : source_part.substr(0, slash + 1)) + path;
  }
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(std::move(segment));
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& s : segments) out += (out.empty() ? "" : "/") + s;
  return out;
}

Result<Package, Localized> read_package(ZipArchive& zip, const Where& file) {
  using R = Result<Package, Localized>;
  auto root = relationships(zip, "", file);
  if (!root) return R::failure(root.error());
  std::string workbook = part_of_type(*root, "officeDocument", zip, "xl/workbook.xml");
  if (workbook.empty() || !zip.contains(workbook))
    return R::failure(file.says(
        Localized{"not an Excel workbook: the zip holds no workbook part (xl/workbook.xml)",
                  "不是 Excel 工作簿：压缩包中没有工作簿部件（xl/workbook.xml）"}));
  Where where = file.in_part(workbook);
  auto doc = read_xml(zip, workbook, where);
  if (!doc) return R::failure(doc.error());
  auto rels = relationships(zip, workbook, file);
  if (!rels) return R::failure(rels.error());

  Package pkg;
  pugi::xml_node top = (*doc)->document_element();
  pkg.date1904 = truthy(child(top, "workbookPr").attribute("date1904"));
  std::string folder = workbook.substr(0, workbook.rfind('/') + 1);
  pkg.shared_strings = part_of_type(*rels, "sharedStrings", zip, folder + "sharedStrings.xml");
  pkg.styles = part_of_type(*rels, "styles", zip, folder + "styles.xml");
  for (pugi::xml_node s : child(top, "sheets").children()) {
    if (s.type() != pugi::node_element || local_name(s) != "sheet") continue;
    std::string name = s.attribute("name").value();
    if (!valid_utf8(name))
      return R::failure(where.says(Localized{"a sheet's name is not valid UTF-8 text",
                                             "某个工作表的名称不是有效的 UTF-8 文本"}));
    std::string id = namespaced_attribute(s, "id");
    auto rel = rels->find(id);
    if (rel == rels->end() || rel->second.external)
      return R::failure(
          where.in_sheet(name, workbook)
              .says(Localized{"the workbook refers to relationship `" + shown(id) +
                                  "`, which its relationships part does not have",
                              "工作簿引用的关系 `" + shown(id) + "` 在其关系部件中不存在"}));
    // Chart sheets, dialog sheets and macro sheets hold no cells.
    if (rel->second.type != "worksheet") continue;
    pkg.sheets.push_back(SheetPart{std::move(name), rel->second.target});
  }
  return pkg;
}

}  // namespace xy::sheets
