// The XML parts of an .xlsx workbook through pugixml: parsing with located errors, and the few
// ways of reading elements that every part needs (names without their namespace prefix).
#pragma once
#include <memory>
#include <pugixml.hpp>
#include <string>
#include <string_view>

#include "where.h"
#include "xiangyue/common/result.h"
#include "zip_archive.h"

namespace xy::sheets {

// Parses a part's bytes (UTF-8 or UTF-16 with a BOM); a malformed part is an error naming its line.
Result<std::unique_ptr<pugi::xml_document>, Localized> parse_xml(std::string bytes,
                                                                 const Where& where);

// A part of the archive, read and parsed (a missing or malformed part is the error).
Result<std::unique_ptr<pugi::xml_document>, Localized> read_xml(ZipArchive& zip,
                                                                const std::string& part,
                                                                const Where& where);

// The element's name without a namespace prefix ("x:row" → "row").
std::string_view local_name(const pugi::xml_node& node);
// The first child element with that local name (empty node if none).
pugi::xml_node child(const pugi::xml_node& node, std::string_view name);
// The value of an attribute in a namespace (`r:id`), whatever its prefix; empty if none.
std::string namespaced_attribute(const pugi::xml_node& node, std::string_view name);

// The text of a string item (<si>, <is>): its <t>, or the <t> of each rich-text run <r>
// concatenated; phonetic runs (<rPh>) left out; Excel's _xHHHH_ escapes undone.
std::string string_item_text(const pugi::xml_node& item);

}  // namespace xy::sheets
