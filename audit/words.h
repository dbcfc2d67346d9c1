// Helpers for the audit store's bilingual messages (private to the audit module).
#pragma once
#include <string>

#include "xiangyue/common/diagnostic.h"

namespace xy::audit {

// The same text in both languages: a quoted system detail (SQLite's or the operating system's).
inline Localized same(std::string s) {
  return {s, s};
}

// `a` followed by `b`, in each language.
inline Localized operator+(const Localized& a, const Localized& b) {
  return {a.en + b.en, a.zh + b.zh};
}

}  // namespace xy::audit
