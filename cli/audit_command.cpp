// `xy audit list|show|verify|export`: reviewers' access to the audit store.
#include <boost/json.hpp>
#include <iostream>

#include "commands.h"
#include "xiangyue/audit/html.h"
#include "xiangyue/audit/store.h"

namespace xy::cli {
namespace json = boost::json;

namespace {

std::unique_ptr<audit::Store> open_store(const std::string& path, Lang lang) {
  auto s = audit::Store::open(path);
  if (!s) {
    std::cerr << (lang == Lang::zh ? "错误：" : "error: ") << s.error() << "\n";
    return nullptr;
  }
  return std::move(*s);
}

std::optional<audit::SqlFilter> filter_of(const std::string& text, Lang lang) {
  auto f = audit::compile_filter(text);
  if (!f) {
    std::cerr << audit::render_filter_error(text, f.error(), lang);
    return std::nullopt;
  }
  return *f;
}

std::string rules_of(const std::string& decision) {
  boost::system::error_code ec;
  auto v = json::parse(decision, ec);
  std::string out;
  if (ec || !v.is_object()) return out;
  if (auto* reasons = v.get_object().if_contains("reasons"); reasons && reasons->is_array())
    for (const auto& r : reasons->get_array())
      if (r.is_object() && r.get_object().contains("rule")) {
        std::string id(r.at("rule").as_string());
        if (out.find(" " + id + " ") == std::string::npos && out.rfind(id + " ", 0) != 0)
          out += id + " ";
      }
  if (!out.empty()) out.pop_back();
  return out;
}

json::object record_json(const audit::Record& r) {
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

std::string csv_cell(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::vector<SourceFile> sources_of(audit::Store& store, const std::string& hash) {
  auto bytes = store.bundle_bytes(hash);
  if (!bytes || !bytes->has_value()) return {};
  auto b = Bundle::deserialize(**bytes);
  if (!b) return {};
  return b->sources;
}

}  // namespace

int run_audit(const AuditOptions& o) {
  bool zh = o.lang == Lang::zh;
  auto store = open_store(o.db, o.lang);
  if (!store) return kNotRecorded;
  if (o.command == "verify") {
    auto v = store->verify();
    if (v.intact) {
      std::cout << (zh ? "完整：" : "intact: ") << v.records
                << (zh ? " 条记录，链头 " : " records, head ") << v.head << "\n";
      return kDecided;
    }
    std::cout << (zh ? "已被篡改：第 " : "tampered: record ") << v.first_bad
              << (zh ? " 条：" : ": ") << v.problem << "\n";
    return kPolicyErrors;
  }
  if (o.command == "show") {
    auto r = store->get(o.id);
    if (!r) {
      std::cerr << "error: " << r.error() << "\n";
      return kNotRecorded;
    }
    if (!r->has_value()) {
      std::cerr << (zh ? "错误：没有第 " + std::to_string(o.id) + " 条记录\n"
                       : "error: no record " + std::to_string(o.id) + "\n");
      return kBadInput;
    }
    const audit::Record& rec = **r;
    if (o.format == "json") {
      std::cout << json::serialize(record_json(rec)) << "\n";
    } else if (o.format == "html") {
      audit::RecordView view{rec.seq,     rec.recorded_at, rec.as_of,
                             rec.action,  rec.policy,      rec.outcome,
                             rec.bundle,  rec.hash,        rec.prev_hash,
                             rec.request, rec.decision,    sources_of(*store, rec.bundle)};
      std::cout << audit::render_html(view, o.lang);
    } else {
      std::cout << show_text(rec, sources_of(*store, rec.bundle), o.lang);
    }
    return kDecided;
  }
  auto filter = filter_of(o.filter, o.lang);
  if (!filter) return kBadInput;
  auto rows = store->find(*filter, o.command == "list" ? o.limit : -1);
  if (!rows) {
    std::cerr << "error: " << rows.error() << "\n";
    return kNotRecorded;
  }
  if (o.command == "list") {
    for (const auto& r : *rows)
      std::cout << "#" << r.seq << "  " << r.recorded_at << "  " << r.as_of << "  " << r.action
                << "  " << r.policy << "  " << r.outcome << "  " << rules_of(r.decision) << "\n";
    if (rows->empty()) std::cerr << (zh ? "（没有符合条件的记录）\n" : "(no matching records)\n");
    return kDecided;
  }
  // export
  if (o.format == "csv") {
    std::cout << "id,recorded_at,as_of,action,policy,outcome,rules,bundle,hash,request,decision\n";
    for (const auto& r : *rows)
      std::cout << r.seq << "," << csv_cell(r.recorded_at) << "," << csv_cell(r.as_of) << ","
                << csv_cell(r.action) << "," << csv_cell(r.policy) << "," << csv_cell(r.outcome)
                << "," << csv_cell(rules_of(r.decision)) << "," << csv_cell(r.bundle) << ","
                << csv_cell(r.hash) << "," << csv_cell(r.request) << "," << csv_cell(r.decision)
                << "\n";
  } else {
    for (const auto& r : *rows) std::cout << json::serialize(record_json(r)) << "\n";
  }
  return kDecided;
}

}  // namespace xy::cli
