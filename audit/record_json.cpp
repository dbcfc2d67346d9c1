// A stored decision as a JSON object: the request and decision embedded as JSON, not as strings.
#include "xiangyue/audit/record_json.h"

#include <boost/json.hpp>
#include <sstream>

namespace xy::audit {
namespace json = boost::json;

RecordContext record_context(Store& store, const Record& r) {
  RecordContext c;
  auto bytes = store.bundle_bytes(r.bundle);
  if (!bytes || !bytes->has_value()) return c;
  auto bundle = Bundle::deserialize(**bytes);
  if (!bundle) return c;
  c.facts = facts_read(*bundle, r.request, r.decision);
  c.sources = std::move(bundle->sources);
  return c;
}

RecordContext record_context(const Bundle* bundle, const Record& r) {
  RecordContext c;
  if (bundle) c.facts = facts_read(*bundle, r.request, r.decision);
  return c;
}

RecordView record_view(const Record& r, RecordContext context) {
  RecordView v{r.seq,       r.recorded_at, r.as_of,    r.action,
               r.policy,    r.outcome,     r.bundle,   r.hash,
               r.prev_hash, r.request,     r.decision, std::move(context.sources)};
  if (context.facts) v.facts_read = std::move(context.facts->facts);
  return v;
}

json::object record_json(const Record& r, const RecordContext& context) {
  boost::system::error_code ec;
  json::object o;
  o["id"] = r.seq;
  o["recorded_at"] = r.recorded_at;
  o["as_of"] = r.as_of;
  o["action"] = r.action;
  o["policy"] = r.policy;
  o["outcome"] = r.outcome;
  o["bundle"] = r.bundle;
  auto req = json::parse(r.request, ec);
  o["request"] = ec ? json::value(r.request) : req;
  auto dec = json::parse(r.decision, ec);
  o["decision"] = ec ? json::value(r.decision) : dec;
  o["prev_hash"] = r.prev_hash;
  o["hash"] = r.hash;
  o["facts_read"] =
      context.facts ? json::value(facts_read_json(context.facts->facts)) : json::value(nullptr);
  return o;
}

json::array rule_ids(const std::string& column) {
  json::array out;
  std::istringstream in(column);
  for (std::string id; in >> id;) out.emplace_back(id);
  return out;
}

}  // namespace xy::audit
