// Cell references and numbers as text, shared by the readers and the writers.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace xy::sheets {

inline constexpr std::uint32_t max_rows = 1048576;  // Excel's limits
inline constexpr std::uint32_t max_columns = 16384;

struct CellRef {
  std::uint32_t row = 0, column = 0;
};

// "C7" → row 7, column 3; nullopt unless letters then digits within Excel's limits ("$C$7" too).
std::optional<CellRef> parse_ref(std::string_view ref);

// The shortest decimal that reads back as `n` ("12", "0.5", "1e+20").
std::string number_text(double n);

}  // namespace xy::sheets
