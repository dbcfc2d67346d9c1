// One stored decision as JSON, for `xy audit show --format json|export` and the service.
#pragma once
#include <boost/json/object.hpp>

#include <optional>

#include "xiangyue/audit/facts_read.h"
#include "xiangyue/audit/html.h"
#include "xiangyue/audit/store.h"

namespace xy::audit {

// What the views of one record draw from the bundle that decided it: the policy sources (to show
// each rule's text) and the facts its rules read. Empty / nullopt when the store lacks the bundle.
struct RecordContext {
  std::vector<SourceFile> sources;
  std::optional<FactsRead> facts;
};
RecordContext record_context(Store& store, const Record& r);
// The same from a bundle already loaded (nullptr: none), without its sources (for exports).
RecordContext record_context(const Bundle* bundle, const Record& r);

// id, recorded_at, as_of, action, policy, outcome, bundle, request, decision, prev_hash, hash, and
// facts_read (null when not available).
boost::json::object record_json(const Record& r, const RecordContext& context);
// The input of the HTML view.
RecordView record_view(const Record& r, RecordContext context);
// The ids in a search column (" A1 A7 ") as a JSON array.
boost::json::array rule_ids(const std::string& column);

}  // namespace xy::audit
