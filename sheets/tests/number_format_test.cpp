// Unit tests for date number formats and serial numbers (the 1900 system's Lotus bug, 1904).
#include <catch2/catch.hpp>
#include <limits>

#include "number_format.h"

using namespace xy::sheets;

namespace {
xy::Date ymd(int y, int m, int d) {
  return *xy::Date::from_ymd(y, m, d);
}
}  // namespace

TEST_CASE("built-in date formats, Chinese ones too, and time formats are not dates", "[format]") {
  for (int id : {14, 15, 16, 17, 22, 27, 31, 36, 50, 57, 58}) CHECK(is_date_format(id, ""));
  for (int id : {0, 1, 2, 9, 10, 11, 18, 19, 20, 21, 32, 33, 45, 46, 47, 49, 55, 56})
    CHECK_FALSE(is_date_format(id, ""));
}

TEST_CASE("custom date formats", "[format]") {
  CHECK(is_date_format(164, "yyyy-mm-dd"));
  CHECK(is_date_format(164, "yyyy\"年\"m\"月\"d\"日\""));
  CHECK(is_date_format(164, "[$-804]yyyy/m/d;@"));
  CHECK(is_date_format(164, "[DBNum1][$-804]yyyy\"年\"m\"月\""));
  CHECK(is_date_format(164, "mmm"));
  CHECK(is_date_format(164, "d-mmm-yy h:mm AM/PM"));
  CHECK_FALSE(is_date_format(164, "h:mm:ss"));
  CHECK_FALSE(is_date_format(164, "mm:ss"));
  CHECK_FALSE(is_date_format(164, "[h]:mm"));
  CHECK_FALSE(is_date_format(164, "General"));
  CHECK_FALSE(is_date_format(164, "0.00E+00"));
  CHECK_FALSE(is_date_format(164, "#,##0\"天\""));      // 天 is quoted text
  CHECK_FALSE(is_date_format(164, "0\\d"));             // an escaped d
  CHECK_FALSE(is_date_format(164, "[Red]0;\"yyyy\""));  // y only in quotes and later sections
  CHECK_FALSE(is_date_format(164, "@"));
}

TEST_CASE("serial numbers in the 1900 system", "[format]") {
  CHECK(serial_date(1, false) == ymd(1900, 1, 1));
  CHECK(serial_date(59, false) == ymd(1900, 2, 28));
  CHECK_FALSE(serial_date(60, false));  // 1900-02-29, which Lotus counted and never was
  CHECK(serial_date(61, false) == ymd(1900, 3, 1));
  CHECK(serial_date(45292, false) == ymd(2024, 1, 1));
  CHECK(serial_date(45292.75, false) == ymd(2024, 1, 1));
  CHECK(serial_date(45292.999999999996, false) == ymd(2024, 1, 2));  // rounded to the millisecond
  CHECK(serial_date(2958465, false) == ymd(9999, 12, 31));
  CHECK_FALSE(serial_date(2958466, false));
  CHECK_FALSE(serial_date(0.5, false));
  CHECK_FALSE(serial_date(-1, false));
  CHECK_FALSE(serial_date(1e300, false));
  CHECK_FALSE(serial_date(std::numeric_limits<double>::quiet_NaN(), false));
  for (auto d : {ymd(1900, 1, 1), ymd(1900, 2, 28), ymd(1900, 3, 1), ymd(2024, 5, 1)})
    CHECK(serial_date(*date_serial(d), false) == d);
  CHECK_FALSE(date_serial(ymd(1899, 12, 31)));
}

TEST_CASE("serial numbers in the 1904 system", "[format]") {
  CHECK(serial_date(0, true) == ymd(1904, 1, 1));
  CHECK(serial_date(43830, true) == ymd(2024, 1, 1));
  CHECK_FALSE(serial_date(-1, true));
}

TEST_CASE("ISO dates of t=\"d\" cells", "[format]") {
  CHECK(parse_iso_date("2024-05-01") == ymd(2024, 5, 1));
  CHECK(parse_iso_date("2024-05-01T08:30:00Z") == ymd(2024, 5, 1));
  CHECK_FALSE(parse_iso_date("2024-02-30"));
  CHECK_FALSE(parse_iso_date("2024/05/01"));
  CHECK_FALSE(parse_iso_date("2024-05-01 08:30"));
}
