// Excel's _xHHHH_ escapes in the text of cells: control characters written as "_x0001_", and
// "_x005F_" for a "_" that would otherwise start one.
#pragma once
#include <string>
#include <string_view>

namespace xy::sheets {

// The UTF-16 code unit of the escape "_xHHHH_" at text[i], or -1 when none starts there.
long unit_escaped_at(std::string_view text, std::size_t i);

// Undoes the escapes (a surrogate pair of them is one character; a lone surrogate stays as
// written).
std::string unescape_x(std::string_view text);

// Control characters but tab and LF escaped (XML cannot hold them; a CR would read back as LF), and
// each "_" of the text that a reader would take for the start of an escape.
std::string escape_x(const std::string& text);

}  // namespace xy::sheets
