// The formatter's printer (private to tooling): a syntax tree in, the canonical text out.
#pragma once
#include <string>

#include "xiangyue/compiler/syntax.h"
#include "xiangyue/tooling/format.h"

namespace xy::tooling {

std::string print(const syntax::Tree& tree, KeywordLanguage keywords);

}  // namespace xy::tooling
