// The source model's builder (private to the parse stage): ANTLR tokens and trees to syntax::Tree.
#pragma once
#include <antlr4-runtime.h>

#include <string_view>
#include <vector>

#include "XiangyueParser.h"
#include "xiangyue/compiler/syntax.h"

namespace xy::parse {

// Every token of the stream (hidden ones included) with byte offsets into `text`.
std::vector<syntax::Token> tokens_of(antlr4::CommonTokenStream& stream, std::string_view text);
// The tree's nodes over `tree.tokens` (already filled from the same stream).
void build_tree(antlr4::ParserRuleContext* root, syntax::Tree& tree);

}  // namespace xy::parse
