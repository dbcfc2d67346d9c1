// Statute coverage: for each law text in a laws folder, which articles, paragraphs and items the
// rules and list entries of compiled policy sets cite, and which they leave to people.
#pragma once
#include <boost/json/value.hpp>
#include <string>
#include <utility>
#include <vector>

#include "xiangyue/common/diagnostic.h"
#include "xiangyue/runtime/bundle.h"

namespace xy::laws {

// Who cites a unit: a rule (`R1`) or a list entry (`清单 负面清单: 养犬`) of a policy set.
struct CitedBy {
  std::string set;
  std::string what;
  std::string list;  // for a list entry: the list's name (the text report counts its entries)
  bool operator==(const CitedBy&) const = default;
};

enum class Covered { none, part, full };

struct ItemCoverage {
  int item = 0;
  std::vector<CitedBy> by;  // cited as this item
  Covered covered = Covered::none;
};

struct ParagraphCoverage {
  int paragraph = 0;
  std::vector<CitedBy> by;  // cited as this paragraph
  std::vector<ItemCoverage> items;
  Covered covered = Covered::none;
};

struct ArticleCoverage {
  int article = 0;
  std::vector<CitedBy> by;  // cited as the whole article
  std::vector<ParagraphCoverage> paragraphs;
  Covered covered = Covered::none;
};

struct LawCoverage {
  std::string source;  // the file name without `.md`: 立法法(2023-03-13)
  std::string title, version;
  std::vector<CitedBy> whole;  // cited as a whole document (no article)
  std::vector<ArticleCoverage> articles;
  std::size_t count(Covered c) const;
};

// A unit is covered in full when it is cited itself, when what contains it is cited, or when all
// of its parts are; in part when some of its parts are.
std::vector<LawCoverage> coverage(const std::string& laws_dir,
                                  const std::vector<std::pair<std::string, const Bundle*>>& sets);

// One block per law: a summary line, a line per cited article (which paragraphs and items, by
// which rules), then the articles not cited, as ranges.
std::string coverage_text(const std::vector<LawCoverage>& laws, Lang lang);
boost::json::value coverage_json(const std::vector<LawCoverage>& laws);

}  // namespace xy::laws
