// The citizen ID number's check digit and birth date (GB 11643-1999).
#include <catch2/catch.hpp>

#include "xiangyue/review/collate.h"

TEST_CASE("id: a valid number passes and gives its birth date") {
  // 11010519491231002 → weights sum 167, 167 mod 11 = 2 → check character X.
  xy::Date born;
  CHECK_FALSE(xy::review::id_problem("11010519491231002X", &born));
  CHECK(born.to_string() == "1949-12-31");
  CHECK_FALSE(xy::review::id_problem("110101198003150017"));
}

TEST_CASE("id: a wrong check digit, length, letter or birth date is named") {
  auto check = [](const char* id, const char* says) {
    auto p = xy::review::id_problem(id);
    REQUIRE(p);
    CHECK_THAT(p->en, Catch::Contains(says));
    CHECK_FALSE(p->zh.empty());
  };
  check("110105194912310021", "check digit");
  check("11010519491231002", "18 characters");
  check("1101051949123100AX", "character 17");
  check("110105194913310021", "birth date");  // month 13, its check digit right
}
