// The encodings CSV files come in: finding where UTF-8 breaks, and GB18030 to UTF-8 (glibc iconv).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "xiangyue/common/result.h"

namespace xy::sheets {

// The offset of the first byte that does not belong to valid UTF-8 (RFC 3629), or npos.
std::size_t first_invalid_utf8(std::string_view bytes);

// The text in UTF-8; or the offset of the first byte that is not GB18030 (or of a sequence cut
// short at the end).
Result<std::string, std::size_t> gb18030_to_utf8(std::string_view bytes);

}  // namespace xy::sheets
