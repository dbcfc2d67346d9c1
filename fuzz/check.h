// What every fuzz target checks besides "no crash": text for people is valid UTF-8, and a broken
// promise ends the run with abort() (libFuzzer then saves the input).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "xiangyue/common/diagnostic.h"

namespace xy::fuzz {

using xy::valid_utf8;  // strict UTF-8 (RFC 3629), the project's one check

// Prints `what` (and the offending text, escaped) to stderr, then aborts.
[[noreturn]] void fail(std::string_view what, std::string_view text = {});

inline void require(bool ok, std::string_view what, std::string_view text = {}) {
  if (!ok) fail(what, text);
}

inline void require_utf8(std::string_view text, std::string_view what) {
  if (!valid_utf8(text)) fail(std::string(what) + " is not valid UTF-8", text);
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace xy::fuzz
