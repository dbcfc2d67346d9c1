// `xy audit list|show|verify|export`: reviewers' access to the audit store.
#include <boost/json.hpp>
#include <iostream>
#include <map>

#include "commands.h"
#include "xiangyue/audit/record_json.h"
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

// "A1 A7": the reasons' rule ids from the record's search column.
std::string rules_of(const audit::Record& r) {
  auto from = r.rules.find_first_not_of(' ');
  if (from == std::string::npos) return "";
  return r.rules.substr(from, r.rules.find_last_not_of(' ') - from + 1);
}

std::string csv_cell(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
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
    auto context = audit::record_context(*store, rec);  // sources, facts read
    if (o.format == "json") {
      std::cout << json::serialize(audit::record_json(rec, context)) << "\n";
    } else if (o.format == "html") {
      std::cout << audit::render_html(audit::record_view(rec, std::move(context)), o.lang);
    } else {
      std::cout << show_text(rec, context.sources, context.facts ? &*context.facts : nullptr,
                             o.lang);
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
                << "  " << r.policy << "  " << r.outcome << "  " << rules_of(r) << "\n";
    if (rows->empty()) std::cerr << (zh ? "（没有符合条件的记录）\n" : "(no matching records)\n");
    return kDecided;
  }
  // export
  if (o.format == "csv") {
    std::cout << "id,recorded_at,as_of,action,policy,outcome,rules,bundle,hash,request,decision\n";
    for (const auto& r : *rows)
      std::cout << r.seq << "," << csv_cell(r.recorded_at) << "," << csv_cell(r.as_of) << ","
                << csv_cell(r.action) << "," << csv_cell(r.policy) << "," << csv_cell(r.outcome)
                << "," << csv_cell(rules_of(r)) << "," << csv_cell(r.bundle) << ","
                << csv_cell(r.hash) << "," << csv_cell(r.request) << "," << csv_cell(r.decision)
                << "\n";
  } else {
    // Each bundle is loaded once for the facts its records' rules read.
    std::map<std::string, std::optional<Bundle>> bundles;
    for (const auto& r : *rows) {
      auto [it, fresh] = bundles.try_emplace(r.bundle);
      if (fresh)
        if (auto bytes = store->bundle_bytes(r.bundle); bytes && bytes->has_value())
          if (auto b = Bundle::deserialize(**bytes)) it->second = std::move(*b);
      auto context = audit::record_context(it->second ? &*it->second : nullptr, r);
      std::cout << json::serialize(audit::record_json(r, context)) << "\n";
    }
  }
  return kDecided;
}

}  // namespace xy::cli
