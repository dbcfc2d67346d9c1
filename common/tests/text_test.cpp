// Text helpers: shortening never splits a character; sensitive text partly hidden.
#include <catch2/catch.hpp>

#include "xiangyue/common/diagnostic.h"

TEST_CASE("shorten cuts between characters, never inside one", "[text]") {
  // 经 is three bytes: a cut by bytes at 57 fell inside 统 (the defect).
  std::string long_text = "经费由县财政另行安排具体数额待乡镇统计后确定";  // 22 characters
  CHECK(xy::shorten(long_text, 30) == long_text);
  CHECK(xy::shorten(long_text, 22) == long_text);
  CHECK(xy::shorten(long_text, 21) == "经费由县财政另行安排具体数额待乡镇统计后…");
  CHECK(xy::shorten(long_text, 1) == "…");
  CHECK(xy::shorten(long_text, 0).empty());
  CHECK(xy::shorten("abc", 2) == "a…");
  CHECK(xy::shorten("a😀b", 2) == "a…");  // a four-byte character
  for (std::size_t n = 0; n < 25; ++n) {
    std::string cut = xy::shorten(long_text, n);
    CHECK(xy::decode_utf8(cut).find(U'\uFFFD') == std::u32string::npos);
    CHECK(xy::decode_utf8(cut).size() <= n);
  }
}

TEST_CASE("partly hidden text keeps two characters at each end of long text", "[text]") {
  CHECK(xy::partly_hidden("张小明") == "***");
  CHECK(xy::partly_hidden("110101200801011234") == "11**************34");
  CHECK(xy::partly_hidden("欧阳娜娜娜娜娜") == "欧阳***娜娜");
  CHECK(xy::partly_hidden("").empty());
}
