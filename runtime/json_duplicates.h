// Finds a key given twice in one JSON object (private to the runtime). Boost.JSON keeps the last of
// two equal keys without a word; a request that says a fact twice is refused instead.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace xy::request_detail {

// The first duplicate key in valid JSON `text`, with where it is: "facts.接收" (the path of the
// second occurrence); nothing when every object's keys differ.
std::optional<std::string> duplicate_key(std::string_view text);

}  // namespace xy::request_detail
