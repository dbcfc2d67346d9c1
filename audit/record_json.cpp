// A stored decision as a JSON object: the request and decision embedded as JSON, not as strings.
#include "xiangyue/audit/record_json.h"

#include <boost/json.hpp>
#include <sstream>

namespace xy::audit {
namespace json = boost::json;

json::object record_json(const Record& r) {
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
  return o;
}

json::array rule_ids(const std::string& column) {
  json::array out;
  std::istringstream in(column);
  for (std::string id; in >> id;) out.emplace_back(id);
  return out;
}

}  // namespace xy::audit
