// Parsing and reading the XML parts of a workbook (xml.h).
#include "xml.h"

#include <algorithm>

#include "x_escapes.h"

namespace xy::sheets {

Result<std::unique_ptr<pugi::xml_document>, Localized> parse_xml(std::string bytes,
                                                                 const Where& where) {
  using R = Result<std::unique_ptr<pugi::xml_document>, Localized>;
  auto doc = std::make_unique<pugi::xml_document>();
  // Whitespace-only text is kept where it is an element's only content (<t> </t> is a space).
  pugi::xml_parse_result parsed =
      doc->load_buffer(bytes.data(), bytes.size(),
                       pugi::parse_default | pugi::parse_ws_pcdata_single, pugi::encoding_auto);
  if (!parsed) {
    auto at = static_cast<std::size_t>(
        std::clamp<std::ptrdiff_t>(parsed.offset, 0, static_cast<std::ptrdiff_t>(bytes.size())));
    auto line =
        1 + std::count(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(at), '\n');
    std::string detail = parsed.description();
    return R::failure(where.at_line(static_cast<std::uint64_t>(line))
                          .says(Localized{"the XML is malformed (" + detail + ")",
                                          "XML 格式错误（" + detail + "）"}));
  }
  return R(std::move(doc));
}

std::string_view local_name(const pugi::xml_node& node) {
  std::string_view name = node.name();
  auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child(const pugi::xml_node& node, std::string_view name) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && local_name(c) == name) return c;
  return {};
}

std::string namespaced_attribute(const pugi::xml_node& node, std::string_view name) {
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    std::string_view n = a.name();
    auto colon = n.find(':');
    if (colon != std::string_view::npos && n.substr(colon + 1) == name &&
        n.substr(0, colon) != "xmlns")
      return a.value();
  }
  return {};
}

namespace {

// The text directly inside an element (all its text and CDATA children).
void append_text(const pugi::xml_node& node, std::string& out) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
}

}  // namespace

std::string string_item_text(const pugi::xml_node& item) {
  std::string raw;
  for (pugi::xml_node c = item.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    std::string_view name = local_name(c);
    if (name == "t") {
      append_text(c, raw);
    } else if (name == "r") {
      if (pugi::xml_node t = child(c, "t")) append_text(t, raw);
    }
  }
  return unescape_x(raw);
}

Result<std::unique_ptr<pugi::xml_document>, Localized> read_xml(ZipArchive& zip,
                                                                const std::string& part,
                                                                const Where& where) {
  auto bytes = zip.read(part, where);
  if (!bytes) return Result<std::unique_ptr<pugi::xml_document>, Localized>::failure(bytes.error());
  return parse_xml(std::move(*bytes), where);
}

}  // namespace xy::sheets
