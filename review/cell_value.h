// A spreadsheet cell as the value of a fact of a given type (private to the review): text, a
// number or amount, a date, a duration, a bool or an enum member, or why the cell is none of them.
#pragma once
#include <boost/json.hpp>

#include "xiangyue/common/result.h"
#include "xiangyue/runtime/bundle.h"
#include "xiangyue/sheets/read.h"

namespace xy::review {

Result<boost::json::value, Localized> cell_value(const sheets::Cell& cell, std::uint32_t type,
                                                 const Bundle& bundle);

// A cell's text with the spaces around it (ASCII and full-width) and line breaks removed.
std::string trimmed(std::string_view text);

}  // namespace xy::review
