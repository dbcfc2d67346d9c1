// The statute texts shipped beside the policies (policies/laws/*.md), indexed by article, so that
// citations are checked against them and decisions can quote them.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "xiangyue/common/diagnostic.h"
#include "xiangyue/common/result.h"
#include "xiangyue/runtime/bundle.h"

namespace xy::laws {

struct Paragraph {
  std::string text;                  // the paragraph's own sentence(s)
  std::map<int, std::string> items;  // （一）… lines that belong to it
};

struct Article {
  std::vector<Paragraph> paragraphs;
};

struct Law {
  std::string title;  // the file name before `(…)`: 立法法, 某县村级组织工作事项准入办法
  std::string version;  // the date in the file name (`2023-03-13`), or "" (samples)
  std::string file;     // the file name
  std::map<int, Article> articles;
};

// What a resolved citation quotes.
struct Quote {
  std::string text;
  std::string source;  // the law file's name without `.md`, e.g. 立法法(2023-03-13)
};

class Library {
 public:
  // Reads every *.md in `dir`. An unreadable directory gives an empty library.
  static Library load(const std::string& dir);
  bool empty() const { return laws_.empty(); }
  const std::vector<Law>& laws() const { return laws_; }
  // The text a citation points at, or why it does not resolve (law, version, article…).
  Result<Quote, Localized> resolve(const ir::Citation& c) const;

 private:
  std::vector<Law> laws_;
};

// The laws directory for a set of policy paths: `laws/` in a path, its parent or grandparent.
// Empty when there is none; `looked` (if given) receives every folder looked at.
std::string find_dir(const std::vector<std::string>& paths,
                     std::vector<std::string>* looked = nullptr);

}  // namespace xy::laws
