// The fast path of parse_request (request_fast.cpp), and what it shares with the general path.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "xiangyue/runtime/engine.h"

namespace xy::request_detail {

// Whether policy `i` may decide a request: with `policy` given, the policies of that name (none
// when the given value is not a string, `name` null); without, those in force on `as_of` that
// decide `action`.
inline bool policy_candidate(const Bundle& b, std::uint32_t i, bool policy_given,
                             const std::string_view* name, std::uint32_t action, Date as_of) {
  const auto& p = b.policies[i];
  if (policy_given) return name && p.name == *name;
  return p.by_action.count(action) > 0 && ir::in_period(p.from, p.until, as_of.days);
}

// Parses a request straight from the text, without a JSON document, for requests that are plain
// and valid: strict JSON that uses no number but whole numbers of at most 18 digits, no lone
// UTF-16 surrogate escape, no duplicate key and little nesting, and that the general path takes
// without a single error or fact problem. For anything else it returns false at once, leaving
// `req` half-built, and parse_request takes the general path, which gives every message.
// True: `req` holds what the general path would have built (its storage laid out differently).
bool parse_plain(const Bundle& bundle, std::string_view text, std::optional<Date> as_of_override,
                 Date today, Request& req);

// The general path alone: a JSON document checked step by step, with a message for every failure
// (request.cpp). parse_request tries parse_plain first; the tests compare the two.
Result<Request, RequestError> parse_general(const Bundle& bundle, std::string_view text,
                                            std::optional<Date> as_of_override, Date today);

}  // namespace xy::request_detail
