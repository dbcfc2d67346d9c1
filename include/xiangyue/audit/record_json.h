// One stored decision as JSON, for `xy audit show --format json|export` and the service.
#pragma once
#include <boost/json/object.hpp>

#include "xiangyue/audit/store.h"

namespace xy::audit {

// id, recorded_at, as_of, action, policy, outcome, bundle, request, decision, prev_hash, hash.
boost::json::object record_json(const Record& r);
// The ids in a search column (" A1 A7 ") as a JSON array.
boost::json::array rule_ids(const std::string& column);

}  // namespace xy::audit
