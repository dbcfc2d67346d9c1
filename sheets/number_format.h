// Which number formats show dates, and Excel's serial numbers as dates (1900 and 1904 systems).
#pragma once
#include <optional>
#include <string_view>

#include "xiangyue/common/date.h"

namespace xy::sheets {

// Built-in ids (`code` empty) 14-17 and 22, and the Chinese-locale built-ins 27-31, 36, 50-54,
// 57-58; a format code whose first section has y or d, or m without h or s (quoted text, escaped
// characters, [colour]/[$-804] brackets and AM/PM left out). Time-only formats are not dates.
bool is_date_format(int id, std::string_view code);

// The day `serial` falls on (time of day dropped): in the 1900 system day 1 is 1900-01-01 and
// day 60 the 1900-02-29 Lotus counted (no date), in the 1904 system day 0 is 1904-01-01. nullopt
// before the first day, for day 60 (1900 system), after 9999-12-31 and for a non-finite serial.
std::optional<Date> serial_date(double serial, bool date1904);

// The serial number of a date in the 1900 system (what a date cell holds); nullopt before 1900.
std::optional<double> date_serial(Date date);

// "2024-05-01", optionally followed by "T…" (a time, ignored), as in a `t="d"` cell.
std::optional<Date> parse_iso_date(std::string_view text);

}  // namespace xy::sheets
