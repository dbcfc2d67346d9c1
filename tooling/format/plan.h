// What the printer needs to know about each token before it prints (private to the formatter):
// its output text (keywords translated), where lines start and how deep, list item cells.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "xiangyue/compiler/syntax.h"
#include "xiangyue/tooling/format.h"

namespace xy::tooling {

struct Plan {
  std::vector<std::string> text;   // per token: what to print
  std::vector<bool> skip;          // printed as part of an earlier token (`is some` → `有值`)
  std::vector<int> indent;         // -1: not a line start; else the line's indent (spaces)
  std::vector<bool> clause;        // a rule clause's keyword: continuations align after it
  std::vector<std::uint8_t> cell;  // list item: 1 its attributes, 2 its basis (aligned in runs)
  std::vector<bool> opens_block;   // `{` of a block printed over several lines
  std::vector<bool> closes_block;  // its `}`
};

// The output text of every token (keywords, effects, kinds and defaults in `keywords`).
void spell(const syntax::Tree& tree, KeywordLanguage keywords, Plan& plan);
// Line starts, indents, clause and cell marks from the syntax tree.
void lay_out(const syntax::Tree& tree, Plan& plan);

}  // namespace xy::tooling
