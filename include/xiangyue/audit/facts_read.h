// "The facts read" of a recorded decision: the fact paths that the conditions and reason templates
// of the rules it names refer to, found statically in the compiled rules (not a runtime trace), and
// their values in the stored request (masked facts stay masked). See docs/audit-view.md.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "xiangyue/common/diagnostic.h"
#include "xiangyue/runtime/bundle.h"

namespace xy::audit {

// What a fact path holds in the stored request.
struct FactValue {
  enum class Kind : std::uint8_t {
    Present,  // `json` is the value as stored (null: none; a sensitive part inside stays masked)
    Masked,   // a sensitive fact, or a path inside one: `json` is the stored {"masked", "hmac"}
    Missing,  // not in the request (or the request's value has no such part)
    Each,     // the path goes through a set (`[]`): `each` holds one value per element
  };
  Kind kind = Kind::Missing;
  boost::json::value json;
  std::vector<FactValue> each;
};

// One fact path read, its value, and the rules that read it (in the order the decision names them).
struct FactRead {
  std::string path;
  FactValue value;
  std::vector<std::string> rules;
};

// The paths one rule reads.
struct RuleReads {
  std::string rule;
  std::vector<std::string> paths;
};

struct FactsRead {
  // Each rule the decision names, in the order it names them: its reasons, the overridden rules
  // and the exceptions that set them aside, then the rules that read a missing or invalid fact.
  std::vector<RuleReads> rules;
  std::vector<FactRead> facts;             // de-duplicated over `rules`, in first-read order
  std::vector<std::string> unknown_rules;  // named by the decision but not in the bundle
};

// The fact paths rule `rule` of `bundle` reads in its condition and reason template, in the order
// they occur, without repeats. Notation: fields joined by `.` from the action's facts
// (`事项.名称`);
// `[]` after a set means each of its elements (`候选人.刑事记录[].释放日`). Only the most specific
// paths are listed: a record or set is listed on its own only when none of its parts is read.
std::vector<std::string> rule_reads(const Bundle& bundle, std::uint32_t rule);

// The value at `path` (notation as above) in a request's `facts` object.
FactValue fact_value(const boost::json::value& facts, std::string_view path);

// Whether path `inner` lies inside path `outer` (`outer.x…` or `outer[]…`; not `outer` itself).
bool path_within(std::string_view inner, std::string_view outer);
// Whether a stored value is a masked sensitive fact: {"masked": "41**…**12", "hmac": "…"}.
bool is_masked(const boost::json::value& v);
// The paths (notation as above) of the masked facts in a stored request's `facts`, in the order
// they occur, without repeats: `候选人.身份证号`, `成员[].姓名`.
std::vector<std::string> masked_paths(const boost::json::value& facts);

// The facts read by the rules a recorded decision names. `request_json` is the request as stored
// (sensitive facts masked), `decision_json` the decision JSON; `bundle` the bundle that decided it.
FactsRead facts_read(const Bundle& bundle, std::string_view request_json,
                     std::string_view decision_json);

// As JSON: [{"path", "value", "rules"}]. A value is the stored JSON; a masked one the stored
// {"masked": …, "hmac": …}; a missing one {"missing": true}; through a set, an array per element.
boost::json::array facts_read_json(const std::vector<FactRead>& facts);
// Reads that JSON back (for views given a record in JSON form); nullopt when it is not of that
// form.
std::optional<std::vector<FactRead>> facts_read_from_json(const boost::json::value& v);

// A value for a line of text: text unquoted, sets as [a, b], "41**…**12 (masked)", "(missing)".
std::string fact_value_text(const FactValue& value, Lang lang);

}  // namespace xy::audit
