// Finding a table in a workbook (private to the review): the sheet and the row whose cells are the
// column titles a `returns` declaration names, and the column of each title found.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "xiangyue/compiler/returns.h"
#include "xiangyue/sheets/read.h"

namespace xy::review {

struct Header {
  const sheets::Sheet* sheet = nullptr;
  std::uint32_t row = 0;
  // The column (1-based) holding each wanted column; 0 when no title of it heads a column.
  std::map<const checked::Column*, std::uint32_t> columns;
};

// The first sheet (among those whose names hold one of `sheet_titles`, or any when there are
// none) with a row,
// among its first 20, holding one of `key_titles`; the columns of `wanted` found in that row.
// Titles match without the spaces and line breaks in them.
std::optional<Header> find_header(const sheets::Workbook& wb,
                                  const std::vector<std::string>& key_titles,
                                  const std::vector<const checked::Column*>& wanted,
                                  const std::vector<std::string>& sheet_titles = {});

// “身份证号” or “公民身份号码” / 「身份证号」或「公民身份号码」
std::string titles_text(const std::vector<std::string>& titles, Lang lang);

}  // namespace xy::review
