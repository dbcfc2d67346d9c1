// Masks sensitive facts (marked `sensitive`/`敏感` in the schema) before a request is stored.
#include <boost/json.hpp>

#include "xiangyue/audit/store.h"
#include "xiangyue/common/hash.h"

namespace xy::audit {
namespace json = boost::json;

namespace {

json::value masked(const std::string& key, const json::value& v) {
  std::string clear = v.is_string() ? std::string(v.get_string()) : json::serialize(v);
  return json::object{{"masked", partly_hidden(clear)}, {"hmac", hmac_sha256_hex(key, clear)}};
}

void walk(const Bundle& b, std::uint32_t st, json::object& obj, const std::string& key);

void walk_value(const Bundle& b, std::uint32_t type, json::value& v, const std::string& key) {
  const ir::Type& t = b.types[type];
  if (t.kind == ir::TypeKind::Struct && v.is_object()) walk(b, t.ref, v.get_object(), key);
  if (t.kind == ir::TypeKind::Set && v.is_array())
    for (auto& e : v.get_array()) walk_value(b, t.ref, e, key);
}

void walk(const Bundle& b, std::uint32_t st, json::object& obj, const std::string& key) {
  for (const auto& f : b.structs[st].fields) {
    auto it = obj.find(f.name);
    if (it == obj.end() || it->value().is_null()) continue;
    if (f.sensitive) {
      it->value() = masked(key, it->value());
    } else {
      walk_value(b, f.type, it->value(), key);
    }
  }
}

// Whether a value of `type` can hold a sensitive fact (`seen` guards against recursive types).
bool may_hold_sensitive(const Bundle& b, std::uint32_t type, std::vector<bool>& seen) {
  const ir::Type& t = b.types[type];
  if (t.kind == ir::TypeKind::Set) return may_hold_sensitive(b, t.ref, seen);
  if (t.kind != ir::TypeKind::Struct || seen[t.ref]) return false;
  seen[t.ref] = true;
  for (const auto& f : b.structs[t.ref].fields)
    if (f.sensitive || may_hold_sensitive(b, f.type, seen)) return true;
  return false;
}

bool action_has_sensitive(const Bundle& b, std::uint32_t action) {
  std::vector<bool> seen(b.structs.size());
  seen[b.actions[action].facts] = true;
  for (const auto& f : b.structs[b.actions[action].facts].fields)
    if (f.sensitive || may_hold_sensitive(b, f.type, seen)) return true;
  return false;
}

}  // namespace

std::string mask_request(const Bundle& bundle, std::uint32_t action, std::string_view request_json,
                         const std::string& key) {
  // A request the runtime accepted is valid JSON; with nothing sensitive in its schema it is kept
  // as received.
  if (action < bundle.actions.size() && !action_has_sensitive(bundle, action))
    return std::string(request_json);
  boost::system::error_code ec;
  json::value doc = json::parse(request_json, ec);
  if (ec || !doc.is_object() || action >= bundle.actions.size()) {
    // Never store what could not be inspected for sensitive facts.
    return json::serialize(
        json::object{{"unparsed", hmac_sha256_hex(key, std::string(request_json))}});
  }
  auto facts = doc.get_object().find("facts");
  if (facts != doc.get_object().end() && facts->value().is_object())
    walk(bundle, bundle.actions[action].facts, facts->value().get_object(), key);
  return json::serialize(doc);
}

}  // namespace xy::audit
